package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import org.junit.jupiter.api.Test;

class InitTest {

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64);

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void constants_fillInPlaceEvenOnParameters() {
        Tensor p = engine.zeros(2, 3).requiresGrad(true);
        assertSame(p, Init.ones(p));
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, p.toDoubleArray(), 0);
        Init.constant(p, 2.5);
        assertArrayEquals(new double[] {2.5, 2.5, 2.5, 2.5, 2.5, 2.5}, p.toDoubleArray(), 0);
        Init.zeros(p);
        assertEquals(0, maxAbs(p.toDoubleArray()));
        assertTrue(p.requiresGrad() && p.isLeaf());
    }

    @Test
    void uniform_staysInRangeWithTheRightMean() {
        double[] v = Init.uniform(engine.zeros(100, 100), -2, 4).toDoubleArray();
        for (double x : v) {
            assertTrue(x >= -2 && x < 4, "value " + x);
        }
        // mean of 10⁴ draws of U(-2, 4): 1 ± 6/√12/100 ≈ 0.017 per sigma
        assertEquals(1.0, mean(v), 0.07);
    }

    @Test
    void normal_hasTheRequestedMeanAndStd() {
        double[] v = Init.normal(engine.zeros(100, 100), 3, 0.5).toDoubleArray();
        assertEquals(3.0, mean(v), 0.02);
        assertEquals(0.5, std(v), 0.02);
    }

    @Test
    void fans_followPyTorchForLinearAndConvShapes() {
        assertArrayEquals(new long[] {3, 5}, Init.fans(new int[] {5, 3}));
        assertArrayEquals(new long[] {3 * 9, 16 * 9}, Init.fans(new int[] {16, 3, 3, 3}));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Init.fans(new int[] {4}));
        assertTrue(ex.getMessage().contains("fewer than 2 dimensions"), ex.getMessage());
    }

    @Test
    void gain_matchesCalculateGain() {
        assertEquals(1.0, Init.gain(Init.Nonlinearity.LINEAR, 0), 0);
        assertEquals(1.0, Init.gain(Init.Nonlinearity.SIGMOID, 0), 0);
        assertEquals(5.0 / 3, Init.gain(Init.Nonlinearity.TANH, 0), 0);
        assertEquals(Math.sqrt(2), Init.gain(Init.Nonlinearity.RELU, 0), 0);
        assertEquals(Math.sqrt(2 / 1.0001), Init.gain(Init.Nonlinearity.LEAKY_RELU, 0.01), 1e-15);
        assertEquals(0.75, Init.gain(Init.Nonlinearity.SELU, 0), 0);
    }

    @Test
    void xavierUniform_boundIsGainTimesSqrtSixOverFanSum() {
        double[] v = Init.xavierUniform(engine.zeros(40, 60), 2.0).toDoubleArray();
        double bound = 2.0 * Math.sqrt(6.0 / (60 + 40));
        assertTrue(maxAbs(v) <= bound && maxAbs(v) > 0.95 * bound, "max " + maxAbs(v) + " bound " + bound);
    }

    @Test
    void xavierNormal_stdIsGainTimesSqrtTwoOverFanSum() {
        double[] v = Init.xavierNormal(engine.zeros(100, 100), 1.0).toDoubleArray();
        assertEquals(Math.sqrt(2.0 / 200), std(v), 0.004);
    }

    @Test
    void kaimingUniform_defaultAndReluBounds() {
        // default: a = 0, leaky_relu -> gain √2, bound = √3·√2/√fan_in = √(6/fan_in)
        double[] v = Init.kaimingUniform(engine.zeros(50, 24)).toDoubleArray();
        double bound = Math.sqrt(6.0 / 24);
        assertTrue(maxAbs(v) <= bound && maxAbs(v) > 0.95 * bound, "max " + maxAbs(v));
        double[] out = Init.kaimingUniform(engine.zeros(24, 50), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU)
                .toDoubleArray();
        assertTrue(maxAbs(out) <= bound && maxAbs(out) > 0.95 * bound, "max " + maxAbs(out));
    }

    @Test
    void kaimingNormal_stdIsGainOverSqrtFan() {
        double[] v = Init.kaimingNormal(engine.zeros(100, 200)).toDoubleArray();
        assertEquals(Math.sqrt(2.0) / Math.sqrt(200), std(v), 0.003);
    }

    @Test
    void random_sameSeed_sameValues() {
        Engine a = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT32, 5);
        Engine b = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT32, 5);
        assertArrayEquals(Init.xavierNormal(a.zeros(3, 4), 1).toFloatArray(),
                Init.xavierNormal(b.zeros(3, 4), 1).toFloatArray());
    }
}
