package io.polygrad.spark;

import io.polygrad.loss.Loss;
import java.io.Serializable;

/**
 * A {@link Loss} that Spark can ship to its tasks: a method reference or lambda assigned to this type
 * is serializable, e.g. {@code SerializableLoss loss = Losses::crossEntropy;}.
 *
 * <p>The loss must be mean-reduced over the samples of the batch it is given (as polygrad's losses
 * are by default): each task scales its shard's loss by the shard's share of the global batch, so the
 * sum of the shards' gradients is the gradient of the mean over the whole batch.
 */
@FunctionalInterface
public interface SerializableLoss extends Loss, Serializable {
}
