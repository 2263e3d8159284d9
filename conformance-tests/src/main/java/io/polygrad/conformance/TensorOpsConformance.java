package io.polygrad.conformance;

import io.polygrad.DType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Returns the op-level specification every backend must meet: each sample of {@link OpRegistry}
 * gives its hand-computed output in float32 and float64 and agrees with scratch float64; its float64
 * gradient matches central finite differences, and its gradients in both dtypes agree with scratch
 * float64 (see {@link OpChecks}).
 *
 * <p>Check ids (for {@link BackendUnderTest#excluding}): {@code ops/<sample>/<dtype>/forward-hand},
 * {@code …/forward-reference}, {@code …/gradient-reference}, {@code ops/<sample>/float64/gradcheck} and
 * {@code ops/precision/float64}.
 *
 * <p>A backend author runs it by naming the backend in a subclass (or runs everything at once with
 * {@link PolygradConformanceSuite}):
 * <pre>{@code
 * class MyBackendOpsTest extends TensorOpsConformance {
 *     protected BackendUnderTest backend() { return BackendUnderTest.of("mine", new MyModule()); }
 * }
 * }</pre>
 */
public abstract class TensorOpsConformance {

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    static Stream<Arguments> samplesInBothDTypes() {
        return OpRegistry.all().stream()
                .flatMap(op -> Stream.of(Arguments.of(op, DType.FLOAT32), Arguments.of(op, DType.FLOAT64)));
    }

    static Stream<OpInfo> differentiableSamples() {
        return OpRegistry.all().stream().filter(OpInfo::differentiable);
    }

    static Stream<Arguments> differentiableSamplesInBothDTypes() {
        return samplesInBothDTypes().filter(a -> ((OpInfo) a.get()[0]).differentiable());
    }

    /** Returns the id of one op check, e.g. {@code ops/exp[large]/float32/forward-reference}. */
    static String checkId(OpInfo op, DType dtype, String check) {
        return "ops/" + op.name() + "/" + JUnitChecks.id(dtype) + "/" + check;
    }

    private void check(OpInfo op, DType dtype, String check, Runnable body) {
        JUnitChecks.requireDType(backend(), dtype);
        JUnitChecks.check(backend(), checkId(op, dtype, check), body);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("samplesInBothDTypes")
    void forward_sample_matchesHandComputedValuesShapeAndDType(OpInfo op, DType dtype) {
        check(op, dtype, "forward-hand", () -> OpChecks.forwardMatchesHandValues(backend(), op, dtype));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("samplesInBothDTypes")
    void forward_sample_matchesScratchFloat64Reference(OpInfo op, DType dtype) {
        check(op, dtype, "forward-reference", () -> OpChecks.forwardMatchesReference(backend(), op, dtype));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentiableSamples")
    void backward_sample_matchesCentralFiniteDifferencesInFloat64(OpInfo op) {
        check(op, DType.FLOAT64, "gradcheck", () -> OpChecks.gradientMatchesFiniteDifferences(backend(), op));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("differentiableSamplesInBothDTypes")
    void backward_sample_matchesScratchFloat64Reference(OpInfo op, DType dtype) {
        check(op, dtype, "gradient-reference", () -> OpChecks.gradientMatchesReference(backend(), op, dtype));
    }

    @Test
    void float64Kernels_fullPrecisionInputs_keepDoublePrecision() {
        JUnitChecks.requireDType(backend(), DType.FLOAT64);
        JUnitChecks.check(backend(), "ops/precision/float64",
                () -> PrecisionChecks.float64KeepsFullPrecision(backend()));
    }
}
