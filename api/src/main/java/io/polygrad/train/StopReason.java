package io.polygrad.train;

/** The reason a {@link Trainer} stopped. */
public enum StopReason {
    /** The configured number of steps or epochs was reached. */
    COMPLETED,
    /** The epoch loss stopped improving for {@code patience} epochs. */
    EARLY_STOPPED,
    /** A step's loss was NaN or infinite. */
    NON_FINITE_LOSS
}
