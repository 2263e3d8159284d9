package io.polygrad.conformance;

import io.polygrad.conformance.Check.Part;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Optimizers, learning-rate schedules and init formulas against fixtures written by PyTorch itself
 * ({@link PyTorchOptimChecks}), as JUnit tests: one dynamic test per check of {@link ConformanceChecks} in
 * {@link Part#PYTORCH_OPTIM}. Check ids: {@code pytorch/optim/<case>/<dtype>}, {@code pytorch/optim/defaults},
 * {@code pytorch/lr/<case>} and {@code pytorch/init/<formula>}.
 */
public abstract class PyTorchOptimConformance {

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    @TestFactory
    Stream<DynamicTest> pytorchOptimChecks() {
        return JUnitChecks.tests(backend(), Part.PYTORCH_OPTIM);
    }
}
