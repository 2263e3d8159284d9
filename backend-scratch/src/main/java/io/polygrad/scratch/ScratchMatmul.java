package io.polygrad.scratch;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Computes row-major matrix products {@code C[m,n] = A[m,k] · B[k,n]}, cache-blocked and split by rows
 * over the available cores.
 *
 * <p>The inner loop updates one row segment of C from four rows of B at once
 * ({@code c[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j]}): a single store stream, which HotSpot's
 * auto-vectoriser turns into SIMD code. B is walked in {@value #KC}×{@value #NC} blocks that stay in
 * cache while every row of the chunk passes over them.
 */
final class ScratchMatmul {

    private static final int KC = 128;
    private static final int NC = 512;
    /** Below this many multiply-adds the product runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;

    private static final ForkJoinPool POOL = new ForkJoinPool(
            Runtime.getRuntime().availableProcessors(),
            pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("polygrad-scratch-matmul-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);

    private ScratchMatmul() {
    }

    static void multiply(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int k, int n) {
        int chunks = chunks(m, k, n);
        if (chunks == 1) {
            rows(a, aOff, b, bOff, c, cOff, 0, m, k, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
        for (int t = 0; t < chunks; t++) {
            int r0 = (int) ((long) m * t / chunks);
            int r1 = (int) ((long) m * (t + 1) / chunks);
            tasks[t] = POOL.submit(() -> rows(a, aOff, b, bOff, c, cOff, r0, r1, k, n));
        }
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    static void multiply(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int m, int k, int n) {
        int chunks = chunks(m, k, n);
        if (chunks == 1) {
            rows(a, aOff, b, bOff, c, cOff, 0, m, k, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
        for (int t = 0; t < chunks; t++) {
            int r0 = (int) ((long) m * t / chunks);
            int r1 = (int) ((long) m * (t + 1) / chunks);
            tasks[t] = POOL.submit(() -> rows(a, aOff, b, bOff, c, cOff, r0, r1, k, n));
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
        return Math.min(m, POOL.getParallelism());
    }

    private static void rows(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
            int r0, int r1, int k, int n) {
        for (int j0 = 0; j0 < n; j0 += NC) {
            int j1 = Math.min(n, j0 + NC);
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
            int r0, int r1, int k, int n) {
        for (int j0 = 0; j0 < n; j0 += NC) {
            int j1 = Math.min(n, j0 + NC);
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
