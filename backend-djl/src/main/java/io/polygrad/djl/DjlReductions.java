package io.polygrad.djl;

import static io.polygrad.djl.DjlBackend.closeAll;
import static io.polygrad.djl.DjlBackend.dataType;

import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import java.lang.ref.Reference;
import java.util.Locale;

/** The reduction kernels of the DJL backend: sum, mean and max over axes. */
final class DjlReductions {

    private DjlReductions() {
    }

    /** Returns {@code op} over {@code axes} of {@code x} as an array of the result {@code shape}. */
    static DjlArray reduce(DjlBackend backend, ReduceOp op, DjlArray x, int[] axes, boolean keepDims, int[] shape) {
        try {
            PtNDArray t = x.tensor();
            PtNDArray r = switch (op) {
                case SUM -> JniUtils.sum(t, DjlShapes.longs(axes), keepDims);
                case MEAN -> mean(backend, t, x, axes, keepDims);
                case MAX -> max(t, x.shape(), axes, keepDims);
                case MIN, PROD -> DjlBreadth.reduce(t, op, x.shape(), axes, keepDims);
            };
            return backend.wrap(r, shape, x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail(op.name().toLowerCase(Locale.ROOT) + " over axes " + java.util.Arrays.toString(axes), e,
                    x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    private static PtNDArray mean(DjlBackend backend, PtNDArray t, DjlArray x, int[] axes, boolean keepDims) {
        if (axes.length == x.shape().length) { // all axes
            PtNDArray all = JniUtils.mean(t);
            return keepDims ? reshapeOwned(all, Shapes.reduced(x.shape(), axes, true)) : all;
        }
        if (axes.length == 1) {
            return JniUtils.mean(t, axes[0], keepDims);
        }
        // libtorch's mean over several dims is sum(dims) / count on the CPU; do the same, in the operand dtype.
        long count = 1;
        for (int axis : axes) {
            count *= x.shape()[axis];
        }
        PtNDArray sum = JniUtils.sum(t, DjlShapes.longs(axes), keepDims);
        try (PtNDArray n = JniUtils.full(backend.manager, new Shape(), count, dataType(x.dtype()), backend.djlDevice,
                SparseFormat.DENSE)) {
            return JniUtils.div(sum, n);
        } finally {
            sum.close();
        }
    }

    /**
     * Returns the maximum over {@code axes}. libtorch's {@code max(dim)} runs its loop with grain size 1,
     * so even a 2x2 input enters an OpenMP parallel region: a few µs on an idle machine, milliseconds
     * when the cores are busy. So the full reduction uses {@code max()} (no such region below 32768
     * elements), and the others fold each axis in halves with the elementwise {@code maximum}
     * (NaN-propagating, idempotent, so the two halves may overlap by one element when the size is odd).
     */
    private static PtNDArray max(PtNDArray t, int[] shape, int[] axes, boolean keepDims) {
        if (axes.length == shape.length) {
            PtNDArray all = JniUtils.max(t); // a new 0-d tensor
            return keepDims ? reshapeOwned(all, Shapes.reduced(shape, axes, true)) : all;
        }
        PtNDArray cur = t;
        for (int axis : axes) {
            for (long size = shape[axis]; size > 1; ) {
                long half = (size + 1) / 2;
                PtNDArray lo = JniUtils.slice(cur, axis, 0, half, 1);
                PtNDArray hi = JniUtils.slice(cur, axis, size - half, size, 1);
                PtNDArray next;
                try {
                    next = JniUtils.max(lo, hi); // elementwise maximum: a new tensor
                } finally {
                    closeAll(lo, hi);
                    if (cur != t) {
                        cur.close();
                    }
                }
                cur = next;
                size = half;
            }
        }
        PtNDArray owned = cur == t ? JniUtils.clone(t) : cur; // t itself when every reduced axis has size 1
        return keepDims ? owned : reshapeOwned(owned, Shapes.reduced(shape, axes, false));
    }

    /** Returns {@code fresh}, a tensor no caller sees, reshaped; the view may share its storage. */
    private static PtNDArray reshapeOwned(PtNDArray fresh, int[] shape) {
        try {
            return JniUtils.reshape(fresh, DjlShapes.longs(shape));
        } finally {
            fresh.close();
        }
    }
}
