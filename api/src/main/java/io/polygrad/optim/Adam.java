package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;

/**
 * The Adam optimizer, with PyTorch's {@code torch.optim.Adam} equations. For each parameter
 * {@code p} with gradient {@code g}, at its step {@code t} (moments {@code m}, {@code v} start at
 * 0):
 * <pre>
 * g ← -g                                              (if maximize)
 * g ← g + weight_decay·p                              (L2 penalty in the gradient, if ≠ 0)
 * m ← lerp(m, g, 1 - β₁)                              (= β₁·m + (1 - β₁)·g)
 * v ← β₂·v + (1 - β₂)·g·g
 * v̂ ← max(v̂, v) with amsgrad, else v̂ = v
 * step_size = lr / (1 - β₁ᵗ)
 * denom = √v̂ / √(1 - β₂ᵗ) + eps
 * p ← p - step_size·m / denom
 * </pre>
 * The bias corrections enter exactly as in PyTorch (not as {@code m̂ / (√v̂ + eps)}), so the same
 * weights give the same numbers. State: {@code step}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq}
 * (AMSGrad).
 *
 * <pre>{@code
 * jshell> Adam adam = Adam.builder(model.parameters()).lr(1e-3).betas(0.9, 0.999).build();
 * jshell> Adam two = Adam.builder().group(body.parameters()).group(head.parameters(), g -> g.lr(1e-2)).build();
 * }</pre>
 */
public final class Adam extends AdaptiveMoments {

    private Adam(Builder b) {
        super(b, false);
    }

    /**
     * Creates a builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay
     * 0, no AMSGrad.
     */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "Adam.builder", "parameters");
        return new Builder(false).group(parameters);
    }

    /** Creates a builder without groups (add them with {@link Builder#group}), with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder(false);
    }

    /** A builder that configures an {@link Adam} step by step, starting from PyTorch's defaults. */
    public static final class Builder extends AdaptiveMoments.Settings<Builder> {

        private Builder(boolean forGroup) {
            super("Adam", 0, forGroup);
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
        public Adam build() {
            return new Adam(this);
        }
    }
}
