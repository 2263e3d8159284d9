package io.polygrad;

/**
 * The no-grad scope: while one is open on a thread, no operation on that thread is recorded for
 * autograd, like PyTorch's {@code torch.no_grad()}. Scopes nest and are per thread.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     w.subi(w.grad().mul(lr));   // an in-place update of a leaf, allowed here
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {

    private final int[] depth;
    private boolean closed;

    private NoGrad() {
        depth = Autograd.noGradDepth();
        depth[0]++;
    }

    /** Creates and enters a no-grad scope on this thread; close it to leave. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Returns whether operations on this thread are recorded for autograd now. */
    public static boolean isGradEnabled() {
        return Autograd.isGradEnabled();
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
