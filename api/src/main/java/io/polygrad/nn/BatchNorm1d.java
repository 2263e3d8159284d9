package io.polygrad.nn;

import io.polygrad.Engine;
import io.polygrad.Tensor;

/**
 * Batch normalisation over a batch of vectors {@code [N, C]} or sequences {@code [N, C, L]}, PyTorch's
 * {@code nn.BatchNorm1d}; statistics per channel {@code C}, over {@code N} (and {@code L}). The behaviour,
 * state and defaults are {@link BatchNorm}'s.
 *
 * <pre>{@code
 * jshell> var bn = new BatchNorm1d(engine, 3)
 * bn ==> BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * jshell> var cumulative = new BatchNorm1d(engine, 3, 1e-5, null, false, true)
 * cumulative ==> BatchNorm1d(3, eps=1e-05, momentum=None, affine=False, track_running_stats=True)
 * }</pre>
 */
public final class BatchNorm1d extends BatchNorm {

    /** Creates the layer with PyTorch's defaults: {@code eps = 1e-5}, {@code momentum = 0.1}, affine, tracking. */
    public BatchNorm1d(Engine engine, int numFeatures) {
        this(engine, numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM, true, true);
    }

    /**
     * Creates the layer with every option; see {@link BatchNorm#BatchNorm(Engine, int, double, Double, boolean,
     * boolean)} ({@code momentum = null}: a cumulative average).
     */
    public BatchNorm1d(Engine engine, int numFeatures, double eps, Double momentum, boolean affine,
            boolean trackRunningStats) {
        super(engine, numFeatures, eps, momentum, affine, trackRunningStats);
    }

    /** Accepts {@code [N, C]} and {@code [N, C, L]}. */
    @Override
    protected void checkInputDim(Tensor input) {
        requireRank(input, "2D or 3D", 2, 3);
    }
}
