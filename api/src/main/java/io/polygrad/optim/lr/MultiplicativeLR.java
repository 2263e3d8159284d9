package io.polygrad.optim.lr;

import io.polygrad.Checks;
import io.polygrad.optim.Optimizer;
import java.util.Collections;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A learning-rate schedule like PyTorch's {@code MultiplicativeLR}: from epoch 1 on, each group's rate is
 * multiplied by a function of the epoch, {@code lr(e) = lr(e-1)·λ(e)}; one function for all groups, or one
 * per group. Chainable; no closed form (as in PyTorch).
 *
 * <pre>{@code
 * jshell> new MultiplicativeLR(optimizer, epoch -> 0.95);   // MultiplicativeLR(optimizer, lambda e: 0.95)
 * }</pre>
 *
 * <p>As in PyTorch, the functions are not part of {@link #stateDict()}.
 */
public final class MultiplicativeLR extends BaseLrScheduler {

    private final List<IntToDoubleFunction> lambdas;

    /** Creates the schedule with one function for every group and sets the epoch-0 rate. */
    public MultiplicativeLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, lrLambda, -1);
    }

    /** Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see {@link BaseLrScheduler}. */
    public MultiplicativeLR(Optimizer optimizer, IntToDoubleFunction lrLambda, int lastEpoch) {
        this(optimizer, Collections.nCopies(Checks.notNull(optimizer, "MultiplicativeLR", "optimizer").paramGroups()
                .size(), Checks.notNull(lrLambda, "MultiplicativeLR", "lrLambda")), lastEpoch);
    }

    /**
     * Creates the schedule with one function per group and sets the epoch-0 rate.
     *
     * @throws IllegalArgumentException if there are not as many functions as groups
     */
    public MultiplicativeLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        this(optimizer, lrLambdas, -1);
    }

    /** Creates the per-group schedule resuming after epoch {@code lastEpoch}; see {@link BaseLrScheduler}. */
    public MultiplicativeLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.lambdas = LambdaLR.perGroup("MultiplicativeLR", lrLambdas, groupCount());
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        return lastEpoch() > 0 ? lr * lambdas.get(group).applyAsDouble(lastEpoch()) : lr;
    }

    @Override
    protected boolean hasClosedForm() {
        return false;
    }
}
