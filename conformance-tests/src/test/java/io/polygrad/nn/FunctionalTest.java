package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import org.junit.jupiter.api.Test;

class FunctionalTest {

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64);

    @Test
    void logSumExp_hugeValues_doesNotOverflow() {
        Tensor x = engine.tensor(new double[] {1000, 1000, -1000, 0}, 2, 2);
        Tensor lse = Functional.logSumExp(x, 1, false);
        assertArrayEquals(new int[] {2}, lse.shape());
        assertArrayEquals(new double[] {1000 + Math.log(2), Math.log1p(Math.exp(-1000))}, lse.toDoubleArray(), 1e-12);
    }

    @Test
    void logSumExp_allMinusInfinity_isMinusInfinityAsInPyTorch() {
        Tensor x = engine.tensor(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
        assertEquals(Double.NEGATIVE_INFINITY, Functional.logSumExp(x, 0, false).item());
    }

    @Test
    void logSumExp_gradient_isTheSoftmax() {
        Tensor x = engine.tensor(new double[] {1, 2, 3}).requiresGrad(true);
        Functional.logSumExp(x, 0, false).backward();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z},
                x.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void softmaxAndLogSoftmax_rowsAreDistributions() {
        Tensor x = engine.tensor(new double[] {1, 2, 3, -5, 0, 700}, 2, 3);
        double[] s = Functional.softmax(x, 1).toDoubleArray();
        assertEquals(1.0, s[0] + s[1] + s[2], 1e-15);
        assertEquals(1.0, s[3] + s[4] + s[5], 1e-15);
        double[] ls = Functional.logSoftmax(x, 1).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(Math.log(s[i]), ls[i], 1e-12 + 1e-12 * Math.abs(ls[i]));
        }
    }

    @Test
    void softplus_isStableAndHasSigmoidGradientEvenAtZero() {
        Tensor x = engine.tensor(new double[] {-800, -1, 0, 1, 800}).requiresGrad(true);
        Tensor y = Functional.softplus(x);
        assertArrayEquals(new double[] {0, Math.log1p(Math.exp(-1)), Math.log(2), 1 + Math.log1p(Math.exp(-1)), 800},
                y.toDoubleArray(), 1e-15);
        y.sum().backward();
        assertArrayEquals(new double[] {0, 1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-1)), 1},
                x.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void linear_withoutBias_isAMatmulWithTheTransposedWeight() {
        Tensor x = engine.tensor(new double[] {1, 2}, 1, 2);
        Tensor w = engine.tensor(new double[] {3, 4, 5, 6}, 2, 2);
        assertArrayEquals(new double[] {11, 17}, Functional.linear(x, w, null).toDoubleArray(), 0);
    }
}
