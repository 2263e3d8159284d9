package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The NAdam optimizer (Adam with Nesterov momentum), with PyTorch 1.13's {@code torch.optim.NAdam}
 * equations. For each parameter {@code p} with gradient {@code g}, at its step {@code t} ({@code m},
 * {@code v} start at 0, {@code Π} at 1):
 * <pre>
 * g ← g + weight_decay·p                              (if weight_decay ≠ 0)
 * μₜ = β₁·(1 - ½·0.96^(t·ψ)),  μₜ₊₁ = β₁·(1 - ½·0.96^((t+1)·ψ))      (ψ = momentum_decay)
 * Π ← Π·μₜ                                            (mu_product)
 * m ← β₁·m + (1 - β₁)·g;   v ← β₂·v + (1 - β₂)·g·g
 * denom = √(v / (1 - β₂ᵗ)) + eps
 * p ← p - lr·(1 - μₜ)/(1 - Π)·g / denom - lr·μₜ₊₁/(1 - Π·μₜ·μₜ₊₁)·m / denom
 * </pre>
 * As in PyTorch 1.13, {@code Π} is a float32 number whatever the parameters' dtype (PyTorch keeps it in a
 * float32 tensor), and its products are rounded to float32, so float64 runs match PyTorch's too.
 * State: {@code step}, {@code mu_product}, {@code exp_avg}, {@code exp_avg_sq}. Options: {@code lr} 2e-3,
 * {@code beta1} 0.9, {@code beta2} 0.999, {@code eps} 1e-8, {@code weightDecay} 0, {@code momentumDecay}
 * ({@code momentum_decay}) 4e-3. PyTorch 1.13's NAdam has no {@code maximize} (2.x adds it, and
 * {@code decoupled_weight_decay}), so neither has this one.
 *
 * <pre>{@code
 * jshell> NAdam opt = NAdam.builder(model.parameters()).lr(2e-3).momentumDecay(4e-3).build();
 * }</pre>
 */
public final class NAdam extends Optimizer {

    /** PyTorch's defaults, in its order. */
    static final Map<String, Double> DEFAULTS = OptimizerBuilder.defaults("lr", 2e-3, "beta1", 0.9, "beta2", 0.999,
            "eps", 1e-8, "weightDecay", 0, "momentumDecay", 4e-3);

    private NAdam(Builder b) {
        super(b);
    }

    /** Creates a builder of one group of {@code parameters} with PyTorch's defaults. */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "NAdam.builder", "parameters");
        return new Builder(false).group(parameters);
    }

    /** Creates a builder without groups (add them with {@link Builder#group}), with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder(false);
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAdamLike(g);
        checkNonNegative("momentum_decay", g.get("momentumDecay"));
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double lr = group.lr();
        double beta1 = group.get("beta1");
        double beta2 = group.get("beta2");
        double psi = group.get("momentumDecay");
        Tensor m = state.tensor("exp_avg");
        if (m == null) {
            m = state.put("exp_avg", param.zerosLike());
            state.put("exp_avg_sq", param.zerosLike());
        }
        Tensor v = state.tensor("exp_avg_sq");
        long step = state.step() + 1;
        state.setStep(step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        Tensor g = withWeightDecay(group, grad, param);
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, step * psi));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (step + 1) * psi));
        float muProduct = (float) state.scalar("mu_product", 1.0) * (float) mu;
        float muProductNext = muProduct * (float) mu * (float) muNext;
        state.putScalar("mu_product", muProduct);
        m.muli(beta1).addi(g, 1 - beta1);
        v.muli(beta2).addi(g.mul(1 - beta2).mul(g));
        Tensor denom = v.div(biasCorrection2).sqrt().add(group.get("eps"));
        param.addi(g.mul(-lr * (1. - mu) / (1. - muProduct)).div(denom));
        param.addi(m.mul(-lr * muNext / (1. - muProductNext)).div(denom));
    }

    /** A builder that configures an {@link NAdam} step by step, starting from PyTorch's defaults. */
    public static final class Builder extends BetasBuilder<Builder> {

        private Builder(boolean forGroup) {
            super("NAdam", DEFAULTS, forGroup);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        Builder groupBuilder() {
            return new Builder(true);
        }

        /** Returns this builder with momentum decay {@code ψ} (PyTorch's {@code momentum_decay}, default 4e-3). */
        public Builder momentumDecay(double momentumDecay) {
            return option("momentumDecay", momentumDecay);
        }

        /** Creates the optimizer, validating every group's settings as PyTorch does. */
        public NAdam build() {
            return new NAdam(this);
        }
    }
}
