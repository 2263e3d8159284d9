package io.polygrad.train;

/**
 * The report of one training step to the {@link Trainer}'s callbacks.
 *
 * @param step  the 1-based index of the step just made
 * @param epoch the 0-based epoch the step belongs to
 * @param loss  the loss of the step's batch, computed before the parameters were updated
 * @param lr    the learning rate the step used
 */
public record StepEvent(int step, int epoch, double loss, double lr) {
}
