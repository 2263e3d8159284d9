package io.polygrad.scratch;

import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;

/**
 * The reduction kernels of the scratch backend: sum, mean and max over axes. Float inputs
 * accumulate in float (like PyTorch's CPU kernels), double inputs in double; {@code target[i]}
 * names the output cell of input element i ({@code null} when everything reduces into one cell).
 */
final class ScratchReductions {

    private ScratchReductions() {
    }

    /** Returns {@code op} over {@code axes} of {@code a} as an array of the result {@code shape}. */
    static ScratchArray reduce(ScratchBackend backend, ReduceOp op, ScratchArray a, int[] axes, int[] shape) {
        int outSize = Shapes.size(shape);
        int[] outIndex = outSize == 1 ? null : ScratchIndex.reductionTargets(a.shape, axes);
        int count = a.length() / outSize;
        if (a.l != null) {
            return new ScratchArray(backend, ScratchLongs.reduce(op, a.l, outIndex, outSize), shape);
        }
        if (op == ReduceOp.MIN || op == ReduceOp.PROD) {
            return ScratchScan.reduce(backend, op, a, outIndex, outSize, shape);
        }
        if (a.f != null) {
            return new ScratchArray(backend, reduce(op, a.f, outIndex, outSize, count), shape);
        }
        return new ScratchArray(backend, reduce(op, a.d, outIndex, outSize, count), shape);
    }

    static float[] reduce(ReduceOp op, float[] a, int[] target, int outSize, int count) {
        float[] out = new float[outSize];
        if (op == ReduceOp.MAX) {
            java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < a.length; i++) {
                float v = a[i];
                int t = target == null ? 0 : target[i];
                if (v > out[t] || Float.isNaN(v)) {
                    out[t] = v;
                }
            }
            return out;
        }
        if (outSize == 1) {
            out[0] = pairwiseSum(a, 0, a.length);
        } else {
            for (int i = 0; i < a.length; i++) {
                out[target[i]] += a[i];
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < outSize; i++) {
                out[i] /= count;
            }
        }
        return out;
    }

    static double[] reduce(ReduceOp op, double[] a, int[] target, int outSize, int count) {
        double[] out = new double[outSize];
        if (op == ReduceOp.MAX) {
            java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < a.length; i++) {
                double v = a[i];
                int t = target == null ? 0 : target[i];
                if (v > out[t] || Double.isNaN(v)) {
                    out[t] = v;
                }
            }
            return out;
        }
        if (outSize == 1) {
            out[0] = pairwiseSum(a, 0, a.length);
        } else {
            for (int i = 0; i < a.length; i++) {
                out[target[i]] += a[i];
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
