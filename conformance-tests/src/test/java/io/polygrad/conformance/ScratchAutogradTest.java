package io.polygrad.conformance;

import io.polygrad.scratch.ScratchModule;

/** Runs the autograd conformance specification on the scratch backend. */
class ScratchAutogradTest extends AutogradConformance {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("scratch", new ScratchModule());
    }
}
