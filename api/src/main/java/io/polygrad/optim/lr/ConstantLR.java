package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule like PyTorch's {@code ConstantLR}: the rate is {@code factor·base} until epoch
 * {@code totalIters}, then {@code base}, {@code lr(e) = base·(factor if e < totalIters else 1)}.
 *
 * <pre>{@code
 * jshell> new ConstantLR(optimizer, 0.5, 4);   // ConstantLR(optimizer, factor=0.5, total_iters=4)
 * jshell> new ConstantLR(optimizer);           // PyTorch's defaults: factor 1/3, total_iters 5
 * }</pre>
 */
public final class ConstantLR extends BaseLrScheduler {

    private final double factor;
    private final int totalIters;

    /** Creates the schedule with PyTorch's defaults, factor 1/3 for 5 epochs. */
    public ConstantLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 5);
    }

    /** Creates the schedule and sets the epoch-0 rate. */
    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        this(optimizer, factor, totalIters, -1);
    }

    /**
     * Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see
     * {@link BaseLrScheduler}.
     *
     * @throws IllegalArgumentException if {@code factor} is outside [0, 1]
     */
    public ConstantLR(Optimizer optimizer, double factor, int totalIters, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (!(factor >= 0 && factor <= 1.0)) {
            throw new IllegalArgumentException("Constant multiplicative factor expected to be between 0 and 1, got "
                    + factor);
        }
        this.factor = factor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        int e = lastEpoch();
        if (e == 0) {
            return lr * factor;
        }
        if (e != totalIters) {
            return lr;
        }
        return lr * (1.0 / factor);
    }

    @Override
    protected double closedFormLr(int group, int epoch) {
        return baseLr(group) * (factor + (epoch >= totalIters ? 1 : 0) * (1 - factor));
    }
}
