package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Generator;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LinearTest {

    private static final BackendUnderTest SCRATCH = BackendUnderTest.of("scratch", new ScratchModule());

    @Test
    void shapes_areOutByInAndOut() {
        Linear l = new Linear(SCRATCH.engine(DType.FLOAT64), 3, 5);
        assertArrayEquals(new int[] {5, 3}, l.weight().shape());
        assertArrayEquals(new int[] {5}, l.bias().shape());
        assertEquals(DType.FLOAT64, l.weight().dtype());
        assertNull(new Linear(SCRATCH.engine(DType.FLOAT32), 3, 5, false, DType.FLOAT32).bias());
    }

    @Test
    void init_weightsAndBias_lieInPlusMinusOneOverSqrtFanIn() {
        int in = 7;
        Linear l = new Linear(SCRATCH.engine(DType.FLOAT64), in, 50);
        // PyTorch: kaiming_uniform_(a=√5): gain = √(2/(1+5)), std = gain/√in, bound = √3·std = 1/√in
        double gain = Math.sqrt(2.0 / (1 + Math.sqrt(5) * Math.sqrt(5)));
        double bound = Math.sqrt(3.0) * gain / Math.sqrt(in);
        assertEquals(1 / Math.sqrt(in), bound, 1e-15);
        double[] w = l.weight().toDoubleArray();
        double[] b = l.bias().toDoubleArray();
        for (double v : w) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
        }
        for (double v : b) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
        }
        // 350 draws spread over the interval, not bunched near 0
        double max = Arrays.stream(w).map(Math::abs).max().orElse(0);
        assertTrue(max > 0.9 * bound, "largest |weight| " + max);
    }

    @Test
    void init_drawsWeightThenBiasFromTheEngineGenerator() {
        Engine e = SCRATCH.engine(DType.FLOAT64, 7);
        Linear l = new Linear(e, 2, 3);
        Generator g = new Generator(7);
        double bound = 1 / Math.sqrt(2);
        double[] expectedW = new double[6];
        for (int i = 0; i < 6; i++) {
            expectedW[i] = g.nextUniform(-bound, bound);
        }
        double[] expectedB = new double[3];
        for (int i = 0; i < 3; i++) {
            expectedB[i] = g.nextUniform(-bound, bound);
        }
        assertArrayEquals(expectedW, l.weight().toDoubleArray(), 1e-15);
        assertArrayEquals(expectedB, l.bias().toDoubleArray(), 1e-15);
    }

    @Test
    void init_sameSeed_givesBitIdenticalWeights() {
        Linear a = new Linear(SCRATCH.engine(DType.FLOAT32, 123), 4, 6);
        Linear b = new Linear(SCRATCH.engine(DType.FLOAT32, 123), 4, 6);
        Linear c = new Linear(SCRATCH.engine(DType.FLOAT32, 124), 4, 6);
        assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
        assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
        assertFalse(Arrays.equals(a.weight().toFloatArray(), c.weight().toFloatArray()));
    }

    @Test
    void forward_isInputTimesWeightTransposedPlusBias() {
        Engine e = SCRATCH.engine(DType.FLOAT64);
        Linear l = new Linear(e, 2, 3);
        double[] w = l.weight().toDoubleArray();
        double[] b = l.bias().toDoubleArray();
        double[] x = {0.5, -1.5, 2.0, 3.0};
        Tensor y = l.forward(e.tensor(x, 2, 2));
        assertArrayEquals(new int[] {2, 3}, y.shape());
        double[] expected = new double[6];
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 3; o++) {
                expected[n * 3 + o] = x[n * 2] * w[o * 2] + x[n * 2 + 1] * w[o * 2 + 1] + b[o];
            }
        }
        assertArrayEquals(expected, y.toDoubleArray(), 1e-14);
    }

    @Test
    void backward_gradientsMatchPyTorchsLinearRule() {
        Engine e = SCRATCH.engine(DType.FLOAT64);
        Linear l = new Linear(e, 2, 1);
        double[] x = {1, 2, 3, 4};
        l.forward(e.tensor(x, 2, 2)).sum().backward();
        // d/dW Σ (x·Wᵀ + b) = Σ_n x_n ; d/db = n
        assertArrayEquals(new double[] {4, 6}, l.weight().grad().toDoubleArray(), 1e-14);
        assertArrayEquals(new double[] {2}, l.bias().grad().toDoubleArray(), 1e-14);
    }
}
