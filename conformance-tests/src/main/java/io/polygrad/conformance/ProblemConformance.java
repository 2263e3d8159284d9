package io.polygrad.conformance;

import io.polygrad.conformance.Check.Part;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The problem-level specification every backend must meet (DESIGN.md, "The three problems"), as JUnit
 * tests: for each {@link ProblemCase} (line with Adam and SGD, the quadratic's correct and literal loops,
 * the ReLU network, the double ReLU) in float32 and float64, the backend starts from scratch's initial
 * values bit for bit, gives the first step's loss and gradients of scratch in the same dtype (and, in
 * float32, of scratch float64 within float32's tolerance), follows scratch's parameter trajectory step by
 * step over the whole fit, and reaches the fit's target. One dynamic test per check of
 * {@link ProblemChecks#checks}.
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
public abstract class ProblemConformance {

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    @TestFactory
    Stream<DynamicTest> problemChecks() {
        return JUnitChecks.tests(backend(), Part.PROBLEMS);
    }
}
