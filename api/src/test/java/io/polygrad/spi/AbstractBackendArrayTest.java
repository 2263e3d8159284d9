package io.polygrad.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The holds of {@link AbstractBackendArray}: memory is freed once, when closed and no kernel holds it. */
class AbstractBackendArrayTest {

    /** An array that counts its frees. */
    private static final class Counted extends AbstractBackendArray {
        final AtomicInteger frees = new AtomicInteger();

        @Override public int[] shape() { return new int[] {2, 3}; }
        @Override public DType dtype() { return DType.FLOAT32; }
        @Override public Backend backend() { return null; }
        @Override protected void free() { frees.incrementAndGet(); }
    }

    /** An array on memory the garbage collector owns, that counts its frees. */
    private static final class OnHeap extends AbstractBackendArray {
        final AtomicInteger frees = new AtomicInteger();

        OnHeap() {
            super(true);
        }

        @Override public int[] shape() { return new int[] {4}; }
        @Override public DType dtype() { return DType.FLOAT32; }
        @Override public Backend backend() { return null; }
        @Override protected void free() { frees.incrementAndGet(); }
    }

    @Test
    void acquire_onGarbageCollectedMemory_takesNoHold_andCloseFreesNothing() {
        OnHeap a = new OnHeap();
        a.acquire();
        a.acquire();
        assertEquals(1, a.holds(), "a kernel took a hold on heap memory");
        a.close();
        a.close();
        assertTrue(a.isClosed());
        assertEquals(0, a.frees.get(), "the garbage collector owns heap memory: close() calls no free()");
        a.release();
        a.release();
        assertEquals(0, a.frees.get());
        assertEquals(0, a.holds());
        assertThrows(IllegalStateException.class, a::acquire, "a closed heap array must refuse new kernels");
    }

    @Test
    void acquire_onGarbageCollectedMemoryAfterClose_isTheReleasedError() {
        OnHeap a = new OnHeap();
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::acquire);
        assertEquals("Tensor of shape [4] has been released (by close() or by the TensorScope it was created in); "
                + "keep it with scope.keep(tensor) to use it after the scope", e.getMessage());
    }

    @Test
    void close_freesAtOnce_whenNoKernelHoldsTheArray_andOnlyOnce() {
        Counted a = new Counted();
        assertEquals(1, a.holds());
        a.close();
        a.close();
        assertTrue(a.isClosed());
        assertEquals(1, a.frees.get());
        assertEquals(0, a.holds());
    }

    @Test
    void close_underAHold_defersTheFreeToTheLastRelease() {
        Counted a = new Counted();
        a.acquire();
        a.acquire();
        a.close();
        assertTrue(a.isClosed());
        assertEquals(0, a.frees.get(), "freed under a running kernel");
        a.release();
        assertEquals(0, a.frees.get());
        a.release();
        assertEquals(1, a.frees.get());
    }

    @Test
    void acquire_afterClose_isTheReleasedError() {
        Counted a = new Counted();
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::acquire);
        assertEquals("Tensor of shape [2, 3] has been released (by close() or by the TensorScope it was created in); "
                + "keep it with scope.keep(tensor) to use it after the scope", e.getMessage());
        assertEquals(1, a.frees.get());
    }

    @Test
    void manyThreadsHoldingWhileOneCloses_freeExactlyOnce_afterTheLastHold() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                Counted a = new Counted();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> holders = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    holders.add(pool.submit(() -> {
                        start.await();
                        int held = 0;
                        for (int i = 0; i < 1000; i++) {
                            try {
                                a.acquire();
                            } catch (IllegalStateException released) {
                                break;
                            }
                            if (a.frees.get() != 0) {
                                return -1; // freed while held
                            }
                            a.release();
                            held++;
                        }
                        return held;
                    }));
                }
                start.countDown();
                a.close();
                for (Future<Integer> h : holders) {
                    assertTrue(h.get() >= 0, "memory was freed while a kernel held it");
                }
                assertEquals(1, a.frees.get());
                assertEquals(0, a.holds());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shapesSize_isExact_andNamesAShapeOverTheLimit() {
        assertEquals(0, Shapes.size(new int[] {65536, 65536, 65536, 65536, 0}));
        assertEquals(Integer.MAX_VALUE, Shapes.size(new int[] {Integer.MAX_VALUE}));
        assertEquals(1, Shapes.size(new int[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.size(new int[] {65536, 65536, 65536, 65536}));
        assertEquals("Shape [65536, 65536, 65536, 65536] has 18446744073709551616 elements, more than the limit of "
                + "2^31-1 (2147483647) elements per tensor", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {46341, 46341}));
        assertFalse(Shapes.size(new int[] {46340, 46340}) <= 0);
    }
}
