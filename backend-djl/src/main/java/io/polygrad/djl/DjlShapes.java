package io.polygrad.djl;

import ai.djl.ndarray.types.Shape;

/**
 * The shape arithmetic the djl kernels need beyond {@link io.polygrad.spi.Shapes}: DJL shapes and
 * long axes. Result shapes come from {@link io.polygrad.spi.AbstractBackend}, so no op needs a JNI
 * call to learn its shape.
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
}
