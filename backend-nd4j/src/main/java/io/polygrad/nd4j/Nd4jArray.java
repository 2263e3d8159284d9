package io.polygrad.nd4j;

import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.AbstractBackendArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J array: the ND4J backend's handle on one dense, row-major array, an {@link INDArray} that
 * this handle owns, plus the polygrad shape and dtype.
 *
 * <p>The polygrad shape is kept here rather than read back from ND4J, so rank-0 arrays (shape
 * {@code []}) and arrays with a dimension of size 0 keep exactly the shape {@code api} asked for.
 * Every array this backend hands out is a fresh, C-ordered allocation with offset 0; it never
 * shares memory with another handle.
 *
 * <p>{@link #close()} releases the native memory (through {@link INDArray#close()}) instead of
 * waiting for the garbage collector: at once, or, when a kernel on another thread is still reading
 * the array, as soon as that kernel finishes ({@link AbstractBackendArray}); it is idempotent.
 * Freeing under a running kernel made OpenBLAS read unmapped memory (SIGSEGV) in 5 of 10 tries of
 * a 1024x1024 matmul racing a scope's close.
 */
public final class Nd4jArray extends AbstractBackendArray {

    private final Nd4jBackend backend;
    private final INDArray array;
    private final int[] shape;
    private final DType dtype;
    /** Whether {@link #array} is a constant shared by several handles, which closing must not free. */
    private final boolean sharedConstant;

    Nd4jArray(Nd4jBackend backend, INDArray array, int[] shape, DType dtype) {
        this(backend, array, shape, dtype, false);
    }

    Nd4jArray(Nd4jBackend backend, INDArray array, int[] shape, DType dtype, boolean sharedConstant) {
        this.backend = backend;
        this.array = array;
        this.shape = shape;
        this.dtype = dtype;
        this.sharedConstant = sharedConstant;
    }

    @Override
    public int[] shape() {
        return shape;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /**
     * Returns the wrapped {@link INDArray}, for interoperation with ND4J code. It stays owned by this
     * handle: do not close it, do not write to it, and do not use it after {@link #close()}. To use
     * it while another thread may close this handle, hold the handle: {@link #acquire()} before,
     * {@link #release()} after.
     *
     * @throws IllegalStateException if this handle was closed
     */
    public INDArray indArray() {
        if (isClosed()) {
            throw released(shape);
        }
        return array;
    }

    /** Returns the wrapped array without the closed check, for the backend's own kernels. */
    INDArray raw() {
        return array;
    }

    /** Returns the number of elements. */
    long length() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Frees the ND4J buffer; run once, when the handle is closed and no kernel holds it. */
    @Override
    protected void free() {
        if (sharedConstant) {
            return;
        }
        try {
            if (!array.wasClosed() && array.closeable()) {
                array.close();
            }
        } catch (RuntimeException e) {
            // ND4J refuses to close some buffers (e.g. shared constants); the garbage collector
            // releases those, so closing stays idempotent and never throws.
        }
    }

    /** Returns an uninitialised C-ordered array of {@code shape}, for a kernel to fill. */
    static INDArray alloc(int[] shape, DType dtype) {
        return alloc(shape, dataType(dtype));
    }

    /** Returns an uninitialised C-ordered array of {@code shape} and ND4J type {@code type}. */
    static INDArray alloc(int[] shape, DataType type) {
        return Nd4j.createUninitialized(type, longs(shape));
    }

    /** Returns a new array of {@code shape} with every element {@code value}. */
    static INDArray filled(int[] shape, double value, DType dtype) {
        INDArray out = alloc(shape, dtype);
        out.assign(value);
        return out;
    }

    /** Returns ND4J's type for {@code dtype}. */
    static DataType dataType(DType dtype) {
        return dtype == DType.FLOAT32 ? DataType.FLOAT : dtype == DType.INT64 ? DataType.LONG : DataType.DOUBLE;
    }

    /** Returns {@code v} widened to longs, as ND4J takes shapes and axes. */
    static long[] longs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** Returns {@code v} narrowed to ints. */
    static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    /** Returns e.g. {@code Nd4jArray[2, 3] float32}. */
    @Override
    public String toString() {
        return "Nd4jArray" + java.util.Arrays.toString(shape) + " " + dtype + (isClosed() ? " (closed)" : "");
    }
}
