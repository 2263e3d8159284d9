package io.polygrad.conformance;

import io.polygrad.conformance.Check.Part;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The op-level specification every backend must meet, as JUnit tests: each sample of {@link OpRegistry}
 * gives its hand-computed output in float32 and float64 and agrees with scratch float64; its float64
 * gradient matches central finite differences, and its gradients in both dtypes agree with scratch
 * float64 (see {@link OpChecks}); float64 kernels keep double precision ({@link PrecisionChecks}); the
 * same seed gives bit-identical initial values ({@link InitChecks}); ops and losses give PyTorch's own
 * values and gradients ({@link PyTorchOpChecks}). One dynamic test per check of
 * {@link ConformanceChecks} in these parts.
 *
 * <p>Check ids (for {@link BackendUnderTest#excluding}): {@code ops/<sample>/<dtype>/forward-hand},
 * {@code …/forward-reference}, {@code …/gradient-reference}, {@code ops/<sample>/float64/gradcheck},
 * {@code ops/precision/float64}, {@code pytorch/<family>/<case>/<dtype>}, {@code init/float32} and
 * {@code init/float64}.
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

    @TestFactory
    Stream<DynamicTest> opChecks() {
        return JUnitChecks.tests(backend(), Part.OPS, Part.PYTORCH, Part.INIT, Part.PRECISION);
    }
}
