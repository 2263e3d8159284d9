package io.polygrad.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.AbstractBackendArray;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A DJL array: the djl backend's handle on one array, a DJL {@link NDArray} (a libtorch tensor)
 * that owns its memory, with its shape and dtype cached on the Java side.
 *
 * <p>{@link #close()} frees the tensor and removes it from the backend's {@code NDManager}, so
 * nothing accumulates there: at once, or, when a kernel on another thread still reads the tensor,
 * as soon as that kernel finishes ({@link AbstractBackendArray}); it is idempotent and thread-safe. An array that becomes unreachable
 * without being closed is found by a {@link Cleaner} as a safety net, but code should close arrays
 * (polygrad's tensor scopes do): the garbage collector does not see native memory pressure.
 *
 * <p>The result of a forward kernel run for a backward to come ({@code DjlGraph.recorded}) also holds
 * the leaves of libtorch's one-op autograd graph behind its tensor, so that tensor has a
 * {@code grad_fn}; the graph is walked at most once ({@link #takeGraph}) and freed with the array.
 *
 * <p>The safety net never frees on the Cleaner's thread: it queues the tensor, and the next array
 * created frees the queue on the creating thread. Freeing in the background raced with DJL code
 * that walks every managed array (a {@code GradientCollector} zeroes all gradients when it opens),
 * which then read freed libtorch memory.
 */
public final class DjlArray extends AbstractBackendArray {

    private static final Cleaner CLEANER = Cleaner.create();
    /** Tensors whose handles were garbage-collected unclosed, waiting to be freed on a caller's thread. */
    private static final java.util.Queue<PtNDArray> ABANDONED = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final DjlBackend backend;
    private final PtNDArray nd;
    private final int[] shape;
    private final DType dtype;
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    /**
     * The leaves of libtorch's autograd graph of the op that made {@link #nd}, kept for that op's
     * backward ({@link DjlConvolution}); null for every other array. An entry is null where the op
     * prepared no gradient.
     */
    private final PtNDArray[] leaves;
    /** Whether a backward has taken the graph (libtorch frees it on the first walk). */
    private final AtomicBoolean graphTaken = new AtomicBoolean();

    DjlArray(DjlBackend backend, PtNDArray nd, int[] shape, DType dtype) {
        this(backend, nd, shape, dtype, null);
    }

    /**
     * Creates a handle owning {@code nd} and, when {@code leaves} is not null, the leaves of the
     * autograd graph behind it, freed with it.
     */
    DjlArray(DjlBackend backend, PtNDArray nd, int[] shape, DType dtype, PtNDArray[] leaves) {
        this.backend = backend;
        this.nd = nd;
        this.shape = shape;
        this.dtype = dtype;
        this.leaves = leaves;
        this.release = new Release(nd, leaves);
        this.cleanable = CLEANER.register(this, release);
        releaseAbandoned();
    }

    /**
     * Returns the leaves of the autograd graph behind this array if it has one that no backward has
     * taken yet and that prepared the gradient of every leaf {@code needed} names (indexes into the
     * leaves), and marks the graph taken; returns null otherwise. At most one caller gets the leaves.
     */
    PtNDArray[] takeGraph(int... needed) {
        if (leaves == null) {
            return null;
        }
        for (int i : needed) {
            if (leaves[i] == null) {
                return null;
            }
        }
        return graphTaken.compareAndSet(false, true) ? leaves : null;
    }

    /** Frees the tensors of arrays that were garbage-collected without being closed. */
    static void releaseAbandoned() {
        PtNDArray abandoned;
        while ((abandoned = ABANDONED.poll()) != null) {
            abandoned.close();
        }
    }

    /**
     * Releases a tensor: at once when run by {@link #close()}, queued when run by the Cleaner. Holds no
     * reference to the {@link DjlArray} so that it can be collected.
     */
    private static final class Release implements Runnable {
        private final PtNDArray nd;
        private final PtNDArray[] leaves;
        private volatile boolean explicit;

        Release(PtNDArray nd, PtNDArray[] leaves) {
            this.nd = nd;
            this.leaves = leaves;
        }

        @Override
        public void run() {
            if (explicit) {
                nd.close(); // deletes the libtorch tensor and detaches it from its NDManager
                if (leaves != null) {
                    DjlBackend.closeAll(leaves);
                }
            } else {
                ABANDONED.add(nd);
                if (leaves != null) {
                    for (PtNDArray leaf : leaves) {
                        if (leaf != null) {
                            ABANDONED.add(leaf);
                        }
                    }
                }
            }
        }
    }

    /**
     * Returns the underlying DJL array, for interoperating with DJL code; it stays owned by this handle
     * (do not close it, do not modify it in place, do not call {@code backward} on it: it may carry
     * the autograd graph described above). To use it while another thread may close this
     * handle, hold the handle: {@link #acquire()} before, {@link #release()} after.
     *
     * @throws IllegalStateException the "released" error, if this array is closed
     */
    public NDArray ndArray() {
        if (isClosed()) {
            throw released(shape);
        }
        return nd;
    }

    /**
     * Returns the tensor for a kernel, unchecked: {@link io.polygrad.spi.AbstractBackend} holds the
     * array for the kernel, so the tensor stays valid even if another thread closes the handle.
     */
    PtNDArray tensor() {
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

    /** Frees the tensor; run once, when the handle is closed and no kernel holds it. */
    @Override
    protected void free() {
        release.explicit = true;
        cleanable.clean(); // runs Release at most once, even when called concurrently
    }

    /** Returns e.g. {@code DjlArray[float32 [2, 3] cpu]}. */
    @Override
    public String toString() {
        return "DjlArray[" + dtype + ' ' + Arrays.toString(shape) + ' ' + backend.device()
                + (isClosed() ? " closed]" : "]");
    }
}
