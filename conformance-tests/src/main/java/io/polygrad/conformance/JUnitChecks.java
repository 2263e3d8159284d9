package io.polygrad.conformance;

import io.polygrad.DType;
import org.junit.jupiter.api.Assumptions;

/**
 * Returns JUnit outcomes for conformance checks: a pass, the check's own failure, or a visible skip
 * (aborted, with its reason) for an excluded check or a dtype the backend does not declare. Never a
 * silent skip.
 */
final class JUnitChecks {

    private JUnitChecks() {
    }

    /** Runs {@code check} as {@code checkId} of {@code backend}, applying its exclusions. */
    static void check(BackendUnderTest backend, String checkId, Runnable check) {
        CheckResult r = CheckResult.run(backend, checkId, check);
        switch (r.status()) {
            case PASSED:
                return;
            case EXCLUDED:
            case NOT_APPLICABLE:
                Assumptions.abort(checkId + " " + r.message());
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

    /** Returns {@code float32} or {@code float64}, as check ids spell dtypes. */
    static String id(DType dtype) {
        return dtype.toString().toLowerCase(java.util.Locale.ROOT);
    }
}
