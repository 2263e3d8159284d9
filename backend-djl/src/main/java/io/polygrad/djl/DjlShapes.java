package io.polygrad.djl;

import ai.djl.ndarray.types.Shape;

/**
 * Returns the shape arithmetic the djl kernels need beyond {@link io.polygrad.spi.Shapes}: DJL shapes,
 * and result shapes computed on the Java side so that no op needs a JNI call to learn its shape.
 */
final class DjlShapes {

    private static final Shape SCALAR = new Shape();

    private DjlShapes() {
    }

    /** Returns the DJL shape for {@code shape}; rank 0 gives the scalar shape. */
    static Shape djl(int[] shape) {
        return shape.length == 0 ? SCALAR : new Shape(longs(shape));
    }

    /** Returns {@code shape} widened to longs. */
    static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    /** Returns the shape of {@code [..., m, k] x [..., k, n]}: {@code [..., m, n]}. */
    static int[] matmul(int[] a, int[] b) {
        int[] out = a.clone();
        out[out.length - 1] = b[b.length - 1];
        return out;
    }

    /** Returns {@code shape} with its axes reordered by {@code axes}. */
    static int[] permuted(int[] shape, int[] axes) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = shape[axes[i]];
        }
        return out;
    }

    /**
     * Returns whether permuting by {@code axes} keeps every axis longer than 1 in its order, in which
     * case the permutation only moves size-1 axes and is the same as a reshape.
     */
    static boolean permutationIsReshape(int[] shape, int[] axes) {
        int last = -1;
        for (int axis : axes) {
            if (shape[axis] != 1) {
                if (axis < last) {
                    return false;
                }
                last = axis;
            }
        }
        return true;
    }

    /** Returns the concatenation shape of {@code parts} along {@code axis}. */
    static int[] concat(int[][] parts, int axis) {
        int[] out = parts[0].clone();
        int total = 0;
        for (int[] p : parts) {
            total += p[axis];
        }
        out[axis] = total;
        return out;
    }
}
