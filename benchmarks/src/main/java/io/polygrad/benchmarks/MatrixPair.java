package io.polygrad.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.polygrad.Engine;
import io.polygrad.Tensor;

/**
 * Two random n×n float32 matrices drawn from polygrad's seeded generator on one engine, and the same
 * values as raw DJL arrays, for the matmul benchmarks that compare polygrad's product with libtorch's.
 *
 * <pre>{@code
 * MatrixPair m = new MatrixPair(engine, 1024);
 * Tensor ours = m.a.matmul(m.b);
 * NDArray theirs = m.rawA.matMul(m.rawB);
 * m.close();
 * }</pre>
 */
final class MatrixPair implements AutoCloseable {

    final Tensor a;
    final Tensor b;
    final NDArray rawA;
    final NDArray rawB;
    private final NDManager manager;

    /** Draws the two matrices on {@code engine} and copies them into a new DJL manager. */
    MatrixPair(Engine engine, int n) {
        a = engine.randn(n, n);
        b = engine.randn(n, n);
        manager = RawDjl.engine().newBaseManager();
        rawA = manager.create(a.toFloatArray(), new Shape(n, n));
        rawB = manager.create(b.toFloatArray(), new Shape(n, n));
    }

    /** Frees the tensors and the DJL arrays. */
    @Override
    public void close() {
        a.close();
        b.close();
        manager.close();
    }
}
