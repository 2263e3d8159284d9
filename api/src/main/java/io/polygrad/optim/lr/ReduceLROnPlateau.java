package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import io.polygrad.optim.ParamGroup;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A learning-rate schedule like PyTorch's {@code ReduceLROnPlateau}: it watches a metric passed to
 * {@link #step(double)} and multiplies the rate by {@code factor} once the metric has not improved
 * for more than {@code patience} epochs, then waits {@code cooldown} epochs before counting again.
 * The rate never drops below {@code minLr}, and a reduction smaller than {@code eps} is skipped.
 *
 * <pre>{@code
 * jshell> ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(optimizer).factor(0.5).patience(3).build();
 * jshell> plateau.step(validationLoss);
 * jshell> Map<String, Object> state = plateau.stateDict();   // best, num_bad_epochs, cooldown_counter, ...
 * }</pre>
 *
 * <p>Every parameter group is reduced, each bounded by its own {@code minLr} ({@link Builder#minLrs}) or the
 * common one.
 *
 * <p>"Improved" means, in {@link Mode#MIN} mode with relative threshold, {@code metric < best·(1 - threshold)};
 * with absolute threshold {@code metric < best - threshold} (reversed in {@link Mode#MAX} mode).
 */
public final class ReduceLROnPlateau implements StatefulScheduler {

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
    private final double[] minLrs;
    private final double eps;
    private double best;
    private int badEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLrs;

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
        int n = b.optimizer.paramGroups().size();
        if (b.minLrs != null && b.minLrs.length != n) {
            throw new IllegalArgumentException("expected " + n + " min_lrs, got " + b.minLrs.length);
        }
        this.minLrs = b.minLrs != null ? b.minLrs.clone() : filled(n, b.minLr);
        this.eps = b.eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        this.lastLrs = currentLrs();
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
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
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr();
                double next = Math.max(old * factor, i < minLrs.length ? minLrs[i] : minLrs[minLrs.length - 1]);
                if (old - next > eps) {
                    groups.get(i).setLr(next);
                }
            }
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
        lastLrs = currentLrs();
    }

    private boolean isBetter(double a) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
    }

    /** Returns the first group's learning rate after the last step. */
    public double lastLr() {
        return lastLrs[0];
    }

    @Override
    public List<Double> lastLrs() {
        return java.util.Collections.unmodifiableList(States.list(lastLrs));
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Returns the number of epochs left in the cooldown. */
    public int cooldownCounter() {
        return cooldownCounter;
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(States.KIND, "ReduceLROnPlateau");
        s.put("last_epoch", lastEpoch);
        s.put("best", Double.isInfinite(best) ? (Object) Double.toString(best) : (Object) best);
        s.put("num_bad_epochs", badEpochs);
        s.put("cooldown_counter", cooldownCounter);
        s.put("_last_lr", States.list(lastLrs));
        return s;
    }

    @Override
    public void loadStateDict(Map<String, ?> state) {
        States.checkKind(state, "ReduceLROnPlateau");
        int epoch = States.integer(state, "last_epoch");
        double b = States.number(state, "best");
        int bad = States.integer(state, "num_bad_epochs");
        int cool = States.integer(state, "cooldown_counter");
        double[] last = States.numbers(state, "_last_lr", lastLrs.length);
        lastEpoch = epoch;
        best = b;
        badEpochs = bad;
        cooldownCounter = cool;
        lastLrs = last;
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
        private double[] minLrs;
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

        /** Returns this builder with lower bound {@code minLr} on every group's rate (default 0). */
        public Builder minLr(double minLr) {
            this.minLr = minLr;
            this.minLrs = null;
            return this;
        }

        /** Returns this builder with one lower bound per group (PyTorch's {@code min_lr} list). */
        public Builder minLrs(double... minLrs) {
            this.minLrs = Objects.requireNonNull(minLrs, "minLrs").clone();
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
