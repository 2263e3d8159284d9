package io.polygrad.nn.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge cases of ClipGrad (the values against PyTorch are conformance checks, pytorch/clip/*). */
class ClipGradTest {

    private static Tensor withGrad(double... g) {
        Tensor p = Polygrad.engine().zeros(g.length).requiresGrad(true);
        p.mul(Polygrad.engine().tensor(g, g.length)).sum().backward();
        return p;
    }

    @Test
    void clipGradNorm_noGradients_returnsZero() {
        Tensor p = Polygrad.engine().zeros(2).requiresGrad(true);
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(p), 1.0));
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(), 1.0));
    }

    @Test
    void clipGradNorm_belowTheLimit_leavesTheGradients() {
        Tensor p = withGrad(0.3, -0.4);
        assertEquals(0.5, ClipGrad.clipGradNorm(List.of(p), 1.0), 1e-7);
        assertArrayEquals(new double[] {0.3, -0.4}, p.grad().toDoubleArray(), 1e-7);
    }

    @Test
    void clipGradNorm_aboveTheLimit_scalesToIt() {
        Tensor p = withGrad(3, -4);
        assertEquals(5.0, ClipGrad.clipGradNorm(List.of(p), 1.0), 1e-6);
        assertArrayEquals(new double[] {0.6, -0.8}, p.grad().toDoubleArray(), 1e-6);
    }

    @Test
    void badArguments_failNamingThem() {
        assertThrows(NullPointerException.class, () -> ClipGrad.clipGradNorm(null, 1.0));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(withGrad(1)), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(List.of(withGrad(1)), Double.NaN));
    }
}
