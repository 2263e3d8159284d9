package io.polygrad.optim;

import io.polygrad.Tensor;
import java.util.List;

/**
 * Creates AdamW with PyTorch's {@code torch.optim.AdamW} equations: {@link Adam} with decoupled weight
 * decay (Loshchilov and Hutter 2019). Before the moment updates each parameter is shrunk,
 * {@code p ← p·(1 - lr·weight_decay)}, and the gradient itself is left unpenalised; the rest is
 * Adam's update, bias corrections included.
 *
 * <pre>{@code
 * AdamW adamw = AdamW.builder(model.parameters()).lr(1e-3).weightDecay(0.01).build();
 * }</pre>
 */
public final class AdamW extends AdaptiveMoments {

    private AdamW(Builder b) {
        super(b.parameters, b.lr, b.beta1, b.beta2, b.eps, b.weightDecay, b.amsgrad, true);
    }

    /**
     * Creates a builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay
     * 1e-2, no AMSGrad.
     */
    public static Builder builder(List<Tensor> parameters) {
        return new Builder(parameters);
    }

    /** Returns an {@link AdamW} configured step by step, starting from PyTorch's defaults. */
    public static final class Builder {
        private final List<Tensor> parameters;
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 1e-2;
        private boolean amsgrad;

        private Builder(List<Tensor> parameters) {
            this.parameters = parameters;
        }

        /** Returns this builder with learning rate {@code lr} (default 1e-3). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Returns this builder with the moments' decay rates (default 0.9 and 0.999). */
        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** Returns this builder with {@code eps} added to the denominator (default 1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Returns this builder with weight decay {@code weightDecay} (default 1e-2, applied as p·(1 - lr·weight_decay)). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Returns this builder with the AMSGrad variant on or off (default off). */
        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        /** Creates the optimizer, validating every setting as PyTorch does. */
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
