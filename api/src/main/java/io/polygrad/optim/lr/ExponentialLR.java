package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule like PyTorch's {@code ExponentialLR}: the rate is multiplied by
 * {@code gamma} every epoch, {@code lr(e) = base·gamma^e}.
 */
public final class ExponentialLR extends BaseLrScheduler {

    private final double gamma;

    /** Creates the schedule and sets the epoch-0 rate. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double chainedLr() {
        return lastEpoch() == 0 ? currentLr() : currentLr() * gamma;
    }

    @Override
    public double closedForm(int epoch) {
        return baseLr() * Math.pow(gamma, epoch);
    }
}
