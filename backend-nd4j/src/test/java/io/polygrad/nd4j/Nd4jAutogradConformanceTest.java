package io.polygrad.nd4j;

import io.polygrad.conformance.AutogradConformance;
import io.polygrad.conformance.BackendUnderTest;

/** Runs polygrad's autograd conformance specification on the nd4j backend. */
class Nd4jAutogradConformanceTest extends AutogradConformance {

    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("nd4j", new Nd4jModule());
    }
}
