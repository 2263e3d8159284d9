package io.polygrad.conformance;

import io.polygrad.scratch.ScratchModule;

/** Runs the whole conformance suite (ops, autograd, differential programs, the three problems) on scratch. */
class ScratchConformanceTest extends PolygradConformanceSuite {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("scratch", new ScratchModule());
    }
}
