package io.polygrad.scratch;

import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;

/**
 * The reduction kernels of the scratch backend: sum, mean and max over axes. Float inputs
 * accumulate in float (like PyTorch's CPU kernels), double inputs in double. The input is walked in
 * row-major order ({@link ScratchIndex.Walk}), each element added into its output cell, so every
 * cell sees its elements in order and nothing is allocated beyond the result; int64, min and prod
 * map each element to its cell through an index array ({@code target}, {@code null} when
 * everything reduces into one cell).
 */
final class ScratchReductions {

    private ScratchReductions() {
    }

    /** Returns {@code op} over {@code axes} of {@code a} as an array of the result {@code shape}. */
    static ScratchArray reduce(ScratchBackend backend, ReduceOp op, ScratchArray a, int[] axes, int[] shape) {
        int outSize = Shapes.size(shape);
        int count = a.length() / outSize;
        if (a.l == null && op != ReduceOp.MIN && op != ReduceOp.PROD) {
            ScratchIndex.Walk w = outSize == 1 ? null
                    : ScratchIndex.walk(a.shape, Shapes.strides(a.shape), targetStrides(a.shape, axes));
            if (a.f != null) {
                return new ScratchArray(backend, reduce(op, a.f, w, outSize, count), shape);
            }
            return new ScratchArray(backend, reduce(op, a.d, w, outSize, count), shape);
        }
        int[] outIndex = outSize == 1 ? null : ScratchIndex.reductionTargets(a.shape, axes);
        if (a.l != null) {
            return new ScratchArray(backend, ScratchLongs.reduce(op, a.l, outIndex, outSize), shape);
        }
        return ScratchScan.reduce(backend, op, a, outIndex, outSize, shape);
    }

    /** Returns, for each axis of {@code shape}, the step of the output cell: 0 along a reduced axis. */
    private static int[] targetStrides(int[] shape, int[] axes) {
        int[] strides = Shapes.strides(Shapes.reduced(shape, axes, true));
        for (int ax : axes) {
            strides[ax] = 0;
        }
        return strides;
    }

    /**
     * Returns SUM, MEAN or MAX of {@code a} into {@code outSize} cells; {@code w} walks the input (operand
     * 0, contiguous) and the output cells (operand 1), or is {@code null} when all reduce into one cell.
     */
    static float[] reduce(ReduceOp op, float[] a, ScratchIndex.Walk w, int outSize, int count) {
        return reduce(op, a, w, new float[outSize], count);
    }

    /** Writes SUM, MEAN or MAX of {@code a} into {@code out}, zeroed, as the allocating form does, and returns it. */
    static float[] reduce(ReduceOp op, float[] a, ScratchIndex.Walk w, float[] out, int count) {
        int outSize = out.length;
        java.util.Arrays.fill(out, 0);
        boolean max = op == ReduceOp.MAX;
        if (w == null) {
            if (max) {
                out[0] = Float.NEGATIVE_INFINITY;
                for (float v : a) {
                    if (v > out[0] || Float.isNaN(v)) {
                        out[0] = v;
                    }
                }
                return out;
            }
            out[0] = pairwiseSum(a, 0, a.length);
        } else {
            if (max) {
                java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
            }
            int len = w.length();
            int step = w.step(1);
            for (int i = 0; i < a.length; i += len, w.next()) {
                int t = w.offset(1);
                if (step == 0) {
                    float acc = out[t];
                    for (int j = i; j < i + len; j++) {
                        float v = a[j];
                        if (!max) {
                            acc += v;
                        } else if (v > acc || Float.isNaN(v)) {
                            acc = v;
                        }
                    }
                    out[t] = acc;
                } else if (max) {
                    for (int j = 0; j < len; j++) {
                        float v = a[i + j];
                        if (v > out[t + j] || Float.isNaN(v)) {
                            out[t + j] = v;
                        }
                    }
                } else {
                    for (int j = 0; j < len; j++) {
                        out[t + j] += a[i + j];
                    }
                }
            }
            if (max) {
                return out;
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < outSize; i++) {
                out[i] /= count;
            }
        }
        return out;
    }

    static double[] reduce(ReduceOp op, double[] a, ScratchIndex.Walk w, int outSize, int count) {
        return reduce(op, a, w, new double[outSize], count);
    }

    /** Writes SUM, MEAN or MAX of {@code a} into {@code out}, zeroed, as the allocating form does, and returns it. */
    static double[] reduce(ReduceOp op, double[] a, ScratchIndex.Walk w, double[] out, int count) {
        int outSize = out.length;
        java.util.Arrays.fill(out, 0);
        boolean max = op == ReduceOp.MAX;
        if (w == null) {
            if (max) {
                out[0] = Double.NEGATIVE_INFINITY;
                for (double v : a) {
                    if (v > out[0] || Double.isNaN(v)) {
                        out[0] = v;
                    }
                }
                return out;
            }
            out[0] = pairwiseSum(a, 0, a.length);
        } else {
            if (max) {
                java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
            }
            int len = w.length();
            int step = w.step(1);
            for (int i = 0; i < a.length; i += len, w.next()) {
                int t = w.offset(1);
                if (step == 0) {
                    double acc = out[t];
                    for (int j = i; j < i + len; j++) {
                        double v = a[j];
                        if (!max) {
                            acc += v;
                        } else if (v > acc || Double.isNaN(v)) {
                            acc = v;
                        }
                    }
                    out[t] = acc;
                } else if (max) {
                    for (int j = 0; j < len; j++) {
                        double v = a[i + j];
                        if (v > out[t + j] || Double.isNaN(v)) {
                            out[t + j] = v;
                        }
                    }
                } else {
                    for (int j = 0; j < len; j++) {
                        out[t + j] += a[i + j];
                    }
                }
            }
            if (max) {
                return out;
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < outSize; i++) {
                out[i] /= count;
            }
        }
        return out;
    }

    private static float pairwiseSum(float[] a, int from, int to) {
        int n = to - from;
        if (n <= 64) {
            float s = 0f;
            for (int i = from; i < to; i++) {
                s += a[i];
            }
            return s;
        }
        int mid = from + n / 2;
        return pairwiseSum(a, from, mid) + pairwiseSum(a, mid, to);
    }

    private static double pairwiseSum(double[] a, int from, int to) {
        int n = to - from;
        if (n <= 64) {
            double s = 0;
            for (int i = from; i < to; i++) {
                s += a[i];
            }
            return s;
        }
        int mid = from + n / 2;
        return pairwiseSum(a, from, mid) + pairwiseSum(a, mid, to);
    }
}
