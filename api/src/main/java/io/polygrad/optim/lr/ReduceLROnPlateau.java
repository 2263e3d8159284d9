package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import java.util.Objects;

/**
 * A learning-rate schedule like PyTorch's {@code ReduceLROnPlateau}: it watches a metric passed to
 * {@link #step(double)} and multiplies the rate by {@code factor} once the metric has not improved
 * for more than {@code patience} epochs, then waits {@code cooldown} epochs before counting again.
 * The rate never drops below {@code minLr}, and a reduction smaller than {@code eps} is skipped.
 *
 * <pre>{@code
 * ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(optimizer).factor(0.5).patience(3).build();
 * plateau.step(validationLoss);
 * }</pre>
 *
 * <p>"Improved" means, in {@link Mode#MIN} mode with relative threshold, {@code metric < best·(1 - threshold)};
 * with absolute threshold {@code metric < best - threshold} (reversed in {@link Mode#MAX} mode).
 */
public final class ReduceLROnPlateau {

    /** Which metric is better: a lower or a higher one. */
    public enum Mode {
        /** Lower is better (a loss). */
        MIN,
        /** Higher is better (an accuracy). */
        MAX
    }

    /** How the threshold is measured: relative to the best value, or absolute. */
    public enum ThresholdMode {
        /** Improvement beyond {@code best·threshold}. */
        REL,
        /** Improvement beyond {@code threshold}. */
        ABS
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double minLr;
    private final double eps;
    private double best;
    private int badEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double lastLr;

    private ReduceLROnPlateau(Builder b) {
        if (!(b.factor < 1.0)) {
            throw new IllegalArgumentException("Factor should be < 1.0, got " + b.factor);
        }
        if (b.patience < 0 || b.cooldown < 0) {
            throw new IllegalArgumentException("patience and cooldown must be >= 0, got " + b.patience + " and "
                    + b.cooldown);
        }
        this.optimizer = b.optimizer;
        this.mode = b.mode;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.thresholdMode = b.thresholdMode;
        this.cooldown = b.cooldown;
        this.minLr = b.minLr;
        this.eps = b.eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.lastLr = optimizer.lr();
    }

    /**
     * Creates a builder with PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4
     * relative, cooldown 0, minLr 0, eps 1e-8.
     */
    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    /** Records one epoch's {@code metric} and reduces the learning rate if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double old = optimizer.lr();
            double next = Math.max(old * factor, minLr);
            if (old - next > eps) {
                optimizer.setLr(next);
            }
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
        lastLr = optimizer.lr();
    }

    private boolean isBetter(double a) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
    }

    /** Returns the learning rate after the last step. */
    public double lastLr() {
        return lastLr;
    }

    /** Returns the best metric seen so far. */
    public double best() {
        return best;
    }

    /** Returns the number of consecutive epochs without improvement. */
    public int badEpochs() {
        return badEpochs;
    }

    /** Returns the number of steps made. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /**
     * A builder that configures a {@link ReduceLROnPlateau} step by step, starting from PyTorch's
     * defaults.
     */
    public static final class Builder {
        private final Optimizer optimizer;
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private double minLr;
        private double eps = 1e-8;

        private Builder(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** Returns this builder watching for a lower ({@code MIN}, default) or higher metric. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Returns this builder with reduction factor {@code factor} (default 0.1). */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Returns this builder tolerating {@code patience} epochs without improvement (default 10). */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Returns this builder with improvement threshold {@code threshold} and its mode (default 1e-4, REL). */
        public Builder threshold(double threshold, ThresholdMode thresholdMode) {
            this.threshold = threshold;
            this.thresholdMode = Objects.requireNonNull(thresholdMode, "thresholdMode");
            return this;
        }

        /** Returns this builder waiting {@code cooldown} epochs after a reduction (default 0). */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** Returns this builder with lower bound {@code minLr} on the rate (default 0). */
        public Builder minLr(double minLr) {
            this.minLr = minLr;
            return this;
        }

        /** Returns this builder skipping reductions smaller than {@code eps} (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Creates the schedule; it does not change the rate until a plateau. */
        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
