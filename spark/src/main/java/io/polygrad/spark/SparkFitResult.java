package io.polygrad.spark;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.nn.Module;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link SparkTrainer#fit}: the trained parameters and buffers (identical on every
 * replica), the loss of every step, and what the run cost in time and bytes exchanged.
 */
public final class SparkFitResult {

    private final Map<String, double[]> values;
    private final Map<String, double[]> buffers;
    private final Map<String, int[]> shapes;
    private final DType dtype;
    private final int firstStep;
    private final double[] losses;
    private final int tasks;
    private final long samples;
    private final long trainingNanos;
    private final long wallNanos;
    private final long bytesPerExchange;
    private final int exchanges;

    SparkFitResult(TaskResult.Tensors parameters, TaskResult.Tensors buffers, DType dtype, int firstStep,
            double[] losses, int tasks, long samples, long trainingNanos, long wallNanos, long bytesPerExchange,
            int exchanges) {
        Map<String, int[]> s = parameters.shapeMap();
        s.putAll(buffers.shapeMap());
        this.values = Collections.unmodifiableMap(parameters.valueMap());
        this.buffers = Collections.unmodifiableMap(buffers.valueMap());
        this.shapes = Collections.unmodifiableMap(s);
        this.dtype = dtype;
        this.firstStep = firstStep;
        this.losses = losses;
        this.tasks = tasks;
        this.samples = samples;
        this.trainingNanos = trainingNanos;
        this.wallNanos = wallNanos;
        this.bytesPerExchange = bytesPerExchange;
        this.exchanges = exchanges;
    }

    /** Returns the trained parameters by name, in the model's order, as doubles (row-major). */
    public Map<String, double[]> parameters() {
        return values;
    }

    /**
     * Returns the trained buffers by name, in the model's order, as doubles (row-major): the state that is
     * not a parameter, such as a batch norm's {@code running_mean}, {@code running_var} and
     * {@code num_batches_tracked}; empty for a model without buffers.
     */
    public Map<String, double[]> buffers() {
        return buffers;
    }

    /** Returns the shape of every parameter and buffer, by name. */
    public Map<String, int[]> shapes() {
        return shapes;
    }

    /** Returns the dtype the replicas trained in. */
    public DType dtype() {
        return dtype;
    }

    /** Returns the steps taken before this job: 0, or the step of the checkpoint it resumed from. */
    public int firstStep() {
        return firstStep;
    }

    /** Returns the number of steps this job took (after {@link #firstStep()}). */
    public int steps() {
        return losses.length;
    }

    /** Returns the mean loss of every step's global batch this job took, before its update. */
    public double[] losses() {
        return losses.clone();
    }

    /** Returns the number of barrier tasks (replicas) that trained. */
    public int tasks() {
        return tasks;
    }

    /** Returns the number of samples processed, over all steps and tasks. */
    public long samples() {
        return samples;
    }

    /** Returns the samples processed per second of the training loop (task 0's clock, excluding set-up). */
    public double samplesPerSecond() {
        return trainingNanos == 0 ? 0 : samples / (trainingNanos / 1e9);
    }

    /** Returns the seconds of the training loop on task 0. */
    public double trainingSeconds() {
        return trainingNanos / 1e9;
    }

    /** Returns the seconds of the whole Spark job on the driver, including scheduling and replica set-up. */
    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    /**
     * Returns the bytes of the message each task contributes to one exchange: its gradients (synchronous
     * mode) or parameters (local SGD) in the training dtype, plus a header of a few doubles.
     */
    public long bytesPerExchange() {
        return bytesPerExchange;
    }

    /** Returns the number of all-gather exchanges of gradients or parameters each task took part in. */
    public int exchanges() {
        return exchanges;
    }

    /**
     * Copies the trained parameters and buffers into {@code model}, which must have parameters and buffers
     * of the same names and shapes (e.g. one built by the same factory).
     *
     * @throws IllegalArgumentException if a name is missing or a shape differs; the model is then unchanged
     */
    public void copyInto(Module model) {
        copy(values, buffers, shapes, model);
    }

    /**
     * Copies {@code parameters} and {@code buffers} of {@code shapes} into {@code model}'s parameters and
     * buffers of the same names, through {@link Module#loadStateDict} (so batch norm's counter follows).
     */
    static void copy(Map<String, double[]> parameters, Map<String, double[]> buffers, Map<String, int[]> shapes,
            Module model) {
        Map<String, Tensor> targetParameters = model.namedParameters();
        if (!targetParameters.keySet().equals(parameters.keySet())) {
            throw new IllegalArgumentException("The model's parameters " + targetParameters.keySet()
                    + " are not the trained ones " + parameters.keySet());
        }
        Map<String, Tensor> targetBuffers = model.namedBuffers();
        if (!targetBuffers.keySet().equals(buffers.keySet())) {
            throw new IllegalArgumentException("The model's buffers " + targetBuffers.keySet()
                    + " are not the trained ones " + buffers.keySet());
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (Map<String, Tensor> target : List.of(targetParameters, targetBuffers)) {
                for (Map.Entry<String, Tensor> e : target.entrySet()) {
                    Tensor t = e.getValue();
                    int[] shape = shapes.get(e.getKey());
                    if (!Arrays.equals(t.shape(), shape)) {
                        throw new IllegalArgumentException((target == targetParameters ? "Parameter '" : "Buffer '")
                                + e.getKey() + "' has shape " + Arrays.toString(t.shape()) + " but the trained one "
                                + Arrays.toString(shape));
                    }
                    double[] v = target == targetParameters ? parameters.get(e.getKey()) : buffers.get(e.getKey());
                    state.put(e.getKey(), tensor(t.engine(), v, t.dtype(), shape));
                }
            }
        }
        model.loadStateDict(state, false);
    }

    /**
     * Returns a tensor of {@code dtype} and {@code shape} (0-d included) holding {@code values}, integral
     * dtypes rounded toward zero.
     */
    static Tensor tensor(Engine engine, double[] values, DType dtype, int[] shape) {
        if (shape.length == 0) {
            return engine.full(values[0], dtype);
        }
        if (dtype.isFloatingPoint()) {
            return engine.tensor(values, dtype, shape);
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) values[i];
        }
        return engine.tensor(l, shape);
    }

    @Override
    public String toString() {
        return "SparkFitResult[" + steps() + " steps on " + tasks + " tasks, " + values.size() + " parameters, "
                + buffers.size() + " buffers, "
                + String.format("%.1f samples/s", samplesPerSecond()) + "]";
    }
}
