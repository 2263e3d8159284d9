package io.polygrad.nd4j;

import static io.polygrad.nd4j.Fixtures.BACKEND;
import static io.polygrad.nd4j.Fixtures.INF;
import static io.polygrad.nd4j.Fixtures.NAN;
import static io.polygrad.nd4j.Fixtures.arr;
import static io.polygrad.nd4j.Fixtures.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the nd4j relu kernels bit for bit: the forward against the composite's {@code maximum(x, 0)}
 * and the backward against PyTorch's {@code threshold_backward(g, result, 0)}, on the values where a
 * near miss would show (signed zeros, infinities, NaN, the smallest normal and denormal numbers) and
 * on an array large enough for libnd4j to split it over its threads.
 */
class Nd4jActivationTest {

    private static final ActivationKernels KERNELS = BACKEND.activationKernels().orElseThrow();

    /** Signed zeros, infinities, NaN, tiny normal and denormal numbers of both dtypes, and ordinary values. */
    private static final double[] SPECIAL = {-2, -0.0, 0.0, 0.125, 3, Double.NEGATIVE_INFINITY, INF, NAN, 1e-6,
        1e-30, Float.MIN_NORMAL, Float.MIN_VALUE, -Float.MIN_VALUE, Double.MIN_NORMAL, Double.MIN_VALUE,
        -Double.MIN_VALUE};

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("relu equals maximum(x, 0) bit for bit: −0 gives +0, NaN stays NaN, denormals are kept")
    void relu_specialValues_equalsCompositeBitForBit(DType dt) {
        BackendArray x = arr(dt, shape(SPECIAL.length), SPECIAL);
        assertBits(composite(x), KERNELS.relu(x), "relu");
        assertBits(reference(BACKEND.toDoubleArray(x)), BACKEND.toDoubleArray(KERNELS.relu(x)), "relu");
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("relu's gradient is g where the result is not 0 (NaN and denormals included) and +0 where it is")
    void reluBackward_specialValues_passesGradientWhereResultIsNotZero(DType dt) {
        BackendArray x = arr(dt, shape(SPECIAL.length), SPECIAL);
        BackendArray out = KERNELS.reluForBackward(x);
        double[] g = new double[SPECIAL.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = -(i + 1) / 8.0;
        }
        BackendArray grad = arr(dt, shape(g.length), g);
        double[] result = BACKEND.toDoubleArray(out);
        double[] expected = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            expected[i] = result[i] == 0 ? 0.0 : g[i];
        }
        double[] actual = BACKEND.toDoubleArray(KERNELS.reluBackward(grad, out));
        assertBits(expected, actual, "reluBackward");
        // numerically the composite's g · (out ≠ 0), which gives −0 where g < 0 is masked
        assertArrayEquals(BACKEND.toDoubleArray(BACKEND.binary(BinaryOp.MUL, grad,
                BACKEND.binary(BinaryOp.NOT_EQUAL, out, arr(dt, shape(), 0)))), actual, 0.0);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("a masked infinite or NaN gradient gives 0, as PyTorch's threshold_backward")
    void reluBackward_nonFiniteGradientWhereMasked_givesZero(DType dt) {
        BackendArray out = KERNELS.relu(arr(dt, shape(4), -1, -1, 2, 2));
        BackendArray grad = arr(dt, shape(4), INF, NAN, INF, NAN);
        assertBits(new double[] {0, 0, INF, NAN}, BACKEND.toDoubleArray(KERNELS.reluBackward(grad, out)),
                "reluBackward");
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("on 2^18 elements (split over libnd4j's threads) both directions match the references bit for bit")
    void relu_largeArray_matchesReferencesBitForBit(DType dt) {
        int n = 1 << 18;
        Random random = new Random(7);
        double[] xs = new double[n];
        double[] gs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i % 97 == 0 ? SPECIAL[(i / 97) % SPECIAL.length] : random.nextGaussian();
            gs[i] = random.nextGaussian();
        }
        BackendArray x = arr(dt, shape(64, n / 64), xs);
        BackendArray out = KERNELS.reluForBackward(x);
        assertBits(composite(x), out, "relu");
        double[] result = BACKEND.toDoubleArray(out);
        BackendArray grad = arr(dt, shape(64, n / 64), gs);
        double[] g = BACKEND.toDoubleArray(grad);
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = result[i] == 0 ? 0.0 : g[i];
        }
        assertBits(expected, BACKEND.toDoubleArray(KERNELS.reluBackward(grad, out)), "reluBackward");
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void relu_emptyArray_givesEmptyResults(DType dt) {
        BackendArray x = arr(dt, shape(2, 0));
        BackendArray out = KERNELS.relu(x);
        assertArrayEquals(shape(2, 0), out.shape());
        assertEquals(dt, out.dtype());
        assertArrayEquals(shape(2, 0), KERNELS.reluBackward(arr(dt, shape(2, 0)), out).shape());
    }

    private static BackendArray composite(BackendArray x) {
        return BACKEND.binary(BinaryOp.MAXIMUM, x, arr(x.dtype(), shape(), 0));
    }

    private static double[] reference(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] <= 0 ? 0.0 : x[i];
        }
        return out;
    }

    private static void assertBits(BackendArray expected, BackendArray actual, String what) {
        assertEquals(expected.dtype(), actual.dtype());
        assertArrayEquals(expected.shape(), actual.shape());
        assertBits(BACKEND.toDoubleArray(expected), BACKEND.toDoubleArray(actual), what);
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    what + " at element " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
