package io.polygrad.scratch;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Shapes;
import java.util.Arrays;

/** The movement kernels of the scratch backend: reshape, permute, broadcast, slice and concat. */
final class ScratchMovement {

    private ScratchMovement() {
    }

    /** Returns {@code a} with {@code shape}, sharing the element array: scratch arrays are never written. */
    static ScratchArray reshape(ScratchBackend backend, ScratchArray a, int[] shape) {
        return ScratchArray.wrap(backend, a.data(), shape.clone());
    }

    /** Returns {@code a} with its axes reordered into {@code shape}. */
    static ScratchArray permute(ScratchBackend backend, ScratchArray a, int[] axes, int[] shape) {
        int[] srcStrides = Shapes.strides(a.shape);
        int[] strides = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            strides[i] = srcStrides[axes[i]];
        }
        return gather(backend, a, shape, strides);
    }

    /** Returns {@code a} broadcast to {@code shape}, materialised. */
    static ScratchArray broadcastTo(ScratchBackend backend, ScratchArray a, int[] shape) {
        if (a.length() == 1 && a.l == null) {
            return ScratchCreation.full(backend, shape, a.f != null ? a.f[0] : a.d[0], a.dtype());
        }
        return gather(backend, a, shape.clone(), Shapes.broadcastStrides(a.shape, shape));
    }

    /** Returns elements {@code [start, start + shape[axis])} along {@code axis}. */
    static ScratchArray slice(ScratchBackend backend, ScratchArray a, int axis, int start, int[] shape) {
        int outer = Shapes.size(Arrays.copyOf(a.shape, axis));
        int inner = Shapes.size(Arrays.copyOfRange(a.shape, axis + 1, a.shape.length));
        int srcRow = a.shape[axis] * inner;
        int dstRow = shape[axis] * inner;
        Object src = a.data();
        Object out = newLike(src, outer * dstRow);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, o * srcRow + start * inner, out, o * dstRow, dstRow);
        }
        return wrap(backend, out, shape);
    }

    /** Returns {@code parts} joined along {@code axis} into {@code shape}. */
    static ScratchArray concat(ScratchBackend backend, BackendArray[] parts, int axis, int[] shape) {
        ScratchArray first = ScratchBackend.arg(parts[0]);
        int outer = Shapes.size(Arrays.copyOf(shape, axis));
        int inner = Shapes.size(Arrays.copyOfRange(shape, axis + 1, shape.length));
        int dstRow = shape[axis] * inner;
        Object out = newLike(first.data(), outer * dstRow);
        int offset = 0;
        for (BackendArray p : parts) {
            ScratchArray s = ScratchBackend.arg(p);
            int rowLen = s.shape[axis] * inner;
            Object src = s.data();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * rowLen, out, o * dstRow + offset, rowLen);
            }
            offset += rowLen;
        }
        return wrap(backend, out, shape);
    }

    private static ScratchArray wrap(ScratchBackend backend, Object data, int[] shape) {
        return ScratchArray.wrap(backend, data, shape);
    }

    /** Returns a new element array of {@code data}'s type and length {@code n}. */
    private static Object newLike(Object data, int n) {
        return data instanceof float[] ? new float[n] : data instanceof double[] ? new double[n] : new long[n];
    }

    /**
     * Returns the elements of {@code a} read with {@code strides} (one per axis of {@code shape}, 0 along a
     * broadcast axis) into a new row-major array of {@code shape}, walked row by row.
     */
    private static ScratchArray gather(ScratchBackend backend, ScratchArray a, int[] shape, int[] strides) {
        int n = Shapes.size(shape);
        ScratchIndex.Walk w = ScratchIndex.walk(shape, strides);
        int len = w.length();
        int step = w.step(0);
        if (a.l != null) {
            long[] out = new long[n];
            for (int o = 0; o < n; o += len, w.next()) {
                for (int j = 0, i = w.offset(0); j < len; j++, i += step) {
                    out[o + j] = a.l[i];
                }
            }
            return new ScratchArray(backend, out, shape);
        }
        if (a.f != null) {
            float[] out = new float[n];
            for (int o = 0; o < n; o += len, w.next()) {
                for (int j = 0, i = w.offset(0); j < len; j++, i += step) {
                    out[o + j] = a.f[i];
                }
            }
            return new ScratchArray(backend, out, shape);
        }
        double[] out = new double[n];
        for (int o = 0; o < n; o += len, w.next()) {
            for (int j = 0, i = w.offset(0); j < len; j++, i += step) {
                out[o + j] = a.d[i];
            }
        }
        return new ScratchArray(backend, out, shape);
    }
}
