package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;

/**
 * The AdamW optimizer, with PyTorch's {@code torch.optim.AdamW} equations: {@link Adam} with
 * decoupled weight decay (Loshchilov and Hutter 2019). Before the moment updates each parameter is
 * shrunk, {@code p ← p·(1 - lr·weight_decay)}, and the gradient itself is left unpenalised; the
 * rest is Adam's update, bias corrections included (with {@code maximize}, on the negated gradient).
 *
 * <pre>{@code
 * jshell> AdamW adamw = AdamW.builder(model.parameters()).lr(1e-3).weightDecay(0.01).build();
 * }</pre>
 */
public final class AdamW extends AdaptiveMoments {

    private AdamW(Builder b) {
        super(b, true);
    }

    /**
     * Creates a builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay
     * 1e-2, no AMSGrad.
     */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "AdamW.builder", "parameters");
        return new Builder(false).group(parameters);
    }

    /** Creates a builder without groups (add them with {@link Builder#group}), with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder(false);
    }

    /**
     * A builder that configures an {@link AdamW} step by step, starting from PyTorch's defaults.
     */
    public static final class Builder extends AdaptiveMoments.Settings<Builder> {

        private Builder(boolean forGroup) {
            super("AdamW", 1e-2, forGroup);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        Builder groupBuilder() {
            return new Builder(true);
        }

        /** Creates the optimizer, validating every setting as PyTorch does. */
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
