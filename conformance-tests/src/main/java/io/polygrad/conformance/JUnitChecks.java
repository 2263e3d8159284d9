package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.conformance.Check.Part;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * The JUnit binding of the suite's checks: each {@link Check} of {@link ConformanceChecks} becomes a
 * dynamic test whose outcome is a pass, the check's own failure, or a visible skip (aborted, with its
 * reason) for an excluded check or a dtype the backend does not declare. Never a silent skip. With the
 * JUnit classes that use it, the only code of the suite that needs JUnit on the classpath.
 */
final class JUnitChecks {

    private JUnitChecks() {
    }

    /**
     * Returns one dynamic test per check of {@code parts} on {@code backend}, named by the check's id and
     * title, sharing one {@link CheckSession} (so a problem's fit is recorded once for all its checks).
     */
    static Stream<DynamicTest> tests(BackendUnderTest backend, Part... parts) {
        CheckSession session = new CheckSession(backend);
        return ConformanceChecks.of(parts).stream()
                .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> run(c, session)));
    }

    /** Runs {@code check} in {@code session}, applying the backend's capabilities and exclusions. */
    static void run(Check check, CheckSession session) {
        Optional<String> notApplicable = check.notApplicableTo(session.backend());
        if (notApplicable.isPresent()) {
            Assumptions.abort("not applicable: " + notApplicable.get());
        }
        outcome(check.run(session));
    }

    /** Runs {@code check} as {@code checkId} of {@code backend}, applying its exclusions. */
    static void check(BackendUnderTest backend, String checkId, Runnable check) {
        outcome(CheckResult.run(backend, checkId, check));
    }

    private static void outcome(CheckResult r) {
        switch (r.status()) {
            case PASSED:
                return;
            case EXCLUDED:
            case NOT_APPLICABLE:
                Assumptions.abort(r.checkId() + " " + r.message());
                return;
            default:
                if (r.failure() instanceof RuntimeException re) {
                    throw re;
                }
                throw (AssertionError) r.failure();
        }
    }

    /** Aborts the current test, saying why, when {@code backend} does not declare {@code dtype}. */
    static void requireDType(BackendUnderTest backend, DType dtype) {
        if (!backend.supports(dtype)) {
            Assumptions.abort("not applicable: " + backend.label() + " declares only " + backend.dtypes());
        }
    }
}
