package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule like PyTorch's {@code CosineAnnealingLR} (SGDR without restarts): the
 * rate follows {@code lr(e) = η_min + (base - η_min)·(1 + cos(π·e / tMax)) / 2}, reaching
 * {@code η_min} at {@code e = tMax} and rising again after it (the cosine continues), as PyTorch's
 * does.
 *
 * <pre>{@code
 * new CosineAnnealingLR(optimizer, 100, 0.0);
 * }</pre>
 */
public final class CosineAnnealingLR extends BaseLrScheduler {

    private final int tMax;
    private final double etaMin;

    /** Creates the schedule and sets the epoch-0 rate (PyTorch's default etaMin is 0). */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    /** Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see {@link BaseLrScheduler}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        int e = lastEpoch();
        if (e == 0) {
            return lr;
        }
        if (Math.floorMod(e - 1 - tMax, 2 * tMax) == 0) {
            return lr + (baseLr(group) - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) * (lr - etaMin)
                + etaMin;
    }

    @Override
    protected double closedFormLr(int group, int epoch) {
        return etaMin + (baseLr(group) - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
