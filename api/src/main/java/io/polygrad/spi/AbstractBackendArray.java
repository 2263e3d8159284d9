package io.polygrad.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link BackendArray} whose memory is freed only when it has been closed <em>and</em> no kernel
 * holds it any more: the reference counting that lets one thread release a tensor (by
 * {@code close()} or its scope) while another thread is still computing with it.
 *
 * <p>One {@code int} holds the state: the number of kernels holding the array, a closed bit and a
 * freed bit. The owner (the handle itself) holds it from creation until {@link #close()} without
 * being counted, so a new array's state is the default 0 and creating one writes no volatile
 * field (a fence per array, as costly as a small kernel); {@link AbstractBackend}
 * makes every kernel argument a holder for the kernel's duration ({@link #acquire()} before,
 * {@link #release()} after). {@link #close()} sets the closed bit and gives up the owner's hold;
 * whoever gives up the last hold, the closing thread or a kernel finishing on another thread,
 * runs {@link #free()}, exactly once. Once closed, {@link #acquire()} fails with the "released"
 * error, so no kernel can start on the array, while kernels already running finish on memory that
 * is still there.
 *
 * <p>Cost: {@link #acquire()} is one atomic increment (and a bit test), {@link #release()} one
 * atomic decrement, per argument per op: an {@code AtomicInteger} increment/decrement pair. An
 * acquire that finds the closed bit undoes its increment; the last hold to go, closing thread,
 * kernel or such an undo, moves the state from "closed, no holds" to "freed" with one
 * compare-and-set and frees, so the memory is freed exactly once.
 *
 * <p>An array whose memory the garbage collector owns (a Java array on the heap) needs no holds: a
 * kernel still running when another thread closes it reads memory that stays valid as long as the
 * kernel references it. Such an array is created with {@link #AbstractBackendArray(boolean)
 * AbstractBackendArray(true)}: {@link #acquire()} is then one volatile read of the closed bit (the
 * same "released" error after {@code close()}), {@link #release()} does nothing, {@link #close()} is
 * one ordered store and {@link #free()} is never called: the garbage collector frees the memory. Small
 * kernels are dominated by this: two operands held and released cost four atomic read-modify-writes,
 * as much as adding 20 floats, and an atomic close as much again.
 */
public abstract class AbstractBackendArray implements BackendArray {

    private static final int CLOSED = 1 << 30;
    /** Set once {@link #free()} has run: a failed acquire on a freed array brings the count back to it, not to {@link #CLOSED}. */
    private static final int FREED = 1 << 29;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AbstractBackendArray.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The count of running kernels' holds in the low bits, {@link #CLOSED} once closed, {@link #FREED} once freed. */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Whether kernels hold the array (native memory); false for memory the garbage collector owns. */
    private final boolean counted;

    /** Creates an open array held by its owner, whose memory {@link #free()} releases (native memory). */
    protected AbstractBackendArray() {
        this(false);
    }

    /**
     * Creates an open array; with {@code garbageCollected} true its memory is owned by the garbage
     * collector, so kernels only check that it is open instead of holding it (see the class comment).
     */
    protected AbstractBackendArray(boolean garbageCollected) {
        this.counted = !garbageCollected;
    }

    @Override
    public final boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /**
     * Holds the memory for a kernel until the matching {@link #release()}.
     *
     * @throws IllegalStateException the "released" error, if the array has been closed
     */
    @Override
    public final void acquire() {
        if (!counted) {
            if ((state & CLOSED) != 0) {
                throw released(shape());
            }
            return;
        }
        int s = (int) STATE.getAndAdd(this, 1);
        if ((s & CLOSED) != 0) {
            release(); // undo; frees if this was the last hold of a closed array not yet freed
            throw released(shape());
        }
    }

    /** Gives up a hold taken by {@link #acquire()}; frees the memory if it was the last one of a closed array. */
    @Override
    public final void release() {
        if (counted && (int) STATE.getAndAdd(this, -1) - 1 == CLOSED && STATE.compareAndSet(this, CLOSED, CLOSED | FREED)) {
            freeQuietly();
        }
    }

    /**
     * Releases the memory behind this array: at once when no kernel holds it, otherwise when the last
     * running kernel finishes. Idempotent and thread-safe; new kernels on the array fail from now on.
     */
    @Override
    public final void close() {
        if (!counted) {
            if (state == 0) {
                STATE.setRelease(this, CLOSED | FREED); // no atomic update: nothing is freed
            }
            return;
        }
        int s;
        do {
            s = state;
            if ((s & CLOSED) != 0) {
                return;
            }
        } while (!STATE.weakCompareAndSet(this, s, s | CLOSED));
        if (s == 0 && STATE.compareAndSet(this, CLOSED, CLOSED | FREED)) {
            freeQuietly(); // no kernel held it; else the last kernel's release() frees
        }
    }

    /** Returns how many holds are taken now (the owner's included until closed), for tests. */
    public final int holds() {
        int s = state;
        return (s & ~(CLOSED | FREED)) + ((s & CLOSED) == 0 ? 1 : 0);
    }

    /**
     * Frees the memory: called exactly once, by the thread that gave up the last hold, after
     * {@link #close()}. Must not throw (what it throws is dropped).
     */
    protected abstract void free();

    private void freeQuietly() {
        try {
            free();
        } catch (RuntimeException e) {
            // Freeing is best effort: close() and release() never throw.
        }
    }

    /**
     * Returns the "released" error for an array of {@code shape}: the error api gives for a tensor
     * used after {@code close()} or its scope, the same on every backend.
     */
    public static IllegalStateException released(int[] shape) {
        return new IllegalStateException("Tensor of shape " + Shapes.toString(shape)
                + " has been released (by close() or by the TensorScope it was created in); "
                + "keep it with scope.keep(tensor) to use it after the scope");
    }
}
