package io.polygrad;

import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * A forward pass written directly in backend kernels, for an op whose backward rule is stated
 * separately (so the forward records one graph node, not one per kernel): every array a step makes
 * is released when the chain closes, except the one handed out by {@link #result}. Arrays passed in
 * (a tensor's data) are never released.
 *
 * <pre>{@code
 * try (KernelChain k = new KernelChain(x)) {
 *     BackendArray y = k.binary(BinaryOp.MUL, x.data(), k.constant(0.5));
 *     return record(x.engine(), k.result(y), "Half", SAVES_NONE, rule, x);
 * }
 * }</pre>
 */
final class KernelChain implements AutoCloseable {

    private final Backend backend;
    private final io.polygrad.DType dtype;
    private final List<BackendArray> made = new ArrayList<>();

    /** Starts a chain on {@code x}'s backend, whose constants get {@code x}'s dtype. */
    KernelChain(Tensor x) {
        this.backend = x.backend();
        this.dtype = x.dtype();
    }

    private BackendArray track(BackendArray a) {
        made.add(a);
        return a;
    }

    /** Returns a 0-d array of {@code value} in the chain's dtype. */
    BackendArray constant(double value) {
        return track(backend.full(Shapes.scalar(), value, dtype));
    }

    /** Returns {@code op(a)}. */
    BackendArray unary(UnaryOp op, BackendArray a) {
        return track(backend.unary(op, a));
    }

    /** Returns {@code op(a, b)} with broadcasting. */
    BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        return track(backend.binary(op, a, b));
    }

    /** Returns {@code op(a, value)}. */
    BackendArray binary(BinaryOp op, BackendArray a, double value) {
        return binary(op, a, constant(value));
    }

    /** Returns {@code c != 0 ? a : b}. */
    BackendArray where(BackendArray c, BackendArray a, BackendArray b) {
        return track(backend.where(c, a, b));
    }

    /** Returns {@code op} over {@code axes}. */
    BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims) {
        return track(backend.reduce(op, a, axes, keepDims));
    }

    /** Returns {@code a}, which the chain made, taken out of the chain so that closing it keeps {@code a}. */
    BackendArray result(BackendArray a) {
        for (int i = made.size() - 1; i >= 0; i--) {
            if (made.get(i) == a) {
                made.remove(i);
                return a;
            }
        }
        throw new IllegalStateException("KernelChain.result: the array was not made by this chain");
    }

    /** Releases every array the chain made and did not hand out. */
    @Override
    public void close() {
        for (BackendArray a : made) {
            a.close();
        }
        made.clear();
    }
}
