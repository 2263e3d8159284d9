package io.polygrad.optim;

import java.util.Map;

/**
 * The builder settings of the optimizers with moment decay rates and an {@code eps} (Adam, AdamW, Adamax,
 * NAdam, RAdam): PyTorch's {@code betas} and {@code eps}.
 *
 * <pre>{@code
 * jshell> RAdam opt = RAdam.builder(params).betas(0.9, 0.99).eps(1e-6).build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class BetasBuilder<B extends BetasBuilder<B>> extends OptimizerBuilder<B> {

    BetasBuilder(String optimizer, Map<String, Double> defaults, boolean forGroup) {
        super(optimizer, defaults, forGroup);
    }

    /** Returns this builder with the decay rates of the moments (PyTorch's {@code betas}, default 0.9 and 0.999). */
    public B betas(double beta1, double beta2) {
        option("beta1", beta1);
        return option("beta2", beta2);
    }

    /** Returns this builder with {@code eps} added to the denominator (default 1e-8). */
    public B eps(double eps) {
        return option("eps", eps);
    }
}
