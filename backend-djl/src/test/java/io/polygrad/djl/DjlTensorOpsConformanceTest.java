package io.polygrad.djl;

import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.conformance.TensorOpsConformance;

/** Runs polygrad's op-level conformance specification on the djl backend. */
class DjlTensorOpsConformanceTest extends TensorOpsConformance {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("djl", new DjlModule());
    }
}
