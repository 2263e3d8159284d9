package io.polygrad.train;

import io.polygrad.Tensor;
import java.util.Objects;

/**
 * One batch of training data: inputs and the targets the model should predict for them.
 *
 * @param x the model's input
 * @param y the targets, shaped like the model's output
 */
public record Batch(Tensor x, Tensor y) {

    /** Creates a batch, rejecting nulls. */
    public Batch {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
    }
}
