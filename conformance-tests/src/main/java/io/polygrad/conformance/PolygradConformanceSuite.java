package io.polygrad.conformance;

import net.jqwik.api.Group;
import org.junit.jupiter.api.Nested;

/**
 * Returns the whole conformance suite for one backend, as one class to extend (Guava testlib's
 * suite-per-implementation): op samples, autograd semantics, random differential programs and the
 * three problems, each a nested group of the same specification classes.
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
 * <p>Jupiter runs {@link Ops}, {@link Autograd} and {@link Problems}; jqwik runs {@link Differential}
 * (jqwik discovers {@link Group} classes inside the concrete subclass, so it needs no second class).
 */
public abstract class PolygradConformanceSuite {

    /** Returns the backend the whole suite runs against. */
    protected abstract BackendUnderTest backend();

    /** Returns the op-level specification ({@link TensorOpsConformance}) for the suite's backend. */
    @Nested
    class Ops extends TensorOpsConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }

    /** Returns the autograd specification ({@link AutogradConformance}) for the suite's backend. */
    @Nested
    class Autograd extends AutogradConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }

    /** Returns the problem-level specification ({@link ProblemConformance}) for the suite's backend. */
    @Nested
    class Problems extends ProblemConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }

    /** Returns the differential specification ({@link DifferentialConformance}) for the suite's backend. */
    @Group
    class Differential extends DifferentialConformance {
        @Override
        protected BackendUnderTest backend() {
            return PolygradConformanceSuite.this.backend();
        }
    }
}
