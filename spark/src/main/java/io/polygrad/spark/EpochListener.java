package io.polygrad.spark;

/**
 * A callback on the driver that receives every finished epoch with the parameters after it, in epoch
 * order, while the training stage runs (on a thread of the driver that reads task 0's reports).
 */
@FunctionalInterface
public interface EpochListener {

    /** Receives the report of one epoch. */
    void onEpoch(EpochEvent event);
}
