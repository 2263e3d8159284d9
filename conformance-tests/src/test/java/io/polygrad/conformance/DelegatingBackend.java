package io.polygrad.conformance;

import com.google.inject.AbstractModule;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.scratch.ScratchBackend;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;

/**
 * Creates a backend that delegates every kernel to scratch; tests subclass it to change one kernel
 * (a planted fault, or a legitimate variation such as another summation order).
 */
class DelegatingBackend implements Backend {
    final Backend d = new ScratchBackend();
    private final String name;

    DelegatingBackend(String name) {
        this.name = name;
    }

    DelegatingBackend() {
        this("faulty");
    }

    /** Returns this backend as a backend under test named like it. */
    BackendUnderTest underTest() {
        Backend self = this;
        return BackendUnderTest.of(name, new AbstractModule() {
            @Override
            protected void configure() {
                bind(Backend.class).toInstance(self);
            }
        });
    }

    @Override public String name() { return name; }
    @Override public Device device() { return d.device(); }
    @Override public BackendArray fromDoubles(double[] v, int[] s, DType t) { return d.fromDoubles(v, s, t); }
    @Override public BackendArray fromFloats(float[] v, int[] s) { return d.fromFloats(v, s); }
    @Override public BackendArray full(int[] s, double v, DType t) { return d.full(s, v, t); }
    @Override public double[] toDoubleArray(BackendArray a) { return d.toDoubleArray(a); }
    @Override public float[] toFloatArray(BackendArray a) { return d.toFloatArray(a); }
    @Override public BackendArray unary(UnaryOp op, BackendArray a) { return d.unary(op, a); }
    @Override public BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) { return d.binary(op, a, b); }
    @Override public BackendArray where(BackendArray c, BackendArray a, BackendArray b) { return d.where(c, a, b); }
    @Override public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keep) {
        return d.reduce(op, a, axes, keep);
    }
    @Override public BackendArray matmul(BackendArray a, BackendArray b) { return d.matmul(a, b); }
    @Override public BackendArray reshape(BackendArray a, int[] s) { return d.reshape(a, s); }
    @Override public BackendArray permute(BackendArray a, int[] axes) { return d.permute(a, axes); }
    @Override public BackendArray broadcastTo(BackendArray a, int[] s) { return d.broadcastTo(a, s); }
    @Override public BackendArray slice(BackendArray a, int axis, int s, int e) { return d.slice(a, axis, s, e); }
    @Override public BackendArray concat(BackendArray[] p, int axis) { return d.concat(p, axis); }
    @Override public BackendArray cumsum(BackendArray a, int axis, boolean reverse) { return d.cumsum(a, axis, reverse); }
    @Override public BackendArray unfold(BackendArray a, int[] k, int[] dil, int[] p, int[] s) {
        return d.unfold(a, k, dil, p, s);
    }
    @Override public BackendArray fold(BackendArray c, int[] size, int[] k, int[] dil, int[] p, int[] s) {
        return d.fold(c, size, k, dil, p, s);
    }
    @Override public BackendArray cast(BackendArray a, DType t) { return d.cast(a, t); }
    @Override public BackendArray fromLongs(long[] v, int[] s) { return d.fromLongs(v, s); }
    @Override public long[] toLongArray(BackendArray a) { return d.toLongArray(a); }
    @Override public BackendArray argReduce(io.polygrad.spi.ArgReduceOp op, BackendArray a, int axis, boolean k) {
        return d.argReduce(op, a, axis, k);
    }
    @Override public BackendArray gather(BackendArray a, int axis, BackendArray i) { return d.gather(a, axis, i); }
    @Override public BackendArray scatterAdd(BackendArray a, int axis, BackendArray i, BackendArray s) {
        return d.scatterAdd(a, axis, i, s);
    }
}
