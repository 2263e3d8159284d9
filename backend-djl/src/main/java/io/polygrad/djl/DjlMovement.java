package io.polygrad.djl;

import static io.polygrad.djl.DjlBackend.copyOf;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Shapes;
import java.lang.ref.Reference;

/**
 * The movement kernels of the DJL backend: reshape, permute, broadcast, slice and concat, each
 * materialised into contiguous storage (never one of libtorch's views).
 */
final class DjlMovement {

    private DjlMovement() {
    }

    /** Returns a contiguous copy of {@code x} with {@code shape}. */
    static DjlArray reshape(DjlBackend backend, DjlArray x, int[] shape) {
        try {
            return backend.wrap(reshapeCopy(x.tensor(), shape), shape.clone(), x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail("reshape to " + java.util.Arrays.toString(shape), e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Returns {@code x} permuted by {@code axes} into a row-major {@code shape}. */
    static DjlArray permute(DjlBackend backend, DjlArray x, int[] axes, int[] shape) {
        try {
            PtNDArray t = x.tensor();
            if (DjlShapes.permutationIsReshape(x.shape(), axes)) {
                return backend.wrap(reshapeCopy(t, shape), shape, x.dtype());
            }
            // clone() would keep the permuted strides; flattening a permuted view forces a row-major copy.
            PtNDArray view = JniUtils.permute(t, DjlShapes.longs(axes));
            PtNDArray flat;
            try {
                flat = JniUtils.reshape(view, new long[] {Shapes.size(shape)});
            } finally {
                view.close();
            }
            try {
                return backend.wrap(JniUtils.reshape(flat, DjlShapes.longs(shape)), shape, x.dtype());
            } finally {
                flat.close();
            }
        } catch (RuntimeException e) {
            throw DjlBackend.fail("permute by " + java.util.Arrays.toString(axes), e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Returns {@code x} broadcast to {@code shape}, materialised. */
    static DjlArray broadcastTo(DjlBackend backend, DjlArray x, int[] shape) {
        try {
            return backend.wrap(copyOf(JniUtils.broadcast(x.tensor(), DjlShapes.djl(shape))), shape.clone(), x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail("broadcastTo " + java.util.Arrays.toString(shape), e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Returns elements {@code [start, end)} along {@code axis}: {@code shape}. */
    static DjlArray slice(DjlBackend backend, DjlArray x, int axis, int start, int end, int[] shape) {
        try {
            return backend.wrap(copyOf(JniUtils.slice(x.tensor(), axis, start, end, 1)), shape, x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail("slice [" + start + ", " + end + ") of axis " + axis, e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Returns {@code parts} joined along {@code axis} into {@code shape}. */
    static DjlArray concat(DjlBackend backend, BackendArray[] parts, int axis, int[] shape) {
        DjlArray[] xs = new DjlArray[parts.length];
        PtNDArray[] ts = new PtNDArray[parts.length];
        int[][] shapes = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            xs[i] = backend.arg(parts[i]);
            ts[i] = xs[i].tensor();
            shapes[i] = xs[i].shape();
        }
        try {
            return backend.wrap(JniUtils.cat(ts, axis), shape, xs[0].dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail("concat along axis " + axis, e, shapes);
        } finally {
            Reference.reachabilityFence(xs);
        }
    }

    /** Returns a contiguous copy of {@code t} with a new shape (libtorch's reshape may return a view). */
    private static PtNDArray reshapeCopy(PtNDArray t, int[] shape) {
        return copyOf(JniUtils.reshape(t, DjlShapes.longs(shape)));
    }
}
