package io.polygrad.scratch;

import io.polygrad.spi.ReduceOp;

/**
 * The scratch kernels added for the PyTorch-porting ops (issue 14): the cumulative sum along an
 * axis, and the {@code MIN} and {@code PROD} reductions. float32 cumulative sums accumulate in
 * double and round each partial sum once, as PyTorch's CPU kernel does; products accumulate in the
 * input's dtype, as PyTorch's do.
 */
final class ScratchScan {

    private ScratchScan() {
    }

    /** Returns the cumulative sum of {@code a} along {@code axis}, from the end when {@code reverse}. */
    static ScratchArray cumsum(ScratchBackend backend, ScratchArray a, int axis, boolean reverse) {
        int[] shape = a.shape;
        int n = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int outer = a.length() / (n * inner);
        double[] out = new double[a.length()];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double s = 0;
                for (int k = 0; k < n; k++) {
                    int idx = base + (reverse ? n - 1 - k : k) * inner;
                    s += a.f != null ? a.f[idx] : a.d[idx];
                    out[idx] = s;
                }
            }
        }
        if (a.f == null) {
            return new ScratchArray(backend, out, shape);
        }
        float[] f = new float[out.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) out[i];
        }
        return new ScratchArray(backend, f, shape);
    }

    /**
     * Returns {@code MIN} (NaN-propagating) or {@code PROD} of {@code a} into {@code outSize} cells;
     * {@code target[i]} is the cell of element {@code i}, or {@code null} for one cell.
     */
    static ScratchArray reduce(ScratchBackend backend, ReduceOp op, ScratchArray a, int[] target, int outSize,
            int[] shape) {
        boolean min = op == ReduceOp.MIN;
        if (a.f != null) {
            float[] out = new float[outSize];
            java.util.Arrays.fill(out, min ? Float.POSITIVE_INFINITY : 1f);
            for (int i = 0; i < a.f.length; i++) {
                float v = a.f[i];
                int t = target == null ? 0 : target[i];
                if (!min) {
                    out[t] *= v;
                } else if (v < out[t] || Float.isNaN(v)) {
                    out[t] = v;
                }
            }
            return new ScratchArray(backend, out, shape);
        }
        double[] out = new double[outSize];
        java.util.Arrays.fill(out, min ? Double.POSITIVE_INFINITY : 1.0);
        for (int i = 0; i < a.d.length; i++) {
            double v = a.d[i];
            int t = target == null ? 0 : target[i];
            if (!min) {
                out[t] *= v;
            } else if (v < out[t] || Double.isNaN(v)) {
                out[t] = v;
            }
        }
        return new ScratchArray(backend, out, shape);
    }
}
