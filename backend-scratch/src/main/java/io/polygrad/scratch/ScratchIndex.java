package io.polygrad.scratch;

import io.polygrad.spi.Shapes;

/** The row-major offset arithmetic of the scratch kernels: broadcasting, permutation and reduction targets. */
final class ScratchIndex {

    private ScratchIndex() {
    }

    /** Returns, for each element of {@code to}, the offset of the element of {@code from} broadcast onto it. */
    static int[] broadcastOffsets(int[] from, int[] to) {
        return strided(to, Shapes.broadcastStrides(from, to));
    }

    /** Returns, for each element of the permuted shape, its offset in the source. */
    static int[] permutedOffsets(int[] shape, int[] axes) {
        int[] srcStrides = Shapes.strides(shape);
        int[] outShape = new int[axes.length];
        int[] strides = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            outShape[i] = shape[axes[i]];
            strides[i] = srcStrides[axes[i]];
        }
        return strided(outShape, strides);
    }

    /** Returns, for each element of {@code shape}, the index of the output cell it reduces into. */
    static int[] reductionTargets(int[] shape, int[] axes) {
        int[] kept = Shapes.reduced(shape, axes, true);
        int[] keptStrides = Shapes.strides(kept);
        int[] strides = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            strides[i] = kept[i] == 1 && shape[i] != 1 ? 0 : keptStrides[i];
        }
        for (int a : axes) {
            strides[a] = 0;
        }
        return strided(shape, strides);
    }

    /** Walks {@code shape} in row-major order and returns {@code sum(index[d] * strides[d])} for each element. */
    static int[] strided(int[] shape, int[] strides) {
        int n = Shapes.size(shape);
        int[] out = new int[n];
        int rank = shape.length;
        if (n == 0) {
            return out;
        }
        if (rank == 0) {
            return out;
        }
        int last = shape[rank - 1];
        int lastStride = strides[rank - 1];
        int[] counter = new int[rank];
        int base = 0;
        int pos = 0;
        while (pos < n) {
            for (int j = 0, off = base; j < last; j++, off += lastStride) {
                out[pos++] = off;
            }
            int d = rank - 2;
            while (d >= 0) {
                counter[d]++;
                base += strides[d];
                if (counter[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * counter[d];
                counter[d] = 0;
                d--;
            }
            if (d < 0) {
                break;
            }
        }
        return out;
    }
}
