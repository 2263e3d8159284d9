package io.polygrad.spi;

import io.polygrad.DType;

/**
 * A backend's handle on one dense, row-major array.
 *
 * <p>Arrays are immutable from the point of view of {@code api}: every {@link Backend} method returns
 * a new array and never changes its arguments. {@link #close()} releases the memory behind the
 * handle (native memory for ND4J and DJL); it is idempotent, and a closed array must not be read.
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

    /** Releases the memory behind this array; calling it again does nothing. */
    @Override
    void close();
}
