package io.polygrad.scratch;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD detail of scratch's float32 matmul: matrix-product tiles on the JDK's Vector API (SIMD
 * FMA). B is packed into panels of {@code 3 × lanes} columns (in a buffer each thread keeps), and each
 * 4-row tile keeps its 12 accumulators in registers.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}); {@link ScratchMatmul} falls back to its scalar
 * kernel otherwise. Rows and columns that do not fill a whole tile are left to the caller.
 */
final class ScratchVectorMatmul {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Columns of one tile: three vectors. */
    static final int NR = 3 * LANES;
    /** Rows of one tile. */
    static final int MR = 4;
    private static final int KC = 256;
    /** Each thread's panel of packed B columns, reused by every product the thread runs tiles for. */
    private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[KC * NR]);

    private ScratchVectorMatmul() {
    }

    /**
     * Adds {@code A[r0:r1, :] · B[:, 0:nFull]} into C, for {@code r1 - r0} a multiple of {@link #MR}
     * and {@code nFull} a multiple of {@link #NR}.
     */
    static void tiles(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int r0, int r1, int k, int n,
            int nFull) {
        float[] pack = PACK.get();
        for (int j0 = 0; j0 < nFull; j0 += NR) {
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (k0 + p) * n + j0, pack, p * NR, NR);
                }
                for (int i = r0; i < r1; i += MR) {
                    tile(a, aOff + i * k + k0, k, pack, kc, c, cOff + i * n + j0, n);
                }
            }
        }
    }

    private static void tile(float[] a, int a0, int k, float[] pack, int kc, float[] c, int c0, int n) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector c00 = zero;
        FloatVector c01 = zero;
        FloatVector c02 = zero;
        FloatVector c10 = zero;
        FloatVector c11 = zero;
        FloatVector c12 = zero;
        FloatVector c20 = zero;
        FloatVector c21 = zero;
        FloatVector c22 = zero;
        FloatVector c30 = zero;
        FloatVector c31 = zero;
        FloatVector c32 = zero;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int p = 0; p < kc; p++) {
            int off = p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pack, off);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pack, off + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, pack, off + 2 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        addRow(c, c0, c00, c01, c02);
        addRow(c, c0 + n, c10, c11, c12);
        addRow(c, c0 + 2 * n, c20, c21, c22);
        addRow(c, c0 + 3 * n, c30, c31, c32);
    }

    private static void addRow(float[] c, int o, FloatVector v0, FloatVector v1, FloatVector v2) {
        FloatVector.fromArray(SPECIES, c, o).add(v0).intoArray(c, o);
        FloatVector.fromArray(SPECIES, c, o + LANES).add(v1).intoArray(c, o + LANES);
        FloatVector.fromArray(SPECIES, c, o + 2 * LANES).add(v2).intoArray(c, o + 2 * LANES);
    }
}
