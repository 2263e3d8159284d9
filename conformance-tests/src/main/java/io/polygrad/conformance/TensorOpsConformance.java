package io.polygrad.conformance;

import io.polygrad.DType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Returns the op-level specification every backend must meet: each sample of {@link OpRegistry}
 * gives its hand-computed output in float32 and float64 and agrees with scratch float64; its float64
 * gradient matches central finite differences, and its gradients in both dtypes agree with scratch
 * float64 (see {@link OpChecks}).
 *
 * <p>A backend author runs it by naming the backend in a subclass:
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

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("samplesInBothDTypes")
    void forward_sample_matchesHandComputedValuesShapeAndDType(OpInfo op, DType dtype) {
        OpChecks.forwardMatchesHandValues(backend(), op, dtype);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("samplesInBothDTypes")
    void forward_sample_matchesScratchFloat64Reference(OpInfo op, DType dtype) {
        OpChecks.forwardMatchesReference(backend(), op, dtype);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentiableSamples")
    void backward_sample_matchesCentralFiniteDifferencesInFloat64(OpInfo op) {
        OpChecks.gradientMatchesFiniteDifferences(backend(), op);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("samplesInBothDTypes")
    void backward_sample_matchesScratchFloat64Reference(OpInfo op, DType dtype) {
        if (op.differentiable()) {
            OpChecks.gradientMatchesReference(backend(), op, dtype);
        }
    }

    @org.junit.jupiter.api.Test
    void float64Kernels_fullPrecisionInputs_keepDoublePrecision() {
        PrecisionChecks.float64KeepsFullPrecision(backend());
    }
}
