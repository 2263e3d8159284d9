package io.polygrad.optim.lr;

import io.polygrad.Checks;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.ParamGroup;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of the epoch-indexed schedules (PyTorch's {@code _LRScheduler}): each {@link #step()} sets the
 * learning rate of every parameter group of the optimizer by PyTorch's {@code torch.optim.lr_scheduler}
 * formulas, each group from its own initial rate ({@link #baseLrs()}, PyTorch's {@code base_lrs}).
 *
 * <p>As in PyTorch, constructing a schedule makes its first step at once, so the optimizer already holds
 * the epoch-0 rate; call {@link #step()} after each {@code optimizer.step()}. The chainable schedules
 * compute the rate from the optimizer's current rate, so several can act on one optimizer
 * ({@link ChainedScheduler}); {@link #closedForm(int)} gives the closed form from the base rate.
 *
 * <p>Resuming (PyTorch's {@code last_epoch}): the constructors taking {@code lastEpoch} start after epoch
 * {@code lastEpoch} instead of -1; every group must then hold {@code initialLr} (PyTorch's
 * {@code initial_lr}, which a schedule sets and {@link Optimizer#stateDict()} saves), and the base rates
 * are those, not the current rates. The first step then moves to {@code lastEpoch + 1}, chained from the
 * optimizer's current rates, exactly as PyTorch does. {@link #loadStateDict(Map)} is the other way, the one
 * {@link io.polygrad.io.Checkpoint} uses.
 *
 * <pre>{@code
 * jshell> Optimizer opt = SGD.builder(params).lr(0.1).build();
 * jshell> BaseLrScheduler schedule = new StepLR(opt, 30, 0.1);
 * jshell> for (int epoch = 0; epoch < 100; epoch++) {
 *    ...>     train(...);               // optimizer.step() inside
 *    ...>     schedule.step();
 *    ...> }
 * jshell> new StepLR(restoredOpt, 30, 0.1, 99)   // resume after epoch 99: StepLR(opt, 30, 0.1, last_epoch=99)
 * }</pre>
 */
public abstract class BaseLrScheduler implements LrScheduler {

    private final Optimizer optimizer;
    private double[] baseLrs;
    private int lastEpoch;
    private double[] lastLrs;

    /** Creates a schedule of {@code optimizer} from the start ({@code lastEpoch} -1). */
    protected BaseLrScheduler(Optimizer optimizer) {
        this(optimizer, -1);
    }

    /**
     * Creates a schedule of {@code optimizer} that last made epoch {@code lastEpoch} (-1: from the start,
     * setting every group's {@code initialLr} to its rate where unset).
     *
     * @throws IllegalArgumentException if {@code lastEpoch} is below -1, or a group has no {@code initialLr}
     *     when resuming
     */
    protected BaseLrScheduler(Optimizer optimizer, int lastEpoch) {
        String who = getClass().getSimpleName();
        this.optimizer = Checks.notNull(optimizer, who, "optimizer");
        if (lastEpoch < -1) {
            throw new IllegalArgumentException(who + ": lastEpoch must be -1 (start) or an epoch >= 0, got " + lastEpoch);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        lastLrs = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (lastEpoch == -1) {
                if (!g.has(ParamGroup.INITIAL_LR)) {
                    g.set(ParamGroup.INITIAL_LR, g.lr());
                }
            } else if (!g.has(ParamGroup.INITIAL_LR)) {
                throw new IllegalArgumentException(who + ": param 'initial_lr' is not specified in param_groups[" + i
                        + "] when resuming an optimizer (lastEpoch " + lastEpoch + "): restore the optimizer's state "
                        + "first, or set initialLr on the group");
            }
            baseLrs[i] = g.get(ParamGroup.INITIAL_LR);
            lastLrs[i] = g.lr();
        }
        this.lastEpoch = lastEpoch;
    }

    /**
     * Makes the first step; each concrete schedule calls it at the end of its constructor, after its own
     * fields are set (PyTorch's {@code _initial_step}).
     */
    protected final void initialStep() {
        step();
    }

    @Override
    public void step() {
        checkGroups();
        lastEpoch++;
        apply(false);
    }

    /** Sets every group's rate from {@link #chainedLr} (or the closed form) at the current epoch. */
    final void apply(boolean closed) {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = closed ? closedFormLr(i, lastEpoch) : chainedLr(i, groups.get(i).lr());
        }
        for (int i = 0; i < lrs.length; i++) {
            groups.get(i).setLr(lrs[i]);
        }
        lastLrs = lrs;
    }

    private void checkGroups() {
        if (optimizer.paramGroups().size() != baseLrs.length) {
            throw new IllegalStateException(getClass().getSimpleName() + " was made for " + baseLrs.length
                    + " parameter groups, the optimizer now has " + optimizer.paramGroups().size()
                    + "; make the schedule after adding groups");
        }
    }

    /**
     * Restarts at epoch 0 as PyTorch's {@code step(0)} does when {@link SequentialLR} switches to this
     * schedule: the closed form's rate where there is one, else {@link #chainedLr} at epoch 0.
     */
    void restart() {
        checkGroups();
        lastEpoch = 0;
        apply(hasClosedForm());
    }

    /** Moves the epoch counter back by one, as {@link SequentialLR} does to the schedules it is given. */
    void undoStep() {
        lastEpoch--;
    }

    /**
     * Returns group {@code group}'s learning rate for {@link #lastEpoch()} from its current rate {@code lr}
     * (PyTorch's {@code get_lr}).
     */
    protected abstract double chainedLr(int group, double lr);

    /**
     * Returns group {@code group}'s rate at {@code epoch} from its base rate (PyTorch's
     * {@code _get_closed_form_lr}).
     *
     * @throws UnsupportedOperationException for a schedule without one ({@link #hasClosedForm()} false)
     */
    protected double closedFormLr(int group, int epoch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no closed form (nor in PyTorch)");
    }

    /** Returns whether {@link #closedFormLr} is defined (PyTorch: the class has {@code _get_closed_form_lr}). */
    protected boolean hasClosedForm() {
        return true;
    }

    /**
     * Returns the first group's learning rate at {@code epoch} from its base rate (PyTorch's
     * {@code _get_closed_form_lr}).
     *
     * @throws UnsupportedOperationException for a schedule without a closed form
     */
    public final double closedForm(int epoch) {
        return closedFormLr(0, epoch);
    }

    @Override
    public final Optimizer optimizer() {
        return optimizer;
    }

    /** Returns the first group's base rate (PyTorch's {@code base_lrs[0]}). */
    public final double baseLr() {
        return baseLrs[0];
    }

    /** Returns group {@code group}'s base rate. */
    protected final double baseLr(int group) {
        return baseLrs[group];
    }

    /** Returns every group's base rate (PyTorch's {@code base_lrs}). */
    public final List<Double> baseLrs() {
        return Collections.unmodifiableList(States.list(baseLrs));
    }

    /** Replaces the base rates (CyclicLR does, after its first step, as PyTorch's does). */
    final void setBaseLrs(double[] lrs) {
        baseLrs = lrs.clone();
    }

    /** Returns the index of the last step, 0 right after construction from the start. */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** Sets the index of the last step (CosineAnnealingWarmRestarts' own stepping). */
    final void setLastEpoch(int epoch) {
        lastEpoch = epoch;
    }

    /** Records the rates a schedule with its own stepping set. */
    final void setLastLrs(double[] lrs) {
        lastLrs = lrs.clone();
    }

    @Override
    public final List<Double> lastLrs() {
        return Collections.unmodifiableList(States.list(lastLrs));
    }

    /** Returns the parameter group {@code i} of the optimizer. */
    protected final ParamGroup group(int i) {
        return optimizer.paramGroups().get(i);
    }

    /** Returns the number of parameter groups the schedule was made for. */
    protected final int groupCount() {
        return baseLrs.length;
    }

    @Override
    public final Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(States.KIND, getClass().getSimpleName());
        s.put("last_epoch", lastEpoch);
        s.put("base_lrs", States.list(baseLrs));
        s.put("last_lr", States.list(lastLrs));
        saveState(s);
        return s;
    }

    @Override
    public final void loadStateDict(Map<String, ?> state) {
        States.checkKind(state, getClass().getSimpleName());
        int epoch = States.integer(state, "last_epoch");
        double[] base = States.numbers(state, "base_lrs", baseLrs.length);
        double[] last = States.numbers(state, "last_lr", baseLrs.length);
        Runnable extra = loadState(state);
        lastEpoch = epoch;
        baseLrs = base;
        lastLrs = last;
        extra.run();
    }

    /** Adds a subclass's own state (PyTorch: its fields) to {@code state}; the default adds nothing. */
    void saveState(Map<String, Object> state) {
    }

    /**
     * Reads a subclass's own state from {@code state}, throwing on anything malformed, and returns what
     * applies it (run only once everything is read); the default reads nothing.
     */
    Runnable loadState(Map<String, ?> state) {
        return () -> { };
    }
}
