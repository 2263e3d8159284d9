package io.polygrad.spi;

import java.util.Arrays;

/**
 * The shape arithmetic shared by {@code api} and the backends: element counts, row-major
 * strides and NumPy broadcasting.
 */
public final class Shapes {

    private static final int[] SCALAR = new int[0];

    private Shapes() {
    }

    /** Returns the shape of a 0-d tensor, {@code []}. */
    public static int[] scalar() {
        return SCALAR;
    }

    /** The most elements a tensor can have on any backend: 2^31-1, Java's array limit. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE;

    /**
     * Returns the number of elements of {@code shape} (1 for a 0-d shape, 0 when a dimension is 0):
     * the one check that a shape fits, which every backend goes through ({@link AbstractBackend}
     * calls it for every result shape that can grow, api for every created shape).
     *
     * @throws IllegalArgumentException if the product exceeds {@link #MAX_ELEMENTS}, e.g.
     *     {@code Shape [65536, 65536, 65536, 65536] has 18446744073709551616 elements, more than the
     *     limit of 2^31-1 (2147483647) elements per tensor}
     */
    public static int size(int[] shape) {
        long n = 1;
        boolean overflow = false;
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
            n *= d; // both factors are below 2^31, so the long product is exact
            if (n > MAX_ELEMENTS || n < -MAX_ELEMENTS) {
                overflow = true;
                n = 1;
            }
        }
        if (overflow) {
            throw tooManyElements(Arrays.toString(shape), product(shape));
        }
        return (int) n;
    }

    /** Returns the exact product of {@code dims}, for messages. */
    static java.math.BigInteger product(int[] dims) {
        java.math.BigInteger p = java.math.BigInteger.ONE;
        for (int d : dims) {
            p = p.multiply(java.math.BigInteger.valueOf(d));
        }
        return p;
    }

    /** Returns the error for a shape (as text) with {@code elements} elements, over {@link #MAX_ELEMENTS}. */
    static IllegalArgumentException tooManyElements(String shape, java.math.BigInteger elements) {
        return new IllegalArgumentException("Shape " + shape + " has " + elements
                + " elements, more than the limit of 2^31-1 (" + MAX_ELEMENTS + ") elements per tensor");
    }

    /** Returns row-major strides (in elements) of {@code shape}. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * Returns the NumPy broadcast of two shapes, or {@code null} when they do not broadcast.
     * Dimensions are aligned from the right; each pair must be equal or contain a 1.
     */
    public static int[] broadcast(int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                return null;
            }
        }
        return out;
    }

    /**
     * Returns strides for reading an array of shape {@code from} as if broadcast to {@code to}:
     * broadcast dimensions get stride 0.
     */
    public static int[] broadcastStrides(int[] from, int[] to) {
        int[] base = strides(from);
        int[] out = new int[to.length];
        int offset = to.length - from.length;
        for (int i = 0; i < from.length; i++) {
            out[i + offset] = from[i] == 1 && to[i + offset] != 1 ? 0 : base[i];
        }
        return out;
    }

    /** Returns {@code shape} with the listed axes removed ({@code keepDims=false}) or set to 1. */
    public static int[] reduced(int[] shape, int[] axes, boolean keepDims) {
        boolean[] drop = new boolean[shape.length];
        for (int a : axes) {
            drop[a] = true;
        }
        int[] out = new int[keepDims ? shape.length : shape.length - axes.length];
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!drop[i]) {
                out[j++] = shape[i];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return out;
    }

    /** Returns {@code [0, 1, …, rank-1]}. */
    public static int[] allAxes(int rank) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return axes;
    }

    /**
     * Returns the shape of {@code op(a) · op(b)} for operands with equal batch dimensions, {@code op}
     * transposing the last two axes where asked: {@code [..., m, n]}.
     */
    public static int[] matmulShape(int[] a, boolean transposeA, int[] b, boolean transposeB) {
        int[] out = a.clone();
        out[out.length - 2] = a[a.length - (transposeA ? 1 : 2)];
        out[out.length - 1] = b[b.length - (transposeB ? 2 : 1)];
        return out;
    }

    /** Returns the permutation of {@code rank} axes that swaps the last two. */
    public static int[] swapLastTwo(int rank) {
        int[] perm = allAxes(rank);
        perm[rank - 1] = rank - 2;
        perm[rank - 2] = rank - 1;
        return perm;
    }

    /** Returns the coordinates of row-major position {@code i} in {@code shape}, e.g. 5 in {@code [2, 3]} is {@code [1, 2]}. */
    public static int[] unravel(int i, int[] shape) {
        int[] c = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = i % shape[d];
            i /= shape[d];
        }
        return c;
    }

    /** Returns the shape in PyTorch's notation, e.g. {@code [2, 3]}. */
    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
