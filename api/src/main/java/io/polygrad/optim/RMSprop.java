package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;

/**
 * The RMSprop optimizer, with PyTorch's {@code torch.optim.RMSprop} equations. For each parameter
 * {@code p} with gradient {@code g} (state {@code v}, {@code ḡ} and {@code b} start at 0):
 * <pre>
 * g ← -g                                              (if maximize)
 * g ← g + weight_decay·p                              (if weight_decay ≠ 0)
 * v ← α·v + (1 - α)·g·g
 * if centered:  ḡ ← lerp(ḡ, g, 1 - α);  avg = √(v - ḡ·ḡ) + eps
 * else:         avg = √v + eps
 * if momentum &gt; 0:  b ← momentum·b + g / avg;  p ← p - lr·b
 * else:            p ← p - lr·g / avg
 * </pre>
 *
 * <pre>{@code
 * RMSprop rms = RMSprop.builder(model.parameters()).lr(0.01).alpha(0.99).centered(true).build();
 * }</pre>
 */
public final class RMSprop extends Optimizer {

    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;
    private final boolean maximize;
    private final Tensor[] squareAvg;
    private final Tensor[] gradAvg;
    private final Tensor[] buffers;

    private RMSprop(Builder b) {
        super(b.parameters, b.lr);
        checkNonNegative("epsilon", b.eps);
        checkNonNegative("momentum", b.momentum);
        checkNonNegative("weight_decay", b.weightDecay);
        checkNonNegative("alpha", b.alpha);
        this.alpha = b.alpha;
        this.eps = b.eps;
        this.weightDecay = b.weightDecay;
        this.momentum = b.momentum;
        this.centered = b.centered;
        this.maximize = b.maximize;
        int n = parameters().size();
        this.squareAvg = new Tensor[n];
        this.gradAvg = new Tensor[n];
        this.buffers = new Tensor[n];
    }

    /**
     * Creates a builder with PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay, no
     * momentum, not centered.
     */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "RMSprop.builder", "parameters");
        return new Builder(parameters);
    }

    @Override
    protected void update(int i, Tensor param, Tensor grad) {
        if (squareAvg[i] == null) {
            squareAvg[i] = persistent(param.zerosLike());
            if (momentum > 0) {
                buffers[i] = persistent(param.zerosLike());
            }
            if (centered) {
                gradAvg[i] = persistent(param.zerosLike());
            }
        }
        Tensor g = maximize ? grad.neg() : grad;
        if (weightDecay != 0) {
            g = g.add(param.mul(weightDecay));
        }
        Tensor v = squareAvg[i];
        v.muli(alpha).addi(g.mul(1 - alpha).mul(g));
        Tensor avg;
        if (centered) {
            Tensor ga = gradAvg[i];
            lerpInPlace(ga, g, 1 - alpha);
            avg = v.add(ga.mul(-1.0).mul(ga)).sqrt();
        } else {
            avg = v.sqrt();
        }
        avg = avg.add(eps);
        if (momentum > 0) {
            Tensor buf = buffers[i];
            buf.muli(momentum).addi(g.div(avg));
            param.addi(buf.mul(-lr()));
        } else {
            param.addi(g.mul(-lr()).div(avg));
        }
    }

    /** Returns the smoothing constant of the squared-gradient average. */
    public double alpha() {
        return alpha;
    }

    /** Returns the term added to the denominator. */
    public double eps() {
        return eps;
    }

    /** Returns the L2 penalty added to the gradient. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Returns the momentum factor. */
    public double momentum() {
        return momentum;
    }

    /** Returns whether the gradient is normalised by an estimate of its variance rather than its second moment. */
    public boolean centered() {
        return centered;
    }

    /** Returns whether the objective is maximized (the step follows the gradient instead of its negative). */
    public boolean maximize() {
        return maximize;
    }

    /**
     * A builder that configures an {@link RMSprop} step by step, starting from PyTorch's defaults.
     */
    public static final class Builder {
        private final List<Tensor> parameters;
        private double lr = 1e-2;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;
        private boolean maximize;

        private Builder(List<Tensor> parameters) {
            this.parameters = parameters;
        }

        /** Returns this builder with learning rate {@code lr} (default 1e-2). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Returns this builder with smoothing constant {@code alpha} (default 0.99). */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Returns this builder with {@code eps} added to the denominator (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Returns this builder with L2 penalty {@code weightDecay} (default 0). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Returns this builder with momentum factor {@code momentum} (default 0). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Returns this builder with centering on or off (default off). */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public Builder maximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        /** Creates the optimizer, validating every setting as PyTorch does. */
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
