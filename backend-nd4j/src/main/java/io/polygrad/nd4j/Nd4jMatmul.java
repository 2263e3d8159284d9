package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The matmul kernel of the ND4J backend: libnd4j's batched matmul, transposes passed as flags. */
final class Nd4jMatmul {

    private Nd4jMatmul() {
    }

    /** Returns {@code op(x) · op(y)} as {@code shape}; BLAS reads transposed operands in place. */
    static Nd4jArray matmul(Nd4jBackend backend, Nd4jArray x, boolean transposeA, Nd4jArray y, boolean transposeB,
            int[] shape) {
        try {
            backend.selectDevice();
            INDArray out = alloc(shape, x.dtype());
            // The flags are always passed: an op context keeps integer arguments from its previous call.
            Nd4jOpRunner.exec("matmul", new INDArray[] {x.raw(), y.raw()}, out,
                    new long[] {transposeA ? 1 : 0, transposeB ? 1 : 0, 0}, null, null);
            return backend.wrap(out, shape, x.dtype());
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("matmul" + (transposeA ? " (A transposed)" : "") + (transposeB ? " (B transposed)" : ""),
                    e, x.shape(), y.shape());
        }
    }
}
