package io.polygrad.conformance;

import org.junit.jupiter.api.Nested;

/**
 * The whole conformance suite for one backend, as one JUnit class to extend (Guava testlib's
 * suite-per-implementation): op samples, autograd semantics, random differential programs and the three
 * problems, each a nested class whose dynamic tests are the checks of {@link ConformanceChecks} in its
 * part, the same list {@link ConformanceRunner} reports on.
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends PolygradConformanceSuite {
 *     @Override
 *     protected BackendUnderTest backend() {
 *         return BackendUnderTest.of("mine", new MyBackendModule());
 *     }
 * }
 * }</pre>
 *
 * <p>Declare capabilities and known gaps on the {@link BackendUnderTest}:
 * {@code .withDTypes(DType.FLOAT32)}, {@code .onDevice(Device.cuda(0))},
 * {@code .excluding("problems/relu/adam/float32/trajectory", "reason")}. What does not apply, and
 * every excluded check that still fails, is reported as aborted with its reason; an excluded check that
 * passes fails the suite (remove the exclusion).
 *
 * <p>Jupiter runs {@link Ops}, {@link Autograd}, {@link Differential} and {@link Problems}.
 */
public abstract class PolygradConformanceSuite {

    /** Returns the backend the whole suite runs against. */
    protected abstract BackendUnderTest backend();

    /** The op-level specification ({@link TensorOpsConformance}) for the suite's backend. */
    @Nested
    class Ops extends TensorOpsConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }

    /** The autograd specification ({@link AutogradConformance}) for the suite's backend. */
    @Nested
    class Autograd extends AutogradConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }

    /** The problem-level specification ({@link ProblemConformance}) for the suite's backend. */
    @Nested
    class Problems extends ProblemConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }

    /** Optimizers, LR schedules and init against PyTorch's fixtures ({@link PyTorchOptimConformance}). */
    @Nested
    class PyTorchOptim extends PyTorchOptimConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }

    /** The differential specification ({@link DifferentialConformance}) for the suite's backend. */
    @Nested
    class Differential extends DifferentialConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }
}
