package io.polygrad.spark;

import io.polygrad.train.StepEvent;

/**
 * A callback on the driver that receives the loss of every training step, in step order.
 *
 * <p>The loss is the mean over the step's global batch (the sum over the shards), computed before the
 * update, so it equals the loss a single-machine run reports. Task 0 sends each step's loss to the
 * driver as soon as it is known (in local SGD mode, at the next average), and the listener is called on
 * a driver thread that reads those reports, in order and once per step even when Spark retries the
 * stage; steps that were not reported live are delivered when the stage has finished, before
 * {@link SparkTrainer#fit} returns.
 */
@FunctionalInterface
public interface StepListener {

    /** Receives the report of one step. */
    void onStep(StepEvent event);
}
