package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Shows that the suite catches a backend with one planted fault, each with a message that says what
 * is wrong. Each faulty backend is scratch with one kernel changed.
 */
class PlantedFaultsTest {

    private static BackendUnderTest faulty(DelegatingBackend backend) {
        return backend.underTest();
    }

    /** Scratch whose broadcastTo doubles every value: used only by the backward rules of sum and mean. */
    private static DelegatingBackend doublingBroadcast() {
        return new DelegatingBackend() {
            @Override
            public BackendArray broadcastTo(BackendArray a, int[] s) {
                BackendArray right = d.broadcastTo(a, s);
                return d.binary(BinaryOp.MUL, right, d.full(new int[0], 2.0, a.dtype()));
            }
        };
    }

    private static OpInfo op(String name) {
        return OpRegistry.all().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    private static void assertCaught(Runnable check, String... fragments) {
        AssertionError e = assertThrows(AssertionError.class, check::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    @DisplayName("a wrong gradient is caught by gradcheck even when every forward value is right")
    void wrongGradient_caughtByGradcheck() {
        // broadcastTo is used by the backward rules of sum and mean, not by their forward.
        BackendUnderTest b = faulty(doublingBroadcast());
        assertDoesNotThrow(() -> OpChecks.forwardMatchesHandValues(b, op("mean[all]"), DType.FLOAT64));
        assertCaught(() -> OpChecks.gradientMatchesFiniteDifferences(b, op("mean[all]")),
                "faulty mean[all]", "differs from finite differences");
        assertCaught(() -> OpChecks.gradientMatchesReference(b, op("mean[all]"), DType.FLOAT32),
                "gradient of input 0 vs scratch float64");
    }

    @Test
    @DisplayName("a reduction over the wrong axis is caught, in forward and in broadcast gradients")
    void reductionOverWrongAxis_caught() {
        BackendUnderTest b = faulty(new DelegatingBackend() {
            @Override
            public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keep) {
                int rank = a.shape().length;
                if (axes.length == 1 && rank > 1 && a.shape()[rank - 1 - axes[0]] == a.shape()[axes[0]]) {
                    return d.reduce(op, a, new int[] {rank - 1 - axes[0]}, keep);
                }
                if (axes.length == 1 && rank > 1) {
                    BackendArray wrong = d.reduce(op, a, new int[] {rank - 1 - axes[0]}, true);
                    return d.reshape(d.broadcastTo(d.reduce(op, wrong, new int[] {rank - 1 - axes[0]}, true),
                            io.polygrad.spi.Shapes.reduced(a.shape(), axes, true)),
                            io.polygrad.spi.Shapes.reduced(a.shape(), axes, keep));
                }
                return d.reduce(op, a, axes, keep);
            }
        });
        assertCaught(() -> OpChecks.forwardMatchesHandValues(b, op("sum[axis 0]"), DType.FLOAT64),
                "faulty sum[axis 0]", "forward vs hand-computed values");
        assertCaught(() -> OpChecks.gradientMatchesFiniteDifferences(b, op("add[2x3 + 3]")),
                "add[2x3 + 3]", "gradient of input 1");
    }

    @Test
    @DisplayName("a float32 kernel that silently computes and returns float64 is caught by its dtype")
    void float32ComputedInFloat64_caught() {
        BackendUnderTest b = faulty(new DelegatingBackend() {
            @Override
            public BackendArray binary(BinaryOp op, BackendArray a, BackendArray c) {
                if (a.dtype() == DType.FLOAT32) {
                    return d.binary(op, d.cast(a, DType.FLOAT64), d.cast(c, DType.FLOAT64));
                }
                return d.binary(op, a, c);
            }
        });
        assertCaught(() -> OpChecks.forwardMatchesHandValues(b, op("div[2x3 / 3]"), DType.FLOAT32),
                "result dtype float64 for float32 inputs");
    }

    @Test
    @DisplayName("a float64 kernel that silently computes in float32 is caught by the float64 tolerance")
    void float64ComputedInFloat32_caught() {
        BackendUnderTest b = faulty(new DelegatingBackend() {
            @Override
            public BackendArray unary(UnaryOp op, BackendArray a) {
                if (a.dtype() == DType.FLOAT64) {
                    return d.cast(d.unary(op, d.cast(a, DType.FLOAT32)), DType.FLOAT64);
                }
                return d.unary(op, a);
            }
        });
        // On float32-exact inputs the rounding can hide inside float64's tolerance (rtol 1e-7) ...
        assertDoesNotThrow(() -> OpChecks.forwardMatchesReference(b, op("exp"), DType.FLOAT64));
        // ... which is why the suite also checks float64 kernels on full-precision inputs.
        assertCaught(() -> PrecisionChecks.float64KeepsFullPrecision(b), "faulty neg in float64 lost precision", "must not compute in float32");
    }

    @Test
    @DisplayName("a backend that makes initial values with its own RNG is caught by the bit-identity check")
    void backendRngForInit_caught() {
        BackendUnderTest b = faulty(new DelegatingBackend() {
            private final Random rng = new Random();

            @Override
            public BackendArray fromFloats(float[] v, int[] s) {
                float[] own = new float[v.length];
                for (int i = 0; i < own.length; i++) {
                    own[i] = (float) rng.nextGaussian();
                }
                return d.fromFloats(own, s);
            }
        });
        assertCaught(() -> InitChecks.initialValuesBitIdentical(b, DType.FLOAT32, 3),
                "not bit-identical to scratch", "never a backend RNG");
    }

    // ---------------------------------------------------------------- problem level

    @Test
    @DisplayName("a wrong gradient makes the line's first-step gradients and trajectory disagree, though its fit still converges")
    void wrongGradient_caughtAtProblemLevel() {
        BackendUnderTest b = faulty(doublingBroadcast());
        ProblemCase line = ProblemChecks.caseFor("line/sgd");
        Trajectory run = ProblemChecks.record(b, line, DType.FLOAT64);
        Trajectory reference = ProblemChecks.reference(line, DType.FLOAT64);
        assertDoesNotThrow(() -> ProblemChecks.initialValuesBitIdentical(run, reference));
        // MSE's forward is right; the mean's backward doubles every gradient
        assertTrue(ProblemChecks.compareFirstStep(run, reference, Tolerances.FLOAT64).loss().withinTolerance());
        assertCaught(() -> ProblemChecks.firstStepMatches(run, reference, Tolerances.FLOAT64),
                "faulty line/sgd float64, first-step gradient of b vs scratch float64", "9.83", "4.91");
        assertCaught(() -> ProblemChecks.trajectoryMatches(run, reference),
                "faulty line/sgd float64, parameter trajectory vs scratch float64", "leaves the tolerance at step 1");
        // doubled gradients are SGD with lr 0.2: the fit alone would not notice
        assertDoesNotThrow(() -> ProblemChecks.fitReachesTarget(run));
    }

    @Test
    @DisplayName("the report shows a planted fault as failed problem rows, with the check and its message")
    void wrongGradient_reportShowsFailedRows() {
        ConformanceReport report = new ConformanceRunner().withOps(false)
                .withProblemCases(List.of(ProblemChecks.caseFor("line/sgd"))).run(List.of(faulty(doublingBroadcast())));
        assertFalse(report.passed());
        List<CheckResult.Status> statuses = report.problemRows().stream().map(ConformanceReport.ProblemRow::status).toList();
        assertEquals(List.of(CheckResult.Status.FAILED, CheckResult.Status.FAILED, CheckResult.Status.FAILED), statuses);
        String md = report.toMarkdown();
        assertTrue(md.contains("**Result: FAILED**"), md);
        assertTrue(md.contains("| faulty | line/sgd | float64 | scratch float64 | 1000 | 0 / 0 | "), md);
        assertTrue(md.contains("**FAIL**"), md);
        assertTrue(md.contains("`problems/line/sgd/float64/first-step`: faulty line/sgd float64, first-step gradient of b"),
                md);
        assertTrue(md.contains("`problems/line/sgd/float32/first-step-vs-float64`"), md);
    }

    @Test
    @DisplayName("a backend that draws initial values with its own RNG is caught at problem level")
    void backendRngForInit_caughtAtProblemLevel() {
        BackendUnderTest b = faulty(new DelegatingBackend() {
            private final Random rng = new Random();

            @Override
            public BackendArray fromFloats(float[] v, int[] s) {
                // 0-d arrays (the line's w and b) come from the backend's own generator
                return s.length == 0 ? d.fromFloats(new float[] {rng.nextFloat() * 2 - 1}, s) : d.fromFloats(v, s);
            }
        });
        ProblemCase line = ProblemChecks.caseFor("line/adam");
        Trajectory run = ProblemChecks.record(b, line, DType.FLOAT32);
        assertCaught(() -> ProblemChecks.initialValuesBitIdentical(run, ProblemChecks.reference(line, DType.FLOAT32)),
                "faulty line/adam float32: initial parameter w is", "not bit-identical", "never a backend RNG");
    }

    @Test
    @DisplayName("a float64 kernel that rounds through float32 is caught by the float64 trajectory tolerance")
    void float64ComputedInFloat32_caughtByTrajectory() {
        BackendUnderTest b = faulty(new DelegatingBackend() {
            @Override
            public BackendArray unary(UnaryOp op, BackendArray a) {
                if (a.dtype() == DType.FLOAT64 && op == UnaryOp.SQRT) {
                    return d.cast(d.unary(op, d.cast(a, DType.FLOAT32)), DType.FLOAT64);
                }
                return d.unary(op, a);
            }
        });
        // Adam's sqrt is used only in the update, so the first step's loss and gradients are still right
        ProblemCase line = ProblemChecks.caseFor("line/adam");
        Trajectory run = ProblemChecks.record(b, line, DType.FLOAT64);
        Trajectory reference = ProblemChecks.reference(line, DType.FLOAT64);
        assertDoesNotThrow(() -> ProblemChecks.firstStepMatches(run, reference, Tolerances.FLOAT64));
        assertCaught(() -> ProblemChecks.trajectoryMatches(run, reference),
                "faulty line/adam float64, parameter trajectory vs scratch float64", "leaves the tolerance");
    }

    @Test
    @DisplayName("a correct backend that sums in other orders, even with ±1 ulp on elementwise results, passes every problem")
    void legitimateVariation_shuffledSumsAndUlpNoise_passesProblemChecks() {
        ConformanceReport report = new ConformanceRunner().withOps(false)
                .run(List.of(new ShuffledSumsBackend(2024, true).underTest()));
        assertTrue(report.passed(), () -> "failures: " + report.failures());
    }

    @Test
    @DisplayName("a known gap declared with a reason is reported as excluded; an exclusion that no longer fails fails")
    void exclusions_failingCheckExcluded_passingCheckStale() {
        BackendUnderTest known = faulty(doublingBroadcast())
                .excluding("problems/line/sgd", "planted: broadcastTo doubles what it broadcasts");
        ConformanceReport excused = new ConformanceRunner().withOps(false)
                .withProblemCases(List.of(ProblemChecks.caseFor("line/sgd"))).run(List.of(known));
        assertTrue(excused.passed(), () -> "failures: " + excused.failures());
        assertTrue(excused.problemRows().stream().allMatch(r -> r.status() == CheckResult.Status.EXCLUDED));
        assertTrue(excused.toMarkdown().contains("## Exclusions (known gaps, still failing)"), excused.toMarkdown());
        assertTrue(excused.toMarkdown().contains("excluded: planted: broadcastTo doubles what it broadcasts"));

        BackendUnderTest stale = BackendUnderTest.of("scratch", new io.polygrad.scratch.ScratchModule())
                .excluding("problems/line/sgd/float64/fit", "believed broken")
                .excluding("problems/line/sgd/float32", "believed broken too");
        ConformanceReport report = new ConformanceRunner().withOps(false)
                .withProblemCases(List.of(ProblemChecks.caseFor("line/sgd"))).run(List.of(stale));
        assertFalse(report.passed());
        assertTrue(report.failures().stream().anyMatch(f -> f.message().contains(
                "problems/line/sgd/float64/fit is excluded (believed broken) but now passes: remove the exclusion")),
                () -> report.failures().toString());
        assertTrue(report.failures().stream().anyMatch(f -> f.message().contains(
                "the exclusion of problems/line/sgd/float32 (believed broken too) covers 5 checks and none of them "
                + "fails")), () -> report.failures().toString());
    }

    // ---------------------------------------------------------------- random programs

    /** Scratch whose exp is multiplied by {@code factor}, in {@code only} (every dtype when {@code null}). */
    private static DelegatingBackend expTimes(double factor, DType only) {
        return new DelegatingBackend() {
            @Override
            public BackendArray unary(UnaryOp op, BackendArray a) {
                BackendArray right = d.unary(op, a);
                return op == UnaryOp.EXP && (only == null || a.dtype() == only)
                        ? d.binary(BinaryOp.MUL, right, d.full(new int[0], factor, a.dtype())) : right;
            }
        };
    }

    @Test
    @DisplayName("a float64 exp that is off by one part in a million is caught by the random programs, shrunk to one step")
    void wrongExp_caughtByRandomProgramsAndShrunk() {
        BackendUnderTest b = faulty(expTimes(1 + 1e-6, DType.FLOAT64));
        assertDoesNotThrow(() -> DifferentialChecks.allMatch(b, DType.FLOAT32,
                DifferentialChecks.programs(DifferentialChecks.SEED, DifferentialChecks.PROGRAMS)));
        assertCaught(() -> DifferentialChecks.allMatch(b, DType.FLOAT64,
                DifferentialChecks.programs(DifferentialChecks.SEED, DifferentialChecks.PROGRAMS)),
                "fails; shrunk from", "to 1 step:", "differs from scratch float64", "// RandomProgram(seed=",
                ".sum().backward();");
    }

    @Test
    @DisplayName("shrinking keeps a failing program failing and makes it as small as the failure allows")
    void shrink_failingProgram_becomesMinimal() {
        RandomProgram big = new RandomProgram(987_654, List.of(new RandomProgram.Step(3, 17, 5),
                new RandomProgram.Step(11, 2, 9), new RandomProgram.Step(24, 4, 20), new RandomProgram.Step(0, 1, 1)));
        // "fails" whenever some step applies exp (op 11) to anything
        RandomProgram small = DifferentialChecks.shrink(big,
                p -> p.steps().stream().anyMatch(s -> s.op() % RandomProgram.opCount() == 11));
        assertEquals(new RandomProgram(0, List.of(new RandomProgram.Step(11, 0, 0))), small);
    }

    @Test
    @DisplayName("the report shows a failing random program as a failed row, and an excluded one as excluded")
    void wrongExp_reportShowsRandomProgramRows() {
        ConformanceReport report = new ConformanceRunner().withProblemCases(List.of())
                .run(List.of(expTimes(1.01, null).underTest().excluding("differential/float32", "planted: exp is 1% off")));
        List<ConformanceReport.CheckRow> rows = report.checkRows().stream()
                .filter(r -> r.part() == Check.Part.DIFFERENTIAL && r.checkId().startsWith("differential/")).toList();
        assertEquals(List.of(CheckResult.Status.EXCLUDED, CheckResult.Status.FAILED),
                rows.stream().map(ConformanceReport.CheckRow::status).toList());
        String md = report.toMarkdown();
        assertTrue(md.contains("## Random programs"), md);
        assertTrue(md.contains("`differential/float64`: random program "), md);
        assertTrue(md.contains("excluded: planted: exp is 1% off"), md);
    }
}
