package io.polygrad.spi;

import io.polygrad.DType;
import java.util.Locale;

/**
 * An allocation that a backend could not make, naming the backend, the op, the shape, the dtype
 * and the bytes requested, with the backend's own failure as the cause.
 *
 * <pre>{@code
 * scratch backend cannot allocate 17179869176 bytes (16.0 GiB) for a float64 array of shape
 * [2147483647] in full: OutOfMemoryError: Requested array size exceeds VM limit
 * }</pre>
 *
 * <p>It is an {@link OutOfMemoryError}, as the JDK's own failures to allocate off-heap memory are
 * ({@code ByteBuffer.allocateDirect}): code that catches {@code OutOfMemoryError} to retry with a
 * smaller batch catches it whichever backend (heap or native) failed, and a generic
 * {@code catch (RuntimeException e)} does not swallow it. Nothing was allocated when it is thrown,
 * so it is safe to catch: the backend stays usable.
 */
public class BackendOutOfMemoryError extends OutOfMemoryError {

    private static final long serialVersionUID = 1L;

    private final String backend;
    private final transient int[] shape;
    private final DType dtype;
    private final long bytes;

    /** Creates the error for a {@code dtype} array of {@code shape} that {@code backend} failed to allocate in {@code op}. */
    public BackendOutOfMemoryError(String backend, String op, int[] shape, DType dtype, Throwable cause) {
        super(describe(backend, op, shape, dtype, cause));
        this.backend = backend;
        this.shape = shape.clone();
        this.dtype = dtype;
        this.bytes = bytes(shape, dtype);
        if (cause != null) {
            initCause(cause);
        }
    }

    /** Returns the backend's configuration name. */
    public String backend() {
        return backend;
    }

    /** Returns the shape of the array that could not be allocated. */
    public int[] shape() {
        return shape.clone();
    }

    /** Returns its dtype. */
    public DType dtype() {
        return dtype;
    }

    /** Returns the bytes requested. */
    public long bytes() {
        return bytes;
    }

    private static long bytes(int[] shape, DType dtype) {
        long n = dtype.byteSize();
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static String describe(String backend, String op, int[] shape, DType dtype, Throwable cause) {
        long bytes = bytes(shape, dtype);
        StringBuilder sb = new StringBuilder(backend).append(" backend cannot allocate ").append(bytes)
                .append(" bytes (").append(String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30)))
                .append(") for a ").append(dtype).append(" array of shape ").append(Shapes.toString(shape))
                .append(" in ").append(op);
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause(); // the library's own words, not the wrappers around them
        }
        if (root != null) {
            sb.append(": ").append(root.getClass().getSimpleName());
            if (root.getMessage() != null) {
                sb.append(": ").append(root.getMessage().lines().findFirst().orElse(""));
            }
        }
        return sb.toString();
    }
}
