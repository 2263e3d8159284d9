package io.polygrad.scratch;

import io.polygrad.spi.Shapes;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The matmul kernel of the scratch backend: row-major (batched) matrix products
 * {@code C[m,n] = A[m,k] · B[k,n]}, either operand possibly stored as its transpose, split over the
 * available cores.
 *
 * <p>float32 products run {@link ScratchVectorMatmul} (packed, register-tiled SIMD FMA that reads a
 * transposed operand while packing it) when the JVM runs with {@code --add-modules
 * jdk.incubator.vector} (set {@code -Dpolygrad.scratch.vector=false} to turn it off); a large product
 * is split into whole register tiles along its rows or its columns, one part per worker, and gives
 * the same bits for any number of workers. Without the module, and unless turned off deliberately,
 * the first float32 product logs one line through {@link System.Logger} (logger
 * {@code io.polygrad.scratch}, INFO) saying how to turn SIMD on.
 *
 * <p>float64 products, and float32 ones without SIMD, run the scalar kernel below on operands whose
 * transposes are first copied into a buffer of the thread ({@link ScratchBuffers}). Its inner loop
 * updates one row segment of C from four rows of B at once
 * ({@code c[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j]}): a single store stream, which HotSpot's
 * auto-vectoriser turns into SIMD code. B is walked in {@value #KC}×{@value #NC} blocks that stay in
 * cache while every row of the chunk passes over them, and the rows are split over the workers.
 */
final class ScratchMatmul {

    private static final int KC = 128;
    private static final int NC = 512;
    /** Below this many multiply-adds the product runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;

    /** The worker pool of the scratch backend's parallel kernels (matmul, convolution). */
    static final ForkJoinPool POOL = new ForkJoinPool(
            Runtime.getRuntime().availableProcessors(),
            pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("polygrad-scratch-matmul-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);

    /** How many chunks a large product is split into; a process-wide setting, {@link #setThreads}. */
    private static volatile int threads = POOL.getParallelism();

    /** The system property that turns the SIMD kernel off when set to {@code false}. */
    static final String VECTOR_PROPERTY = "polygrad.scratch.vector";
    /** Whether the JVM runs with the {@code jdk.incubator.vector} module. */
    private static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** Whether the SIMD kernel was turned off deliberately. */
    private static final boolean VECTOR_DISABLED = "false".equals(System.getProperty(VECTOR_PROPERTY));
    /** Whether the Vector API kernel is used for float32. */
    static final boolean VECTOR = VECTOR_MODULE && !VECTOR_DISABLED;
    /** Whether the SIMD notice still has to be logged (read unsynchronised; {@link #NOTICED} makes it once). */
    private static boolean noticePending = !VECTOR_MODULE && !VECTOR_DISABLED;
    private static final AtomicBoolean NOTICED = new AtomicBoolean();

    private ScratchMatmul() {
    }

    /**
     * Returns the batched product of {@code a} or its transpose with {@code b} or its transpose, as
     * {@code shape}; the SIMD kernel reads a transposed operand in place, the scalar kernel copies it,
     * transposed, into a buffer this thread reuses ({@link ScratchBuffers}), so a product allocates
     * only its result.
     */
    static ScratchArray matmul(ScratchBackend backend, ScratchArray a, boolean transposeA, ScratchArray b,
            boolean transposeB, int[] shape) {
        int r = shape.length;
        int m = shape[r - 2];
        int k = a.shape[r - (transposeA ? 2 : 1)];
        int n = shape[r - 1];
        int batch = Shapes.size(Arrays.copyOf(shape, r - 2));
        if (a.f != null) {
            if (noticePending) {
                logVectorNotice();
            }
            if (VECTOR) {
                float[] c = new float[batch * m * n];
                for (int p = 0; p < batch; p++) {
                    multiply(a.f, p * m * k, transposeA, b.f, p * k * n, transposeB, c, p * m * n, m, k, n);
                }
                return new ScratchArray(backend, c, shape);
            }
            float[] x = transposeA ? ScratchBuffers.floats(a.f.length) : a.f;
            float[] y = transposeB ? ScratchBuffers.floats(b.f.length) : b.f;
            try {
                if (transposeA) {
                    transpose(a.f, x, batch, k, m);
                }
                if (transposeB) {
                    transpose(b.f, y, batch, n, k);
                }
                float[] c = new float[batch * m * n];
                for (int p = 0; p < batch; p++) {
                    multiply(x, p * m * k, y, p * k * n, c, p * m * n, m, k, n);
                }
                return new ScratchArray(backend, c, shape);
            } finally {
                ScratchBuffers.release(x, a.f);
                ScratchBuffers.release(y, b.f);
            }
        }
        double[] x = transposeA ? ScratchBuffers.doubles(a.d.length) : a.d;
        double[] y = transposeB ? ScratchBuffers.doubles(b.d.length) : b.d;
        try {
            if (transposeA) {
                transpose(a.d, x, batch, k, m);
            }
            if (transposeB) {
                transpose(b.d, y, batch, n, k);
            }
            double[] c = new double[batch * m * n];
            for (int p = 0; p < batch; p++) {
                multiply(x, p * m * k, y, p * k * n, c, p * m * n, m, k, n);
            }
            return new ScratchArray(backend, c, shape);
        } finally {
            ScratchBuffers.release(x, a.d);
            ScratchBuffers.release(y, b.d);
        }
    }

    /** The side of the square blocks {@link #transpose} copies, so that reads and writes stay in cache. */
    private static final int TRANSPOSE_BLOCK = 32;

    /** Writes each of {@code batch} row-major {@code rows × cols} matrices of {@code src} transposed into {@code dst}. */
    static void transpose(float[] src, float[] dst, int batch, int rows, int cols) {
        for (int p = 0, off = 0; p < batch; p++, off += rows * cols) {
            transpose(src, off, dst, off, rows, cols);
        }
    }

    /** Writes each of {@code batch} row-major {@code rows × cols} matrices of {@code src} transposed into {@code dst}. */
    static void transpose(double[] src, double[] dst, int batch, int rows, int cols) {
        for (int p = 0, off = 0; p < batch; p++, off += rows * cols) {
            for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
                int i1 = Math.min(rows, i0 + TRANSPOSE_BLOCK);
                for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
                    int j1 = Math.min(cols, j0 + TRANSPOSE_BLOCK);
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0; j < j1; j++) {
                            dst[off + j * rows + i] = src[off + i * cols + j];
                        }
                    }
                }
            }
        }
    }

    /** Returns whether float32 products run on the Vector API (SIMD) kernel in this JVM. */
    static boolean usesVectorKernel() {
        return VECTOR;
    }

    /**
     * Returns the notice logged (once per JVM, at the first float32 product) when the SIMD kernel is
     * off only because the JVM lacks the Vector API module: float32 matmul is then about 2x slower.
     */
    static String vectorNotice() {
        return "polygrad scratch backend: the SIMD float32 matmul is off because the JVM runs without the "
                + "jdk.incubator.vector module, so float32 products are about 2x slower; start the JVM with "
                + "--add-modules jdk.incubator.vector to turn it on (or -D" + VECTOR_PROPERTY
                + "=false to keep it off without this notice)";
    }

    private static void logVectorNotice() {
        noticePending = false;
        if (NOTICED.compareAndSet(false, true)) {
            System.getLogger(ScratchMatmul.class.getPackageName()).log(System.Logger.Level.INFO, vectorNotice());
        }
    }

    /** Adds {@code A[m,k] · B[k,n]} into C with the scalar kernel, split by rows over the workers. */
    static void multiply(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n) {
        int chunks = chunks(m, k, n);
        if (chunks == 1) {
            rows(a, aOff, b, bOff, c, cOff, 0, m, 0, n, k, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
        for (int t = 0; t < chunks; t++) {
            int r0 = (int) ((long) m * t / chunks);
            int r1 = (int) ((long) m * (t + 1) / chunks);
            tasks[t] = POOL.submit(() -> rows(a, aOff, b, bOff, c, cOff, r0, r1, 0, n, k, n));
        }
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    /**
     * Adds {@code A[m,k] · B[k,n]} into C with the SIMD kernel, where A (B) is stored row-major as its
     * transpose when {@code transposeA} ({@code transposeB}); a large product is split into whole
     * register tiles along its rows or its columns, whichever has each worker pack fewer elements
     * (each worker packs its own blocks), one part per worker, the calling thread taking the last.
     */
    static void multiply(float[] a, int aOff, boolean transposeA, float[] b, int bOff, boolean transposeB,
            float[] c, int cOff, int m, int k, int n) {
        int rowTiles = (m + ScratchVectorMatmul.MR - 1) / ScratchVectorMatmul.MR;
        int colTiles = (n + ScratchVectorMatmul.NR - 1) / ScratchVectorMatmul.NR;
        int workers = (long) m * k * n < PARALLEL_THRESHOLD ? 1 : threads;
        boolean byRows = colTiles < workers
                || rowTiles >= workers && packedByRows(m, k, n, workers) <= packedByColumns(m, k, n, workers);
        int tiles = byRows ? rowTiles : colTiles;
        int parts = Math.min(tiles, workers);
        if (parts == 1) {
            ScratchVectorMatmul.multiply(a, aOff, transposeA, b, bOff, transposeB, c, cOff, m, k, n, 0, m, 0, n);
            return;
        }
        int tile = byRows ? ScratchVectorMatmul.MR : ScratchVectorMatmul.NR;
        int extent = byRows ? m : n;
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int t = 0; t < parts; t++) {
            int s0 = Math.min(extent, tiles * t / parts * tile);
            int s1 = Math.min(extent, tiles * (t + 1) / parts * tile);
            int i0 = byRows ? s0 : 0;
            int i1 = byRows ? s1 : m;
            int j0 = byRows ? 0 : s0;
            int j1 = byRows ? n : s1;
            if (t < parts - 1) {
                tasks[t] = POOL.submit(() -> ScratchVectorMatmul.multiply(a, aOff, transposeA, b, bOff, transposeB,
                        c, cOff, m, k, n, i0, i1, j0, j1));
            } else {
                ScratchVectorMatmul.multiply(a, aOff, transposeA, b, bOff, transposeB, c, cOff, m, k, n,
                        i0, i1, j0, j1);
            }
        }
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    /**
     * Returns how many elements each worker packs when the rows are split over {@code workers}: all
     * of B once, and its share of A once per column block.
     */
    private static long packedByRows(int m, int k, int n, int workers) {
        long columnBlocks = (n + ScratchVectorMatmul.NC - 1) / ScratchVectorMatmul.NC;
        return (long) k * n + (long) (m + workers - 1) / workers * k * columnBlocks;
    }

    /** Returns how many elements each worker packs when the columns are split: its share of B, and A per block. */
    private static long packedByColumns(int m, int k, int n, int workers) {
        int share = (n + workers - 1) / workers;
        long columnBlocks = (share + ScratchVectorMatmul.NC - 1) / ScratchVectorMatmul.NC;
        return (long) k * share + (long) m * k * columnBlocks;
    }

    /**
     * Adds {@code A[m,k] · B[k,n]} into C on the calling thread (the SIMD kernel for float32 where
     * available), for kernels that already run one task per core (convolution over a batch).
     */
    static void multiplySerial(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n) {
        if (noticePending) {
            logVectorNotice();
        }
        if (VECTOR) {
            ScratchVectorMatmul.multiply(a, aOff, false, b, bOff, false, c, cOff, m, k, n, 0, m, 0, n);
        } else {
            rows(a, aOff, b, bOff, c, cOff, 0, m, 0, n, k, n);
        }
    }

    /**
     * Adds {@code A[m,k] · B[k,n]} into C on the calling thread, where A (B) is stored row-major as its
     * transpose, {@code k × m} ({@code n × k}), when {@code transposeA} ({@code transposeB}): the SIMD
     * kernel reads a transposed operand in place while packing it; the scalar kernel first copies it,
     * transposed, into a buffer of this thread ({@link ScratchBuffers}).
     */
    static void multiplySerial(float[] a, int aOff, boolean transposeA, float[] b, int bOff, boolean transposeB,
            float[] c, int cOff, int m, int k, int n) {
        if (noticePending) {
            logVectorNotice();
        }
        if (VECTOR) {
            ScratchVectorMatmul.multiply(a, aOff, transposeA, b, bOff, transposeB, c, cOff, m, k, n, 0, m, 0, n);
            return;
        }
        float[] x = transposeA ? ScratchBuffers.floats(m * k) : a;
        float[] y = transposeB ? ScratchBuffers.floats(k * n) : b;
        try {
            if (transposeA) {
                transpose(a, aOff, x, 0, k, m);
            }
            if (transposeB) {
                transpose(b, bOff, y, 0, n, k);
            }
            rows(x, transposeA ? 0 : aOff, y, transposeB ? 0 : bOff, c, cOff, 0, m, 0, n, k, n);
        } finally {
            ScratchBuffers.release(x, a);
            ScratchBuffers.release(y, b);
        }
    }

    /** Writes the row-major {@code rows × cols} matrix at {@code src[srcOff]} transposed into {@code dst[dstOff...]}, in cache-sized blocks. */
    private static void transpose(float[] src, int srcOff, float[] dst, int dstOff, int rows, int cols) {
        for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
            int i1 = Math.min(rows, i0 + TRANSPOSE_BLOCK);
            for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
                int j1 = Math.min(cols, j0 + TRANSPOSE_BLOCK);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        dst[dstOff + j * rows + i] = src[srcOff + i * cols + j];
                    }
                }
            }
        }
    }

    /** Adds {@code A[m,k] · B[k,n]} into C on the calling thread. */
    static void multiplySerial(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int m, int k, int n) {
        rows(a, aOff, b, bOff, c, cOff, 0, m, 0, n, k, n);
    }

    static void multiply(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int m, int k, int n) {
        int chunks = chunks(m, k, n);
        if (chunks == 1) {
            rows(a, aOff, b, bOff, c, cOff, 0, m, 0, n, k, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
        for (int t = 0; t < chunks; t++) {
            int r0 = (int) ((long) m * t / chunks);
            int r1 = (int) ((long) m * (t + 1) / chunks);
            tasks[t] = POOL.submit(() -> rows(a, aOff, b, bOff, c, cOff, r0, r1, 0, n, k, n));
        }
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    private static int chunks(int m, int k, int n) {
        long work = (long) m * k * n;
        if (work < PARALLEL_THRESHOLD || m < 2) {
            return 1;
        }
        return Math.min(m, threads);
    }

    /**
     * Sets how many workers a large product uses (process-wide, as the native libraries' thread
     * settings); counts above the available processors queue on the processors' workers.
     */
    static void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("scratch: threads must be at least 1, got " + count);
        }
        threads = count;
    }

    /** Returns how many workers a large product uses. */
    static int threads() {
        return threads;
    }

    /** Adds {@code A[r0:r1, :] · B[:, c0:c1]} into C with the scalar kernel. */
    private static void rows(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
            int r0, int r1, int c0, int c1, int k, int n) {
        for (int j0 = c0; j0 < c1; j0 += NC) {
            int j1 = Math.min(c1, j0 + NC);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int k1 = Math.min(k, k0 + KC);
                for (int i = r0; i < r1; i++) {
                    int aRow = aOff + i * k;
                    int cRow = cOff + i * n;
                    int p = k0;
                    for (; p + 3 < k1; p += 4) {
                        float a0 = a[aRow + p];
                        float a1 = a[aRow + p + 1];
                        float a2 = a[aRow + p + 2];
                        float a3 = a[aRow + p + 3];
                        int b0 = bOff + p * n;
                        int b1 = b0 + n;
                        int b2 = b1 + n;
                        int b3 = b2 + n;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                        }
                    }
                    for (; p < k1; p++) {
                        float a0 = a[aRow + p];
                        int b0 = bOff + p * n;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += a0 * b[b0 + j];
                        }
                    }
                }
            }
        }
    }

    private static void rows(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
            int r0, int r1, int c0, int c1, int k, int n) {
        for (int j0 = c0; j0 < c1; j0 += NC) {
            int j1 = Math.min(c1, j0 + NC);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int k1 = Math.min(k, k0 + KC);
                for (int i = r0; i < r1; i++) {
                    int aRow = aOff + i * k;
                    int cRow = cOff + i * n;
                    int p = k0;
                    for (; p + 3 < k1; p += 4) {
                        double a0 = a[aRow + p];
                        double a1 = a[aRow + p + 1];
                        double a2 = a[aRow + p + 2];
                        double a3 = a[aRow + p + 3];
                        int b0 = bOff + p * n;
                        int b1 = b0 + n;
                        int b2 = b1 + n;
                        int b3 = b2 + n;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                        }
                    }
                    for (; p < k1; p++) {
                        double a0 = a[aRow + p];
                        int b0 = bOff + p * n;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += a0 * b[b0 + j];
                        }
                    }
                }
            }
        }
    }
}
