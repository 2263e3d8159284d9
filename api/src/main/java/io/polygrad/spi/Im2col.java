package io.polygrad.spi;

/**
 * Heap implementations of {@link Backend#unfold} (im2col) and {@link Backend#fold} (col2im) for one
 * image at a time, on row-major {@code float[]} and {@code double[]}: what the scratch backend's kernels
 * run, and what a backend whose library has no unfold can copy through.
 *
 * <p>One image is {@code [C, H, W]} at an offset; its blocks are {@code [C·kH·kW, outH·outW]} (or the
 * transpose, {@code [outH·outW, C·kH·kW]}, which a weight gradient {@code gOut · colsᵀ} wants as a plain
 * row-major operand).
 *
 * <pre>{@code
 * Im2col.Geometry g = Im2col.geometry(new int[] {1, 3, 28, 28}, new int[] {5, 5}, new int[] {1, 1},
 *         new int[] {2, 2}, new int[] {1, 1});
 * float[] cols = new float[g.rows() * g.blocks()];
 * Im2col.unfold(g, image, 0, cols, 0);
 * }</pre>
 */
public final class Im2col {

    private Im2col() {
    }

    /**
     * The geometry of one image's blocks: channels, input size, kernel, dilation, padding, stride and the
     * output (block grid) size.
     *
     * @param c  channels
     * @param h  input height
     * @param w  input width
     * @param kh kernel height
     * @param kw kernel width
     * @param dh dilation along the height
     * @param dw dilation along the width
     * @param ph padding along the height
     * @param pw padding along the width
     * @param sh stride along the height
     * @param sw stride along the width
     * @param oh output height (block rows)
     * @param ow output width (block columns)
     */
    public record Geometry(int c, int h, int w, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw,
            int oh, int ow) {

        /** Returns the rows of one image's block matrix, {@code C·kH·kW}. */
        public int rows() {
            return c * kh * kw;
        }

        /** Returns the number of blocks, {@code outH·outW}. */
        public int blocks() {
            return oh * ow;
        }

        /** Returns the elements of one input image, {@code C·H·W}. */
        public int imageSize() {
            return c * h * w;
        }
    }

