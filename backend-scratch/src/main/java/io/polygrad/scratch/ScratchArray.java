package io.polygrad.scratch;

import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.AbstractBackendArray;

/**
 * A scratch array: a row-major {@code float[]} (float32), {@code double[]} (float64) or
 * {@code long[]} (int64) on the Java heap. Closing only marks it released (later kernels on it fail with the "released" error,
 * as on the native backends); the garbage collector frees the memory, so kernels only check that an
 * array is open and take no holds ({@link AbstractBackendArray#AbstractBackendArray(boolean)}).
 */
public final class ScratchArray extends AbstractBackendArray {

    final float[] f;
    final double[] d;
    /** The int64 elements, or {@code null} for a float array. */
    final long[] l;
    final int[] shape;
    private final ScratchBackend backend;

    ScratchArray(ScratchBackend backend, float[] f, int[] shape) {
        super(true);
        this.backend = backend;
        this.f = f;
        this.d = null;
        this.l = null;
        this.shape = shape;
    }

    ScratchArray(ScratchBackend backend, double[] d, int[] shape) {
        super(true);
        this.backend = backend;
        this.f = null;
        this.d = d;
        this.l = null;
        this.shape = shape;
    }

    ScratchArray(ScratchBackend backend, long[] l, int[] shape) {
        super(true);
        this.backend = backend;
        this.f = null;
        this.d = null;
        this.l = l;
        this.shape = shape;
    }

    /** Returns a scratch array around {@code data}: a {@code float[]}, {@code double[]} or {@code long[]}. */
    static ScratchArray wrap(ScratchBackend backend, Object data, int[] shape) {
        if (data instanceof float[] f) {
            return new ScratchArray(backend, f, shape);
        }
        if (data instanceof double[] d) {
            return new ScratchArray(backend, d, shape);
        }
        return new ScratchArray(backend, (long[]) data, shape);
    }

    /** Returns the element array: {@code float[]}, {@code double[]} or {@code long[]}. */
    Object data() {
        return f != null ? f : d != null ? d : l;
    }

    @Override
    public int[] shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return f != null ? DType.FLOAT32 : d != null ? DType.FLOAT64 : DType.INT64;
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
        return f != null ? f.length : d != null ? d.length : l.length;
    }
}
