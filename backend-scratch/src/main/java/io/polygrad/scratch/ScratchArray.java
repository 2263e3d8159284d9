package io.polygrad.scratch;

import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;

/**
 * A scratch array: a row-major {@code float[]} (float32) or {@code double[]} (float64) on the
 * Java heap. Closing only marks it released; the garbage collector frees the memory.
 */
public final class ScratchArray implements BackendArray {

    final float[] f;
    final double[] d;
    final int[] shape;
    private final ScratchBackend backend;
    private boolean closed;

    ScratchArray(ScratchBackend backend, float[] f, int[] shape) {
        this.backend = backend;
        this.f = f;
        this.d = null;
        this.shape = shape;
    }

    ScratchArray(ScratchBackend backend, double[] d, int[] shape) {
        this.backend = backend;
        this.f = null;
        this.d = d;
        this.shape = shape;
    }

    @Override
    public int[] shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return f != null ? DType.FLOAT32 : DType.FLOAT64;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    int length() {
        return f != null ? f.length : d.length;
    }
}
