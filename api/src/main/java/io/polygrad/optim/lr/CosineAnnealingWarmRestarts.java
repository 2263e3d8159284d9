package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import java.util.Map;

/**
 * A learning-rate schedule like PyTorch's {@code CosineAnnealingWarmRestarts} (SGDR): cosine annealing
 * from each group's base rate to {@code etaMin} over {@code T_i} epochs, then a restart, with
 * {@code T_0 = t0} and {@code T_{i+1} = T_i·tMult}:
 * {@code lr = η_min + (base - η_min)·(1 + cos(π·T_cur/T_i))/2}.
 *
 * <pre>{@code
 * jshell> CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(optimizer, 10, 2, 1e-4);
 * jshell> s.step();                          // one epoch
 * jshell> s.step(epoch + batch / batches);   // or fractional epochs, as PyTorch's step(epoch)
 * }</pre>
 *
 * <p>Its state adds {@code T_cur} and {@code T_i} to the base state.
 */
public final class CosineAnnealingWarmRestarts extends BaseLrScheduler {

    private final int t0;
    private final int tMult;
    private final double etaMin;
    private double tCur;
    private double tI;

    /** Creates the schedule with PyTorch's defaults {@code tMult} 1 and {@code etaMin} 0. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) {
        this(optimizer, t0, 1, 0.0);
    }

    /** Creates the schedule and sets the epoch-0 rate. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        this(optimizer, t0, tMult, etaMin, -1);
    }

    /**
     * Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}: {@code T_cur}
     * starts there and {@code T_i} at {@code t0}, as in PyTorch); see {@link BaseLrScheduler}.
     *
     * @throws IllegalArgumentException if {@code t0} is not positive or {@code tMult} is below 1
     */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (t0 <= 0) {
            throw new IllegalArgumentException("Expected positive integer T_0, but got " + t0);
        }
        if (tMult < 1) {
            throw new IllegalArgumentException("Expected integer T_mult >= 1, but got " + tMult);
        }
        this.t0 = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tI = t0;
        this.tCur = lastEpoch;
        initialStep();
    }

    /** Advances one epoch: {@code T_cur + 1}, restarting when it reaches {@code T_i}. */
    @Override
    public void step() {
        if (lastEpoch() < 0) {
            step(0.0);
            return;
        }
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        setLastEpoch(lastEpoch() + 1);
        apply(false);
    }

    /**
     * Moves to (possibly fractional) epoch {@code epoch}, PyTorch's {@code step(epoch)}, e.g.
     * {@code step(epoch + i / iters)} after batch {@code i} of an epoch.
     *
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    public void step(double epoch) {
        if (!(epoch >= 0)) {
            throw new IllegalArgumentException("Expected non-negative epoch, but got " + epoch);
        }
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        setLastEpoch((int) Math.floor(epoch));
        apply(false);
    }

    @Override
    void restart() {
        step(0.0);
    }

    @Override
    protected double chainedLr(int group, double lr) {
        return etaMin + (baseLr(group) - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
    }

    @Override
    protected boolean hasClosedForm() {
        return false;
    }

    /** Returns the epochs since the last restart ({@code T_cur}). */
    public double tCur() {
        return tCur;
    }

    /** Returns the length of the current cycle ({@code T_i}). */
    public double tI() {
        return tI;
    }

    @Override
    void saveState(Map<String, Object> state) {
        state.put("T_cur", tCur);
        state.put("T_i", tI);
    }

    @Override
    Runnable loadState(Map<String, ?> state) {
        double cur = States.number(state, "T_cur");
        double i = States.number(state, "T_i");
        return () -> {
            tCur = cur;
            tI = i;
        };
    }
}
