package io.polygrad.spi;

import java.util.Arrays;

/**
 * A failure inside a backend kernel, naming the backend, the operation and the input shapes.
 *
 * <p>Backends wrap their library's exceptions in this type so that users see polygrad's terms, not
 * ND4J's or PyTorch's, and keep the original as the cause.
 */
public class BackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a complete message. */
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception for {@code op} on the {@code backend} backend with the given input shapes.
     *
     * <pre>{@code
     * new BackendException("nd4j", "matmul", cause, new int[]{2, 3}, new int[]{4, 5})
     * // "nd4j backend failed in matmul on shapes [2, 3], [4, 5]: <cause message>"
     * }</pre>
     */
    public BackendException(String backend, String op, Throwable cause, int[]... shapes) {
        super(describe(backend, op, cause, shapes), cause);
    }

    private static String describe(String backend, String op, Throwable cause, int[][] shapes) {
        StringBuilder sb = new StringBuilder(backend).append(" backend failed in ").append(op);
        if (shapes.length > 0) {
            sb.append(" on shapes ");
            for (int i = 0; i < shapes.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(Arrays.toString(shapes[i]));
            }
        }
        if (cause != null) {
            sb.append(": ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                sb.append(": ").append(cause.getMessage());
            }
        }
        return sb.toString();
    }
}
