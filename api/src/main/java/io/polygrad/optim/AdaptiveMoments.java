package io.polygrad.optim;

import io.polygrad.Tensor;
import java.util.List;

/**
 * The update shared by {@link Adam} and {@link AdamW}; they differ only in how weight decay
 * enters. Not meant to be extended outside this package.
 */
public abstract class AdaptiveMoments extends Optimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;
    private final boolean maximize;
    private final boolean decoupled;
    private final Tensor[] expAvg;
    private final Tensor[] expAvgSq;
    private final Tensor[] maxExpAvgSq;
    private final long[] steps;

    AdaptiveMoments(Settings<?> s, boolean decoupled) {
        this(s.parameters, s.lr, s.beta1, s.beta2, s.eps, s.weightDecay, s.amsgrad, s.maximize, decoupled);
    }

    private AdaptiveMoments(List<Tensor> parameters, double lr, double beta1, double beta2, double eps,
            double weightDecay, boolean amsgrad, boolean maximize, boolean decoupled) {
        super(parameters, lr);
        checkNonNegative("epsilon", eps);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
        }
        checkNonNegative("weight_decay", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.maximize = maximize;
        this.decoupled = decoupled;
        int n = parameters().size();
        this.expAvg = new Tensor[n];
        this.expAvgSq = new Tensor[n];
        this.maxExpAvgSq = new Tensor[n];
        this.steps = new long[n];
    }

    @Override
    protected final void update(int i, Tensor param, Tensor grad) {
        double lr = lr();
        if (expAvg[i] == null) {
            expAvg[i] = persistent(param.zerosLike());
            expAvgSq[i] = persistent(param.zerosLike());
            if (amsgrad) {
                maxExpAvgSq[i] = persistent(param.zerosLike());
            }
        }
        long step = ++steps[i];
        Tensor g = maximize ? grad.neg() : grad;
        if (weightDecay != 0) {
            if (decoupled) {
                param.muli(1 - lr * weightDecay);
            } else {
                g = g.add(param.mul(weightDecay));
            }
        }
        Tensor m = expAvg[i];
        Tensor v = expAvgSq[i];
        lerpInPlace(m, g, 1 - beta1);
        v.muli(beta2).addi(g.mul(1 - beta2).mul(g));

        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        Tensor second = v;
        if (amsgrad) {
            Tensor vMax = maxExpAvgSq[i];
            vMax.assign(vMax.maximum(v));
            second = vMax;
        }
        Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add(eps);
        param.addi(m.mul(-stepSize).div(denom));
    }

    /** Returns the decay rate of the first moment. */
    public final double beta1() {
        return beta1;
    }

    /** Returns the decay rate of the second moment. */
    public final double beta2() {
        return beta2;
    }

    /** Returns the term added to the denominator. */
    public final double eps() {
        return eps;
    }

    /** Returns the weight decay. */
    public final double weightDecay() {
        return weightDecay;
    }

    /** Returns whether the AMSGrad variant (maximum of past second moments) is used. */
    public final boolean amsgrad() {
        return amsgrad;
    }

    /** Returns whether the objective is maximized (the step follows the gradient instead of its negative). */
    public final boolean maximize() {
        return maximize;
    }

    /** Returns how many updates parameter {@code index} has received (PyTorch's {@code state['step']}). */
    public final long stepCount(int index) {
        return steps[index];
    }

    /**
     * Returns the settings shared by {@link Adam.Builder} and {@link AdamW.Builder}, with PyTorch's
     * defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no AMSGrad.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Settings<B extends Settings<B>> {
        final List<Tensor> parameters;
        double lr = 1e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        double weightDecay;
        boolean amsgrad;
        boolean maximize;

        Settings(List<Tensor> parameters, double defaultWeightDecay) {
            this.parameters = parameters;
            this.weightDecay = defaultWeightDecay;
        }

        abstract B self();

        /** Returns this builder with learning rate {@code lr} (default 1e-3). */
        public B lr(double lr) {
            this.lr = lr;
            return self();
        }

        /** Returns this builder with the moments' decay rates (default 0.9 and 0.999). */
        public B betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return self();
        }

        /** Returns this builder with {@code eps} added to the denominator (default 1e-8). */
        public B eps(double eps) {
            this.eps = eps;
            return self();
        }

        /**
         * Returns this builder with weight decay {@code weightDecay} (Adam: an L2 penalty added to the
         * gradient, default 0; AdamW: decoupled, {@code p·(1 - lr·weight_decay)}, default 1e-2).
         */
        public B weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /** Returns this builder with the AMSGrad variant on or off (default off). */
        public B amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return self();
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public B maximize(boolean maximize) {
            this.maximize = maximize;
            return self();
        }
    }
}
