package io.polygrad.optim;

import io.polygrad.Tensor;
import java.util.Map;

/**
 * The update shared by {@link Adam} and {@link AdamW}; they differ only in how weight decay
 * enters. Not meant to be extended outside this package. State: {@code exp_avg}, {@code exp_avg_sq} and,
 * with AMSGrad, {@code max_exp_avg_sq}.
 */
public abstract class AdaptiveMoments extends Optimizer {

    private final boolean decoupled;

    AdaptiveMoments(Settings<?> s, boolean decoupled) {
        super(s);
        this.decoupled = decoupled;
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAdamLike(g);
    }

    @Override
    protected final void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        double lr = group.lr();
        double beta1 = group.get("beta1");
        double beta2 = group.get("beta2");
        double weightDecay = group.get("weightDecay");
        boolean amsgrad = group.flag("amsgrad");
        Tensor m = state.tensor("exp_avg");
        if (m == null) {
            m = state.put("exp_avg", param.zerosLike());
            state.put("exp_avg_sq", param.zerosLike());
            if (amsgrad) {
                state.put("max_exp_avg_sq", param.zerosLike());
            }
        }
        long step = state.step() + 1;
        state.setStep(step);
        Tensor g = signed(group, grad);
        if (weightDecay != 0) {
            if (decoupled) {
                param.muli(1 - lr * weightDecay);
            } else {
                g = g.add(param.mul(weightDecay));
            }
        }
        Tensor v = state.tensor("exp_avg_sq");
        lerpInPlace(m, g, 1 - beta1);
        v.muli(beta2).addi(g.mul(1 - beta2).mul(g));

        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        Tensor second = v;
        if (amsgrad) {
            Tensor vMax = state.tensor("max_exp_avg_sq");
            if (vMax == null) {
                vMax = state.put("max_exp_avg_sq", param.zerosLike());
            }
            vMax.assign(vMax.maximum(v));
            second = vMax;
        }
        Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add(eps(group));
        param.addi(m.mul(-stepSize).div(denom));
    }

    private static double eps(ParamGroup g) {
        return g.get("eps");
    }

    /** Returns the first group's decay rate of the first moment. */
    public final double beta1() {
        return paramGroups().get(0).get("beta1");
    }

    /** Returns the first group's decay rate of the second moment. */
    public final double beta2() {
        return paramGroups().get(0).get("beta2");
    }

    /** Returns the first group's term added to the denominator. */
    public final double eps() {
        return paramGroups().get(0).get("eps");
    }

    /** Returns the first group's weight decay. */
    public final double weightDecay() {
        return paramGroups().get(0).get("weightDecay");
    }

    /** Returns whether the first group uses the AMSGrad variant (maximum of past second moments). */
    public final boolean amsgrad() {
        return paramGroups().get(0).flag("amsgrad");
    }

    /** Returns whether the first group maximizes the objective (the step follows the gradient). */
    public final boolean maximize() {
        return paramGroups().get(0).flag("maximize");
    }

    /** Returns how many updates parameter {@code index} (flat) has received (PyTorch's {@code state['step']}). */
    public final long stepCount(int index) {
        return state(parameters().get(index)).step();
    }

    /** PyTorch's defaults of Adam (weight decay 0) or AdamW (1e-2). */
    static Map<String, Double> defaults(double weightDecay) {
        return OptimizerBuilder.defaults("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
                "weightDecay", weightDecay, "amsgrad", 0, "maximize", 0);
    }

    /**
     * Returns the settings shared by {@link Adam.Builder} and {@link AdamW.Builder}, with PyTorch's
     * defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no AMSGrad.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Settings<B extends Settings<B>> extends BetasBuilder<B> {

        Settings(String name, double defaultWeightDecay, boolean forGroup) {
            super(name, AdaptiveMoments.defaults(defaultWeightDecay), forGroup);
        }

        /** Returns this builder with the AMSGrad variant on or off (default off). */
        public B amsgrad(boolean amsgrad) {
            return flag("amsgrad", amsgrad);
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public B maximize(boolean maximize) {
            return flag("maximize", maximize);
        }
    }
}