    /** Returns the output size along one axis: {@code (in + 2·padding − dilation·(kernel − 1) − 1) / stride + 1}, floored. */
    public static int outputSize(int in, int kernel, int dilation, int padding, int stride) {
        return Math.floorDiv(in + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** Returns the geometry of {@code [N, C, H, W]} input {@code shape} with the given pairs. */
    public static Geometry geometry(int[] shape, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        return new Geometry(shape[1], shape[2], shape[3], kernel[0], kernel[1], dilation[0], dilation[1], padding[0],
                padding[1], stride[0], stride[1], outputSize(shape[2], kernel[0], dilation[0], padding[0], stride[0]),
                outputSize(shape[3], kernel[1], dilation[1], padding[1], stride[1]));
    }

    /** Writes the blocks {@code [C·kH·kW, L]} of the image at {@code in[inOff]} into {@code cols[colsOff]}. */
    public static void unfold(Geometry g, float[] in, int inOff, float[] cols, int colsOff) {
        int o = colsOff;
        for (int c = 0; c < g.c; c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) {
                    for (int y = 0; y < g.oh; y++) {
                        int yy = y * g.sh - g.ph + i * g.dh;
                        if (yy < 0 || yy >= g.h) {
                            java.util.Arrays.fill(cols, o, o + g.ow, 0f);
                            o += g.ow;
                            continue;
                        }
                        int row = inOff + (c * g.h + yy) * g.w;
                        int x0 = j * g.dw - g.pw;
                        for (int x = 0; x < g.ow; x++, o++) {
                            int xx = x * g.sw + x0;
                            cols[o] = xx >= 0 && xx < g.w ? in[row + xx] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Writes the blocks {@code [C·kH·kW, L]} of the image at {@code in[inOff]} into {@code cols[colsOff]}. */
    public static void unfold(Geometry g, double[] in, int inOff, double[] cols, int colsOff) {
        int o = colsOff;
        for (int c = 0; c < g.c; c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) {
                    for (int y = 0; y < g.oh; y++) {
                        int yy = y * g.sh - g.ph + i * g.dh;
                        if (yy < 0 || yy >= g.h) {
                            java.util.Arrays.fill(cols, o, o + g.ow, 0.0);
                            o += g.ow;
                            continue;
                        }
                        int row = inOff + (c * g.h + yy) * g.w;
                        int x0 = j * g.dw - g.pw;
                        for (int x = 0; x < g.ow; x++, o++) {
                            int xx = x * g.sw + x0;
                            cols[o] = xx >= 0 && xx < g.w ? in[row + xx] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /** Writes the transposed blocks {@code [L, C·kH·kW]} of the image at {@code in[inOff]} into {@code cols[colsOff]}. */
    public static void unfoldTransposed(Geometry g, float[] in, int inOff, float[] cols, int colsOff) {
        int rows = g.rows();
        for (int y = 0; y < g.oh; y++) {
            for (int x = 0; x < g.ow; x++) {
                int o = colsOff + (y * g.ow + x) * rows;
                for (int c = 0; c < g.c; c++) {
                    for (int i = 0; i < g.kh; i++) {
                        int yy = y * g.sh - g.ph + i * g.dh;
                        boolean rowIn = yy >= 0 && yy < g.h;
                        int row = inOff + (c * g.h + yy) * g.w;
                        for (int j = 0; j < g.kw; j++, o++) {
                            int xx = x * g.sw - g.pw + j * g.dw;
                            cols[o] = rowIn && xx >= 0 && xx < g.w ? in[row + xx] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Writes the transposed blocks {@code [L, C·kH·kW]} of the image at {@code in[inOff]} into {@code cols[colsOff]}. */
    public static void unfoldTransposed(Geometry g, double[] in, int inOff, double[] cols, int colsOff) {
        int rows = g.rows();
        for (int y = 0; y < g.oh; y++) {
            for (int x = 0; x < g.ow; x++) {
                int o = colsOff + (y * g.ow + x) * rows;
                for (int c = 0; c < g.c; c++) {
                    for (int i = 0; i < g.kh; i++) {
                        int yy = y * g.sh - g.ph + i * g.dh;
                        boolean rowIn = yy >= 0 && yy < g.h;
                        int row = inOff + (c * g.h + yy) * g.w;
                        for (int j = 0; j < g.kw; j++, o++) {
                            int xx = x * g.sw - g.pw + j * g.dw;
                            cols[o] = rowIn && xx >= 0 && xx < g.w ? in[row + xx] : 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the blocks {@code [C·kH·kW, L]} at {@code cols[colsOff]} into the image at {@code out[outOff]}
     * (col2im, the adjoint of {@link #unfold}); entries in the padding are dropped.
     */
    public static void fold(Geometry g, float[] cols, int colsOff, float[] out, int outOff) {
        int o = colsOff;
        for (int c = 0; c < g.c; c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) {
                    for (int y = 0; y < g.oh; y++) {
                        int yy = y * g.sh - g.ph + i * g.dh;
                        if (yy < 0 || yy >= g.h) {
                            o += g.ow;
                            continue;
                        }
                        int row = outOff + (c * g.h + yy) * g.w;
                        int x0 = j * g.dw - g.pw;
                        for (int x = 0; x < g.ow; x++, o++) {
                            int xx = x * g.sw + x0;
                            if (xx >= 0 && xx < g.w) {
                                out[row + xx] += cols[o];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the blocks {@code [C·kH·kW, L]} at {@code cols[colsOff]} into the image at {@code out[outOff]}
     * (col2im, the adjoint of {@link #unfold}); entries in the padding are dropped.
     */
    public static void fold(Geometry g, double[] cols, int colsOff, double[] out, int outOff) {
        int o = colsOff;
        for (int c = 0; c < g.c; c++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) {
                    for (int y = 0; y < g.oh; y++) {
                        int yy = y * g.sh - g.ph + i * g.dh;
                        if (yy < 0 || yy >= g.h) {
                            o += g.ow;
                            continue;
                        }
                        int row = outOff + (c * g.h + yy) * g.w;
                        int x0 = j * g.dw - g.pw;
                        for (int x = 0; x < g.ow; x++, o++) {
                            int xx = x * g.sw + x0;
                            if (xx >= 0 && xx < g.w) {
                                out[row + xx] += cols[o];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Returns {@link Backend#unfold} of a whole {@code [N, C, H, W]} float32 batch: {@code [N, C·kH·kW, L]} row-major. */
    public static float[] unfoldBatch(Geometry g, int n, float[] in) {
        float[] cols = new float[Math.multiplyExact(n, g.rows() * g.blocks())];
        for (int b = 0; b < n; b++) {
            unfold(g, in, b * g.imageSize(), cols, b * g.rows() * g.blocks());
        }
        return cols;
    }

    /** Returns {@link Backend#unfold} of a whole {@code [N, C, H, W]} float64 batch: {@code [N, C·kH·kW, L]} row-major. */
    public static double[] unfoldBatch(Geometry g, int n, double[] in) {
        double[] cols = new double[Math.multiplyExact(n, g.rows() * g.blocks())];
        for (int b = 0; b < n; b++) {
            unfold(g, in, b * g.imageSize(), cols, b * g.rows() * g.blocks());
        }
        return cols;
    }

    /** Returns {@link Backend#fold} of a whole float32 batch of blocks: {@code [N, C, H, W]} row-major. */
    public static float[] foldBatch(Geometry g, int n, float[] cols) {
        float[] out = new float[Math.multiplyExact(n, g.imageSize())];
        for (int b = 0; b < n; b++) {
            fold(g, cols, b * g.rows() * g.blocks(), out, b * g.imageSize());
        }
        return out;
    }

    /** Returns {@link Backend#fold} of a whole float64 batch of blocks: {@code [N, C, H, W]} row-major. */
    public static double[] foldBatch(Geometry g, int n, double[] cols) {
        double[] out = new double[Math.multiplyExact(n, g.imageSize())];
        for (int b = 0; b < n; b++) {
            fold(g, cols, b * g.rows() * g.blocks(), out, b * g.imageSize());
        }
        return out;
    }
}
