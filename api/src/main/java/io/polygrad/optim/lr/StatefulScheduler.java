package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import java.util.List;
import java.util.Map;

/**
 * What every learning-rate schedule has, {@link ReduceLROnPlateau} included: its optimizer, the rates it
 * set last, and a state for checkpoints (PyTorch's {@code state_dict()} / {@code load_state_dict()}).
 *
 * <pre>{@code
 * jshell> Map<String, Object> s = scheduler.stateDict();   // {scheduler=StepLR, last_epoch=3, base_lrs=[0.1], ...}
 * jshell> fresh.loadStateDict(s);                          // fresh: a StepLR of the restored optimizer
 * }</pre>
 *
 * <p>The state is JSON-ready: strings, numbers (infinite ones as the strings {@code "Infinity"} and
 * {@code "-Infinity"} are read back too), lists and maps; it names the schedule's class, and loading a state
 * of another class, or of another number of parameter groups, fails naming both. Functions (LambdaLR's
 * lambdas, a custom CyclicLR scale function) are not saved, as in PyTorch for lambdas: the schedule they are
 * loaded into keeps its own.
 */
public interface StatefulScheduler {

    /** Returns the optimizer this schedule drives. */
    Optimizer optimizer();

    /** Returns the learning rate of every parameter group set by the last step (PyTorch's {@code get_last_lr()}). */
    List<Double> lastLrs();

    /** Returns the schedule's state (PyTorch's {@code state_dict()}), a new map of JSON-ready values. */
    Map<String, Object> stateDict();

    /**
     * Restores a state from {@link #stateDict()} (PyTorch's {@code load_state_dict}); it does not change the
     * optimizer's rates (load the optimizer's own state for those), as in PyTorch.
     *
     * @throws IllegalArgumentException if the state is of another schedule class, another number of groups,
     *     or malformed; this schedule is then unchanged
     */
    void loadStateDict(Map<String, ?> state);
}
