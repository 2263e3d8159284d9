package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/** The activation {@code tanh(x)}, PyTorch's {@code nn.Tanh}. */
public final class Tanh extends Module {

    /** Creates the activation. */
    public Tanh() {
    }

    /** Returns {@code tanh(input)} elementwise. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Tanh.forward", "input");
        return input.tanh();
    }
}
