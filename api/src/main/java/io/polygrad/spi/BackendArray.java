package io.polygrad.spi;

import io.polygrad.DType;

/**
 * A backend's handle on one dense, row-major array.
 *
 * <p>Arrays are immutable from the point of view of {@code api}: every {@link Backend} method returns
 * a new array and never changes its arguments. {@link #close()} releases the memory behind the
 * handle (native memory for ND4J and DJL); it is idempotent, and a closed array must not be read.
 *
 * <p><b>Threads.</b> An array may be read by several threads at once, and closed by one thread
 * while another computes with it: {@link AbstractBackend} holds every argument for the duration of
 * its kernel ({@link #acquire()}, {@link #release()}), and an {@link AbstractBackendArray} frees
 * its memory only when it is closed and no kernel holds it. A kernel that started before the close
 * finishes normally; one that starts after it fails with the "released"
 * {@link IllegalStateException}. Nothing ever reads freed memory, so a race on close is a Java
 * exception, never a native crash.
 */
public interface BackendArray extends AutoCloseable {

    /** Returns the shape; callers must not modify the returned array. */
    int[] shape();

    /** Returns the element type. */
    DType dtype();

    /** Returns the backend that created this array. */
    Backend backend();

    /** Returns whether {@link #close()} has been called. */
    boolean isClosed();

    /**
     * Releases the memory behind this array; calling it again does nothing. Kernels already running
     * on it (on other threads) finish first; it never throws.
     */
    @Override
    void close();

    /**
     * Holds this array's memory for a kernel, until the matching {@link #release()}: the memory is
     * not freed meanwhile, even if another thread closes the array. {@link AbstractBackend} calls it
     * around every kernel; code that reads a backend's native handle directly should too.
     *
     * <p>The default, for arrays whose memory the garbage collector owns, only checks the state.
     *
     * @throws IllegalStateException the "released" error, if this array has been closed
     */
    default void acquire() {
        if (isClosed()) {
            throw AbstractBackendArray.released(shape());
        }
    }

    /** Gives up a hold taken by {@link #acquire()}; the default does nothing. */
    default void release() {
    }
}
