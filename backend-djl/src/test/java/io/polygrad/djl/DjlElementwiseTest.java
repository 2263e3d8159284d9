package io.polygrad.djl;

import static io.polygrad.djl.DjlTesting.array;
import static io.polygrad.djl.DjlTesting.assertClose;
import static io.polygrad.djl.DjlTesting.assertExact;
import static io.polygrad.djl.DjlTesting.backend;
import static io.polygrad.djl.DjlTesting.shape;
import static io.polygrad.djl.DjlTesting.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.UnaryOp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DjlElementwiseTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static BackendArray unary(UnaryOp op, BackendArray a) {
        try (a) {
            return backend().unary(op, a);
        }
    }

    private static BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        try (a; b) {
            return backend().binary(op, a, b);
        }
    }

    // ------------------------------------------------------------------ unary

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void neg_flipsSignAndPassesNaN(DType dt) {
        assertExact(unary(UnaryOp.NEG, vector(dt, 1.5, -2, 0, NAN)), dt, shape(4), -1.5, 2, -0.0, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void exp_ofKnownPoints(DType dt) {
        assertClose(unary(UnaryOp.EXP, vector(dt, 0, 1, -INF, NAN)), dt, shape(4), 1, Math.E, 0, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("log(1) = 0, log(e) = 1, log(0) = -inf, log(-1) = NaN, log(NaN) = NaN")
    void log_ofKnownPoints(DType dt) {
        double e = dt == DType.FLOAT32 ? (float) Math.E : Math.E;
        assertClose(unary(UnaryOp.LOG, vector(dt, 1, e, 0, -1, NAN)), dt, shape(5), 0, 1, -INF, NAN, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void sqrt_ofKnownPoints(DType dt) {
        assertExact(unary(UnaryOp.SQRT, vector(dt, 4, 0, 2.25, -1, INF)), dt, shape(5), 2, 0, 1.5, NAN, INF);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void abs_ofKnownPoints(DType dt) {
        assertExact(unary(UnaryOp.ABS, vector(dt, -3, 3, -0.0, -INF, NAN)), dt, shape(5), 3, 3, 0, INF, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("sign gives -1, 0, +1 with sign(0) = sign(-0) = 0, sign(±inf) = ±1 and sign(NaN) = NaN")
    void sign_ofKnownPoints(DType dt) {
        assertExact(unary(UnaryOp.SIGN, vector(dt, -2.5, 0, -0.0, 7, INF, -INF, NAN)), dt, shape(7),
                -1, 0, 0, 1, 1, -1, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void tanh_ofKnownPoints(DType dt) {
        assertClose(unary(UnaryOp.TANH, vector(dt, 0, 1, -1, INF, NAN)), dt, shape(5),
                0, Math.tanh(1), -Math.tanh(1), 1, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void unary_rankZeroAndEmpty_keepShape(DType dt) {
        assertExact(unary(UnaryOp.NEG, array(dt, shape(), 2)), dt, shape(), -2);
        assertExact(unary(UnaryOp.EXP, array(dt, shape(0, 3))), dt, shape(0, 3));
    }

    // ------------------------------------------------------------------ binary arithmetic

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void arithmetic_sameShape(DType dt) {
        assertExact(binary(BinaryOp.ADD, vector(dt, 1, 2, 3), vector(dt, 10, 20, 30)), dt, shape(3), 11, 22, 33);
        assertExact(binary(BinaryOp.SUB, vector(dt, 1, 2, 3), vector(dt, 10, 20, 30)), dt, shape(3), -9, -18, -27);
        assertExact(binary(BinaryOp.MUL, vector(dt, 1, 2, 3), vector(dt, 10, 20, 30)), dt, shape(3), 10, 40, 90);
        assertExact(binary(BinaryOp.DIV, vector(dt, 1, 2, 3), vector(dt, 4, 8, 3)), dt, shape(3), 0.25, 0.25, 1);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("a row [1,3] against a column [2,1] broadcasts to their common shape [2,3]")
    void binary_broadcastRowAgainstColumn_resultHasCommonShape(DType dt) {
        BackendArray row = array(dt, shape(1, 3), 1, 2, 3);
        BackendArray col = array(dt, shape(2, 1), 10, 20);
        assertExact(binary(BinaryOp.ADD, row, col), dt, shape(2, 3), 11, 12, 13, 21, 22, 23);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void binary_broadcastAgainstScalarAndLowerRank(DType dt) {
        assertExact(binary(BinaryOp.MUL, array(dt, shape(2, 2), 1, 2, 3, 4), array(dt, shape(), 3)), dt, shape(2, 2),
                3, 6, 9, 12);
        assertExact(binary(BinaryOp.SUB, array(dt, shape(2), 1, 2), array(dt, shape(2, 2, 2), 1, 1, 1, 1, 2, 2, 2, 2)),
                dt, shape(2, 2, 2), 0, 1, 0, 1, -1, 0, -1, 0);
        assertExact(binary(BinaryOp.ADD, array(dt, shape(), 1), array(dt, shape(), 2)), dt, shape(), 3);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void binary_withSizeZeroDimension_givesEmpty(DType dt) {
        assertExact(binary(BinaryOp.ADD, array(dt, shape(0, 2)), array(dt, shape(1, 2), 1, 2)), dt, shape(0, 2));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("division follows IEEE: x/0 = ±inf, 0/0 = NaN")
    void div_byZero_isIeee(DType dt) {
        assertExact(binary(BinaryOp.DIV, vector(dt, 1, -1, 0), vector(dt, 0, 0, 0)), dt, shape(3), INF, -INF, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void arithmetic_passesNaN(DType dt) {
        assertExact(binary(BinaryOp.ADD, vector(dt, NAN, 1), vector(dt, 1, NAN)), dt, shape(2), NAN, NAN);
        assertExact(binary(BinaryOp.MUL, vector(dt, NAN, 0), vector(dt, 0, INF)), dt, shape(2), NAN, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void pow_ofKnownPoints(DType dt) {
        assertExact(binary(BinaryOp.POW, vector(dt, 2, 9, 2, 0, -2, 5), vector(dt, 3, 0.5, -1, 0, 2, 0)), dt, shape(6),
                8, 3, 0.5, 1, 4, 1);
        assertExact(binary(BinaryOp.POW, vector(dt, -8, 0, NAN, 2), vector(dt, 1.0 / 3, -1, 2, NAN)), dt, shape(4),
                NAN, INF, NAN, NAN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("pow agrees with Math.pow where C's pow differs: 1^NaN, 1^±inf and (-1)^±inf are NaN; x^0 = 1")
    void pow_cornerCases_matchMathPow(DType dt) {
        double[] a = {1, 1, 1, -1, -1, -1, NAN, 0.5, 2};
        double[] b = {NAN, INF, -INF, INF, -INF, NAN, 0, INF, -INF};
        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = Math.pow(a[i], b[i]);
        }
        assertExact(binary(BinaryOp.POW, vector(dt, a), vector(dt, b)), dt, shape(a.length), expected);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void pow_broadcastExponent(DType dt) {
        assertExact(binary(BinaryOp.POW, array(dt, shape(2, 2), 1, 2, 3, 4), array(dt, shape(), 2)), dt, shape(2, 2),
                1, 4, 9, 16);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("maximum and minimum pick elementwise and give NaN if either side is NaN")
    void maximumMinimum_propagateNaN(DType dt) {
        assertExact(binary(BinaryOp.MAXIMUM, vector(dt, 1, 5, NAN, 2), vector(dt, 3, 4, 1, NAN)), dt, shape(4),
                3, 5, NAN, NAN);
        assertExact(binary(BinaryOp.MINIMUM, vector(dt, 1, 5, NAN, 2), vector(dt, 3, 4, 1, NAN)), dt, shape(4),
                1, 4, NAN, NAN);
    }

    // ------------------------------------------------------------------ comparisons

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("comparisons give 1.0/0.0 in the operand dtype, false with NaN except NOT_EQUAL")
    void comparisons_giveOnesAndZerosInOperandDType(DType dt) {
        double[] a = {1, 2, 3, NAN};
        double[] b = {2, 2, 2, NAN};
        assertExact(binary(BinaryOp.GREATER, vector(dt, a), vector(dt, b)), dt, shape(4), 0, 0, 1, 0);
        assertExact(binary(BinaryOp.GREATER_EQUAL, vector(dt, a), vector(dt, b)), dt, shape(4), 0, 1, 1, 0);
        assertExact(binary(BinaryOp.LESS, vector(dt, a), vector(dt, b)), dt, shape(4), 1, 0, 0, 0);
        assertExact(binary(BinaryOp.LESS_EQUAL, vector(dt, a), vector(dt, b)), dt, shape(4), 1, 1, 0, 0);
        assertExact(binary(BinaryOp.EQUAL, vector(dt, a), vector(dt, b)), dt, shape(4), 0, 1, 0, 0);
        assertExact(binary(BinaryOp.NOT_EQUAL, vector(dt, a), vector(dt, b)), dt, shape(4), 1, 0, 1, 1);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void comparison_broadcastsAndKeepsRankZero(DType dt) {
        assertExact(binary(BinaryOp.GREATER, array(dt, shape(2, 1), 1, 3), array(dt, shape(1, 3), 0, 2, 4)), dt,
                shape(2, 3), 1, 0, 0, 1, 1, 0);
        assertExact(binary(BinaryOp.EQUAL, array(dt, shape(), 2), array(dt, shape(), 2)), dt, shape(), 1);
    }

    // ------------------------------------------------------------------ where

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("where picks a where the condition is non-zero (NaN counts as non-zero) and b elsewhere")
    void where_picksByNonZeroCondition(DType dt) {
        try (BackendArray c = vector(dt, 1, 0, -2, NAN, -0.0);
             BackendArray a = vector(dt, 10, 20, 30, 40, 50);
             BackendArray b = vector(dt, -1, -2, -3, -4, -5)) {
            assertExact(backend().where(c, a, b), dt, shape(5), 10, -2, 30, 40, -5);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void where_broadcastsAllThree(DType dt) {
        try (BackendArray c = array(dt, shape(2, 1), 1, 0);
             BackendArray a = array(dt, shape(1, 3), 1, 2, 3);
             BackendArray b = array(dt, shape(), 9)) {
            assertExact(backend().where(c, a, b), dt, shape(2, 3), 1, 2, 3, 9, 9, 9);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void where_passesNaNFromTheChosenBranch(DType dt) {
        try (BackendArray c = vector(dt, 1, 0);
             BackendArray a = vector(dt, NAN, NAN);
             BackendArray b = vector(dt, 1, 2)) {
            assertExact(backend().where(c, a, b), dt, shape(2), NAN, 2);
        }
    }

    // ------------------------------------------------------------------ precision

    @Test
    @DisplayName("float32 stays a float32 tensor and float64 a float64 one: 2^24 + 1 is 2^24 in float32, 2^24 + 1 in float64")
    void float32_isNotWidened() {
        assertExact(binary(BinaryOp.ADD, vector(DType.FLOAT32, 16777216), vector(DType.FLOAT32, 1)), DType.FLOAT32,
                shape(1), 16777216);
        assertExact(binary(BinaryOp.ADD, vector(DType.FLOAT64, 16777216), vector(DType.FLOAT64, 1)), DType.FLOAT64,
                shape(1), 16777217);
    }

    @Test
    void float64_keepsDoublePrecision() {
        try (BackendArray a = vector(DType.FLOAT64, 0.1);
             BackendArray b = vector(DType.FLOAT64, 0.2);
             BackendArray s = backend().binary(BinaryOp.ADD, a, b)) {
            assertArrayEquals(new double[] {0.1 + 0.2}, backend().toDoubleArray(s), 0.0);
        }
    }
}
