package io.polygrad.optim.lr;

import io.polygrad.Checks;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.ParamGroup;
import java.util.Arrays;

/**
 * A learning-rate schedule like PyTorch 1.13's {@code OneCycleLR} (the 1cycle policy): the rate rises from
 * {@code maxLr/divFactor} to {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then falls
 * to {@code initial/finalDivFactor} (two phases, fastai's default), or with {@code threePhase} falls back to
 * the initial rate and then to the minimum; cosine or linear annealing. With {@code cycleMomentum} (the
 * default) the momentum moves inversely between {@code maxMomentum} and {@code baseMomentum}: the group's
 * {@code momentum} (SGD, RMSprop) or, for optimizers with betas (Adam, AdamW, Adamax, NAdam, RAdam), its
 * {@code beta1}. Step it after every batch; stepping past {@code totalSteps} fails, as in PyTorch.
 *
 * <pre>{@code
 * jshell> OneCycleLR s = OneCycleLR.builder(sgd, 0.01).epochs(10).stepsPerEpoch(loader.size()).build();
 * // PyTorch: OneCycleLR(sgd, max_lr=0.01, epochs=10, steps_per_epoch=len(loader))
 * jshell> OneCycleLR.builder(adam, 0.1).totalSteps(1000).anneal(OneCycleLR.Anneal.LINEAR).threePhase(true).build();
 * }</pre>
 *
 * <p>As in PyTorch, the per-group values live in the parameter groups ({@code initialLr}, {@code maxLr},
 * {@code minLr}, {@code maxMomentum}, {@code baseMomentum}), so the optimizer's state carries them and a
 * schedule made with {@code lastEpoch(k)} on a restored optimizer continues from them.
 */
public final class OneCycleLR extends BaseLrScheduler {

    /** The annealing between a phase's start and end (PyTorch's {@code anneal_strategy}). */
    public enum Anneal {
        /** {@code end + (start - end)/2·(1 + cos(π·pct))}. */
        COS,
        /** {@code start + (end - start)·pct}. */
        LINEAR
    }

    private final int totalSteps;
    private final double[] phaseEnds;
    private final String[][] phaseKeys;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final String momentumKey;

    private OneCycleLR(Builder b, int totalSteps) {
        super(b.optimizer, b.lastEpoch);
        this.totalSteps = totalSteps;
        this.anneal = b.anneal;
        this.cycleMomentum = b.cycleMomentum;
        this.momentumKey = b.momentumKey;
        double pct = b.pctStart;
        if (b.threePhase) {
            phaseEnds = new double[] {pct * totalSteps - 1, 2 * pct * totalSteps - 2, totalSteps - 1};
            phaseKeys = new String[][] {{"initialLr", "maxLr", "maxMomentum", "baseMomentum"},
                {"maxLr", "initialLr", "baseMomentum", "maxMomentum"},
                {"initialLr", "minLr", "maxMomentum", "maxMomentum"}};
        } else {
            phaseEnds = new double[] {pct * totalSteps - 1, totalSteps - 1};
            phaseKeys = new String[][] {{"initialLr", "maxLr", "maxMomentum", "baseMomentum"},
                {"maxLr", "minLr", "baseMomentum", "maxMomentum"}};
        }
        initialStep();
    }

    /**
     * Creates a builder with peak rate {@code maxLr} for every group and PyTorch's defaults: pctStart 0.3,
     * cosine annealing, cycleMomentum on between 0.85 and 0.95, divFactor 25, finalDivFactor 1e4, two phases.
     * Set {@link Builder#totalSteps} or both {@link Builder#epochs} and {@link Builder#stepsPerEpoch}.
     */
    public static Builder builder(Optimizer optimizer, double maxLr) {
        Checks.notNull(optimizer, "OneCycleLR.builder", "optimizer");
        double[] m = new double[optimizer.paramGroups().size()];
        Arrays.fill(m, maxLr);
        return new Builder(optimizer).maxLrs(m);
    }

