package io.polygrad.djl;

import static io.polygrad.djl.DjlTesting.array;
import static io.polygrad.djl.DjlTesting.backend;
import static io.polygrad.djl.DjlTesting.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendException;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DjlArrayLifecycleTest {

    @Test
    void close_isIdempotent() {
        BackendArray a = array(DType.FLOAT32, shape(2), 1, 2);
        assertFalse(a.isClosed());
        a.close();
        assertTrue(a.isClosed());
        a.close();
        assertTrue(a.isClosed());
    }

    @Test
    void close_freesTheTensor() {
        BackendArray a = array(DType.FLOAT32, shape(2), 1, 2);
        var nd = ((DjlArray) a).ndArray();
        a.close();
        assertTrue(nd.isReleased());
    }

    @Test
    void closedArray_isRejectedWithAClearError() {
        BackendArray a = array(DType.FLOAT64, shape(2), 1, 2);
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend().unary(UnaryOp.EXP, a));
        assertTrue(e.getMessage().contains("has been released"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ((DjlArray) a).ndArray());
    }

    @Test
    void array_knowsItsBackend() {
        try (BackendArray a = array(DType.FLOAT32, shape(), 1)) {
            assertSame(backend(), a.backend());
            assertEquals("DjlArray[float32 [] cpu]", a.toString());
        }
    }

    @Test
    @DisplayName("a long loop of small ops with close() leaves nothing behind in the NDManager")
    void manyOpsWithClose_leaveTheManagerAsItWas() {
        DjlBackend b = backend();
        int before = b.managedArrayCount();
        for (int i = 0; i < 20_000; i++) {
            try (BackendArray x = b.fromDoubles(new double[] {i, 1, 2, 3}, shape(2, 2), DType.FLOAT32);
                 BackendArray y = b.binary(BinaryOp.GREATER, x, x);
                 BackendArray z = b.where(y, x, x);
                 BackendArray p = b.binary(BinaryOp.POW, z, x);
                 BackendArray s = b.unary(UnaryOp.SIGN, p);
                 BackendArray m = b.reduce(ReduceOp.MEAN, s, new int[] {0, 1}, true);
                 BackendArray t = b.permute(x, new int[] {1, 0});
                 BackendArray r = b.reduce(ReduceOp.MAX, t, new int[] {0, 1}, false)) {
                b.toDoubleArray(m);
                b.toFloatArray(r);
            }
        }
        assertEquals(before, b.managedArrayCount());
    }

    @Test
    @DisplayName("libtorch errors come back as BackendException naming backend, op and shapes")
    void libtorchError_isWrappedInBackendException() {
        try (BackendArray a = array(DType.FLOAT32, shape(2, 3), 1, 2, 3, 4, 5, 6);
             BackendArray b = array(DType.FLOAT32, shape(4, 5), new double[20])) {
            BackendException e = assertThrows(BackendException.class, () -> backend().matmul(a, b));
            assertTrue(e.getMessage().startsWith("djl backend failed in matmul on shapes [2, 3], [4, 5]"), e.getMessage());
            assertInstanceOf(EngineException.class, e.getCause());
        }
    }

    @Test
    void arrayOfAnotherBackend_isRejected() {
        BackendArray foreign = new BackendArray() {
            @Override public int[] shape() { return new int[0]; }
            @Override public DType dtype() { return DType.FLOAT32; }
            @Override public io.polygrad.spi.Backend backend() { return null; }
            @Override public boolean isClosed() { return false; }
            @Override public void close() { }
        };
        assertThrows(IllegalArgumentException.class, () -> backend().unary(UnaryOp.NEG, foreign));
    }

    @Test
    void fromDoubles_tooFewValues_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> backend().fromDoubles(new double[3], shape(2, 2), DType.FLOAT64));
    }

    @Test
    @DisplayName("distinct arrays can be used from several threads at once")
    void concurrentUseOfDistinctArrays_isSafe() throws Exception {
        DjlBackend b = backend();
        int before = b.managedArrayCount();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                double base = t;
                results.add(pool.submit(() -> {
                    double last = 0;
                    for (int i = 0; i < 2_000; i++) {
                        try (BackendArray x = b.fromDoubles(new double[] {base, 1}, shape(2), DType.FLOAT64);
                             BackendArray y = b.binary(BinaryOp.ADD, x, x);
                             BackendArray s = b.reduce(ReduceOp.SUM, y, new int[] {0}, false)) {
                            last = b.toDoubleArray(s)[0];
                        }
                    }
                    return last;
                }));
            }
            for (int t = 0; t < 4; t++) {
                assertEquals(2 * (t + 1), results.get(t).get(), 0.0);
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(before, b.managedArrayCount());
    }
}
