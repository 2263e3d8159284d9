package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule like PyTorch's {@code ExponentialLR}: the rate is multiplied by
 * {@code gamma} every epoch, {@code lr(e) = base·gamma^e}.
 *
 * <pre>{@code
 * jshell> new ExponentialLR(optimizer, 0.9);   // torch.optim.lr_scheduler.ExponentialLR(optimizer, 0.9)
 * }</pre>
 */
public final class ExponentialLR extends BaseLrScheduler {

    private final double gamma;

    /** Creates the schedule and sets the epoch-0 rate. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        this(optimizer, gamma, -1);
    }

    /** Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see {@link BaseLrScheduler}. */
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        return lastEpoch() == 0 ? lr : lr * gamma;
    }

    @Override
    protected double closedFormLr(int group, int epoch) {
        return baseLr(group) * Math.pow(gamma, epoch);
    }
}
