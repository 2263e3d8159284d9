package io.polygrad.scratch;

import io.polygrad.spi.Shapes;

/**
 * The row-major offset arithmetic of the scratch kernels: broadcasting, permutation and reduction
 * targets, either walked row by row ({@link Walk}, nothing allocated per element) or as an index
 * array of one offset per element (for the int64 kernels and the rarer reductions).
 */
final class ScratchIndex {

    private ScratchIndex() {
    }

    /** Returns, for each element of {@code to}, the offset of the element of {@code from} broadcast onto it. */
    static int[] broadcastOffsets(int[] from, int[] to) {
        return strided(to, Shapes.broadcastStrides(from, to));
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

    /**
     * Returns a walk over {@code shape} in row-major order for operands with the given element
     * strides on it (0 along a broadcast axis): axes of size 1 are dropped and neighbours merged
     * where every operand's strides allow, so a bias row added to a matrix is one walk of
     * {@code rows} rows of {@code cols} elements.
     */
    static Walk walk(int[] shape, int[]... strides) {
        int rank = shape.length;
        int count = strides.length;
        int[] dims = new int[Math.max(rank, 1)];
        int[][] steps = new int[count][Math.max(rank, 1)];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            int e = shape[d];
            if (e == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int k = 0; k < count && merge; k++) {
                merge = steps[k][r - 1] == strides[k][d] * e;
            }
            if (merge) {
                dims[r - 1] *= e;
                for (int k = 0; k < count; k++) {
                    steps[k][r - 1] = strides[k][d];
                }
            } else {
                dims[r] = e;
                for (int k = 0; k < count; k++) {
                    steps[k][r] = strides[k][d];
                }
                r++;
            }
        }
        if (r == 0) {
            dims[0] = 1;
            r = 1;
        }
        return new Walk(java.util.Arrays.copyOf(dims, r), steps, r);
    }

    /**
     * A row-major walk over a (collapsed) shape, one row of the innermost axis at a time, keeping each
     * operand's offset: {@code for (int o = 0; o < n; o += w.length()) { ...row at w.offset(k),
     * step w.step(k)...; w.next(); }}.
     */
    static final class Walk {
        private final int[] dims;
        private final int[][] strides;
        private final int[] counter;
        private final int[] offsets;
        private final int rank;

        private Walk(int[] dims, int[][] strides, int rank) {
            this.dims = dims;
            this.strides = strides;
            this.rank = rank;
            this.counter = new int[rank];
            this.offsets = new int[strides.length];
        }

        /** Returns the length of one row (the innermost collapsed axis). */
        int length() {
            return dims[rank - 1];
        }

        /** Returns operand {@code k}'s element step along a row. */
        int step(int k) {
            return strides[k][rank - 1];
        }

        /** Returns operand {@code k}'s offset of the current row's first element. */
        int offset(int k) {
            return offsets[k];
        }

        /** Moves to the next row. */
        void next() {
            for (int d = rank - 2; d >= 0; d--) {
                counter[d]++;
                for (int k = 0; k < offsets.length; k++) {
                    offsets[k] += strides[k][d];
                }
                if (counter[d] < dims[d]) {
                    return;
                }
                for (int k = 0; k < offsets.length; k++) {
                    offsets[k] -= strides[k][d] * dims[d];
                }
                counter[d] = 0;
            }
        }
    }
}
