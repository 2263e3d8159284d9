package io.polygrad.nn;

import io.polygrad.Engine;
import io.polygrad.Tensor;

/**
 * Batch normalisation over a batch of images {@code [N, C, H, W]}, PyTorch's {@code nn.BatchNorm2d};
 * statistics per channel {@code C}, over {@code N}, {@code H} and {@code W}. The behaviour, state and
 * defaults are {@link BatchNorm}'s.
 *
 * <pre>{@code
 * jshell> var bn = new BatchNorm2d(engine, 8)
 * bn ==> BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * jshell> bn.forward(engine.randn(4, 8, 5, 5)).shape()
 * $2 ==> int[4] { 4, 8, 5, 5 }
 * }</pre>
 */
public final class BatchNorm2d extends BatchNorm {

    /** Creates the layer with PyTorch's defaults: {@code eps = 1e-5}, {@code momentum = 0.1}, affine, tracking. */
    public BatchNorm2d(Engine engine, int numFeatures) {
        this(engine, numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM, true, true);
    }

    /**
     * Creates the layer with every option; see {@link BatchNorm#BatchNorm(Engine, int, double, Double, boolean,
     * boolean)} ({@code momentum = null}: a cumulative average).
     */
    public BatchNorm2d(Engine engine, int numFeatures, double eps, Double momentum, boolean affine,
            boolean trackRunningStats) {
        super(engine, numFeatures, eps, momentum, affine, trackRunningStats);
    }

    /** Accepts {@code [N, C, H, W]}. */
    @Override
    protected void checkInputDim(Tensor input) {
        requireRank(input, "4D", 4);
    }
}
