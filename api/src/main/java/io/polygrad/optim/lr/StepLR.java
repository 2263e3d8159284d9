package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule like PyTorch's {@code StepLR}: the rate is multiplied by {@code gamma}
 * every {@code stepSize} epochs, {@code lr(e) = base·gamma^⌊e / stepSize⌋}.
 *
 * <pre>{@code
 * new StepLR(optimizer, 30, 0.1);   // from lr 0.05: 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * }</pre>
 */
public final class StepLR extends BaseLrScheduler {

    private final int stepSize;
    private final double gamma;

    /** Creates the schedule and sets the epoch-0 rate (PyTorch's default gamma is 0.1). */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    /** Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see {@link BaseLrScheduler}. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: stepSize must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        int e = lastEpoch();
        if (e == 0 || e % stepSize != 0) {
            return lr;
        }
        return lr * gamma;
    }

    @Override
    protected double closedFormLr(int group, int epoch) {
        return baseLr(group) * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }
}
