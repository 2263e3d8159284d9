package io.polygrad.djl;

import io.polygrad.conformance.AutogradConformance;
import io.polygrad.conformance.BackendUnderTest;

/** Runs polygrad's autograd conformance specification on the djl backend. */
class DjlAutogradConformanceTest extends AutogradConformance {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("djl", new DjlModule());
    }
}
