package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/**
 * The Gaussian error linear unit {@code x · Φ(x)}, PyTorch's {@code nn.GELU}: exact (with erf) by
 * default, or PyTorch's tanh approximation with {@code new GELU("tanh")}.
 *
 * <pre>{@code
 * jshell> new GELU("tanh")
 * $1 ==> GELU(approximate='tanh')
 * }</pre>
 */
public final class GELU extends Module {

    private final String approximate;

    /** Creates the exact GELU ({@code approximate = "none"}). */
    public GELU() {
        this("none");
    }

    /**
     * Creates the GELU with PyTorch's {@code approximate}: {@code "none"} or {@code "tanh"}.
     *
     * @throws IllegalArgumentException for any other value
     */
    public GELU(String approximate) {
        notNull(approximate, "GELU", "approximate");
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate
                    + "\"");
        }
        this.approximate = approximate;
    }

    /** Returns {@code "none"} or {@code "tanh"}. */
    public String approximate() {
        return approximate;
    }

    /** Returns {@code input.gelu(approximate)}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "GELU.forward", "input");
        return input.gelu(approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
