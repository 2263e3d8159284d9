package io.polygrad;

import java.util.ArrayList;
import java.util.List;

/**
 * A memory scope: every tensor created on this thread while the scope is open is released
 * when it closes, except tensors passed to {@link #keep}, parameters updated in place, and gradients
 * stored on leaves by {@code backward()}. Scopes nest; a kept tensor moves to the enclosing scope.
 *
 * <p>Native backends (ND4J, DJL) hold memory outside the Java heap; a training loop opens one scope
 * per step so that native memory stays flat:
 * <pre>{@code
 * for (int step = 0; step < steps; step++) {
 *     try (TensorScope scope = TensorScope.open()) {
 *         Tensor loss = model.forward(x).sub(y).abs().mean();
 *         loss.backward();
 *         optimizer.step();
 *         lastLoss = loss.item();
 *     }
 * }
 * }</pre>
 */
public final class TensorScope implements AutoCloseable {

    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();
    /** Scopes open on any thread; while zero, creating a tensor skips the thread-local look-up. */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

    private final TensorScope parent;
    private final Thread owner;
    private List<Tensor> tensors = new ArrayList<>();
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
        this.owner = Thread.currentThread();
    }

    /** Creates and opens a scope on this thread, nested in the current one if any. */
    public static TensorScope open() {
        TensorScope scope = new TensorScope(CURRENT.get());
        CURRENT.set(scope);
        OPEN.incrementAndGet();
        return scope;
    }

    static void register(Tensor t) {
        if (OPEN.get() == 0) {
            return;
        }
        TensorScope scope = CURRENT.get();
        if (scope != null) {
            t.scope = scope;
            scope.tensors.add(t);
        }
    }

    /**
     * Returns {@code t} after moving it out of this scope into the enclosing one (or out of every
     * scope), so that it survives {@link #close()}.
     */
    public Tensor keep(Tensor t) {
        if (t.scope == this) {
            t.scope = parent;
            if (parent != null) {
                parent.tensors.add(t);
            }
        }
        return t;
    }

    /**
     * Returns {@code t} after removing it from whichever scope owns it, so that no scope releases it;
     * used for parameters and other long-lived tensors (close them yourself on native backends).
     */
    public static Tensor escape(Tensor t) {
        t.scope = null;
        return t;
    }

    /** Releases every tensor created in this scope and not kept, and makes the enclosing scope current. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("TensorScope must be closed on the thread that opened it ("
                    + owner.getName() + ")");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("TensorScope closed out of order: close inner scopes first");
        }
        closed = true;
        OPEN.decrementAndGet();
        List<Tensor> list = tensors;
        tensors = null;
        for (Tensor t : list) {
            if (t.scope == this) {
                t.scope = null;
                t.close();
            }
        }
        if (parent == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(parent);
        }
    }
}
