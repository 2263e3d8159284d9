package io.polygrad.scratch;

import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;
import java.util.concurrent.ForkJoinTask;

/**
 * The scratch backend's relu kernels: one pass each way where {@code api}'s composite takes two
 * ({@code maximum(x, 0)}; the gradient's mask {@code out ≠ 0} and a product), split over the backend's
 * threads ({@link ScratchMatmul#threads()}) for large arrays. The forward gives the composite's values
 * ({@code maximum}'s: NaN stays NaN, {@code relu(−0) = 0}); the backward is PyTorch's
 * {@code threshold_backward(grad, result, 0)}: the gradient where the result is not 0, else 0.
 */
final class ScratchActivation implements ActivationKernels {

    /** Below this many elements a kernel runs on the calling thread. */
    private static final int PARALLEL_THRESHOLD = 1 << 16;

    private final ScratchBackend backend;

    ScratchActivation(ScratchBackend backend) {
        this.backend = backend;
    }

    /** A body run over the elements {@code [i0, i1)}. */
    @FunctionalInterface
    private interface Range {
        void run(int i0, int i1);
    }

    private static void parallel(int n, Range body) {
        int tasks = n < PARALLEL_THRESHOLD ? 1 : Math.min(ScratchMatmul.threads(), n / (PARALLEL_THRESHOLD / 4));
        if (tasks <= 1) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] running = new ForkJoinTask<?>[tasks];
        for (int t = 0; t < tasks; t++) {
            int i0 = (int) ((long) n * t / tasks);
            int i1 = (int) ((long) n * (t + 1) / tasks);
            running[t] = ScratchMatmul.POOL.submit(() -> body.run(i0, i1));
        }
        for (ForkJoinTask<?> r : running) {
            r.join();
        }
    }

    /**
     * Returns all one bits when {@code v} is not ±0 (NaN included), else 0, without a branch: the
     * gradient's mask, which on a relu's result is a coin toss that a branch would mispredict.
     */
    private static int nonZero(float v) {
        return ((Float.floatToRawIntBits(v) & 0x7fffffff) + 0x7fffffff) >> 31;
    }

    private static long nonZero(double v) {
        return ((Double.doubleToRawLongBits(v) & 0x7fffffffffffffffL) + 0x7fffffffffffffffL) >> 63;
    }

    @Override
    public BackendArray relu(BackendArray input) {
        input.acquire();
        try {
            ScratchArray x = ScratchBackend.arg(input);
            if (x.f != null) {
                float[] in = x.f;
                float[] out = new float[in.length];
                parallel(in.length, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        float v = in[i];
                        out[i] = Float.isNaN(v) ? Float.NaN : Math.max(v, 0f);
                    }
                });
                return new ScratchArray(backend, out, x.shape.clone());
            }
            double[] in = x.d;
            double[] out = new double[in.length];
            parallel(in.length, (i0, i1) -> {
                for (int i = i0; i < i1; i++) {
                    double v = in[i];
                    out[i] = Double.isNaN(v) ? Double.NaN : Math.max(v, 0.0);
                }
            });
            return new ScratchArray(backend, out, x.shape.clone());
        } finally {
            input.release();
        }
    }

    @Override
    public BackendArray reluBackward(BackendArray gradOutput, BackendArray output) {
        gradOutput.acquire();
        try {
            output.acquire();
            try {
                ScratchArray g = ScratchBackend.arg(gradOutput);
                ScratchArray o = ScratchBackend.arg(output);
                if (g.f != null) {
                    float[] gv = g.f;
                    float[] ov = o.f;
                    float[] out = new float[gv.length];
                    parallel(gv.length, (i0, i1) -> {
                        for (int i = i0; i < i1; i++) {
                            out[i] = Float.intBitsToFloat(Float.floatToRawIntBits(gv[i]) & nonZero(ov[i]));
                        }
                    });
                    return new ScratchArray(backend, out, g.shape.clone());
                }
                double[] gv = g.d;
                double[] ov = o.d;
                double[] out = new double[gv.length];
                parallel(gv.length, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        out[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(gv[i]) & nonZero(ov[i]));
                    }
                });
                return new ScratchArray(backend, out, g.shape.clone());
            } finally {
                output.release();
            }
        } finally {
            gradOutput.release();
        }
    }
}
