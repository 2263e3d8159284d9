package io.polygrad.nd4j;

import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.conformance.PolygradConformanceSuite;

/** Runs the whole conformance suite (ops, autograd, differential programs, the three problems) on nd4j. */
class Nd4jConformanceTest extends PolygradConformanceSuite {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("nd4j", new Nd4jModule());
    }
}
