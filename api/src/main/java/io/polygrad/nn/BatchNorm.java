package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.spi.Shapes;

/**
 * The batch normalisation layers' shared behaviour, PyTorch's {@code _BatchNorm}: see {@link BatchNorm1d}
 * and {@link BatchNorm2d}, which differ only in the input ranks they accept.
 *
 * <p>State, by PyTorch's names: the parameters {@code weight} (ones) and {@code bias} (zeros) when
 * {@code affine}, and the buffers {@code running_mean} (zeros), {@code running_var} (ones) and
 * {@code num_batches_tracked} when {@code trackRunningStats}. In training mode the layer normalises with
 * the batch's mean and biased variance and updates the running statistics with momentum {@code m}
 * ({@code running = (1 - m)·running + m·batch}, the variance unbiased); with {@code momentum = null} it
 * keeps their cumulative average instead ({@code m = 1 / num_batches_tracked}). In evaluation mode
 * ({@link Module#eval()}) it normalises with the running statistics, or with the batch's when it tracks
 * none. The defaults are PyTorch's: {@code eps = 1e-5}, {@code momentum = 0.1}, affine, tracking.
 *
 * <pre>{@code
 * jshell> var bn = new BatchNorm1d(engine, 2);
 * jshell> bn.forward(engine.tensor(new double[][] {{1, 10}, {3, 30}}));
 * jshell> bn.runningMean()
 * $3 ==> tensor([0.2000, 2.0000])
 * jshell> bn.runningVar()                     // 0.9·1 + 0.1·(unbiased variance 2 and 200)
 * $4 ==> tensor([1.1000, 20.9000])
 * jshell> bn.numBatchesTracked()
 * $5 ==> 1
 * }</pre>
 */
public abstract class BatchNorm extends Module {

