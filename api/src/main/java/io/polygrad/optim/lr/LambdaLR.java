package io.polygrad.optim.lr;

import io.polygrad.Checks;
import io.polygrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A learning-rate schedule like PyTorch's {@code LambdaLR}: each group's rate is its base rate times a
 * function of the epoch, {@code lr(e) = base·λ(e)}; one function for all groups, or one per group.
 *
 * <pre>{@code
 * jshell> new LambdaLR(optimizer, epoch -> Math.pow(0.95, epoch));   // LambdaLR(optimizer, lambda e: 0.95 ** e)
 * jshell> new LambdaLR(optimizer, List.of(e -> 1.0, e -> 1.0 / (e + 1)));   // one per group
 * }</pre>
 *
 * <p>As in PyTorch, the functions are not part of {@link #stateDict()}.
 */
public final class LambdaLR extends BaseLrScheduler {

    private final List<IntToDoubleFunction> lambdas;

    /** Creates the schedule with one function for every group and sets the epoch-0 rate. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, lrLambda, -1);
    }

    /** Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see {@link BaseLrScheduler}. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda, int lastEpoch) {
        this(optimizer, Collections.nCopies(Checks.notNull(optimizer, "LambdaLR", "optimizer").paramGroups().size(),
                Checks.notNull(lrLambda, "LambdaLR", "lrLambda")), lastEpoch);
    }

    /**
     * Creates the schedule with one function per group and sets the epoch-0 rate.
     *
     * @throws IllegalArgumentException if there are not as many functions as groups
     */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        this(optimizer, lrLambdas, -1);
    }

    /** Creates the per-group schedule resuming after epoch {@code lastEpoch}; see {@link BaseLrScheduler}. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.lambdas = perGroup("LambdaLR", lrLambdas, groupCount());
        initialStep();
    }

    static List<IntToDoubleFunction> perGroup(String who, List<IntToDoubleFunction> fns, int groups) {
        Checks.noNulls(fns, who, "lrLambdas");
        if (fns.size() != groups) {
            throw new IllegalArgumentException(who + ": expected " + groups + " lr_lambdas, but got " + fns.size());
        }
        return new ArrayList<>(fns);
    }

    @Override
    protected double chainedLr(int group, double lr) {
        return baseLr(group) * lambdas.get(group).applyAsDouble(lastEpoch());
    }

    @Override
    protected boolean hasClosedForm() {
        return false;
    }
}
