package io.polygrad.djl;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.ref.Reference;

/** The matmul kernel of the DJL backend: libtorch's batched matmul on views of the transposes. */
final class DjlMatmul {

    private DjlMatmul() {
    }

    /** Returns {@code op(x) · op(y)} as {@code shape}; transposes are views, so BLAS reads them in place. */
    static DjlArray matmul(DjlBackend backend, DjlArray x, boolean transposeA, DjlArray y, boolean transposeB,
            int[] shape) {
        PtNDArray xt = null;
        PtNDArray yt = null;
        try {
            xt = transposeA ? JniUtils.transpose(x.tensor(), -1, -2) : x.tensor();
            yt = transposeB ? JniUtils.transpose(y.tensor(), -1, -2) : y.tensor();
            return backend.wrap(JniUtils.matmul(xt, yt), shape, x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail("matmul" + (transposeA ? " (A transposed)" : "") + (transposeB ? " (B transposed)" : ""),
                    e, x.shape(), y.shape());
        } finally {
            if (transposeA && xt != null) {
                xt.close();
            }
            if (transposeB && yt != null) {
                yt.close();
            }
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }
}
