package io.polygrad.conformance;

import io.polygrad.scratch.ScratchModule;

/**
 * Runs the differential specification on scratch in float32 (against scratch float64), which checks
 * that float32 kernels stay close to the float64 reference.
 */
class ScratchDifferentialTest extends DifferentialConformance {
    @Override
    protected BackendUnderTest backend() {
        return BackendUnderTest.of("scratch", new ScratchModule());
    }
}
