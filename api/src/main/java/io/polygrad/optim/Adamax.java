package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The Adamax optimizer (Adam with the infinity norm), with PyTorch 1.13's {@code torch.optim.Adamax}
 * equations. For each parameter {@code p} with gradient {@code g}, at its step {@code t} ({@code m} and
 * {@code u} start at 0):
 * <pre>
 * g ← -g                                              (if maximize)
 * g ← g + weight_decay·p                              (if weight_decay ≠ 0)
 * m ← β₁·m + (1 - β₁)·g
 * u ← max(β₂·u, |g| + eps)
 * p ← p - (lr / (1 - β₁ᵗ))·m / u
 * </pre>
 * State: {@code step}, {@code exp_avg}, {@code exp_inf}. Options: {@code lr} 2e-3, {@code beta1} 0.9,
 * {@code beta2} 0.999 (PyTorch's {@code betas}), {@code eps} 1e-8, {@code weightDecay} 0, {@code maximize} off.
 *
 * <pre>{@code
 * jshell> Adamax opt = Adamax.builder(model.parameters()).lr(2e-3).betas(0.9, 0.999).build();
 * }</pre>
 */
public final class Adamax extends Optimizer {

    /** PyTorch's defaults, in its order. */
    static final Map<String, Double> DEFAULTS = OptimizerBuilder.defaults("lr", 2e-3, "beta1", 0.9, "beta2", 0.999,
            "eps", 1e-8, "weightDecay", 0, "maximize", 0);

    private Adamax(Builder b) {
        super(b);
    }

    /** Creates a builder of one group of {@code parameters} with PyTorch's defaults. */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "Adamax.builder", "parameters");
        return new Builder(false).group(parameters);
    }

    /** Creates a builder without groups (add them with {@link Builder#group}), with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder(false);
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAdamLike(g);
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double beta1 = group.get("beta1");
        Tensor m = state.tensor("exp_avg");
        if (m == null) {
            m = state.put("exp_avg", param.zerosLike());
            state.put("exp_inf", param.zerosLike());
        }
        Tensor u = state.tensor("exp_inf");
        long step = state.step() + 1;
        state.setStep(step);
        Tensor g = withWeightDecay(group, signed(group, grad), param);
        m.muli(beta1).addi(g, 1 - beta1);
        u.assign(u.mul(group.get("beta2")).maximum(g.abs().add(group.get("eps"))));
        double clr = group.lr() / (1 - Math.pow(beta1, step));
        param.addi(m.mul(-clr).div(u));
    }

    /** A builder that configures an {@link Adamax} step by step, starting from PyTorch's defaults. */
    public static final class Builder extends BetasBuilder<Builder> {

        private Builder(boolean forGroup) {
            super("Adamax", DEFAULTS, forGroup);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        Builder groupBuilder() {
            return new Builder(true);
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public Builder maximize(boolean maximize) {
            return flag("maximize", maximize);
        }

        /** Creates the optimizer, validating every group's settings as PyTorch does. */
        public Adamax build() {
            return new Adamax(this);
        }
    }
}
