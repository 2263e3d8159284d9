package io.polygrad.djl;

import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.conformance.PolygradConformanceSuite;

/** Runs the whole conformance suite (ops, autograd, differential programs, the three problems) on djl. */
class DjlConformanceTest extends PolygradConformanceSuite {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("djl", new DjlModule());
    }
}
