package io.polygrad.conformance;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state the checks of one run on one backend share: the backend, and values that several checks
 * read but that are costly to compute (a problem's whole fit is recorded once and read by its
 * initial-value, first-step, trajectory and fit checks). One session per backend per run; not
 * thread-safe.
 *
 * <pre>{@code
 * CheckSession session = new CheckSession(backend);
 * Trajectory run = session.shared("problems/line/adam/float32", () -> ProblemChecks.record(backend, c, dtype));
 * }</pre>
 */
public final class CheckSession {

    private final BackendUnderTest backend;
    private final Map<String, Object> shared = new HashMap<>();

    /** Creates a session on {@code backend}. */
    public CheckSession(BackendUnderTest backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** Returns the backend the checks run against. */
    public BackendUnderTest backend() {
        return backend;
    }

    /**
     * Returns the value stored under {@code key}, computing it with {@code compute} the first time. A
     * computation that throws is not repeated: every later call rethrows the same error.
     */
    public <T> T shared(String key, Supplier<T> compute) {
        Object value = shared.get(key);
        if (value == null) {
            try {
                value = Objects.requireNonNull(compute.get(), key);
            } catch (RuntimeException | AssertionError e) {
                value = new Failed(e);
            }
            shared.put(key, value);
        }
        if (value instanceof Failed f) {
            if (f.error() instanceof RuntimeException e) {
                throw e;
            }
            throw (AssertionError) f.error();
        }
        @SuppressWarnings("unchecked")
        T t = (T) value;
        return t;
    }

    /** Returns the value stored under {@code key} if it was computed without an error. */
    public <T> Optional<T> ifShared(String key, Class<T> type) {
        Object value = shared.get(key);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }

    private record Failed(Throwable error) {
    }
}
