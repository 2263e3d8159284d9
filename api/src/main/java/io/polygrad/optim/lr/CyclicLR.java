package io.polygrad.optim.lr;

import io.polygrad.Checks;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.ParamGroup;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A learning-rate schedule like PyTorch 1.13's {@code CyclicLR}: the rate cycles between {@code baseLr} and
 * {@code maxLr} (per group), rising over {@code stepSizeUp} steps and falling over {@code stepSizeDown}, the
 * amplitude scaled per cycle ({@link Mode#TRIANGULAR}: constant; {@link Mode#TRIANGULAR2}: halved each
 * cycle) or per step ({@link Mode#EXP_RANGE}: {@code gamma^step}), or by a custom function. With
 * {@code cycleMomentum} (the default) the group's {@code momentum} cycles inversely between
 * {@code maxMomentum} and {@code baseMomentum}; as in PyTorch 1.13 that needs an optimizer with a
 * {@code momentum} option (SGD, RMSprop): for Adam-like optimizers pass {@code cycleMomentum(false)} (PyTorch
 * 2.x cycles their {@code beta1}; 1.13 refuses them). Step it after every batch.
 *
 * <pre>{@code
 * jshell> CyclicLR s = CyclicLR.builder(sgd, 0.001, 0.1).stepSizeUp(2000).mode(CyclicLR.Mode.TRIANGULAR2).build();
 * // PyTorch: CyclicLR(sgd, base_lr=0.001, max_lr=0.1, step_size_up=2000, mode='triangular2')
 * }</pre>
 */
public final class CyclicLR extends BaseLrScheduler {

    /** The built-in amplitude scalings (PyTorch's {@code mode}). */
    public enum Mode {
        /** Constant amplitude. */
        TRIANGULAR,
        /** The amplitude halves every cycle. */
        TRIANGULAR2,
        /** The amplitude is scaled by {@code gamma^step}. */
        EXP_RANGE
    }

    /** What a scale function is evaluated at (PyTorch's {@code scale_mode}). */
    public enum ScaleMode {
        /** The cycle number, from 1. */
        CYCLE,
        /** The step number ({@code last_epoch}). */
        ITERATIONS
    }

    private final double[] maxLrs;
    private final double totalSize;
    private final double stepRatio;
    private final Mode mode;
    private final double gamma;
    private final DoubleUnaryOperator scaleFn;
    private final ScaleMode scaleMode;
    private final boolean cycleMomentum;
    private final double[] baseMomentums;
    private final double[] maxMomentums;

    private CyclicLR(Builder b, double[] baseLrs) {
        super(b.optimizer, b.lastEpoch);
        this.maxLrs = b.maxLrs;
        double up = b.stepSizeUp;
        double down = Double.isNaN(b.stepSizeDown) ? up : b.stepSizeDown;
        this.totalSize = up + down;
        this.stepRatio = up / totalSize;
        this.mode = b.mode;
        this.gamma = b.gamma;
        this.scaleFn = b.scaleFn;
        this.scaleMode = b.scaleFn != null ? b.scaleMode : mode == Mode.EXP_RANGE ? ScaleMode.ITERATIONS : ScaleMode.CYCLE;
        this.cycleMomentum = b.cycleMomentum;
        int n = groupCount();
        if (cycleMomentum) {
            baseMomentums = new double[n];
            for (int i = 0; i < n; i++) {
                baseMomentums[i] = group(i).get("momentum");
            }
            maxMomentums = b.maxMomentums;
        } else {
            baseMomentums = null;
            maxMomentums = null;
        }
        initialStep();
        setBaseLrs(baseLrs);
    }

    /**
     * Creates a builder cycling every group between {@code baseLr} and {@code maxLr}, with PyTorch's defaults:
     * stepSizeUp 2000, stepSizeDown = stepSizeUp, triangular, gamma 1, cycleMomentum on between 0.8 and 0.9.
     */
    public static Builder builder(Optimizer optimizer, double baseLr, double maxLr) {
        Checks.notNull(optimizer, "CyclicLR.builder", "optimizer");
        int n = optimizer.paramGroups().size();
        return new Builder(optimizer).baseLrs(filled(n, baseLr)).maxLrs(filled(n, maxLr));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private double scale(double x) {
        if (scaleFn != null) {
            return scaleFn.applyAsDouble(x);
        }
        return switch (mode) {
            case TRIANGULAR -> 1.;
            case TRIANGULAR2 -> 1 / Math.pow(2., x - 1);
            case EXP_RANGE -> Math.pow(gamma, x);
        };
    }

    private double cycle() {
        return Math.floor(1 + lastEpoch() / totalSize);
    }

    private double scaleFactor() {
        double x = 1. + lastEpoch() / totalSize - cycle();
        return x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
    }

    private double scaleAt() {
        return scale(scaleMode == ScaleMode.CYCLE ? cycle() : lastEpoch());
    }

    @Override
    public void step() {
        super.step();
        cycleMomentum();
    }

    @Override
    void restart() {
        super.restart();
        cycleMomentum();
    }

    private void cycleMomentum() {
        if (cycleMomentum) {
            double f = scaleFactor();
            for (int i = 0; i < groupCount(); i++) {
                double baseHeight = (maxMomentums[i] - baseMomentums[i]) * f;
                group(i).set("momentum", maxMomentums[i] - baseHeight * scaleAt());
            }
        }
    }

    @Override
    protected double chainedLr(int group, double lr) {
        double base = baseLr(group);
        double baseHeight = (maxLrs[group] - base) * scaleFactor();
        return base + baseHeight * scaleAt();
    }

    @Override
    protected boolean hasClosedForm() {
        return false;
    }

    /** A builder of a {@link CyclicLR}, starting from PyTorch's defaults. */
    public static final class Builder {
        private final Optimizer optimizer;
        private double[] baseLrs;
        private double[] maxLrs;
        private double stepSizeUp = 2000;
        private double stepSizeDown = Double.NaN;
        private Mode mode = Mode.TRIANGULAR;
        private double gamma = 1.;
        private DoubleUnaryOperator scaleFn;
        private ScaleMode scaleMode = ScaleMode.CYCLE;
        private boolean cycleMomentum = true;
        private double[] baseMomentums;
        private double[] maxMomentums;
        private int lastEpoch = -1;

        private Builder(Optimizer optimizer) {
            this.optimizer = optimizer;
            int n = optimizer.paramGroups().size();
            baseMomentums = filled(n, 0.8);
            maxMomentums = filled(n, 0.9);
        }

        private double[] perGroup(String name, double[] values) {
            Checks.notNull(values, "CyclicLR.Builder", name);
            if (values.length != optimizer.paramGroups().size()) {
                throw new IllegalArgumentException("expected " + optimizer.paramGroups().size() + " values for "
                        + name + ", got " + values.length);
            }
            return values.clone();
        }

        /** Returns this builder with one lower rate per group (PyTorch's {@code base_lr} list). */
        public Builder baseLrs(double... baseLrs) {
            this.baseLrs = perGroup("base_lr", baseLrs);
            return this;
        }

        /** Returns this builder with one upper rate per group (PyTorch's {@code max_lr} list). */
        public Builder maxLrs(double... maxLrs) {
            this.maxLrs = perGroup("max_lr", maxLrs);
            return this;
        }

        /** Returns this builder rising over {@code steps} steps (default 2000). */
        public Builder stepSizeUp(double steps) {
            this.stepSizeUp = steps;
            return this;
        }

        /** Returns this builder falling over {@code steps} steps (default: {@code stepSizeUp}). */
        public Builder stepSizeDown(double steps) {
            this.stepSizeDown = steps;
            return this;
        }

        /** Returns this builder with amplitude scaling {@code mode} (default triangular). */
        public Builder mode(Mode mode) {
            this.mode = Checks.notNull(mode, "CyclicLR.Builder.mode", "mode");
            return this;
        }

        /** Returns this builder with {@link Mode#EXP_RANGE}'s base {@code gamma} (default 1). */
        public Builder gamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /** Returns this builder with a custom amplitude scaling evaluated at the cycle or the step (overrides the mode). */
        public Builder scaleFn(DoubleUnaryOperator scaleFn, ScaleMode scaleMode) {
            this.scaleFn = Checks.notNull(scaleFn, "CyclicLR.Builder.scaleFn", "scaleFn");
            this.scaleMode = Checks.notNull(scaleMode, "CyclicLR.Builder.scaleFn", "scaleMode");
            return this;
        }

        /** Returns this builder cycling the momentum inversely to the rate, or not (default on). */
        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** Returns this builder with the momentum bounds of every group (default 0.8 and 0.9). */
        public Builder momentum(double baseMomentum, double maxMomentum) {
            int n = optimizer.paramGroups().size();
            this.baseMomentums = filled(n, baseMomentum);
            this.maxMomentums = filled(n, maxMomentum);
            return this;
        }

        /** Returns this builder with per-group momentum bounds. */
        public Builder momentums(double[] baseMomentums, double[] maxMomentums) {
            this.baseMomentums = perGroup("base_momentum", baseMomentums);
            this.maxMomentums = perGroup("max_momentum", maxMomentums);
            return this;
        }

        /** Returns this builder resuming after step {@code lastEpoch} (PyTorch's {@code last_epoch}, default -1). */
        public Builder lastEpoch(int lastEpoch) {
            this.lastEpoch = lastEpoch;
            return this;
        }

        /**
         * Creates the schedule: from the start it sets every group's rate to its base rate (and momentum to its
         * base momentum), as PyTorch does, then makes the first step.
         *
         * @throws IllegalArgumentException with {@code cycleMomentum} on an optimizer without a
         *     {@code momentum} option, or with non-positive step sizes
         */
        public CyclicLR build() {
            if (!(stepSizeUp > 0) || !(Double.isNaN(stepSizeDown) || stepSizeDown >= 0)) {
                throw new IllegalArgumentException("CyclicLR: stepSizeUp must be positive and stepSizeDown >= 0, got "
                        + stepSizeUp + " and " + stepSizeDown);
            }
            if (cycleMomentum && !optimizer.defaults().containsKey("momentum")) {
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option "
                        + "enabled (" + optimizer.name() + " has no momentum option; use cycleMomentum(false))");
            }
            if (lastEpoch == -1) {
                for (int i = 0; i < baseLrs.length; i++) {
                    ParamGroup g = optimizer.paramGroups().get(i);
                    g.setLr(baseLrs[i]);
                    if (cycleMomentum) {
                        g.set("momentum", baseMomentums[i]);
                    }
                }
            }
            return new CyclicLR(this, baseLrs);
        }
    }
}
