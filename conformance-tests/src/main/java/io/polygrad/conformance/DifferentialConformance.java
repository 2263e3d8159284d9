package io.polygrad.conformance;

import io.polygrad.conformance.Check.Part;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential specification, as JUnit tests: random op programs ({@link RandomProgram}, drawn from
 * api's seeded generator by {@link DifferentialChecks}) give the same forward values and gradients on the
 * backend under test as on scratch float64; a failing program is shrunk to a small one and printed as
 * Java code.
 *
 * <p>Subclass it and name the backend, as with {@link TensorOpsConformance}. Check ids:
 * {@code differential/float32} and {@code differential/float64}; a check in a dtype the backend does
 * not declare, or an excluded one that fails, is reported as aborted with the reason.
 */
public abstract class DifferentialConformance {

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    @TestFactory
    Stream<DynamicTest> differentialChecks() {
        return JUnitChecks.tests(backend(), Part.DIFFERENTIAL);
    }

    /** Returns the programs' op names, for reports. */
    public static List<String> ops() {
        return List.of(RandomProgram.OPS);
    }
}
