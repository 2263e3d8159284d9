package io.polygrad.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.Engine;
import io.polygrad.Tensor;

/**
 * The pairs of {@link ScratchVsDjlBenchmarks} measured interleaved in one JVM ({@link Interleaved#measure}):
 * scratch's 1024³ float32 product against libtorch's through raw DJL, and the MLP step on scratch
 * against the same step on the djl backend, at the thread count given (both sides), printing the
 * median ratio scratch/djl of each on standard output.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dai.djl.offline=true \
 *     -cp benchmarks/target/benchmarks.jar io.polygrad.benchmarks.ScratchVsDjlInterleaved 1
 * </pre>
 */
public final class ScratchVsDjlInterleaved {

    private ScratchVsDjlInterleaved() {
    }

    /** Measures both pairs at {@code args[0]} threads (default 1). */
    public static void main(String[] args) {
        ScratchVsDjlBenchmarks.Threads t = new ScratchVsDjlBenchmarks.Threads();
        t.threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        t.setUp();
        Engine scratch = t.scratch();
        int n = 1024;
        Tensor a = scratch.randn(n, n);
        Tensor b = scratch.randn(n, n);
        try (NDManager manager = RawDjl.engine().newBaseManager()) {
            NDArray rawA = manager.create(a.toFloatArray(), new Shape(n, n));
            NDArray rawB = manager.create(b.toFloatArray(), new Shape(n, n));
            measure("sgemm 1024", 5, () -> a.matmul(b).shape()[0], () -> {
                try (NDArray r = rawA.matMul(rawB)) {
                    return r.getShape().get(0);
                }
            }, t.threads);
        }
        MlpStep mlpScratch = new MlpStep(scratch);
        MlpStep mlpDjl = new MlpStep(t.djl());
        measure("mlp step", 10, mlpScratch::step, mlpDjl::step, t.threads);
    }

    private static void measure(String name, int block, java.util.function.DoubleSupplier scratch,
            java.util.function.DoubleSupplier djl, int threads) {
        JniUtils.setNumThreads(threads);
        Interleaved.measure(name + " (" + threads + " thread" + (threads == 1 ? "" : "s")
                + ", polygrad = scratch, raw = djl)", "ms", 1e6, block, scratch, djl);
    }
}
