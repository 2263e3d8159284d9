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

    /** Creates the schedule and sets the epoch-0 rate. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double chainedLr() {
        int e = lastEpoch();
        double lr = currentLr();
        if (e == 0) {
            return lr;
        }
        if (Math.floorMod(e - 1 - tMax, 2 * tMax) == 0) {
            return lr + (baseLr() - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) * (lr - etaMin)
                + etaMin;
    }

    @Override
    public double closedForm(int epoch) {
        return etaMin + (baseLr() - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
