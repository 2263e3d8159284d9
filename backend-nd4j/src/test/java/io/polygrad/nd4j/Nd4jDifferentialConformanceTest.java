package io.polygrad.nd4j;

import io.polygrad.conformance.DifferentialConformance;
import io.polygrad.conformance.BackendUnderTest;

/** Runs polygrad's differential conformance specification on the nd4j backend. */
class Nd4jDifferentialConformanceTest extends DifferentialConformance {

    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("nd4j", new Nd4jModule());
    }
}
