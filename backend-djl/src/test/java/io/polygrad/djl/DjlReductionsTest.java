package io.polygrad.djl;

import static io.polygrad.djl.DjlTesting.array;
import static io.polygrad.djl.DjlTesting.assertClose;
import static io.polygrad.djl.DjlTesting.assertExact;
import static io.polygrad.djl.DjlTesting.backend;
import static io.polygrad.djl.DjlTesting.shape;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.ReduceOp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DjlReductionsTest {

    /** [[1, 2, 3], [4, 5, 6]] */
    private static BackendArray m23(DType dt) {
        return array(dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
    }

    private static BackendArray reduce(ReduceOp op, BackendArray a, boolean keepDims, int... axes) {
        try (a) {
            return backend().reduce(op, a, axes, keepDims);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void sum_overEachAxis(DType dt) {
        assertExact(reduce(ReduceOp.SUM, m23(dt), false, 0), dt, shape(3), 5, 7, 9);
        assertExact(reduce(ReduceOp.SUM, m23(dt), false, 1), dt, shape(2), 6, 15);
        assertExact(reduce(ReduceOp.SUM, m23(dt), false, 0, 1), dt, shape(), 21);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void sum_overAxisWithKeepDims_keepsRank(DType dt) {
        assertExact(reduce(ReduceOp.SUM, m23(dt), true, 1), dt, shape(2, 1), 6, 15);
        assertExact(reduce(ReduceOp.SUM, m23(dt), true, 0, 1), dt, shape(1, 1), 21);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void mean_overAxesWithAndWithoutKeepDims(DType dt) {
        assertExact(reduce(ReduceOp.MEAN, m23(dt), false, 0), dt, shape(3), 2.5, 3.5, 4.5);
        assertExact(reduce(ReduceOp.MEAN, m23(dt), true, 1), dt, shape(2, 1), 2, 5);
        assertExact(reduce(ReduceOp.MEAN, m23(dt), false, 0, 1), dt, shape(), 3.5);
        assertExact(reduce(ReduceOp.MEAN, m23(dt), true, 0, 1), dt, shape(1, 1), 3.5);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void mean_overNonAdjacentAxesOfRank3(DType dt) {
        // [2,2,2] = 0..7; mean over axes 0 and 2 -> [ (0+1+4+5)/4, (2+3+6+7)/4 ]
        BackendArray a = array(dt, shape(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7);
        assertExact(reduce(ReduceOp.MEAN, a, true, 0, 2), dt, shape(1, 2, 1), 2.5, 4.5);
    }

    @Test
    @DisplayName("the mean of float32 divides in float32: mean(0.1f, 0.2f, 0.3f, 0.4f) = (float) sum / 4")
    void mean_float32_staysFloat32() {
        float sum = 0.1f + 0.2f + 0.3f + 0.4f;
        BackendArray a = array(DType.FLOAT32, shape(2, 2), 0.1, 0.2, 0.3, 0.4);
        assertClose(reduce(ReduceOp.MEAN, a, false, 0, 1), DType.FLOAT32, shape(), sum / 4f);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void max_overOneAndSeveralAxes(DType dt) {
        BackendArray a = array(dt, shape(2, 3), 1, 9, 3, 4, -5, 6);
        try (a) {
            assertExact(backend().reduce(ReduceOp.MAX, a, new int[] {0}, false), dt, shape(3), 4, 9, 6);
            assertExact(backend().reduce(ReduceOp.MAX, a, new int[] {1}, true), dt, shape(2, 1), 9, 6);
            assertExact(backend().reduce(ReduceOp.MAX, a, new int[] {0, 1}, false), dt, shape(), 9);
            assertExact(backend().reduce(ReduceOp.MAX, a, new int[] {0, 1}, true), dt, shape(1, 1), 9);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void max_overThreeAxesOfRank4(DType dt) {
        double[] data = new double[24];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 7) % 24; // a permutation of 0..23
        }
        // shape [2,3,2,2]; max over axes 0, 2, 3 leaves axis 1 (3 groups)
        double[] expected = new double[3];
        java.util.Arrays.fill(expected, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < 24; i++) {
            int axis1 = (i / 4) % 3;
            expected[axis1] = Math.max(expected[axis1], data[i]);
        }
        assertExact(reduce(ReduceOp.MAX, array(dt, shape(2, 3, 2, 2), data), false, 0, 2, 3), dt, shape(3), expected);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("max over axes of odd length finds the maximum wherever it sits (row i has it at column i)")
    void max_overOddLengthAxes_findsMaximumAtEveryPosition(DType dt) {
        for (int n : new int[] {3, 5, 7}) {
            double[] data = new double[n * n];
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    data[i * n + j] = i == j ? 10 + i : -j;
                }
                expected[i] = 10 + i;
            }
            assertExact(reduce(ReduceOp.MAX, array(dt, shape(n, n), data), false, 1), dt, shape(n), expected);
            assertExact(reduce(ReduceOp.MAX, array(dt, shape(n, n), data), true, 0), dt, shape(1, n), expected);
            data[n * n - 1] = Double.NaN;
            expected[n - 1] = Double.NaN;
            assertExact(reduce(ReduceOp.MAX, array(dt, shape(n, n), data), false, 1), dt, shape(n), expected);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("NaN passes through sum, mean and max")
    void reductions_passNaN(DType dt) {
        double nan = Double.NaN;
        assertExact(reduce(ReduceOp.SUM, array(dt, shape(2, 2), 1, nan, 3, 4), false, 1), dt, shape(2), nan, 7);
        assertExact(reduce(ReduceOp.MEAN, array(dt, shape(2, 2), 1, nan, 3, 4), false, 1), dt, shape(2), nan, 3.5);
        assertExact(reduce(ReduceOp.MAX, array(dt, shape(2, 2), 1, nan, 3, 4), false, 1), dt, shape(2), nan, 4);
        assertExact(reduce(ReduceOp.MAX, array(dt, shape(3), 5, nan, 1), false, 0), dt, shape(), nan);
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    @DisplayName("no axes returns a copy with the same shape")
    void reduce_noAxes_returnsCopy(ReduceOp op) {
        BackendArray a = array(DType.FLOAT64, shape(2), 1, 2);
        BackendArray r = backend().reduce(op, a, new int[0], false);
        a.close(); // the copy must not depend on the input
        assertExact(r, DType.FLOAT64, shape(2), 1, 2);
        BackendArray s = array(DType.FLOAT32, shape(), 3);
        assertExact(reduce(op, s, true), DType.FLOAT32, shape(), 3);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void sumAndMean_overSizeZeroAxis_areZeroAndNaN(DType dt) {
        assertExact(reduce(ReduceOp.SUM, array(dt, shape(0, 2)), false, 0), dt, shape(2), 0, 0);
        assertExact(reduce(ReduceOp.MEAN, array(dt, shape(0, 2)), false, 0), dt, shape(2), Double.NaN, Double.NaN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reduce_overSizeOneAxis_dropsIt(DType dt) {
        assertExact(reduce(ReduceOp.MAX, array(dt, shape(1, 2), 3, 4), false, 0), dt, shape(2), 3, 4);
        assertExact(reduce(ReduceOp.MEAN, array(dt, shape(2, 1), 3, 4), false, 1), dt, shape(2), 3, 4);
    }
}
