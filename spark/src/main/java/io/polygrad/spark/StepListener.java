package io.polygrad.spark;

import io.polygrad.train.StepEvent;

/**
 * A callback on the driver that receives the loss of every training step, in step order.
 *
 * <p>The loss is the mean over the step's global batch (the sum over the shards), computed before the
 * update, so it equals the loss a single-machine run reports. Spark returns a barrier stage's results
 * when the stage ends, so the events of a {@link SparkTrainer#fit} arrive when its training stage has
 * finished, not while it runs.
 */
@FunctionalInterface
public interface StepListener {

    /** Receives the report of one step. */
    void onStep(StepEvent event);
}