    private double anneal(double start, double end, double pct) {
        if (anneal == Anneal.COS) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override
    public void step() {
        if (lastEpoch() + 1 > totalSteps) {
            throw new IllegalStateException("Tried to step " + (lastEpoch() + 2) + " times. The specified number of "
                    + "total steps is " + totalSteps);
        }
        super.step();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        ParamGroup g = group(group);
        int stepNum = lastEpoch();
        double start = 0;
        for (int i = 0; i < phaseEnds.length; i++) {
            double end = phaseEnds[i];
            if (stepNum <= end || i == phaseEnds.length - 1) {
                double pct = (stepNum - start) / (end - start);
                String[] k = phaseKeys[i];
                double computed = anneal(g.get(k[0]), g.get(k[1]), pct);
                if (cycleMomentum) {
                    g.set(momentumKey, anneal(g.get(k[2]), g.get(k[3]), pct));
                }
                return computed;
            }
            start = end;
        }
        throw new AssertionError("unreachable");
    }

    @Override
    protected boolean hasClosedForm() {
        return false;
    }

    /** Returns the number of steps of the cycle. */
    public int totalSteps() {
        return totalSteps;
    }

    /** A builder of a {@link OneCycleLR}, starting from PyTorch's defaults. */
    public static final class Builder {
        private final Optimizer optimizer;
        private double[] maxLrs;
        private int totalSteps = -1;
        private int epochs = -1;
        private int stepsPerEpoch = -1;
        private double pctStart = 0.3;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true;
        private double[] baseMomentums;
        private double[] maxMomentums;
        private double divFactor = 25.;
        private double finalDivFactor = 1e4;
        private boolean threePhase;
        private int lastEpoch = -1;
        private String momentumKey;

        private Builder(Optimizer optimizer) {
            this.optimizer = optimizer;
            int n = optimizer.paramGroups().size();
            baseMomentums = new double[n];
            maxMomentums = new double[n];
            Arrays.fill(baseMomentums, 0.85);
            Arrays.fill(maxMomentums, 0.95);
        }

        private double[] perGroup(String name, double[] values) {
            Checks.notNull(values, "OneCycleLR.Builder", name);
            if (values.length != optimizer.paramGroups().size()) {
                throw new IllegalArgumentException("expected " + optimizer.paramGroups().size() + " values for "
                        + name + ", got " + values.length);
            }
            return values.clone();
        }

        /** Returns this builder with one peak rate per group (PyTorch's {@code max_lr} list). */
        public Builder maxLrs(double... maxLrs) {
            this.maxLrs = perGroup("max_lr", maxLrs);
            return this;
        }

        /** Returns this builder with {@code totalSteps} steps in the cycle (takes precedence over epochs). */
        public Builder totalSteps(int totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /** Returns this builder with {@code epochs} epochs (with {@link #stepsPerEpoch}: total = their product). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Returns this builder with {@code stepsPerEpoch} steps per epoch. */
        public Builder stepsPerEpoch(int stepsPerEpoch) {
            this.stepsPerEpoch = stepsPerEpoch;
            return this;
        }

        /** Returns this builder rising over fraction {@code pctStart} of the cycle (default 0.3). */
        public Builder pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /** Returns this builder with annealing {@code anneal} (default cosine). */
        public Builder anneal(Anneal anneal) {
            this.anneal = Checks.notNull(anneal, "OneCycleLR.Builder.anneal", "anneal");
            return this;
        }

        /** Returns this builder cycling the momentum (or beta1) inversely to the rate, or not (default on). */
        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** Returns this builder with every group's momentum bounds (default 0.85 and 0.95). */
        public Builder momentum(double baseMomentum, double maxMomentum) {
            Arrays.fill(baseMomentums, baseMomentum);
            Arrays.fill(maxMomentums, maxMomentum);
            return this;
        }

        /** Returns this builder with per-group momentum bounds. */
        public Builder momentums(double[] baseMomentums, double[] maxMomentums) {
            this.baseMomentums = perGroup("base_momentum", baseMomentums);
            this.maxMomentums = perGroup("max_momentum", maxMomentums);
            return this;
        }

        /** Returns this builder starting at {@code maxLr/divFactor} (default 25). */
        public Builder divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** Returns this builder ending at {@code initial/finalDivFactor} (default 1e4). */
        public Builder finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Returns this builder with the three-phase schedule of the paper, or fastai's two (default). */
        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        /** Returns this builder resuming after step {@code lastEpoch} (PyTorch's {@code last_epoch}, default -1). */
        public Builder lastEpoch(int lastEpoch) {
            this.lastEpoch = lastEpoch;
            return this;
        }

        /**
         * Creates the schedule: from the start it writes {@code initialLr}, {@code maxLr}, {@code minLr} (and the
         * momentum bounds) into every group, as PyTorch does, then makes the first step.
         *
         * @throws IllegalArgumentException if neither total steps nor epochs and steps per epoch are positive,
         *     {@code pctStart} is outside [0, 1], or {@code cycleMomentum} is on for an optimizer with neither
         *     momentum nor betas
         */
        public OneCycleLR build() {
            int total;
            if (totalSteps == -1 && epochs == -1 && stepsPerEpoch == -1) {
                throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
            } else if (totalSteps != -1) {
                if (totalSteps <= 0) {
                    throw new IllegalArgumentException("Expected positive integer total_steps, but got " + totalSteps);
                }
                total = totalSteps;
            } else {
                if (epochs <= 0) {
                    throw new IllegalArgumentException("Expected positive integer epochs, but got " + epochs);
                }
                if (stepsPerEpoch <= 0) {
                    throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got "
                            + stepsPerEpoch);
                }
                total = Math.multiplyExact(epochs, stepsPerEpoch);
            }
            if (!(pctStart >= 0 && pctStart <= 1)) {
                throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + pctStart);
            }
            if (cycleMomentum) {
                boolean momentum = optimizer.defaults().containsKey("momentum");
                boolean betas = optimizer.defaults().containsKey("beta1");
                if (!momentum && !betas) {
                    throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option "
                            + "enabled (" + optimizer.name() + " has neither momentum nor betas)");
                }
                momentumKey = betas ? "beta1" : "momentum";
            }
            if (lastEpoch == -1) {
                for (int i = 0; i < maxLrs.length; i++) {
                    ParamGroup g = optimizer.paramGroups().get(i);
                    double initial = maxLrs[i] / divFactor;
                    g.set("initialLr", initial);
                    g.set("maxLr", maxLrs[i]);
                    g.set("minLr", initial / finalDivFactor);
                    if (cycleMomentum) {
                        g.set(momentumKey, maxMomentums[i]);
                        g.set("maxMomentum", maxMomentums[i]);
                        g.set("baseMomentum", baseMomentums[i]);
                    }
                }
            }
            return new OneCycleLR(this, total);
        }
    }
}
