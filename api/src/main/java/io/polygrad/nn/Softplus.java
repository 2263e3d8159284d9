package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/**
 * The activation {@code log(1 + e^(beta·x)) / beta}, linear where {@code beta·x > threshold}, PyTorch's
 * {@code nn.Softplus} (defaults {@code beta = 1}, {@code threshold = 20}); see
 * {@link Functional#softplus(Tensor, double, double)}.
 *
 * <pre>{@code
 * jshell> new Softplus(2, 10)
 * $1 ==> Softplus(beta=2, threshold=10)
 * }</pre>
 */
public final class Softplus extends Module {

    private final double beta;
    private final double threshold;

    /** Creates the activation with PyTorch's defaults {@code beta = 1}, {@code threshold = 20}. */
    public Softplus() {
        this(1.0, 20.0);
    }

    /**
     * Creates the activation with {@code beta} and {@code threshold}.
     *
     * @throws IllegalArgumentException if {@code beta} is not positive and finite
     */
    public Softplus(double beta, double threshold) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("Softplus: beta must be positive and finite, got " + beta);
        }
        this.beta = beta;
        this.threshold = threshold;
    }

    /** Returns {@code Functional.softplus(input, beta, threshold)}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Softplus.forward", "input");
        return Functional.softplus(input, beta, threshold);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + number(beta) + ", threshold=" + number(threshold);
    }

    /** Returns {@code v} as PyTorch prints its integer defaults: {@code 1}, not {@code 1.0}. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
