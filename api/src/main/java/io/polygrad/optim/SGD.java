package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;
import java.util.Map;

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
 * State: {@code momentum_buffer} (with momentum). Options: {@code lr} (required, as in PyTorch),
 * {@code momentum}, {@code dampening}, {@code weightDecay}, {@code nesterov}, {@code maximize}.
 *
 * <pre>{@code
 * jshell> SGD sgd = SGD.builder(model.parameters()).lr(0.01).momentum(0.9).nesterov(true).build();
 * jshell> SGD two = SGD.builder().lr(0.1).momentum(0.9)
 *    ...>     .group(List.of(w)).group(List.of(b), g -> g.lr(0.01).momentum(0)).build();
 * }</pre>
 */
public final class SGD extends Optimizer {

    /** PyTorch's defaults, in its order ({@code lr} has none: NaN). */
    static final Map<String, Double> DEFAULTS = OptimizerBuilder.defaults("lr", Double.NaN, "momentum", 0,
            "dampening", 0, "weightDecay", 0, "nesterov", 0, "maximize", 0);

    private SGD(Builder b) {
        super(b);
    }

    /**
     * Creates a builder of one group of {@code parameters} with PyTorch's defaults: no momentum, dampening,
     * weight decay or Nesterov. As in PyTorch, there is no default learning rate: set one with
     * {@link Builder#lr(double)}.
     */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "SGD.builder", "parameters");
        return new Builder(false).group(parameters);
    }

    /** Creates a builder without groups: add them with {@link Builder#group}. */
    public static Builder builder() {
        return new Builder(false);
    }

    @Override
    protected void validate(ParamGroup g) {
        checkNonNegative("momentum", g.get("momentum"));
        checkNonNegative("weight_decay", g.get("weightDecay"));
        if (Double.isNaN(g.get("dampening"))) {
            throw new IllegalArgumentException("Invalid dampening value: NaN");
        }
        if (g.flag("nesterov") && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        if (Double.isNaN(g.get("lr"))) {
            throw new IllegalArgumentException("SGD requires a learning rate: call lr(...) on the builder "
                    + "(or set 'lr' in an OptimizerSpec); like torch.optim.SGD, it has no default lr");
        }
        checkLr(g);
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        Tensor g = withWeightDecay(group, signed(group, grad), param);
        double momentum = group.get("momentum");
        if (momentum != 0) {
            Tensor buf = state.tensor("momentum_buffer");
            if (buf == null) {
                buf = state.put("momentum_buffer", g.detach().mul(1.0));
            } else {
                buf.muli(momentum).addi(g, 1 - group.get("dampening"));
            }
            g = group.flag("nesterov") ? g.add(buf.mul(momentum)) : buf;
        }
        param.addi(g, -group.lr());
    }

    /** Returns the first group's momentum factor. */
    public double momentum() {
        return paramGroups().get(0).get("momentum");
    }

    /** Returns the first group's dampening of the momentum buffer's update. */
    public double dampening() {
        return paramGroups().get(0).get("dampening");
    }

    /** Returns the first group's L2 penalty added to the gradient. */
    public double weightDecay() {
        return paramGroups().get(0).get("weightDecay");
    }

    /** Returns whether the first group uses Nesterov momentum. */
    public boolean nesterov() {
        return paramGroups().get(0).flag("nesterov");
    }

    /** Returns whether the first group maximizes the objective (the step follows the gradient). */
    public boolean maximize() {
        return paramGroups().get(0).flag("maximize");
    }

    /** A builder that configures an {@link SGD} step by step, starting from PyTorch's defaults. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private Builder(boolean forGroup) {
            super("SGD", DEFAULTS, forGroup);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        Builder groupBuilder() {
            return new Builder(true);
        }

        /** Returns this builder with momentum factor {@code momentum} (default 0). */
        public Builder momentum(double momentum) {
            return option("momentum", momentum);
        }

        /** Returns this builder with momentum dampening {@code dampening} (default 0). */
        public Builder dampening(double dampening) {
            return option("dampening", dampening);
        }

        /** Returns this builder with Nesterov momentum on or off (default off). */
        public Builder nesterov(boolean nesterov) {
            return flag("nesterov", nesterov);
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public Builder maximize(boolean maximize) {
            return flag("maximize", maximize);
        }

        /**
         * Creates the optimizer, validating every group's settings as PyTorch does.
         *
         * @throws IllegalArgumentException if no learning rate was set (PyTorch's {@code torch.optim.SGD}
         *     requires {@code lr}), a setting is out of range, or there are no parameters
         */
        public SGD build() {
            return new SGD(this);
        }
    }
}
