package io.polygrad.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import java.lang.ref.Cleaner;
import java.util.Arrays;

/**
 * Returns the djl backend's handle on one array: a DJL {@link NDArray} (a libtorch tensor) that owns
 * its memory, with its shape and dtype cached on the Java side.
 *
 * <p>{@link #close()} frees the tensor at once and removes it from the backend's {@code NDManager},
 * so nothing accumulates there; it is idempotent and thread-safe. An array that becomes unreachable
 * without being closed is freed by a {@link Cleaner} as a safety net, but code should close arrays
 * (polygrad's tensor scopes do): the garbage collector does not see native memory pressure.
 */
public final class DjlArray implements BackendArray {

    private static final Cleaner CLEANER = Cleaner.create();

    private final DjlBackend backend;
    private final PtNDArray nd;
    private final int[] shape;
    private final DType dtype;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    DjlArray(DjlBackend backend, PtNDArray nd, int[] shape, DType dtype) {
        this.backend = backend;
        this.nd = nd;
        this.shape = shape;
        this.dtype = dtype;
        this.cleanable = CLEANER.register(this, new Release(nd));
    }

    /** Releases a tensor; holds no reference to the {@link DjlArray} so that it can be collected. */
    private record Release(PtNDArray nd) implements Runnable {
        @Override
        public void run() {
            nd.close(); // deletes the libtorch tensor and detaches it from its NDManager
        }
    }

    /**
     * Returns the underlying DJL array, for interoperating with DJL code; it stays owned by this handle
     * (do not close it, do not modify it in place).
     *
     * @throws IllegalStateException if this array is closed
     */
    public NDArray ndArray() {
        return tensor();
    }

    PtNDArray tensor() {
        if (closed) {
            throw new IllegalStateException("djl array " + this + " is closed");
        }
        return nd;
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

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cleanable.clean(); // runs Release at most once, even when called concurrently
        }
    }

    /** Returns e.g. {@code DjlArray[float32 [2, 3] cpu]}. */
    @Override
    public String toString() {
        return "DjlArray[" + dtype + ' ' + Arrays.toString(shape) + ' ' + backend.device()
                + (closed ? " closed]" : "]");
    }
}
