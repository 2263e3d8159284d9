package io.polygrad.scratch;

import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.AbstractBackendArray;

/**
 * A scratch array: a row-major {@code float[]} (float32) or {@code double[]} (float64) on the
 * Java heap. Closing only marks it released (later kernels on it fail with the "released" error,
 * as on the native backends); the garbage collector frees the memory.
 */
public final class ScratchArray extends AbstractBackendArray {

    final float[] f;
    final double[] d;
    final int[] shape;
    private final ScratchBackend backend;

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

    /** Nothing to free: the garbage collector owns the Java arrays. */
    @Override
    protected void free() {
    }

    int length() {
        return f != null ? f.length : d.length;
    }
}
