package io.polygrad.scratch;

import io.polygrad.spi.Im2col;
import java.util.Arrays;

/**
 * The scratch backend's im2col and col2im for one image, the same values as {@link Im2col}'s but with
 * the bounds worked out once per block row instead of tested per element: each row of the block
 * matrix is, for every output row, a run of zeros (left padding), a run of input elements (a plain
 * copy at stride 1) and a run of zeros (right padding). {@link #fold} adds in {@link Im2col#fold}'s
 * order, so its sums are the same to the bit.
 */
final class ScratchIm2col {

    private ScratchIm2col() {
    }

    /** Returns the first output column whose input column {@code x·stride + x0} is at least 0. */
    private static int firstInside(int x0, int stride, int ow) {
        return x0 >= 0 ? 0 : Math.min(ow, (-x0 + stride - 1) / stride);
    }

    /** Returns one past the last output column whose input column {@code x·stride + x0} is below {@code w}. */
    private static int endInside(int x0, int stride, int w, int ow) {
        return x0 >= w ? 0 : Math.min(ow, (w - 1 - x0) / stride + 1);
    }

    /**
     * Writes the blocks {@code [C·kH·kW, L]} of the image at {@code in[inOff]} into {@code cols}, row
     * {@code r} starting at {@code colsOff + r·rowStride} (a block matrix of several images side by side
     * when {@code rowStride > L}).
     */
    static void unfold(Im2col.Geometry g, float[] in, int inOff, float[] cols, int colsOff, int rowStride) {
        int r = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, r++) {
                    int x0 = j * g.dw() - g.pw();
                    int lo = firstInside(x0, g.sw(), g.ow());
                    int hi = Math.max(lo, endInside(x0, g.sw(), g.w(), g.ow()));
                    int o = colsOff + r * rowStride;
                    for (int y = 0; y < g.oh(); y++, o += g.ow()) {
                        int yy = y * g.sh() - g.ph() + i * g.dh();
                        if (yy < 0 || yy >= g.h()) {
                            Arrays.fill(cols, o, o + g.ow(), 0f);
                            continue;
                        }
                        int row = inOff + (c * g.h() + yy) * g.w() + x0;
                        Arrays.fill(cols, o, o + lo, 0f);
                        if (g.sw() == 1) {
                            System.arraycopy(in, row + lo, cols, o + lo, hi - lo);
                        } else {
                            for (int x = lo, s = row + lo * g.sw(); x < hi; x++, s += g.sw()) {
                                cols[o + x] = in[s];
                            }
                        }
                        Arrays.fill(cols, o + hi, o + g.ow(), 0f);
                    }
                }
            }
        }
    }

    /** Writes the blocks of the image at {@code in[inOff]}; see {@link #unfold(Im2col.Geometry, float[], int, float[], int, int)}. */
    static void unfold(Im2col.Geometry g, double[] in, int inOff, double[] cols, int colsOff, int rowStride) {
        int r = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, r++) {
                    int x0 = j * g.dw() - g.pw();
                    int lo = firstInside(x0, g.sw(), g.ow());
                    int hi = Math.max(lo, endInside(x0, g.sw(), g.w(), g.ow()));
                    int o = colsOff + r * rowStride;
                    for (int y = 0; y < g.oh(); y++, o += g.ow()) {
                        int yy = y * g.sh() - g.ph() + i * g.dh();
                        if (yy < 0 || yy >= g.h()) {
                            Arrays.fill(cols, o, o + g.ow(), 0.0);
                            continue;
                        }
                        int row = inOff + (c * g.h() + yy) * g.w() + x0;
                        Arrays.fill(cols, o, o + lo, 0.0);
                        if (g.sw() == 1) {
                            System.arraycopy(in, row + lo, cols, o + lo, hi - lo);
                        } else {
                            for (int x = lo, s = row + lo * g.sw(); x < hi; x++, s += g.sw()) {
                                cols[o + x] = in[s];
                            }
                        }
                        Arrays.fill(cols, o + hi, o + g.ow(), 0.0);
                    }
                }
            }
        }
    }

    /**
     * Writes the transposed blocks {@code [L, C·kH·kW]} of the image at {@code in[inOff]} into
     * {@code cols[colsOff]}: for each block, the kernel-row runs of each channel.
     */
    static void unfoldTransposed(Im2col.Geometry g, float[] in, int inOff, float[] cols, int colsOff) {
        int rows = g.rows();
        int kw = g.kw();
        int dw = g.dw();
        for (int y = 0; y < g.oh(); y++) {
            for (int x = 0; x < g.ow(); x++) {
                int o = colsOff + (y * g.ow() + x) * rows;
                int x0 = x * g.sw() - g.pw();
                int lo = firstInside(x0, dw, kw);
                int hi = Math.max(lo, endInside(x0, dw, g.w(), kw));
                for (int c = 0; c < g.c(); c++) {
                    for (int i = 0; i < g.kh(); i++, o += kw) {
                        int yy = y * g.sh() - g.ph() + i * g.dh();
                        if (yy < 0 || yy >= g.h()) {
                            Arrays.fill(cols, o, o + kw, 0f);
                            continue;
                        }
                        int row = inOff + (c * g.h() + yy) * g.w() + x0;
                        for (int j = 0; j < lo; j++) {
                            cols[o + j] = 0f;
                        }
                        for (int j = lo; j < hi; j++) {
                            cols[o + j] = in[row + j * dw];
                        }
                        for (int j = hi; j < kw; j++) {
                            cols[o + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** Writes the transposed blocks of the image at {@code in[inOff]}; see {@link #unfoldTransposed(Im2col.Geometry, float[], int, float[], int)}. */
    static void unfoldTransposed(Im2col.Geometry g, double[] in, int inOff, double[] cols, int colsOff) {
        int rows = g.rows();
        int kw = g.kw();
        int dw = g.dw();
        for (int y = 0; y < g.oh(); y++) {
            for (int x = 0; x < g.ow(); x++) {
                int o = colsOff + (y * g.ow() + x) * rows;
                int x0 = x * g.sw() - g.pw();
                int lo = firstInside(x0, dw, kw);
                int hi = Math.max(lo, endInside(x0, dw, g.w(), kw));
                for (int c = 0; c < g.c(); c++) {
                    for (int i = 0; i < g.kh(); i++, o += kw) {
                        int yy = y * g.sh() - g.ph() + i * g.dh();
                        if (yy < 0 || yy >= g.h()) {
                            Arrays.fill(cols, o, o + kw, 0.0);
                            continue;
                        }
                        int row = inOff + (c * g.h() + yy) * g.w() + x0;
                        for (int j = 0; j < lo; j++) {
                            cols[o + j] = 0.0;
                        }
                        for (int j = lo; j < hi; j++) {
                            cols[o + j] = in[row + j * dw];
                        }
                        for (int j = hi; j < kw; j++) {
                            cols[o + j] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the blocks {@code [C·kH·kW, L]} at {@code cols[colsOff]} into the image at {@code out[outOff]}
     * (col2im), entries in the padding dropped, in {@link Im2col#fold}'s order.
     */
    static void fold(Im2col.Geometry g, float[] cols, int colsOff, float[] out, int outOff) {
        fold(g, cols, colsOff, g.blocks(), out, outOff);
    }

    /**
     * Adds the blocks {@code [C·kH·kW, L]} whose row {@code r} starts at {@code cols[colsOff + r·rowStride]}
     * (one image of a block matrix of several side by side when {@code rowStride > L}) into the image at
     * {@code out[outOff]}, in {@link Im2col#fold}'s order.
     */
    static void fold(Im2col.Geometry g, float[] cols, int colsOff, int rowStride, float[] out, int outOff) {
        int r = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, r++) {
                    int o = colsOff + r * rowStride;
                    int x0 = j * g.dw() - g.pw();
                    int lo = firstInside(x0, g.sw(), g.ow());
                    int hi = Math.max(lo, endInside(x0, g.sw(), g.w(), g.ow()));
                    for (int y = 0; y < g.oh(); y++, o += g.ow()) {
                        int yy = y * g.sh() - g.ph() + i * g.dh();
                        if (yy < 0 || yy >= g.h()) {
                            continue;
                        }
                        int row = outOff + (c * g.h() + yy) * g.w() + x0;
                        if (g.sw() == 1) {
                            for (int x = lo; x < hi; x++) {
                                out[row + x] += cols[o + x];
                            }
                        } else {
                            for (int x = lo, s = row + lo * g.sw(); x < hi; x++, s += g.sw()) {
                                out[s] += cols[o + x];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds the blocks at {@code cols[colsOff]} into the image at {@code out[outOff]}; see {@link #fold(Im2col.Geometry, float[], int, float[], int)}. */
    static void fold(Im2col.Geometry g, double[] cols, int colsOff, double[] out, int outOff) {
        int o = colsOff;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int x0 = j * g.dw() - g.pw();
                    int lo = firstInside(x0, g.sw(), g.ow());
                    int hi = Math.max(lo, endInside(x0, g.sw(), g.w(), g.ow()));
                    for (int y = 0; y < g.oh(); y++, o += g.ow()) {
                        int yy = y * g.sh() - g.ph() + i * g.dh();
                        if (yy < 0 || yy >= g.h()) {
                            continue;
                        }
                        int row = outOff + (c * g.h() + yy) * g.w() + x0;
                        if (g.sw() == 1) {
                            for (int x = lo; x < hi; x++) {
                                out[row + x] += cols[o + x];
                            }
                        } else {
                            for (int x = lo, s = row + lo * g.sw(); x < hi; x++, s += g.sw()) {
                                out[s] += cols[o + x];
                            }
                        }
                    }
                }
            }
        }
    }
}
