package io.polygrad.spi;

/**
 * The index kernels computed on the Java heap: {@code argReduce}, {@code gather} and
 * {@code scatterAdd} over row-major {@code float[]}, {@code double[]} or {@code long[]} element
 * arrays. {@link AbstractBackend}'s default kernels copy their arguments here and the result back;
 * a backend whose library has the op natively overrides them.
 */
final class HostIndexing {

    private HostIndexing() {
    }

    /**
     * Returns, for each element of an index of {@code indexShape} (row-major), its offset in an array
     * of {@code shape} with the coordinate along {@code axis} replaced by the index value; the values
     * have been checked to lie in {@code [0, shape[axis])}.
     */
    static int[] offsets(int[] shape, int axis, int[] indexShape, long[] index) {
        int[] strides = Shapes.strides(shape);
        int rank = indexShape.length;
        int[] coord = new int[rank];
        int[] out = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            int off = 0;
            for (int d = 0; d < rank; d++) {
                off += (d == axis ? (int) index[i] : coord[d]) * strides[d];
            }
            out[i] = off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++coord[d] < indexShape[d]) {
                    break;
                }
                coord[d] = 0;
            }
        }
        return out;
    }

    /** Returns, for each element of {@code inner} (row-major), its offset in the larger {@code outer} shape. */
    static int[] embedded(int[] inner, int[] outer) {
        int n = Shapes.size(inner);
        int[] strides = Shapes.strides(outer);
        int[] coord = new int[inner.length];
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int off = 0;
            for (int d = 0; d < inner.length; d++) {
                off += coord[d] * strides[d];
            }
            out[i] = off;
            for (int d = inner.length - 1; d >= 0; d--) {
                if (++coord[d] < inner[d]) {
                    break;
                }
                coord[d] = 0;
            }
        }
        return out;
    }

    /** Returns the gathered elements of {@code data}: {@code data[offsets[i]]}. */
    static Object gather(Object data, int[] offsets) {
        int n = offsets.length;
        if (data instanceof float[] f) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = f[offsets[i]];
            }
            return out;
        }
        if (data instanceof double[] d) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = d[offsets[i]];
            }
            return out;
        }
        long[] l = (long[]) data;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = l[offsets[i]];
        }
        return out;
    }

    /** Adds {@code src[srcOffsets[i]]} into {@code data[offsets[i]]} in place, in index order, and returns {@code data}. */
    static Object scatterAdd(Object data, int[] offsets, Object src, int[] srcOffsets) {
        int n = offsets.length;
        if (data instanceof float[] f) {
            float[] s = (float[]) src;
            for (int i = 0; i < n; i++) {
                f[offsets[i]] += s[srcOffsets[i]];
            }
        } else if (data instanceof double[] d) {
            double[] s = (double[]) src;
            for (int i = 0; i < n; i++) {
                d[offsets[i]] += s[srcOffsets[i]];
            }
        } else {
            long[] l = (long[]) data;
            long[] s = (long[]) src;
            for (int i = 0; i < n; i++) {
                l[offsets[i]] += s[srcOffsets[i]];
            }
        }
        return data;
    }

    /**
     * Returns the position along {@code axis} of the largest ({@code ARGMAX}) or smallest element of
     * each slice of {@code data} (of {@code shape}, row-major), the first on ties, the first NaN when a
     * slice holds one; the slices are non-empty.
     */
    static long[] argReduce(ArgReduceOp op, Object data, int[] shape, int axis) {
        int size = shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int outer = Shapes.size(shape) / (size * inner);
        long[] out = new long[outer * inner];
        boolean max = op == ArgReduceOp.ARGMAX;
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * size * inner + in;
                out[o * inner + in] = data instanceof long[] l ? argLong(l, base, size, inner, max)
                        : argFloat(data, base, size, inner, max);
            }
        }
        return out;
    }

    private static long argLong(long[] l, int base, int size, int stride, boolean max) {
        int best = 0;
        long v = l[base];
        for (int k = 1; k < size; k++) {
            long x = l[base + k * stride];
            if (max ? x > v : x < v) {
                v = x;
                best = k;
            }
        }
        return best;
    }

    private static long argFloat(Object data, int base, int size, int stride, boolean max) {
        double[] d = data instanceof double[] dd ? dd : null;
        float[] f = d == null ? (float[]) data : null;
        int best = 0;
        double v = d != null ? d[base] : f[base];
        if (Double.isNaN(v)) {
            return 0;
        }
        for (int k = 1; k < size; k++) {
            int at = base + k * stride;
            double x = d != null ? d[at] : f[at];
            if (Double.isNaN(x)) {
                return k;
            }
            if (max ? x > v : x < v) {
                v = x;
                best = k;
            }
        }
        return best;
    }
}
