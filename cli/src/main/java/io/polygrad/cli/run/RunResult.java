package io.polygrad.cli.run;

import io.polygrad.train.StopReason;
import java.util.Map;

/**
 * Everything one training run produced, as plain Java values: what ran, the loss of every
 * step, the parameters before and after, the first step's gradients, timings and the fitted curve.
 *
 * @param backend     the backend's name
 * @param device      the device, e.g. {@code cpu}
 * @param dtype       the dtype, e.g. {@code float32}
 * @param seed        the generator seed
 * @param problem     the problem's name
 * @param lossName    the loss's short name, e.g. {@code mae}
 * @param plan        the settings in force
 * @param dataSource  where the data came from
 * @param dataX       the data's inputs
 * @param dataY       the data's targets
 * @param losses      each step's loss (computed before that step's update)
 * @param stepsRun    the steps made (fewer than planned when the loss became non-finite)
 * @param stopReason  why training stopped
 * @param initialParameters the parameters before training, by name
 * @param firstGradients    the gradients of the first step, by parameter name
 * @param parameters  the parameters after training, by name
 * @param msPerStep   the median wall time of one step, in milliseconds
 * @param totalMs     the wall time of the whole fit, in milliseconds
 * @param curveX      an even grid over the data's x range
 * @param curveY      the trained model's prediction on {@code curveX}
 */
public record RunResult(String backend, String device, String dtype, long seed, String problem, String lossName,
        Plan plan, String dataSource, double[] dataX, double[] dataY, double[] losses, int stepsRun,
        StopReason stopReason, Map<String, Values> initialParameters, Map<String, Values> firstGradients,
        Map<String, Values> parameters, double msPerStep, double totalMs, double[] curveX, double[] curveY) {

    /** Returns the loss of the first step, or NaN when no step was made. */
    public double firstLoss() {
        return losses.length == 0 ? Double.NaN : losses[0];
    }

    /** Returns the loss of the last step, or NaN when no step was made. */
    public double finalLoss() {
        return losses.length == 0 ? Double.NaN : losses[losses.length - 1];
    }

    /** Returns whether training ran all its steps with finite losses. */
    public boolean completed() {
        return stopReason == StopReason.COMPLETED;
    }

    /** Returns the loss's long name for axis labels, e.g. {@code mean absolute error}. */
    public String lossLongName() {
        return switch (lossName) {
            case "mse" -> "mean squared error";
            case "mae" -> "mean absolute error";
            default -> lossName;
        };
    }

    /** Returns a label such as {@code scratch float32}. */
    public String label() {
        return backend + " " + dtype;
    }

    /** Returns the largest absolute difference between two parameter (or gradient) maps; infinite if names differ. */
    public static double maxAbsDiff(Map<String, Values> a, Map<String, Values> b) {
        if (!a.keySet().equals(b.keySet())) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (Map.Entry<String, Values> e : a.entrySet()) {
            double d = e.getValue().maxAbsDiff(b.get(e.getKey()));
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
