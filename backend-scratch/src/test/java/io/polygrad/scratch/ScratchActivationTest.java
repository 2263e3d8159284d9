package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scratch's relu kernels and the float32 comparisons behind relu's composite, on their special values. */
class ScratchActivationTest {

    private final ScratchBackend backend = new ScratchBackend();
    private final ActivationKernels kernels = backend.activationKernels().orElseThrow();

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("relu is max(x, 0): NaN stays NaN, -0 and negatives give +0")
    void relu_specialValues_followPyTorch(DType dtype) {
        double[] x = {-2, -0.0, 0, 0.5, -INF, INF, NAN};
        double[] got = backend.toDoubleArray(kernels.relu(backend.fromDoubles(x, new int[] {7}, dtype)));
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 0, INF, NAN}, got, 0.0);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(got[1]), "relu(-0) is +0");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("relu's gradient passes g where the result is not 0 (NaN included) and is +0 where it is, whatever g")
    void reluBackward_passesTheGradientWhereTheResultIsNotZero(DType dtype) {
        double[] out = {0, 0, 0, 0.5, NAN, INF, 0};
        double[] g = {3, -1.5, INF, -2, 7, -0.25, NAN};
        double[] got = backend.toDoubleArray(kernels.reluBackward(backend.fromDoubles(g, new int[] {7}, dtype),
                backend.fromDoubles(out, new int[] {7}, dtype)));
        assertArrayEquals(new double[] {0, 0, 0, -2, 7, -0.25, 0}, got, 0.0);
        for (int i : new int[] {0, 1, 2, 6}) {
            assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(got[i]), "element " + i + " is +0");
        }
    }

    @ParameterizedTest
    @EnumSource(value = BinaryOp.class, names = {"GREATER", "GREATER_EQUAL", "LESS", "LESS_EQUAL", "EQUAL", "NOT_EQUAL"})
    @DisplayName("float32 comparisons, of two arrays or with a scalar, give 1 and 0 as Java's operators, NaN unequal to all")
    void compare_float32_givesJavasOperatorsAsOneAndZero(BinaryOp op) {
        double[] x = {-1, 0, -0.0, 2, NAN, INF, 1, 1};
        double[] y = {0, 0, 0, 2, 0, INF, NAN, 3};
        double[] expected = new double[x.length];
        double[] expectedScalar = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = holds(op, (float) x[i], (float) y[i]) ? 1 : 0;
            expectedScalar[i] = holds(op, (float) x[i], 0f) ? 1 : 0;
        }
        BackendArray a = backend.fromDoubles(x, new int[] {8}, DType.FLOAT32);
        BackendArray b = backend.fromDoubles(y, new int[] {8}, DType.FLOAT32);
        BackendArray zero = backend.full(new int[0], 0, DType.FLOAT32);
        assertArrayEquals(expected, backend.toDoubleArray(backend.binary(op, a, b)), 0.0, op + " of two arrays");
        assertArrayEquals(expectedScalar, backend.toDoubleArray(backend.binary(op, a, zero)), 0.0, op + " with 0");
    }

    private static boolean holds(BinaryOp op, float x, float y) {
        switch (op) {
            case GREATER: return x > y;
            case GREATER_EQUAL: return x >= y;
            case LESS: return x < y;
            case LESS_EQUAL: return x <= y;
            case EQUAL: return x == y;
            default: return x != y;
        }
    }
}
