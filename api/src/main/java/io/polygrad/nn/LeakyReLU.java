package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/**
 * The activation {@code x > 0 ? x : negativeSlope · x}, PyTorch's {@code nn.LeakyReLU} (default slope
 * 0.01).
 *
 * <pre>{@code
 * jshell> new LeakyReLU()
 * $1 ==> LeakyReLU(negative_slope=0.01)
 * }</pre>
 */
public final class LeakyReLU extends Module {

    private final double negativeSlope;

    /** Creates the activation with PyTorch's default slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /**
     * Creates the activation with {@code negativeSlope}.
     *
     * @throws IllegalArgumentException if {@code negativeSlope} is not finite
     */
    public LeakyReLU(double negativeSlope) {
        if (!Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negativeSlope must be finite, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    /** Returns the slope for negative inputs. */
    public double negativeSlope() {
        return negativeSlope;
    }

    /** Returns {@code input.leakyRelu(negativeSlope)}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "LeakyReLU.forward", "input");
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
