package io.polygrad.conformance;

import io.polygrad.DType;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Returns the problem-level specification every backend must meet (DESIGN.md, "The three problems"):
 * for each {@link ProblemCase} (line with Adam and SGD, the quadratic's correct and literal loops, the
 * ReLU network, the double ReLU) in float32 and float64, the backend starts from scratch's initial
 * values bit for bit, gives the first step's loss and gradients of scratch in the same dtype (and, in
 * float32, of scratch float64 within float32's tolerance), follows scratch's parameter trajectory
 * step by step over the whole fit, and reaches the fit's target. See {@link ProblemChecks}.
 *
 * <p>Each fit runs once per test class; checks in a dtype the backend does not declare and checks it
 * excludes are reported as aborted, with the reason.
 *
 * <pre>{@code
 * class MyBackendProblemsTest extends ProblemConformance {
 *     protected BackendUnderTest backend() { return BackendUnderTest.of("mine", new MyModule()); }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProblemConformance {

    private final Map<String, Trajectory> runs = new HashMap<>();

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    static Stream<Arguments> casesInBothDTypes() {
        return ProblemChecks.cases().stream()
                .flatMap(c -> Stream.of(Arguments.of(c, DType.FLOAT32), Arguments.of(c, DType.FLOAT64)));
    }

    static Stream<ProblemCase> cases() {
        return ProblemChecks.cases().stream();
    }

    private Trajectory run(ProblemCase c, DType dtype) {
        return runs.computeIfAbsent(c.id() + " " + dtype, k -> ProblemChecks.record(backend(), c, dtype));
    }

    private void check(ProblemCase c, DType dtype, String quantity, Runnable check) {
        JUnitChecks.requireDType(backend(), dtype);
        JUnitChecks.check(backend(), "problems/" + c.id() + "/" + JUnitChecks.id(dtype) + "/" + quantity, check);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("casesInBothDTypes")
    @DisplayName("data and initial parameters are bit-identical to scratch's")
    void initialValues_sameSeed_bitIdenticalToScratch(ProblemCase c, DType dtype) {
        check(c, dtype, "initial-values",
                () -> ProblemChecks.initialValuesBitIdentical(run(c, dtype), ProblemChecks.reference(c, dtype)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("casesInBothDTypes")
    @DisplayName("the first step's loss and gradients match scratch in the same dtype")
    void firstStep_lossAndGradients_matchScratchInSameDType(ProblemCase c, DType dtype) {
        check(c, dtype, "first-step", () -> ProblemChecks.firstStepMatches(run(c, dtype),
                ProblemChecks.reference(c, dtype), Tolerances.forDType(dtype)));
    }

    @ParameterizedTest(name = "{0} in float32")
    @MethodSource("cases")
    @DisplayName("the first step's loss and gradients in float32 match scratch float64 within float32's tolerance")
    void firstStep_float32_matchesScratchFloat64WithinFloat32Tolerance(ProblemCase c) {
        check(c, DType.FLOAT32, "first-step-vs-float64", () -> ProblemChecks.firstStepMatches(
                run(c, DType.FLOAT32), ProblemChecks.reference(c, DType.FLOAT64), Tolerances.FLOAT32));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("casesInBothDTypes")
    @DisplayName("the parameters after every step match scratch's trajectory in the same dtype")
    void trajectory_everyStep_matchesScratchInSameDType(ProblemCase c, DType dtype) {
        check(c, dtype, "trajectory",
                () -> ProblemChecks.trajectoryMatches(run(c, dtype), ProblemChecks.reference(c, dtype)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("casesInBothDTypes")
    @DisplayName("the fit reaches the problem's target")
    void fit_wholeRun_reachesTheProblemsTarget(ProblemCase c, DType dtype) {
        check(c, dtype, "fit", () -> ProblemChecks.fitReachesTarget(run(c, dtype)));
    }
}
