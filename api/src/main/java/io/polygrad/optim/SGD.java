package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;

/**
 * The stochastic gradient descent optimizer, with PyTorch's {@code torch.optim.SGD} equations. For
 * each parameter {@code p} with gradient {@code g}, at step {@code t}:
 * <pre>
 * g ← -g                                              (if maximize)
 * g ← g + weight_decay·p                              (if weight_decay ≠ 0)
 * if momentum ≠ 0:
 *     b ← g                                           (t = 1: the buffer starts as the gradient)
 *     b ← momentum·b + (1 - dampening)·g              (t &gt; 1)
 *     g ← g + momentum·b  if nesterov, else  g ← b
 * p ← p - lr·g
 * </pre>
 *
 * <pre>{@code
 * SGD sgd = SGD.builder(model.parameters()).lr(0.01).momentum(0.9).nesterov(true).build();
 * }</pre>
 */
public final class SGD extends Optimizer {

    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private final boolean maximize;
    private final Tensor[] buffers;

    private SGD(Builder b) {
        super(b.parameters, b.lrSet ? b.lr : 0.0);
        checkNonNegative("momentum", b.momentum);
        checkNonNegative("weight_decay", b.weightDecay);
        if (Double.isNaN(b.dampening)) {
            throw new IllegalArgumentException("Invalid dampening value: NaN");
        }
        if (b.nesterov && (b.momentum <= 0 || b.dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        if (!b.lrSet) {
            throw new IllegalArgumentException("SGD requires a learning rate: call lr(...) on the builder "
                    + "(or set 'lr' in an OptimizerSpec); like torch.optim.SGD, it has no default lr");
        }
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.weightDecay = b.weightDecay;
        this.nesterov = b.nesterov;
        this.maximize = b.maximize;
        this.buffers = new Tensor[parameters().size()];
    }

    /**
     * Creates a builder with PyTorch's defaults: no momentum, dampening, weight decay or Nesterov. As in
     * PyTorch, there is no default learning rate: set one with {@link Builder#lr(double)}.
     */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "SGD.builder", "parameters");
        return new Builder(parameters);
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad) {
        Tensor g = maximize ? grad.neg() : grad;
        if (weightDecay != 0) {
            g = g.add(param.mul(weightDecay));
        }
        if (momentum != 0) {
            Tensor buf = buffers[index];
            if (buf == null) {
                buf = persistent(g.detach());
                buffers[index] = buf;
            } else {
                buf.muli(momentum).addi(g.mul(1 - dampening));
            }
            g = nesterov ? g.add(buf.mul(momentum)) : buf;
        }
        param.addi(g.mul(-lr()));
    }

    /** Returns the momentum factor. */
    public double momentum() {
        return momentum;
    }

    /** Returns the dampening of the momentum buffer's update. */
    public double dampening() {
        return dampening;
    }

    /** Returns the L2 penalty added to the gradient. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Returns whether Nesterov momentum is used. */
    public boolean nesterov() {
        return nesterov;
    }

    /** Returns whether the objective is maximized (the step follows the gradient instead of its negative). */
    public boolean maximize() {
        return maximize;
    }

    /** A builder that configures an {@link SGD} step by step, starting from PyTorch's defaults. */
    public static final class Builder {
        private final List<Tensor> parameters;
        private double lr = Double.NaN;
        private boolean lrSet;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;
        private boolean maximize;

        private Builder(List<Tensor> parameters) {
            this.parameters = parameters;
        }

        /** Returns this builder with learning rate {@code lr} (required: SGD has no default, as in PyTorch). */
        public Builder lr(double lr) {
            this.lr = lr;
            this.lrSet = true;
            return this;
        }

        /** Returns this builder with momentum factor {@code momentum} (default 0). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Returns this builder with momentum dampening {@code dampening} (default 0). */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** Returns this builder with L2 penalty {@code weightDecay} (default 0). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Returns this builder with Nesterov momentum on or off (default off). */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public Builder maximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        /**
         * Creates the optimizer, validating every setting as PyTorch does.
         *
         * @throws IllegalArgumentException if no learning rate was set (PyTorch's {@code torch.optim.SGD}
         *     requires {@code lr}), or a setting is out of range
         */
        public SGD build() {
            return new SGD(this);
        }
    }
}
