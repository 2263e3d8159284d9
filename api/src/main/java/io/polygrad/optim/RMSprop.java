package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;
import java.util.Map;

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
 * State: {@code step}, {@code square_avg}, {@code momentum_buffer} (with momentum), {@code grad_avg} (centered).
 *
 * <pre>{@code
 * jshell> RMSprop rms = RMSprop.builder(model.parameters()).lr(0.01).alpha(0.99).centered(true).build();
 * }</pre>
 */
public final class RMSprop extends Optimizer {

    /** PyTorch's defaults, in its order. */
    static final Map<String, Double> DEFAULTS = OptimizerBuilder.defaults("lr", 1e-2, "alpha", 0.99, "eps", 1e-8,
            "weightDecay", 0, "momentum", 0, "centered", 0, "maximize", 0);

    private RMSprop(Builder b) {
        super(b);
    }

    /**
     * Creates a builder of one group of {@code parameters} with PyTorch's defaults: lr 1e-2, alpha 0.99,
     * eps 1e-8, no weight decay, no momentum, not centered.
     */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "RMSprop.builder", "parameters");
        return new Builder(false).group(parameters);
    }

    /** Creates a builder without groups (add them with {@link Builder#group}), with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder(false);
    }

    @Override
    protected void validate(ParamGroup g) {
        checkLr(g);
        checkNonNegative("epsilon", g.get("eps"));
        checkNonNegative("momentum", g.get("momentum"));
        checkNonNegative("weight_decay", g.get("weightDecay"));
        checkNonNegative("alpha", g.get("alpha"));
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double alpha = group.get("alpha");
        double momentum = group.get("momentum");
        boolean centered = group.flag("centered");
        Tensor v = state.tensor("square_avg");
        if (v == null) {
            v = state.put("square_avg", param.zerosLike());
        }
        state.setStep(state.step() + 1);
        Tensor g = withWeightDecay(group, signed(group, grad), param);
        v.muli(alpha).addi(g.mul(1 - alpha).mul(g));
        Tensor avg;
        if (centered) {
            Tensor ga = state.tensor("grad_avg");
            if (ga == null) {
                ga = state.put("grad_avg", param.zerosLike());
            }
            lerpInPlace(ga, g, 1 - alpha);
            avg = v.add(ga.mul(-1.0).mul(ga)).sqrt();
        } else {
            avg = v.sqrt();
        }
        avg = avg.add(group.get("eps"));
        if (momentum > 0) {
            Tensor buf = state.tensor("momentum_buffer");
            if (buf == null) {
                buf = state.put("momentum_buffer", param.zerosLike());
            }
            buf.muli(momentum).addi(g.div(avg));
            param.addi(buf, -group.lr());
        } else {
            param.addi(g.mul(-group.lr()).div(avg));
        }
    }

    /** Returns the first group's smoothing constant of the squared-gradient average. */
    public double alpha() {
        return paramGroups().get(0).get("alpha");
    }

    /** Returns the first group's term added to the denominator. */
    public double eps() {
        return paramGroups().get(0).get("eps");
    }

    /** Returns the first group's L2 penalty added to the gradient. */
    public double weightDecay() {
        return paramGroups().get(0).get("weightDecay");
    }

    /** Returns the first group's momentum factor. */
    public double momentum() {
        return paramGroups().get(0).get("momentum");
    }

    /** Returns whether the first group normalises the gradient by an estimate of its variance. */
    public boolean centered() {
        return paramGroups().get(0).flag("centered");
    }

    /** Returns whether the first group maximizes the objective (the step follows the gradient). */
    public boolean maximize() {
        return paramGroups().get(0).flag("maximize");
    }

    /**
     * A builder that configures an {@link RMSprop} step by step, starting from PyTorch's defaults.
     */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private Builder(boolean forGroup) {
            super("RMSprop", DEFAULTS, forGroup);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        Builder groupBuilder() {
            return new Builder(true);
        }

        /** Returns this builder with smoothing constant {@code alpha} (default 0.99). */
        public Builder alpha(double alpha) {
            return option("alpha", alpha);
        }

        /** Returns this builder with {@code eps} added to the denominator (default 1e-8). */
        public Builder eps(double eps) {
            return option("eps", eps);
        }

        /** Returns this builder with momentum factor {@code momentum} (default 0). */
        public Builder momentum(double momentum) {
            return option("momentum", momentum);
        }

        /** Returns this builder with centering on or off (default off). */
        public Builder centered(boolean centered) {
            return flag("centered", centered);
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public Builder maximize(boolean maximize) {
            return flag("maximize", maximize);
        }

        /** Creates the optimizer, validating every group's settings as PyTorch does. */
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
