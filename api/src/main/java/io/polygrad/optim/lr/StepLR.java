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

    /** Creates the schedule and sets the epoch-0 rate. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: stepSize must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double chainedLr() {
        int e = lastEpoch();
        if (e == 0 || e % stepSize != 0) {
            return currentLr();
        }
        return currentLr() * gamma;
    }

    @Override
    public double closedForm(int epoch) {
        return baseLr() * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }
}
