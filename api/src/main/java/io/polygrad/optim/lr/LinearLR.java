package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule like PyTorch's {@code LinearLR}, the usual warm-up: the rate's factor
 * moves linearly from {@code startFactor} to {@code endFactor} over {@code totalIters} epochs and
 * then stays, {@code lr(e) = base·(start + (end - start)·min(e, totalIters) / totalIters)}.
 *
 * <pre>{@code
 * new LinearLR(optimizer, 0.1, 1.0, 5);   // 10%, 28%, 46%, 64%, 82%, then 100% of the rate
 * }</pre>
 */
public final class LinearLR extends BaseLrScheduler {

    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** Creates the schedule and sets the epoch-0 rate; PyTorch's defaults are 1/3, 1.0 and 5. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1);
    }

    /** Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see {@link BaseLrScheduler}. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be greater than 0 and "
                    + "less or equal to 1, got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1, got "
                    + endFactor);
        }
        if (totalIters <= 0) {
            throw new IllegalArgumentException("LinearLR: totalIters must be positive, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        int e = lastEpoch();
        if (e == 0) {
            return lr * startFactor;
        }
        if (e > totalIters) {
            return lr;
        }
        return lr * (1.0 + (endFactor - startFactor)
                / (totalIters * startFactor + (e - 1) * (endFactor - startFactor)));
    }

    @Override
    protected double closedFormLr(int group, int epoch) {
        return baseLr(group) * (startFactor + (endFactor - startFactor) * Math.min(totalIters, epoch) / totalIters);
    }
}
