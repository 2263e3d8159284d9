package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.conformance.CheckResult.Status;
import io.polygrad.scratch.ScratchModule;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** How declared capabilities and exclusions turn into outcomes: never a silent skip. */
class CapabilitiesAndExclusionsTest {

    private static final BackendUnderTest SCRATCH = BackendUnderTest.of("scratch", new ScratchModule());

    @Test
    @DisplayName("an exclusion covers its id and the ids below it, not ids that merely start alike")
    void exclusion_covers_idAndChildrenOnly() {
        Exclusion e = new Exclusion("problems/relu", "why");
        assertTrue(e.covers("problems/relu"));
        assertTrue(e.covers("problems/relu/adam/float32/trajectory"));
        assertFalse(e.covers("problems/relu-variant/sgd"));
        assertFalse(e.covers("problems/double-relu/sgd/float32/fit"));
        assertThrows(IllegalArgumentException.class, () -> new Exclusion("ops/exp", " "));
    }

    @Test
    @DisplayName("a failing excluded check is excluded with its reason; a passing one named exactly is a stale failure")
    void checkResult_exclusions_areStrict() {
        BackendUnderTest b = SCRATCH.excluding("ops/x/float32/forward-hand", "known gap #1");
        CheckResult excluded = CheckResult.run(b, "ops/x/float32/forward-hand", () -> {
            throw new AssertionError("off by 1");
        });
        assertEquals(Status.EXCLUDED, excluded.status());
        assertEquals("excluded: known gap #1 (still fails: off by 1)", excluded.message());
        CheckResult stale = CheckResult.run(b, "ops/x/float32/forward-hand", () -> { });
        assertEquals(Status.FAILED, stale.status());
        assertTrue(stale.message().endsWith("is excluded (known gap #1) but now passes: remove the exclusion"));
        CheckResult crash = CheckResult.run(SCRATCH, "ops/y/float32/forward-hand", () -> {
            throw new UnsupportedOperationException("no kernel");
        });
        assertEquals(Status.FAILED, crash.status());
        assertEquals("UnsupportedOperationException: no kernel", crash.message());
    }

    @Test
    @DisplayName("in JUnit an excluded failure and an undeclared dtype abort with the reason; a failure fails")
    void junitChecks_excludedOrNotApplicable_abortWithReason() {
        BackendUnderTest b = SCRATCH.withDTypes(DType.FLOAT32).excluding("a/b", "known gap #2");
        TestAbortedException excluded = assertThrows(TestAbortedException.class, () -> JUnitChecks.check(b, "a/b/c", () -> {
            throw new AssertionError("wrong");
        }));
        assertTrue(excluded.getMessage().contains("known gap #2") && excluded.getMessage().contains("wrong"));
        TestAbortedException na = assertThrows(TestAbortedException.class,
                () -> JUnitChecks.requireDType(b, DType.FLOAT64));
        assertEquals("not applicable: scratch declares only [float32]", na.getMessage());
        AssertionError original = new AssertionError("really wrong");
        assertSame(original, assertThrows(AssertionError.class, () -> JUnitChecks.check(b, "x/y", () -> {
            throw original;
        })));
    }

    @Test
    @DisplayName("a float32-only backend is reported not applicable in float64, and still passes")
    void runner_float32OnlyBackend_float64RowsNotApplicable() {
        ConformanceReport report = new ConformanceRunner().withOps(false)
                .withProblemCases(List.of(ProblemChecks.caseFor("line/sgd")))
                .run(List.of(SCRATCH.withDTypes(DType.FLOAT32)));
        assertTrue(report.passed(), () -> report.failures().toString());
        List<Status> statuses = report.problemRows().stream().map(ConformanceReport.ProblemRow::status).toList();
        assertEquals(List.of(Status.PASSED, Status.PASSED, Status.NOT_APPLICABLE), statuses);
        assertTrue(report.toMarkdown().contains("## Not applicable"), report.toMarkdown());
        assertTrue(report.toMarkdown().contains("`problems/line/sgd/float64/*`: scratch declares only [float32]"));
    }

    @Test
    @DisplayName("a backend under test on another device is labelled with it")
    void label_nonCpuDevice_namesTheDevice() {
        assertEquals("scratch", SCRATCH.label());
        assertEquals("scratch (cuda:1)", SCRATCH.onDevice(Device.cuda(1)).label());
        assertThrows(IllegalArgumentException.class, SCRATCH::withDTypes);
    }

    @Test
    @DisplayName("a check of the list that needs a dtype the backend lacks aborts in JUnit and is not applicable in the report")
    void check_undeclaredDType_abortsInJUnitAndIsNotApplicable() {
        BackendUnderTest b = SCRATCH.withDTypes(DType.FLOAT32);
        CheckSession session = new CheckSession(b);
        Check autograd = AutogradChecks.checks().get(0);
        TestAbortedException na = assertThrows(TestAbortedException.class, () -> JUnitChecks.run(autograd, session));
        assertEquals("not applicable: scratch declares only [float32]", na.getMessage());
        assertEquals(Status.NOT_APPLICABLE, autograd.run(session).status());
        ConformanceReport report = new ConformanceRunner().withProblemCases(List.of()).run(List.of(b));
        assertTrue(report.passed(), () -> report.failures().toString());
        assertTrue(report.toMarkdown().contains("`autograd/*`: scratch declares only [float32]"), report.toMarkdown());
        assertTrue(report.toMarkdown().contains("`differential/float64`: scratch declares only [float32]"));
    }
}
