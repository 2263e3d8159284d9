package io.polygrad.nd4j;

import static io.polygrad.nd4j.Fixtures.BACKEND;
import static io.polygrad.nd4j.Fixtures.INF;
import static io.polygrad.nd4j.Fixtures.NAN;
import static io.polygrad.nd4j.Fixtures.arr;
import static io.polygrad.nd4j.Fixtures.assertArray;
import static io.polygrad.nd4j.Fixtures.scalar;
import static io.polygrad.nd4j.Fixtures.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendException;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.UnaryOp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks creation, read-back, unary, binary and where kernels against hand-computed values. */
class Nd4jElementwiseTest {

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void fromDoubles_roundTripsValuesShapeAndDType(DType dt) {
        BackendArray a = arr(dt, shape(2, 3), 1, 2, 3, 4, 5, 6.5);
        assertArray(a, dt, shape(2, 3), 1, 2, 3, 4, 5, 6.5);
    }

    @Test
    void fromDoubles_float32_roundsToFloat() {
        BackendArray a = arr(DType.FLOAT32, shape(1), 0.1);
        assertEquals((double) 0.1f, BACKEND.toDoubleArray(a)[0]);
        assertEquals(0.1f, BACKEND.toFloatArray(a)[0]);
        BackendArray d = arr(DType.FLOAT64, shape(1), 0.1);
        assertEquals(0.1, BACKEND.toDoubleArray(d)[0]);
        assertEquals(0.1f, BACKEND.toFloatArray(d)[0]);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void fromDoubles_rankZeroSizeOneAndSizeZeroShapes(DType dt) {
        assertArray(scalar(dt, 2.5), dt, shape(), 2.5);
        assertArray(arr(dt, shape(1), 7), dt, shape(1), 7);
        assertArray(arr(dt, shape(1, 1, 1), -1), dt, shape(1, 1, 1), -1);
        assertArray(arr(dt, shape(0)), dt, shape(0));
        assertArray(arr(dt, shape(2, 0, 3)), dt, shape(2, 0, 3));
    }

    @Test
    void fromFloats_keepsFloat32() {
        BackendArray a = BACKEND.fromFloats(new float[] {1.5f, -2f}, shape(2));
        assertArray(a, DType.FLOAT32, shape(2), 1.5, -2);
        assertEquals(1.5f, BACKEND.toFloatArray(a)[0]);
    }

    @Test
    void fromDoubles_wrongLength_throwsBackendException() {
        BackendException e = assertThrows(BackendException.class,
                () -> BACKEND.fromDoubles(new double[] {1, 2, 3}, shape(2, 2), DType.FLOAT32));
        assertTrue(e.getMessage().startsWith("nd4j backend failed in fromDoubles on shapes [2, 2]"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void full_fillsEveryShapeIncludingNaN(DType dt) {
        assertArray(BACKEND.full(shape(2, 2), 3.25, dt), dt, shape(2, 2), 3.25, 3.25, 3.25, 3.25);
        assertArray(BACKEND.full(shape(), -1, dt), dt, shape(), -1);
        assertArray(BACKEND.full(shape(3), NAN, dt), dt, shape(3), NAN, NAN, NAN);
        assertArray(BACKEND.full(shape(0, 4), 1, dt), dt, shape(0, 4));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void unary_eachOp_matchesHandValues(DType dt) {
        BackendArray x = arr(dt, shape(5), -2, -0.5, 0, 1, NAN);
        assertArray(BACKEND.unary(UnaryOp.NEG, x), dt, shape(5), 2, 0.5, -0.0, -1, NAN);
        assertArray(BACKEND.unary(UnaryOp.EXP, x), dt, shape(5), Math.exp(-2), Math.exp(-0.5), 1, Math.E, NAN);
        assertArray(BACKEND.unary(UnaryOp.LOG, x), dt, shape(5), NAN, NAN, -INF, 0, NAN);
        assertArray(BACKEND.unary(UnaryOp.SQRT, x), dt, shape(5), NAN, NAN, 0, 1, NAN);
        assertArray(BACKEND.unary(UnaryOp.ABS, x), dt, shape(5), 2, 0.5, 0, 1, NAN);
        assertArray(BACKEND.unary(UnaryOp.SIGN, x), dt, shape(5), -1, -1, 0, 1, NAN);
        assertArray(BACKEND.unary(UnaryOp.TANH, x), dt, shape(5), Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(1), NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void unary_rankZeroAndEmpty_keepShape(DType dt) {
        assertArray(BACKEND.unary(UnaryOp.EXP, scalar(dt, 0)), dt, shape(), 1);
        assertArray(BACKEND.unary(UnaryOp.SIGN, scalar(dt, NAN)), dt, shape(), NAN);
        assertArray(BACKEND.unary(UnaryOp.NEG, arr(dt, shape(0, 2))), dt, shape(0, 2));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void binary_arithmetic_sameShape(DType dt) {
        BackendArray a = arr(dt, shape(2, 2), 1, -2, 3, 0.5);
        BackendArray b = arr(dt, shape(2, 2), 4, 5, -6, 2);
        assertArray(BACKEND.binary(BinaryOp.ADD, a, b), dt, shape(2, 2), 5, 3, -3, 2.5);
        assertArray(BACKEND.binary(BinaryOp.SUB, a, b), dt, shape(2, 2), -3, -7, 9, -1.5);
        assertArray(BACKEND.binary(BinaryOp.MUL, a, b), dt, shape(2, 2), 4, -10, -18, 1);
        assertArray(BACKEND.binary(BinaryOp.DIV, a, b), dt, shape(2, 2), 0.25, -0.4, -0.5, 0.25);
        assertArray(BACKEND.binary(BinaryOp.POW, a, b), dt, shape(2, 2), 1, -32, Math.pow(3, -6), 0.25);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, a, b), dt, shape(2, 2), 4, 5, 3, 2);
        assertArray(BACKEND.binary(BinaryOp.MINIMUM, a, b), dt, shape(2, 2), 1, -2, -6, 0.5);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void binary_broadcastRowAgainstColumn_matchesNumpyShape(DType dt) {
        BackendArray row = arr(dt, shape(1, 3), 1, 2, 3);
        BackendArray col = arr(dt, shape(2, 1), 10, 20);
        assertArray(BACKEND.binary(BinaryOp.ADD, row, col), dt, shape(2, 3), 11, 12, 13, 21, 22, 23);
        assertArray(BACKEND.binary(BinaryOp.SUB, col, row), dt, shape(2, 3), 9, 8, 7, 19, 18, 17);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void binary_broadcastAcrossRanks_andRankZero(DType dt) {
        BackendArray m = arr(dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        BackendArray v = arr(dt, shape(3), 10, 20, 30);
        assertArray(BACKEND.binary(BinaryOp.MUL, m, v), dt, shape(2, 3), 10, 40, 90, 40, 100, 180);
        BackendArray s = scalar(dt, 2);
        assertArray(BACKEND.binary(BinaryOp.DIV, s, m), dt, shape(2, 3), 2, 1, 2.0 / 3, 0.5, 0.4, 2.0 / 6);
        assertArray(BACKEND.binary(BinaryOp.POW, m, s), dt, shape(2, 3), 1, 4, 9, 16, 25, 36);
        assertArray(BACKEND.binary(BinaryOp.ADD, s, scalar(dt, 3)), dt, shape(), 5);
        assertArray(BACKEND.binary(BinaryOp.MUL, arr(dt, shape(1, 1), 2), v), dt, shape(1, 3), 20, 40, 60);
        assertArray(BACKEND.binary(BinaryOp.ADD, v, arr(dt, shape(1, 1, 1), 1)), dt, shape(1, 1, 3), 11, 21, 31);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, arr(dt, shape(1, 1), NAN), v), dt, shape(1, 3), NAN, NAN, NAN);
        assertArray(BACKEND.binary(BinaryOp.LESS, v, arr(dt, shape(1, 1), 15)), dt, shape(1, 3), 1, 0, 0);
        assertArray(BACKEND.binary(BinaryOp.ADD, arr(dt, shape(1, 1), 1), scalar(dt, 2)), dt, shape(1, 1), 3);
        assertArray(BACKEND.binary(BinaryOp.ADD, scalar(dt, 2), arr(dt, shape(1, 1), 1)), dt, shape(1, 1), 3);
        assertArray(BACKEND.binary(BinaryOp.SUB, arr(dt, shape(1), 1), arr(dt, shape(1, 1), 4)), dt, shape(1, 1), -3);
        assertArray(BACKEND.binary(BinaryOp.SUB, arr(dt, shape(1, 1, 1), 1), arr(dt, shape(1), 4)), dt, shape(1, 1, 1), -3);
        assertArray(BACKEND.binary(BinaryOp.GREATER, arr(dt, shape(1, 1), 5), scalar(dt, 4)), dt, shape(1, 1), 1);
        assertArray(BACKEND.binary(BinaryOp.MUL, arr(dt, shape(2, 1), 1, 2), arr(dt, shape(1, 1, 1), 3)), dt,
                shape(1, 2, 1), 3, 6);
        BackendArray one = arr(dt, shape(1), 5);
        assertArray(BACKEND.binary(BinaryOp.SUB, s, one), dt, shape(1), -3);
        BackendArray cube = arr(dt, shape(2, 1, 2), 1, 2, 3, 4);
        assertArray(BACKEND.binary(BinaryOp.ADD, cube, arr(dt, shape(3, 1), 10, 20, 30)), dt, shape(2, 3, 2),
                11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void binary_sizeZeroBroadcast_givesEmptyResult(DType dt) {
        BackendArray e = arr(dt, shape(0, 3));
        assertArray(BACKEND.binary(BinaryOp.ADD, e, arr(dt, shape(3), 1, 2, 3)), dt, shape(0, 3));
        assertArray(BACKEND.binary(BinaryOp.LESS, e, scalar(dt, 1)), dt, shape(0, 3));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void binary_ieeeDivisionAndPowEdgeCases(DType dt) {
        BackendArray a = arr(dt, shape(3), 1, -1, 0);
        BackendArray z = arr(dt, shape(3), 0, 0, 0);
        assertArray(BACKEND.binary(BinaryOp.DIV, a, z), dt, shape(3), INF, -INF, NAN);
        BackendArray base = arr(dt, shape(5), 1, NAN, -8, 0, -2);
        BackendArray exp = arr(dt, shape(5), NAN, 0, 1.0 / 3, 0, 3);
        double[] expected = new double[5];
        double[] bs = {1, NAN, -8, 0, -2};
        double[] es = {NAN, 0, 1.0 / 3, 0, 3};
        for (int i = 0; i < 5; i++) {
            expected[i] = Math.pow(bs[i], es[i]);
        }
        assertArray(BACKEND.binary(BinaryOp.POW, base, exp), dt, shape(5), expected);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("maximum and minimum propagate NaN from either operand, in every broadcast layout")
    void maximumMinimum_propagateNaNFromEitherSide(DType dt) {
        BackendArray a = arr(dt, shape(3), 1, NAN, 5);
        BackendArray b = arr(dt, shape(3), NAN, 2, 4);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, a, b), dt, shape(3), NAN, NAN, 5);
        assertArray(BACKEND.binary(BinaryOp.MINIMUM, a, b), dt, shape(3), NAN, NAN, 4);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, b, a), dt, shape(3), NAN, NAN, 5);
        BackendArray zero = scalar(dt, 0);
        BackendArray nanScalar = scalar(dt, NAN);
        BackendArray x = arr(dt, shape(2, 2), -1, NAN, 2, -3);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, x, zero), dt, shape(2, 2), 0, NAN, 2, 0);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, zero, x), dt, shape(2, 2), 0, NAN, 2, 0);
        assertArray(BACKEND.binary(BinaryOp.MINIMUM, x, zero), dt, shape(2, 2), -1, NAN, 0, -3);
        assertArray(BACKEND.binary(BinaryOp.MINIMUM, zero, x), dt, shape(2, 2), -1, NAN, 0, -3);
        BackendArray y = arr(dt, shape(2), 1, 2);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, y, nanScalar), dt, shape(2), NAN, NAN);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, nanScalar, y), dt, shape(2), NAN, NAN);
        BackendArray col = arr(dt, shape(2, 1), NAN, 1);
        BackendArray row = arr(dt, shape(1, 2), 0, NAN);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, col, row), dt, shape(2, 2), NAN, NAN, 1, NAN);
        assertArray(BACKEND.binary(BinaryOp.MINIMUM, row, col), dt, shape(2, 2), NAN, NAN, 0, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("NaN handling also holds for arrays above the in-Java scan limit (native NaN check)")
    void maximumAndSign_largeArrays_propagateNaN(DType dt) {
        int n = 40_000;
        double[] v = new double[n];
        double[] expectedMax = new double[n];
        double[] expectedSign = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 3 - 1;
            expectedMax[i] = Math.max(v[i], 0);
            expectedSign[i] = Math.signum(v[i]);
        }
        v[n - 7] = NAN;
        expectedMax[n - 7] = NAN;
        expectedSign[n - 7] = NAN;
        BackendArray x = arr(dt, shape(n), v);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, x, scalar(dt, 0)), dt, shape(n), expectedMax);
        assertArray(BACKEND.binary(BinaryOp.MAXIMUM, scalar(dt, 0), x), dt, shape(n), expectedMax);
        assertArray(BACKEND.unary(UnaryOp.SIGN, x), dt, shape(n), expectedSign);
        assertArray(BACKEND.reduce(io.polygrad.spi.ReduceOp.MAX, x, new int[] {0}, false), dt, shape(), NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void comparisons_giveOnesAndZerosInInputDType_NaNIsFalseExceptNotEqual(DType dt) {
        BackendArray a = arr(dt, shape(4), 1, 2, 3, NAN);
        BackendArray b = arr(dt, shape(4), 2, 2, 2, NAN);
        assertArray(BACKEND.binary(BinaryOp.GREATER, a, b), dt, shape(4), 0, 0, 1, 0);
        assertArray(BACKEND.binary(BinaryOp.GREATER_EQUAL, a, b), dt, shape(4), 0, 1, 1, 0);
        assertArray(BACKEND.binary(BinaryOp.LESS, a, b), dt, shape(4), 1, 0, 0, 0);
        assertArray(BACKEND.binary(BinaryOp.LESS_EQUAL, a, b), dt, shape(4), 1, 1, 0, 0);
        assertArray(BACKEND.binary(BinaryOp.EQUAL, a, b), dt, shape(4), 0, 1, 0, 0);
        assertArray(BACKEND.binary(BinaryOp.NOT_EQUAL, a, b), dt, shape(4), 1, 0, 1, 1);
        assertArray(BACKEND.binary(BinaryOp.GREATER, arr(dt, shape(2, 1), 1, 3), scalar(dt, 2)), dt, shape(2, 1), 0, 1);
    }

    @Test
    void binary_shapesThatDoNotBroadcast_throwBackendExceptionNamingShapes() {
        BackendException e = assertThrows(BackendException.class, () -> BACKEND.binary(BinaryOp.ADD,
                arr(DType.FLOAT32, shape(2), 1, 2), arr(DType.FLOAT32, shape(3), 1, 2, 3)));
        assertTrue(e.getMessage().startsWith("nd4j backend failed in binary ADD on shapes [2], [3]"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void where_broadcastsAllThree_andTreatsNaNConditionAsTrue(DType dt) {
        BackendArray cond = arr(dt, shape(2, 1), 1, 0);
        BackendArray a = arr(dt, shape(1, 3), 1, 2, 3);
        BackendArray b = scalar(dt, -1);
        assertArray(BACKEND.where(cond, a, b), dt, shape(2, 3), 1, 2, 3, -1, -1, -1);
        BackendArray c2 = arr(dt, shape(4), 0, NAN, -2, 0.5);
        BackendArray x = arr(dt, shape(4), 1, 2, 3, 4);
        BackendArray y = arr(dt, shape(4), -1, -2, -3, -4);
        assertArray(BACKEND.where(c2, x, y), dt, shape(4), -1, 2, 3, 4);
        assertArray(BACKEND.where(scalar(dt, 1), scalar(dt, NAN), scalar(dt, 0)), dt, shape(), NAN);
        assertArray(BACKEND.where(arr(dt, shape(0)), arr(dt, shape(0)), b), dt, shape(0));
    }
}
