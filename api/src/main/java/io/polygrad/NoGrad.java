package io.polygrad;

/**
 * Creates a scope in which no operation is recorded for autograd, like PyTorch's
 * {@code torch.no_grad()}. Scopes nest and are per thread.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     w.subi(w.grad().mul(lr));   // an in-place update of a leaf, allowed here
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final int[] depth;
    private boolean closed;

    private NoGrad() {
        depth = DEPTH.get();
        depth[0]++;
    }

    /** Creates and enters a no-grad scope on this thread; close it to leave. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Returns whether operations on this thread are recorded for autograd now. */
    public static boolean isGradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    /** Leaves the scope; closing twice does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            depth[0]--;
        }
    }
}
