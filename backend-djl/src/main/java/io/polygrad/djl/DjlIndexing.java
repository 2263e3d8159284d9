package io.polygrad.djl;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.spi.ArgReduceOp;
import java.lang.ref.Reference;

/**
 * The index kernels of the DJL backend that libtorch has natively: {@code argmax}/{@code argmin}
 * along one axis and {@code gather}. {@code scatterAdd} is not exposed by DJL 0.35 and runs on the
 * Java heap ({@link io.polygrad.spi.AbstractBackend}'s default).
 */
final class DjlIndexing {

    private DjlIndexing() {
    }

    /** Returns libtorch's {@code argmax(axis, keepDims)} or {@code argmin}: int64 positions of {@code shape}. */
    static DjlArray argReduce(DjlBackend backend, ArgReduceOp op, DjlArray x, int axis, boolean keepDims, int[] shape) {
        try {
            PtNDArray t = x.tensor();
            PtNDArray r = op == ArgReduceOp.ARGMAX ? JniUtils.argMax(t, axis, keepDims) : JniUtils.argMin(t, axis, keepDims);
            return backend.wrap(r, shape, DType.INT64);
        } catch (RuntimeException e) {
            throw DjlBackend.fail(op + " over axis " + axis, e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Returns libtorch's {@code gather(x, axis, index)}: the index's shape, {@code x}'s dtype. */
    static DjlArray gather(DjlBackend backend, DjlArray x, int axis, DjlArray index) {
        try {
            return backend.wrap(JniUtils.gather(x.tensor(), index.tensor(), axis), index.shape().clone(), x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail("gather on axis " + axis, e, x.shape(), index.shape());
        } finally {
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(index);
        }
    }
}
