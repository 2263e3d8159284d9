package io.polygrad.spark;

import io.polygrad.DType;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.nn.Module;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a {@link SparkTrainer#fit}: the trained parameters (identical on every replica), the
 * loss of every step, and what the run cost in time and bytes exchanged.
 */
public final class SparkFitResult {

    private final Map<String, double[]> values;
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

    SparkFitResult(String[] names, int[][] shapes, double[][] values, DType dtype, int firstStep, double[] losses, int tasks,
            long samples, long trainingNanos, long wallNanos, long bytesPerExchange, int exchanges) {
        Map<String, double[]> v = new LinkedHashMap<>();
        Map<String, int[]> s = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            v.put(names[i], values[i]);
            s.put(names[i], shapes[i]);
        }
        this.values = Collections.unmodifiableMap(v);
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

    /** Returns the shape of every parameter, by name. */
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
     * Copies the trained parameters into {@code model}, which must have parameters of the same names and
     * shapes (e.g. one built by the same factory).
     *
     * @throws IllegalArgumentException if a name is missing or a shape differs
     */
    public void copyInto(Module model) {
        copy(values, shapes, model);
    }

    /** Copies {@code values} of {@code shapes} into {@code model}'s parameters of the same names. */
    static void copy(Map<String, double[]> values, Map<String, int[]> shapes, Module model) {
        Map<String, Tensor> target = model.namedParameters();
        if (!target.keySet().equals(values.keySet())) {
            throw new IllegalArgumentException("The model's parameters " + target.keySet()
                    + " are not the trained ones " + values.keySet());
        }
        try (NoGrad ignored = NoGrad.enter()) {
            for (Map.Entry<String, Tensor> e : target.entrySet()) {
                Tensor p = e.getValue();
                int[] shape = shapes.get(e.getKey());
                if (!Arrays.equals(p.shape(), shape)) {
                    throw new IllegalArgumentException("Parameter '" + e.getKey() + "' has shape "
                            + Arrays.toString(p.shape()) + " but the trained one " + Arrays.toString(shape));
                }
                p.assign(p.engine().tensor(values.get(e.getKey()), p.dtype(), shape));
            }
        }
    }

    @Override
    public String toString() {
        return "SparkFitResult[" + steps() + " steps on " + tasks + " tasks, " + values.size() + " parameters, "
                + String.format("%.1f samples/s", samplesPerSecond()) + "]";
    }
}
