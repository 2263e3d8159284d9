package io.polygrad.djl;

import static io.polygrad.djl.DjlBackend.closeAll;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.lang.ref.Reference;

/**
 * The DJL kernels added for the PyTorch-porting ops (issue 14): {@code sin}, {@code cos} and
 * {@code erf} as libtorch's own ({@code log1p} and {@code expm1}, which DJL's JNI does not expose, are
 * {@link io.polygrad.spi.CompensatedLogExp}'s, see {@link DjlElementwise}); the {@code MIN} and
 * {@code PROD} reductions; and the cumulative sum.
 */
final class DjlBreadth {

    private DjlBreadth() {
    }

    /** Returns {@code op(t)} for {@code sin}, {@code cos} and {@code erf} (a new tensor). */
    static PtNDArray unary(UnaryOp op, PtNDArray t) {
        return switch (op) {
            case SIN -> JniUtils.sin(t);
            case COS -> JniUtils.cos(t);
            case ERF -> JniUtils.erf(t);
            default -> throw new IllegalArgumentException("Unknown unary op " + op);
        };
    }

    /** Returns {@code MIN} (NaN-propagating) or {@code PROD} of {@code t} over {@code axes} (a new tensor). */
    static PtNDArray reduce(PtNDArray t, ReduceOp op, int[] shape, int[] axes, boolean keepDims) {
        if (axes.length == shape.length) {
            PtNDArray all = op == ReduceOp.MIN ? JniUtils.min(t) : JniUtils.prod(t);
            return keepDims ? reshapeOwned(all, Shapes.reduced(shape, axes, true)) : all;
        }
        PtNDArray cur = t;
        // one axis at a time, from the last so that the axis numbers of the others stay valid
        for (int i = axes.length - 1; i >= 0; i--) {
            PtNDArray next = op == ReduceOp.MIN ? min(cur, axes[i]) : JniUtils.prod(cur, axes[i], true);
            if (cur != t) {
                cur.close();
            }
            cur = next;
        }
        return keepDims ? cur : reshapeOwned(cur, Shapes.reduced(shape, axes, false));
    }

    /**
     * Returns the minimum over {@code axis}, kept, NaN-propagating (libtorch's {@code min(dim)} propagates
     * NaN too, but returns values and indices; the values are what is kept).
     */
    private static PtNDArray min(PtNDArray t, int axis) {
        return JniUtils.min(t, axis, true);
    }

    private static PtNDArray reshapeOwned(PtNDArray fresh, int[] shape) {
        try {
            return JniUtils.reshape(fresh, DjlShapes.longs(shape));
        } finally {
            fresh.close();
        }
    }

    /** Returns the cumulative sum of {@code x} along {@code axis}, from the end when {@code reverse}. */
    static DjlArray cumsum(DjlBackend backend, DjlArray x, int axis, boolean reverse) {
        try {
            PtNDArray t = x.tensor();
            if (!reverse) {
                return backend.wrap(JniUtils.cumSum(t, axis), x.shape(), x.dtype());
            }
            long[] dims = {axis};
            PtNDArray flipped = JniUtils.flip(t, dims);
            PtNDArray summed = null;
            try {
                summed = JniUtils.cumSum(flipped, axis);
                return backend.wrap(JniUtils.flip(summed, dims), x.shape(), x.dtype());
            } finally {
                closeAll(flipped, summed);
            }
        } catch (RuntimeException e) {
            throw DjlBackend.fail("cumsum along axis " + axis + (reverse ? " (reverse)" : ""), e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }
}
