package io.polygrad.conformance;

import io.polygrad.scratch.ScratchModule;

/** Runs the op-level conformance specification on the scratch backend. */
class ScratchTensorOpsTest extends TensorOpsConformance {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("scratch", new ScratchModule());
    }
}
