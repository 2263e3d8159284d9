package io.polygrad.conformance;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The outcome of one conformance check on one backend, with the backend's exclusions applied: what
 * {@link ConformanceRunner} puts in the report and what the JUnit classes turn into a pass, a failure
 * or a visible skip.
 *
 * @param checkId  the check's id, e.g. {@code problems/line/adam/float32/trajectory}
 * @param status   the outcome
 * @param message  the failure message, the exclusion's reason, or empty when passed
 * @param failure  the error the check threw ({@code null} when it passed)
 * @param measured what the check measured ({@code null} when it measures nothing or threw)
 */
public record CheckResult(String checkId, Status status, String message, Throwable failure, Comparison measured) {

    /** The outcomes a check can have. */
    public enum Status {
        /** The check ran and passed. */
        PASSED,
        /** The check failed, or an excluded check passed (a stale exclusion). */
        FAILED,
        /** The check failed and the backend declares it as a known gap, with a reason. */
        EXCLUDED,
        /** The check does not apply to the backend's declared capabilities (e.g. a dtype it lacks). */
        NOT_APPLICABLE
    }

    /** Creates a result, rejecting nulls other than {@code failure}. */
    public CheckResult {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /** Creates a result that measured nothing. */
    public CheckResult(String checkId, Status status, String message, Throwable failure) {
        this(checkId, status, message, failure, null);
    }

    /**
     * Returns the outcome of running {@code check} as the check {@code checkId} of {@code backend}. An
     * {@link AssertionError} or a {@link RuntimeException} (a backend that throws fails the check) is a
     * failure; an exclusion turns a failure into {@link Status#EXCLUDED} and a pass into a stale-exclusion
     * failure.
     */
    public static CheckResult run(BackendUnderTest backend, String checkId, Runnable check) {
        return measure(backend, checkId, () -> {
            check.run();
            return null;
        });
    }

    /**
     * Returns the outcome of running {@code check} as the check {@code checkId} of {@code backend}, as
     * {@link #run}, keeping the comparison the check returns (when it does not throw).
     */
    public static CheckResult measure(BackendUnderTest backend, String checkId, Supplier<Comparison> check) {
        Throwable thrown = null;
        Comparison measured = null;
        try {
            measured = check.get();
        } catch (AssertionError | RuntimeException e) {
            thrown = e;
        }
        var exclusion = backend.exclusionFor(checkId);
        if (exclusion.isPresent() && (thrown != null || exclusion.get().checkId().equals(checkId))) {
            if (thrown == null) {
                String stale = backend.label() + ": " + checkId + " is excluded (" + exclusion.get().reason()
                        + ") but now passes: remove the exclusion";
                return new CheckResult(checkId, Status.FAILED, stale, new AssertionError(stale), measured);
            }
            return new CheckResult(checkId, Status.EXCLUDED, "excluded: " + exclusion.get().reason()
                    + " (still fails: " + firstLine(thrown) + ")", thrown);
        }
        return thrown == null ? new CheckResult(checkId, Status.PASSED, "", null, measured)
                : new CheckResult(checkId, Status.FAILED, describe(thrown), thrown);
    }

    /** Returns the outcome of a check that does not apply, with the reason. */
    public static CheckResult notApplicable(String checkId, String reason) {
        return new CheckResult(checkId, Status.NOT_APPLICABLE, reason, null);
    }

    /** Returns whether the check passed. */
    public boolean passed() {
        return status == Status.PASSED;
    }

    private static String describe(Throwable t) {
        return t instanceof AssertionError ? String.valueOf(t.getMessage())
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String firstLine(Throwable t) {
        String m = describe(t);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
