package io.polygrad.spark;

import io.polygrad.nn.Module;
import java.util.Collections;
import java.util.Map;

/**
 * The report of one finished epoch, delivered on the driver while the job runs: the epoch (0-based),
 * the steps taken so far, the mean of the epoch's step losses, and the replicas' parameters and buffers
 * after its last step (in local SGD mode, after the epoch's closing average), e.g. for measuring test
 * accuracy.
 */
public final class EpochEvent {

    private final int epoch;
    private final int step;
    private final double meanLoss;
    private final Map<String, double[]> parameters;
    private final Map<String, double[]> buffers;
    private final Map<String, int[]> shapes;

    EpochEvent(int epoch, int step, double meanLoss, Map<String, double[]> parameters, Map<String, double[]> buffers,
            Map<String, int[]> shapes) {
        this.epoch = epoch;
        this.step = step;
        this.meanLoss = meanLoss;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.buffers = Collections.unmodifiableMap(buffers);
        this.shapes = Collections.unmodifiableMap(shapes);
    }

    /** Returns the epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** Returns the steps taken so far, counting those before a resumed checkpoint. */
    public int step() {
        return step;
    }

    /** Returns the mean of the epoch's step losses (those of this job when it resumed mid-epoch). */
    public double meanLoss() {
        return meanLoss;
    }

    /** Returns the parameters by name, in the model's order, as doubles (row-major). */
    public Map<String, double[]> parameters() {
        return parameters;
    }

    /** Returns the buffers (e.g. batch norm's running statistics) by name, in the model's order, as doubles. */
    public Map<String, double[]> buffers() {
        return buffers;
    }

    /**
     * Copies the parameters and buffers into {@code model}, which must have parameters and buffers of the
     * same names and shapes.
     *
     * @throws IllegalArgumentException if a name is missing or a shape differs
     */
    public void copyInto(Module model) {
        SparkFitResult.copy(parameters, buffers, shapes, model);
    }

    @Override
    public String toString() {
        return "EpochEvent[epoch " + epoch + ", step " + step + ", mean loss " + meanLoss + "]";
    }
}
