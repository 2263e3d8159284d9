package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/**
 * The activation {@code x > 0 ? x : alpha · (e^x - 1)}, PyTorch's {@code nn.ELU} (default
 * {@code alpha = 1}).
 *
 * <pre>{@code
 * jshell> new ELU(0.5)
 * $1 ==> ELU(alpha=0.5)
 * }</pre>
 */
public final class ELU extends Module {

    private final double alpha;

    /** Creates the activation with PyTorch's default {@code alpha = 1}. */
    public ELU() {
        this(1.0);
    }

    /**
     * Creates the activation with {@code alpha}.
     *
     * @throws IllegalArgumentException if {@code alpha} is not finite
     */
    public ELU(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("ELU: alpha must be finite, got " + alpha);
        }
        this.alpha = alpha;
    }

    /** Returns {@code alpha}. */
    public double alpha() {
        return alpha;
    }

    /** Returns {@code input.elu(alpha)}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "ELU.forward", "input");
        return input.elu(alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
