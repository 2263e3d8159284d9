package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The RAdam optimizer (rectified Adam), with PyTorch 1.13's {@code torch.optim.RAdam} equations. For each
 * parameter {@code p} with gradient {@code g}, at its step {@code t} ({@code m}, {@code v} start at 0):
 * <pre>
 * g ← g + weight_decay·p                              (if weight_decay ≠ 0)
 * m ← β₁·m + (1 - β₁)·g;   v ← β₂·v + (1 - β₂)·g·g
 * m̂ = m / (1 - β₁ᵗ)
 * ρ∞ = 2/(1 - β₂) - 1;   ρₜ = ρ∞ - 2t·β₂ᵗ/(1 - β₂ᵗ)
 * if ρₜ &gt; 5:  r = √((ρₜ-4)(ρₜ-2)ρ∞ / ((ρ∞-4)(ρ∞-2)ρₜ));  p ← p - m̂·lr·(√(1 - β₂ᵗ)/(√v + eps))·r
 * else:       p ← p - m̂·lr
 * </pre>
 * State: {@code step}, {@code exp_avg}, {@code exp_avg_sq}. Options: {@code lr} 1e-3, {@code beta1} 0.9,
 * {@code beta2} 0.999, {@code eps} 1e-8, {@code weightDecay} 0. PyTorch 1.13's RAdam has no
 * {@code maximize} (2.x adds it, and {@code decoupled_weight_decay}), so neither has this one.
 *
 * <pre>{@code
 * jshell> RAdam opt = RAdam.builder(model.parameters()).lr(1e-3).build();
 * }</pre>
 */
public final class RAdam extends Optimizer {

    /** PyTorch's defaults, in its order. */
    static final Map<String, Double> DEFAULTS = OptimizerBuilder.defaults("lr", 1e-3, "beta1", 0.9, "beta2", 0.999,
            "eps", 1e-8, "weightDecay", 0);

    private RAdam(Builder b) {
        super(b);
    }

    /** Creates a builder of one group of {@code parameters} with PyTorch's defaults. */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "RAdam.builder", "parameters");
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
        double lr = group.lr();
        double beta1 = group.get("beta1");
        double beta2 = group.get("beta2");
        Tensor m = state.tensor("exp_avg");
        if (m == null) {
            m = state.put("exp_avg", param.zerosLike());
            state.put("exp_avg_sq", param.zerosLike());
        }
        Tensor v = state.tensor("exp_avg_sq");
        long step = state.step() + 1;
        state.setStep(step);
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        Tensor g = withWeightDecay(group, grad, param);
        m.muli(beta1).addi(g, 1 - beta1);
        v.muli(beta2).addi(g.mul(1 - beta2).mul(g));
        Tensor corrected = m.div(biasCorrection1);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / biasCorrection2;
        if (rhoT > 5.) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            // PyTorch: math.sqrt(bc2) / tensor is tensor.reciprocal() * math.sqrt(bc2)
            Tensor adaptive = v.sqrt().add(group.get("eps")).rdiv(1.0).mul(Math.sqrt(biasCorrection2));
            param.subi(corrected.mul(lr).mul(adaptive).mul(rect));
        } else {
            param.subi(corrected.mul(lr));
        }
    }

    /** A builder that configures an {@link RAdam} step by step, starting from PyTorch's defaults. */
    public static final class Builder extends BetasBuilder<Builder> {

        private Builder(boolean forGroup) {
            super("RAdam", DEFAULTS, forGroup);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        Builder groupBuilder() {
            return new Builder(true);
        }

        /** Creates the optimizer, validating every group's settings as PyTorch does. */
        public RAdam build() {
            return new RAdam(this);
        }
    }
}
