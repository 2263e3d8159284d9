package io.polygrad.loss;

import io.polygrad.Tensor;

/**
 * A scalar training objective computed from a prediction and a target; any method of {@link Losses}
 * with two tensor arguments is one.
 *
 * <pre>{@code
 * Loss mse = Losses::mse;
 * Loss huber = (prediction, target) -> Losses.huber(prediction, target, 0.5, Reduction.MEAN);
 * }</pre>
 */
@FunctionalInterface
public interface Loss {

    /** Returns the loss of {@code prediction} against {@code target}, normally a 0-d tensor. */
    Tensor apply(Tensor prediction, Tensor target);
}
