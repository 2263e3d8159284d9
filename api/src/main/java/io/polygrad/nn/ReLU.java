package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/** The activation {@code max(x, 0)}, PyTorch's {@code nn.ReLU}; its derivative at 0 is 0. */
public final class ReLU extends Module {

    /** Creates the activation. */
    public ReLU() {
    }

    /** Returns {@code max(input, 0)} elementwise. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "ReLU.forward", "input");
        return input.relu();
    }
}
