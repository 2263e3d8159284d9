package io.polygrad.train;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link Trainer#fit()}: the loss of every step, how far training went, and why
 * it stopped.
 *
 * @param losses     each step's loss, in order (computed before that step's update)
 * @param steps      the number of optimizer steps made
 * @param epochs     the number of epochs completed
 * @param stopReason why training stopped
 */
public record FitResult(List<Double> losses, int steps, int epochs, StopReason stopReason) {

    /** Creates a result, copying the loss list. */
    public FitResult {
        losses = List.copyOf(losses);
        Objects.requireNonNull(stopReason, "stopReason");
    }

    /** Returns the last step's loss, or NaN when no step was made. */
    public double finalLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }

    /** Returns the smallest step loss, or NaN when no step was made. */
    public double bestLoss() {
        return losses.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** Returns whether early stopping ended the run. */
    public boolean stoppedEarly() {
        return stopReason == StopReason.EARLY_STOPPED;
    }
}
