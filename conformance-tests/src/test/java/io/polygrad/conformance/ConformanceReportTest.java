package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.conformance.CheckResult.Status;
import io.polygrad.conformance.ConformanceReport.OpSummary;
import io.polygrad.conformance.ConformanceReport.ProblemRow;
import io.polygrad.scratch.ScratchModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The report of the whole programmatic run on scratch, written to {@code target/conformance-report.md}. */
class ConformanceReportTest {

    static final Path REPORT = Path.of("target", "conformance-report.md");

    private static ConformanceReport report;
    private static String markdown;

    @BeforeAll
    static void runTheSuiteOnScratch() throws IOException {
        report = new ConformanceRunner().run(List.of(BackendUnderTest.of("scratch", new ScratchModule())));
        report.writeTo(REPORT);
        markdown = Files.readString(REPORT, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("scratch passes everything and the written report says so")
    void scratch_wholeSuite_passesAndReportSaysSo() {
        assertTrue(report.passed(), () -> "failures: " + report.failures());
        assertTrue(markdown.startsWith("# polygrad conformance report\n\n**Result: PASSED**"), markdown);
        assertTrue(!markdown.contains("FAIL"), markdown);
    }

    @Test
    @DisplayName("every problem and setting has a row per dtype and reference; float32 is also compared with float64")
    void problemRows_everyCaseDTypeAndReference_present() {
        List<ProblemRow> rows = report.problemRows();
        assertEquals(ProblemChecks.cases().size() * 3, rows.size());
        for (ProblemCase c : ProblemChecks.cases()) {
            for (String[] dtypeAndReference : new String[][] {
                {"float32", "scratch float32"}, {"float32", "scratch float64"}, {"float64", "scratch float64"}}) {
                String row = "| scratch | " + c.id() + " | " + dtypeAndReference[0] + " | " + dtypeAndReference[1] + " | ";
                assertTrue(markdown.contains(row), () -> "missing row " + row + "\n" + markdown);
            }
        }
        for (ProblemRow r : rows) {
            assertEquals(Status.PASSED, r.status(), r.toString());
            assertTrue(r.steps() >= (r.problemCase().equals("quadratic/literal") && r.dtype() == DType.FLOAT32
                    ? ProblemChecks.LITERAL_FLOAT32_STEPS : ProblemChecks.MIN_TRAJECTORY_STEPS), r.toString());
            if (r.reference().equals("scratch " + r.dtype())) {
                // scratch against itself: the same code on the same inputs, so bit-identical
                assertEquals(0, r.loss().maxAbs(), r.toString());
                assertEquals(0, r.gradients().maxAbs(), r.toString());
                assertEquals(0, r.parameters().maxAbs(), r.toString());
                assertTrue(r.fit().startsWith("target reached"), r.toString());
            } else {
                // float32 against float64: a real difference, shown, within float32's first-step tolerance
                assertTrue(r.gradients().maxAbs() > 0 && r.gradients().withinTolerance(), r.toString());
                assertTrue(!r.parametersChecked() && r.parameters().maxAbs() > 0, r.toString());
            }
        }
        assertTrue(markdown.contains("| scratch | line/adam | float32 | scratch float32 | 8000 | 0 / 0 | 0 / 0 | 0 / 0 | "
                + "rtol 1.3e-06, atol 1.0e-05; rtol 1.0e-05, atol 1.0e-04 | target reached"), markdown);
    }

    /** Returns how many subjects (samples, fixture cases, module checks) {@link NormChecks} adds in {@code dtype}. */
    private static int normSubjects(DType dtype) {
        return (int) NormChecks.checks(dtype).stream().map(Check::subject).distinct().count();
    }

    @Test
    @DisplayName("the op summary counts every sample and PyTorch fixture in both dtypes and names the worst one")
    void opSummary_bothDTypes_allSamplesPassWithAWorstSample() {
        assertEquals(2, report.opSummaries().size());
        for (OpSummary s : report.opSummaries()) {
            int samples = OpRegistry.all().size() + PyTorchOpChecks.checks(s.dtype()).size() + normSubjects(s.dtype());
            assertEquals(samples, s.passed(), s.toString());
            assertEquals(0, s.failed());
            assertTrue(!s.worstSample().isEmpty() && s.worstShare() <= 1, s.toString());
        }
        int float32Samples = OpRegistry.all().size() + PyTorchOpChecks.checks(DType.FLOAT32).size()
                + normSubjects(DType.FLOAT32);
        assertTrue(markdown.contains("| scratch | float32 | " + float32Samples + " | 0 | 0 | "), markdown);
        assertTrue(markdown.contains("## Tolerances"), markdown);
    }

    @Test
    @DisplayName("the report runs every check of the suite's one list, the list the JUnit classes run")
    void report_everyCheckOfTheList_ran() {
        Set<String> reported = new HashSet<>();
        report.problemRows().forEach(r -> r.checks().forEach(c -> reported.add(c.checkId())));
        report.opSummaries().forEach(s -> s.checks().forEach(c -> reported.add(c.checkId())));
        report.checkRows().forEach(r -> r.checks().forEach(c -> reported.add(c.checkId())));
        Set<String> listed = ConformanceChecks.all().stream().map(Check::id).collect(Collectors.toSet());
        assertEquals(listed, reported);
        for (Check.Part part : Check.Part.values()) {
            assertTrue(ConformanceChecks.all().stream().anyMatch(c -> c.part() == part), part::toString);
        }
        assertEquals(AutogradChecks.checks().size() + IntegerChecks.checks().size() + LimitChecks.checks().size()
                + ConformanceChecks.of(Check.Part.DIFFERENTIAL).size() + PyTorchOptimChecks.checks().size()
                + PyTorchOptim2Checks.checks().size() + OptimStateChecks.checks().size(),
                report.checkRows().stream().filter(r -> r.status() == Status.PASSED).count());
        assertTrue(markdown.contains("| scratch | `autograd/backward_calledTwice_accumulatesIntoGrad` | "), markdown);
        assertTrue(markdown.contains("| scratch | `differential/float32` | 60 random programs"), markdown);
    }
}
