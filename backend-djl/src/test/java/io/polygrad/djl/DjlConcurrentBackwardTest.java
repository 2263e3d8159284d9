package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.BackendUnderTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concurrent {@code backward()} into shared leaves on libtorch: two threads, each building its own
 * graph from the same parameters N times, used to crash the JVM (the walk kept per-pass state on the
 * shared leaf, and one thread's accumulation released the gradient array the other was adding to).
 * The summed gradient must equal the sequential result.
 */
class DjlConcurrentBackwardTest {

    private static final int THREADS = 2;
    private static final int CALLS = 200;

    private static Engine engine(DType dtype) {
        return BackendUnderTest.of("djl", new DjlModule()).engine(dtype);
    }

    /** One step of a small model: a linear layer, relu, a second layer and the mean squared error. */
    private static void backwardOnce(Engine e, Tensor w1, Tensor b1, Tensor w2, Tensor x, Tensor y) {
        try (TensorScope ignored = TensorScope.open()) {
            Tensor h = x.matmul(w1, false, true).add(b1).relu();
            Tensor out = h.matmul(w2, false, true);
            out.sub(y).mul(out.sub(y)).mean().backward();
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("two threads x N backward() calls into shared parameters sum to the sequential gradient")
    void backward_twoThreadsIntoSharedLeaves_sumsToSequentialResult(DType dtype) throws Exception {
        Engine e = engine(dtype);
        Tensor w1 = e.tensor(new double[] {0.3, -0.2, 0.5, 0.1, -0.4, 0.25}, dtype, 3, 2).requiresGrad(true);
        Tensor b1 = e.tensor(new double[] {0.1, 0.0, -0.1}, dtype).requiresGrad(true);
        Tensor w2 = e.tensor(new double[] {0.7, -0.3, 0.2}, dtype, 1, 3).requiresGrad(true);
        Tensor x = e.tensor(new double[] {1, 2, -1, 0.5, 0.25, -2, 3, 1}, dtype, 4, 2);
        Tensor y = e.tensor(new double[] {1, 0, -1, 2}, dtype, 4, 1);
        List<Tensor> params = List.of(w1, b1, w2);

        for (int i = 0; i < THREADS * CALLS; i++) {
            backwardOnce(e, w1, b1, w2, x, y);
        }
        List<double[]> sequential = new ArrayList<>();
        for (Tensor p : params) {
            sequential.add(p.grad().toDoubleArray());
            p.zeroGrad();
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < CALLS; i++) {
                        backwardOnce(e, w1, b1, w2, x, y);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        double tolerance = dtype == DType.FLOAT32 ? 1e-4 : 1e-10;
        for (int k = 0; k < params.size(); k++) {
            double[] expected = sequential.get(k);
            double[] got = params.get(k).grad().toDoubleArray();
            assertEquals(expected.length, got.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], tolerance * Math.max(1, Math.abs(expected[i])),
                        "parameter " + k + " element " + i);
            }
        }
        // The parameters are still usable for an update after the concurrent passes.
        try (NoGrad ignored = NoGrad.enter()) {
            w2.subi(w2.grad().mul(0.01));
        }
        assertArrayEquals(new int[] {1, 3}, w2.shape());
    }
}
