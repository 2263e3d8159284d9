package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.polygrad.DType;
import io.polygrad.Generator;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kernels of an MLP step allocate their result and nothing of its size besides: no per-element
 * index arrays for broadcasts and reductions, no transposed copies of matmul operands (measured with
 * the JVM's per-thread allocation counter, after warm-up).
 */
class ScratchAllocationTest {

    /** What a kernel may allocate beyond its result: shapes, walk state, tasks, the array header. */
    private static final long SLACK = 16 * 1024;

    private static com.sun.management.ThreadMXBean threads;
    private final ScratchBackend backend = new ScratchBackend();

    @BeforeAll
    static void counter() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM has no per-thread allocation counter");
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    }

    private BackendArray random(int... shape) {
        Generator g = new Generator(shape.length * 31L + shape[0]);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) g.nextUniform(-1, 1);
        }
        return backend.fromFloats(v, shape);
    }

    /** Returns the fewest bytes this thread allocated over one run of {@code kernel}, after warm-up. */
    private static long bytesOf(Supplier<BackendArray> kernel) {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            BackendArray out = kernel.get();
            long bytes = threads.getThreadAllocatedBytes(id) - before;
            out.close();
            if (i >= 5) {
                fewest = Math.min(fewest, bytes);
            }
        }
        return fewest;
    }

    private static void assertOnlyTheResult(long resultBytes, long measured, String what) {
        assertTrue(measured <= resultBytes + SLACK, what + " allocated " + measured + " bytes for a result of "
                + resultBytes + " (at most " + SLACK + " more allowed)");
    }

    @Test
    @DisplayName("a bias row added to a 256x512 batch allocates only the result")
    void binary_rowBroadcast_allocatesOnlyTheResult() {
        BackendArray x = random(256, 512);
        BackendArray bias = random(512);
        assertOnlyTheResult(256 * 512 * 4L, bytesOf(() -> backend.binary(BinaryOp.ADD, x, bias)), "[256,512] + [512]");
    }

    @Test
    @DisplayName("an elementwise op with a scalar allocates only the result")
    void binary_withAScalar_allocatesOnlyTheResult() {
        BackendArray x = random(256, 512);
        BackendArray zero = backend.full(new int[0], 0, DType.FLOAT32);
        assertOnlyTheResult(256 * 512 * 4L, bytesOf(() -> backend.binary(BinaryOp.MAXIMUM, x, zero)), "max(x, 0)");
        assertOnlyTheResult(256 * 512 * 4L, bytesOf(() -> backend.binary(BinaryOp.LESS_EQUAL, x, zero)), "x <= 0");
    }

    @Test
    @DisplayName("a bias gradient (sum over the batch axis of 256x512) allocates only its 512 sums")
    void reduce_overTheBatchAxis_allocatesOnlyTheResult() {
        BackendArray g = random(256, 512);
        assertOnlyTheResult(512 * 4L, bytesOf(() -> backend.reduce(ReduceOp.SUM, g, new int[] {0}, false)),
                "sum over axis 0");
    }

    @Test
    @DisplayName("x·Wᵀ and Gᵀ·x of a 784-512 layer allocate only the product, not a transposed operand")
    void matmul_withTransposes_allocatesOnlyTheResult() {
        BackendArray x = random(256, 784);
        BackendArray w = random(512, 784);
        BackendArray g = random(256, 512);
        assertOnlyTheResult(256 * 512 * 4L, bytesOf(() -> backend.matmul(x, false, w, true)), "x·Wᵀ");
        assertOnlyTheResult(512 * 784 * 4L, bytesOf(() -> backend.matmul(g, true, x, false)), "Gᵀ·x");
    }

    @Test
    @DisplayName("a transpose (permute) allocates only its result")
    void permute_ofAMatrix_allocatesOnlyTheResult() {
        BackendArray w = random(512, 784);
        assertOnlyTheResult(512 * 784 * 4L, bytesOf(() -> backend.permute(w, new int[] {1, 0})), "Wᵀ");
    }
}
