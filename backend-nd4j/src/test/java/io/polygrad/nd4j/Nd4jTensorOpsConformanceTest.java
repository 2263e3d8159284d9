package io.polygrad.nd4j;

import io.polygrad.conformance.TensorOpsConformance;
import io.polygrad.conformance.BackendUnderTest;

/** Runs polygrad's op-level conformance specification on the nd4j backend. */
class Nd4jTensorOpsConformanceTest extends TensorOpsConformance {

    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("nd4j", new Nd4jModule());
    }
}
