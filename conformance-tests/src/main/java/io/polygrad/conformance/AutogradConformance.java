package io.polygrad.conformance;

import io.polygrad.conformance.Check.Part;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The autograd semantics every backend must give (PyTorch's), as JUnit tests: accumulation, no-grad
 * scopes, leaves, detach, in-place rules, kinks, broadcasting, promotion, NaN/Inf, scopes. One dynamic
 * test per check of {@link AutogradChecks}. Subclass it and name the backend, as with
 * {@link TensorOpsConformance}.
 *
 * <p>The semantics are specified in float32 and float64, so a backend that does not declare both
 * sees these tests aborted with that reason. Check ids: {@code autograd/<name>}.
 */
public abstract class AutogradConformance {

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    @TestFactory
    Stream<DynamicTest> autogradChecks() {
        return JUnitChecks.tests(backend(), Part.AUTOGRAD);
    }
}
