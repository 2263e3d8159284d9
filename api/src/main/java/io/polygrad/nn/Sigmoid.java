package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/** The activation {@code 1 / (1 + e^-x)}, PyTorch's {@code nn.Sigmoid}. */
public final class Sigmoid extends Module {

    /** Creates the activation. */
    public Sigmoid() {
    }

    /** Returns {@code 1 / (1 + e^-input)} elementwise. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Sigmoid.forward", "input");
        return input.sigmoid();
    }
}
