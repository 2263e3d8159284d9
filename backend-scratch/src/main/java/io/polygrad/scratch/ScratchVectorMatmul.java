package io.polygrad.scratch;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD float32 matmul of the scratch backend, on the JDK's Vector API (SIMD FMA), laid out as
 * GotoBLAS/BLIS: {@code C[i0:i1, j0:j1] += A[i0:i1, :] · B[:, j0:j1]} with either operand read
 * directly or as the transpose of its row-major storage (no transposed copy is made).
 *
 * <p>The loops, outermost first: columns in blocks of {@value #NC}; depth in blocks of
 * {@value #KC}, for each of which the {@code KC × NC} block of B is packed into contiguous
 * micro-panels of {@link #NR} columns (about 512 KiB, kept in L2); rows in steps of {@link #MR}, for
 * each of which the {@code MR × KC} sliver of A is packed (6 KiB, kept in L1); and then one register
 * tile per B micro-panel. A register tile holds {@code MR × NR} sums in {@code MR · NV} vector
 * registers: 6 × 4 vectors (24 of the 32 registers) where the preferred species is 512 bits wide
 * (AVX-512), 6 × 2 vectors (12 of 16) where it is narrower (AVX2), so that the accumulators, the
 * B vectors and the broadcast A value never spill.
 *
 * <p>A register tile ends by storing its sums into a small buffer of the thread, which is then
 * added into the part of C the tile covers: a tile that added into C itself would be too large for
 * the JIT to inline all its Vector API calls, and the vectors would be boxed. Edges stay in the
 * vector path: a sliver of fewer than {@code MR} rows is packed with zero rows, the last micro-panel
 * of B is packed {@code ⌈columns / lanes⌉} vectors wide with zero columns (and multiplied by two- and
 * one-vector tiles), and only the part of a tile inside C is added. Each element of C receives, per
 * depth block, one sum accumulated in order of depth and then added to C: the same order for any
 * tile, edge or thread split, so results do not depend on the number of threads.
 *
 * <p>Buffers are per thread and reused ({@link Workspace}); a product allocates nothing here. Only
 * loaded when the {@code jdk.incubator.vector} module is present; {@link ScratchMatmul} runs its
 * scalar kernel otherwise.
 */
final class ScratchVectorMatmul {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats in one vector. */
    static final int LANES = SPECIES.length();
    /** Vectors across one register tile. */
    static final int NV = LANES >= 16 ? 4 : 2;
    /** Columns of one register tile (and of one packed micro-panel of B). */
    static final int NR = NV * LANES;
    /** Rows of one register tile (and of one packed sliver of A). */
    static final int MR = 6;
    /** Depth of one packed block. */
    static final int KC = 256;
    /** Columns of one packed block of B, a multiple of {@link #NR}. */
    static final int NC = 512 / NR * NR;

    /** A thread's packing buffers and edge tile. */
    private static final class Workspace {
        final float[] a = new float[MR * KC];
        final float[] b = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private ScratchVectorMatmul() {
    }

    /**
     * Adds {@code A[i0:i1, :] · B[:, j0:j1]} into {@code C[i0:i1, j0:j1]} on the calling thread, where
     * A is {@code m × k} and B is {@code k × n}, C is row-major {@code m × n} at {@code cOff}, and
     * {@code transposeA} ({@code transposeB}) says that A (B) is stored row-major as its transpose,
     * {@code k × m} ({@code n × k}), at {@code aOff} ({@code bOff}).
     */
    static void multiply(float[] a, int aOff, boolean transposeA, float[] b, int bOff, boolean transposeB,
            float[] c, int cOff, int m, int k, int n, int i0, int i1, int j0, int j1) {
        Workspace w = WORKSPACE.get();
        float[] ap = w.a;
        float[] bp = w.b;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                if (transposeB) {
                    packTransposedB(b, bOff, k, pc, kc, jc, nc, bp);
                } else {
                    packB(b, bOff, n, pc, kc, jc, nc, bp);
                }
                for (int ir = i0; ir < i1; ir += MR) {
                    int mr = Math.min(MR, i1 - ir);
                    if (transposeA) {
                        packTransposedA(a, aOff, m, pc, kc, ir, mr, ap);
                    } else {
                        packA(a, aOff, k, pc, kc, ir, mr, ap);
                    }
                    int cRow = cOff + ir * n + jc;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int panel = jr * kc;
                        if (nr == NR) {
                            kernel(ap, bp, panel, kc, c, cRow + jr, n, mr, nr, w.tile);
                        } else {
                            edge(ap, bp, panel, kc, c, cRow + jr, n, mr, nr, w.tile);
                        }
                    }
                }
            }
        }
    }

    /** Returns the width of the packed micro-panel that holds {@code nr} columns: whole vectors. */
    private static int panelWidth(int nr) {
        return nr >= NR ? NR : (nr + LANES - 1) / LANES * LANES;
    }

    /** Packs {@code B[pc:pc+kc, jc:jc+nc]} of row-major {@code B[k, n]} into micro-panels. */
    private static void packB(float[] b, int bOff, int n, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int width = panelWidth(nr);
            int dst = jr * kc;
            int src = bOff + pc * n + jc + jr;
            for (int p = 0; p < kc; p++, dst += width, src += n) {
                System.arraycopy(b, src, bp, dst, nr);
                for (int j = nr; j < width; j++) {
                    bp[dst + j] = 0f;
                }
            }
        }
    }

    /** Packs {@code B[pc:pc+kc, jc:jc+nc]} of B stored row-major as its transpose {@code [n, k]}. */
    private static void packTransposedB(float[] bt, int bOff, int k, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int width = panelWidth(nr);
            int panel = jr * kc;
            for (int j = 0; j < nr; j++) {
                int src = bOff + (jc + jr + j) * k + pc;
                for (int p = 0, dst = panel + j; p < kc; p++, dst += width) {
                    bp[dst] = bt[src + p];
                }
            }
            for (int j = nr; j < width; j++) {
                for (int p = 0, dst = panel + j; p < kc; p++, dst += width) {
                    bp[dst] = 0f;
                }
            }
        }
    }

    /** Packs {@code A[ir:ir+mr, pc:pc+kc]} of row-major {@code A[m, k]} into an {@code MR}-row sliver. */
    private static void packA(float[] a, int aOff, int k, int pc, int kc, int ir, int mr, float[] ap) {
        for (int r = 0; r < mr; r++) {
            int src = aOff + (ir + r) * k + pc;
            for (int p = 0, dst = r; p < kc; p++, dst += MR) {
                ap[dst] = a[src + p];
            }
        }
        for (int r = mr; r < MR; r++) {
            for (int p = 0, dst = r; p < kc; p++, dst += MR) {
                ap[dst] = 0f;
            }
        }
    }

    /** Packs {@code A[ir:ir+mr, pc:pc+kc]} of A stored row-major as its transpose {@code [k, m]}. */
    private static void packTransposedA(float[] at, int aOff, int m, int pc, int kc, int ir, int mr, float[] ap) {
        for (int p = 0, src = aOff + pc * m + ir, dst = 0; p < kc; p++, src += m, dst += MR) {
            for (int r = 0; r < mr; r++) {
                ap[dst + r] = at[src + r];
            }
            for (int r = mr; r < MR; r++) {
                ap[dst + r] = 0f;
            }
        }
    }

    /**
     * Adds the {@code MR × NR} product of the packed sliver and the packed micro-panel at
     * {@code panel} into C at {@code c0} (row stride {@code ldc}), of which only {@code mr × nr} lie
     * inside C.
     */
    private static void kernel(float[] ap, float[] bp, int panel, int kc, float[] c, int c0, int ldc, int mr, int nr,
            float[] tile) {
        if (NV == 4) {
            kernel4(ap, bp, panel, kc, c, c0, ldc, mr, nr, tile);
        } else {
            kernel2(ap, bp, panel, NR, 0, kc, c, c0, ldc, mr, nr, tile);
        }
    }

    /** Adds the product with the last micro-panel, narrower than {@link #NR}, in tiles of two and one vectors. */
    private static void edge(float[] ap, float[] bp, int panel, int kc, float[] c, int c0, int ldc, int mr, int nr,
            float[] tile) {
        int width = panelWidth(nr);
        int j = 0;
        for (; width - j >= 2 * LANES; j += 2 * LANES) {
            kernel2(ap, bp, panel, width, j, kc, c, c0 + j, ldc, mr, Math.min(2 * LANES, nr - j), tile);
        }
        if (j < width) {
            kernel1(ap, bp, panel, width, j, kc, c, c0 + j, ldc, mr, nr - j, tile);
        }
    }

    private static void kernel4(float[] ap, float[] bp, int panel, int kc, float[] c, int c0, int ldc, int mr, int nr,
            float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c42 = c00;
        FloatVector c43 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c52 = c00;
        FloatVector c53 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = panel + p * NR;
            int ai = p * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bp, bi + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c02.intoArray(tile, 2 * LANES);
        c03.intoArray(tile, 3 * LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c12.intoArray(tile, NR + 2 * LANES);
        c13.intoArray(tile, NR + 3 * LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c22.intoArray(tile, 2 * NR + 2 * LANES);
        c23.intoArray(tile, 2 * NR + 3 * LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
        c32.intoArray(tile, 3 * NR + 2 * LANES);
        c33.intoArray(tile, 3 * NR + 3 * LANES);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + LANES);
        c42.intoArray(tile, 4 * NR + 2 * LANES);
        c43.intoArray(tile, 4 * NR + 3 * LANES);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + LANES);
        c52.intoArray(tile, 5 * NR + 2 * LANES);
        c53.intoArray(tile, 5 * NR + 3 * LANES);
        addTile(tile, NR, c, c0, ldc, mr, nr);
    }

    /**
     * The two-vector tile: columns {@code j:j+2·LANES} of the micro-panel at {@code panel} whose rows
     * are {@code width} floats apart.
     */
    private static void kernel2(float[] ap, float[] bp, int panel, int width, int j, int kc, float[] c, int c0,
            int ldc, int mr, int nr, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = panel + p * width + j;
            int ai = p * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int ld = 2 * LANES;
        put2(tile, 0, c00, c01);
        put2(tile, ld, c10, c11);
        put2(tile, 2 * ld, c20, c21);
        put2(tile, 3 * ld, c30, c31);
        put2(tile, 4 * ld, c40, c41);
        put2(tile, 5 * ld, c50, c51);
        addTile(tile, ld, c, c0, ldc, mr, nr);
    }

    private static void put2(float[] tile, int o, FloatVector v0, FloatVector v1) {
        v0.intoArray(tile, o);
        v1.intoArray(tile, o + LANES);
    }

    /** The one-vector tile: columns {@code j:j+LANES} of the micro-panel at {@code panel}; see {@link #kernel2}. */
    private static void kernel1(float[] ap, float[] bp, int panel, int width, int j, int kc, float[] c, int c0,
            int ldc, int mr, int nr, float[] tile) {
        FloatVector c0v = FloatVector.zero(SPECIES);
        FloatVector c1v = c0v;
        FloatVector c2v = c0v;
        FloatVector c3v = c0v;
        FloatVector c4v = c0v;
        FloatVector c5v = c0v;
        for (int p = 0; p < kc; p++) {
            int ai = p * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, panel + p * width + j);
            c0v = FloatVector.broadcast(SPECIES, ap[ai]).fma(b0, c0v);
            c1v = FloatVector.broadcast(SPECIES, ap[ai + 1]).fma(b0, c1v);
            c2v = FloatVector.broadcast(SPECIES, ap[ai + 2]).fma(b0, c2v);
            c3v = FloatVector.broadcast(SPECIES, ap[ai + 3]).fma(b0, c3v);
            c4v = FloatVector.broadcast(SPECIES, ap[ai + 4]).fma(b0, c4v);
            c5v = FloatVector.broadcast(SPECIES, ap[ai + 5]).fma(b0, c5v);
        }
        c0v.intoArray(tile, 0);
        c1v.intoArray(tile, LANES);
        c2v.intoArray(tile, 2 * LANES);
        c3v.intoArray(tile, 3 * LANES);
        c4v.intoArray(tile, 4 * LANES);
        c5v.intoArray(tile, 5 * LANES);
        addTile(tile, LANES, c, c0, ldc, mr, nr);
    }

    /**
     * Adds the top-left {@code mr × nr} of the tile buffer (rows {@code ld} apart) into C. The
     * register tiles end here rather than adding into C themselves: that would make them too large
     * for the JIT to inline the Vector API calls they are made of.
     */
    private static void addTile(float[] tile, int ld, float[] c, int c0, int ldc, int mr, int nr) {
        int full = nr / LANES * LANES;
        for (int r = 0; r < mr; r++) {
            int t = r * ld;
            int o = c0 + r * ldc;
            int j = 0;
            for (; j < full; j += LANES) {
                FloatVector.fromArray(SPECIES, c, o + j).add(FloatVector.fromArray(SPECIES, tile, t + j))
                        .intoArray(c, o + j);
            }
            for (; j < nr; j++) {
                c[o + j] += tile[t + j];
            }
        }
    }
}
