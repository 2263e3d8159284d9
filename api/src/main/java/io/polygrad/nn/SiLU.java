package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/** The activation {@code x · sigmoid(x)} (swish), PyTorch's {@code nn.SiLU}. */
public final class SiLU extends Module {

    /** Creates the activation. */
    public SiLU() {
    }

    /** Returns {@code input.silu()}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "SiLU.forward", "input");
        return input.silu();
    }
}
