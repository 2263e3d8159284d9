package io.polygrad.nd4j;

import static io.polygrad.nd4j.Fixtures.BACKEND;
import static io.polygrad.nd4j.Fixtures.arr;
import static io.polygrad.nd4j.Fixtures.shape;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Checks closing, the closed state, and use from several threads. */
class Nd4jArrayLifecycleTest {

    @Test
    void close_isIdempotent_andReleasesTheNd4jBuffer() {
        BackendArray a = arr(DType.FLOAT32, shape(2), 1, 2);
        Nd4jArray n = (Nd4jArray) a;
        assertFalse(a.isClosed());
        a.close();
        a.close();
        assertTrue(a.isClosed());
        assertTrue(n.raw().wasClosed());
    }

    @Test
    void close_worksForRankZeroAndEmptyArrays() {
        BackendArray s = BACKEND.full(shape(), 1, DType.FLOAT64);
        BackendArray e = arr(DType.FLOAT64, shape(0, 2));
        s.close();
        e.close();
        s.close();
        e.close();
        assertTrue(s.isClosed() && e.isClosed());
    }

    @Test
    void closedArray_cannotBeRead() {
        BackendArray a = arr(DType.FLOAT32, shape(1), 1);
        a.close();
        assertThrows(IllegalStateException.class, () -> BACKEND.toDoubleArray(a));
        assertThrows(IllegalStateException.class, () -> BACKEND.unary(UnaryOp.EXP, a));
        assertThrows(IllegalStateException.class, () -> ((Nd4jArray) a).indArray());
    }

    @Test
    void array_reportsItsBackendAndDevice() {
        BackendArray a = arr(DType.FLOAT32, shape(1), 1);
        assertSame(BACKEND, a.backend());
        assertTrue(BACKEND.device().equals(Fixtures.CUDA ? Device.cuda(0) : Device.CPU));
        assertTrue(BACKEND.name().equals("nd4j"));
    }

    @Test
    void kernels_runConcurrentlyOnDistinctArrays() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        try (BackendArray x = arr(DType.FLOAT64, shape(2, 2), seed, i, 1, 2);
                             BackendArray y = BACKEND.matmul(x, x);
                             BackendArray s = BACKEND.reduce(io.polygrad.spi.ReduceOp.SUM, y, new int[] {0, 1}, false)) {
                            double expected = (seed * seed + i) + (seed * i + 2 * i) + (seed + 2) + (i + 4);
                            if (BACKEND.toDoubleArray(s)[0] != expected) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