    /** PyTorch's default {@code eps}. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's default {@code momentum}. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTrackedTensor;
    private long numBatchesTracked;

    /**
     * Creates the layer with tensors in the engine's default dtype ({@code num_batches_tracked} is an int64
     * scalar, as in PyTorch).
     *
     * @param engine            where the parameters and buffers live (use {@link Engine#withDType} for another dtype)
     * @param numFeatures       {@code C}, the number of channels (axis 1 of the input)
     * @param eps               added to the variance for stability, {@code >= 0}
     * @param momentum          the running statistics' update factor in {@code [0, 1]}, or {@code null} for a
     *                          cumulative average
     * @param affine            whether the layer has a learnable {@code weight} and {@code bias}
     * @param trackRunningStats whether the layer keeps running statistics (else it always uses the batch's)
     * @throws IllegalArgumentException if {@code numFeatures < 1}, {@code eps} is negative or not finite, or
     *     {@code momentum} is outside {@code [0, 1]}
     */
    protected BatchNorm(Engine engine, int numFeatures, double eps, Double momentum, boolean affine,
            boolean trackRunningStats) {
        String name = getClass().getSimpleName();
        notNull(engine, name, "engine");
        if (numFeatures < 1) {
            throw new IllegalArgumentException(name + ": numFeatures must be >= 1, got " + numFeatures);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(name + ": eps must be finite and >= 0, got " + eps);
        }
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + ": momentum must be in [0, 1] (or null for a cumulative"
                    + " average), got " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        DType dtype = engine.dtype();
        this.weight = affine ? registerParameter("weight", engine.ones(dtype, numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", engine.zeros(dtype, numFeatures)) : null;
        if (trackRunningStats) {
            runningMean = registerBuffer("running_mean", engine.zeros(dtype, numFeatures));
            runningVar = registerBuffer("running_var", engine.ones(dtype, numFeatures));
            // PyTorch's num_batches_tracked: an int64 0-d tensor, mirrored in a Java long
            numBatchesTrackedTensor = registerBuffer("num_batches_tracked", engine.full(0, DType.INT64));
        } else {
            runningMean = null;
            runningVar = null;
            numBatchesTrackedTensor = null;
        }
    }

    /**
     * Checks the input's rank, throwing an {@link IllegalArgumentException} in PyTorch's words, e.g.
     * {@code expected 4D input (got 3D input)}.
     */
    protected abstract void checkInputDim(Tensor input);

    /**
     * Returns the input normalised per channel (see the class comment); in training mode with running
     * statistics it also updates them and {@link #numBatchesTracked()}.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2).forward(engine.tensor(new double[][] {{1, 10}, {3, 30}}))
     * $1 ==> tensor([[-1.0000, -1.0000],
     *         [1.0000, 1.0000]], grad_fn=<AddBackward>)
     * }</pre>
     *
     * @throws IllegalArgumentException naming the layer and both shapes if the input's rank or channel count
     *     is wrong, or PyTorch's "Expected more than 1 value per channel when training" for a training batch
     *     with one value per channel
     */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, typeName() + ".forward", "input");
        checkInputDim(input);
        if (input.shape()[1] != numFeatures) {
            throw new IllegalArgumentException(typeName() + "(" + numFeatures + "): expected an input with "
                    + numFeatures + " channels on axis 1, but got input of shape " + Shapes.toString(input.shape())
                    + " (" + input.shape()[1] + " channels)");
        }
        boolean training = isTraining();
        double factor = 0;
        if (training && runningMean != null) {
            if (input.numel() / numFeatures <= 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input"
                        + " size " + Shapes.toString(input.shape()));
            }
            numBatchesTracked++;
            try (NoGrad ignored = NoGrad.enter()) {
                numBatchesTrackedTensor.fill(numBatchesTracked);
            }
            factor = momentum == null ? 1.0 / numBatchesTracked : momentum;
        }
        return Functional.batchNorm(input, runningMean, runningVar, weight, bias, training, factor, eps);
    }

    /**
     * Resets the running statistics to their initial values (mean 0, variance 1, no batches), PyTorch's
     * {@code reset_running_stats}; does nothing without running statistics.
     *
     * <pre>{@code
     * jshell> bn.resetRunningStats(); bn.runningMean()
     * $2 ==> tensor([0.0000, 0.0000])
     * }</pre>
     */
    public void resetRunningStats() {
        if (runningMean == null) {
            return;
        }
        try (NoGrad ignored = NoGrad.enter()) {
            runningMean.fill(0);
            runningVar.fill(1);
            numBatchesTrackedTensor.fill(0);
        }
        numBatchesTracked = 0;
    }

    /**
     * Resets the running statistics and sets {@code weight} to ones and {@code bias} to zeros, PyTorch's
     * {@code reset_parameters}.
     *
     * <pre>{@code
     * jshell> bn.resetParameters(); bn.weight()
     * $2 ==> tensor([1.0000, 1.0000], requires_grad=True)
     * }</pre>
     */
    public void resetParameters() {
        resetRunningStats();
        if (weight != null) {
            try (NoGrad ignored = NoGrad.enter()) {
                weight.fill(1);
                bias.fill(0);
            }
        }
    }

    @Override
    void stateLoaded() {
        if (numBatchesTrackedTensor != null) {
            numBatchesTracked = numBatchesTrackedTensor.toLongArray()[0];
        }
    }

    /**
     * Returns {@code C}, the number of channels.
     *
     * <pre>{@code
     * jshell> new BatchNorm2d(engine, 8).numFeatures()
     * $1 ==> 8
     * }</pre>
     */
    public int numFeatures() {
        return numFeatures;
    }

    /**
     * Returns {@code eps}.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2).eps()
     * $1 ==> 1.0E-5
     * }</pre>
     */
    public double eps() {
        return eps;
    }

    /**
     * Returns the momentum, or {@code null} when the running statistics are a cumulative average.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2, 1e-5, null, true, true).momentum()
     * $1 ==> null
     * }</pre>
     */
    public Double momentum() {
        return momentum;
    }

    /**
     * Returns whether the layer has a learnable {@code weight} and {@code bias}.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2, 1e-5, 0.1, false, true).affine()
     * $1 ==> false
     * }</pre>
     */
    public boolean affine() {
        return weight != null;
    }

    /**
     * Returns whether the layer keeps running statistics.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2, 1e-5, 0.1, true, false).trackRunningStats()
     * $1 ==> false
     * }</pre>
     */
    public boolean trackRunningStats() {
        return runningMean != null;
    }

    /**
     * Returns the scale {@code weight}, shape {@code [C]}, or {@code null} without {@code affine}.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2).weight()
     * $1 ==> tensor([1.0000, 1.0000], requires_grad=True)
     * }</pre>
     */
    public Tensor weight() {
        return weight;
    }

    /**
     * Returns the shift {@code bias}, shape {@code [C]}, or {@code null} without {@code affine}.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2).bias()
     * $1 ==> tensor([0.0000, 0.0000], requires_grad=True)
     * }</pre>
     */
    public Tensor bias() {
        return bias;
    }

    /**
     * Returns the buffer {@code running_mean}, shape {@code [C]}, or {@code null} without running statistics.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2).runningMean()
     * $1 ==> tensor([0.0000, 0.0000])
     * }</pre>
     */
    public Tensor runningMean() {
        return runningMean;
    }

    /**
     * Returns the buffer {@code running_var}, shape {@code [C]}, or {@code null} without running statistics.
     *
     * <pre>{@code
     * jshell> new BatchNorm1d(engine, 2).runningVar()
     * $1 ==> tensor([1.0000, 1.0000])
     * }</pre>
     */
    public Tensor runningVar() {
        return runningVar;
    }

    /**
     * Returns how many training batches updated the running statistics (0 without running statistics); the
     * state dict's {@code num_batches_tracked}.
     *
     * <pre>{@code
     * jshell> var bn = new BatchNorm1d(engine, 2);
     * jshell> bn.forward(engine.randn(4, 2));
     * jshell> bn.numBatchesTracked()
     * $3 ==> 1
     * }</pre>
     */
    public long numBatchesTracked() {
        return numBatchesTracked;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.of(eps) + ", momentum=" + (momentum == null ? "None"
                : PyRepr.of(momentum)) + ", affine=" + PyRepr.of(affine()) + ", track_running_stats="
                + PyRepr.of(trackRunningStats());
    }

    /**
     * Throws PyTorch's "expected 2D or 3D input (got 4D input)", prefixed by the layer's name and followed by
     * the input's shape, unless the input's rank is one of {@code ranks}.
     */
    final void requireRank(Tensor input, String expected, int... ranks) {
        for (int r : ranks) {
            if (input.rank() == r) {
                return;
            }
        }
        throw new IllegalArgumentException(typeName() + ": expected " + expected + " input (got " + input.rank() + "D input of shape "
                + Shapes.toString(input.shape()) + ")");
    }
}
