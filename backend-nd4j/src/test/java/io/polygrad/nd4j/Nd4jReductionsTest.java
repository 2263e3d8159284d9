package io.polygrad.nd4j;

import static io.polygrad.nd4j.Fixtures.BACKEND;
import static io.polygrad.nd4j.Fixtures.INF;
import static io.polygrad.nd4j.Fixtures.NAN;
import static io.polygrad.nd4j.Fixtures.arr;
import static io.polygrad.nd4j.Fixtures.assertArray;
import static io.polygrad.nd4j.Fixtures.scalar;
import static io.polygrad.nd4j.Fixtures.shape;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.ReduceOp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks the reductions (with and without keepDims) against hand-computed values. */
class Nd4jReductionsTest {

    private static BackendArray m23(DType dt) {
        return arr(dt, shape(2, 3), 1, 5, 3, 4, 2, 6);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reduce_sumMeanMax_overEachAxis(DType dt) {
        BackendArray m = m23(dt);
        assertArray(BACKEND.reduce(ReduceOp.SUM, m, new int[] {0}, false), dt, shape(3), 5, 7, 9);
        assertArray(BACKEND.reduce(ReduceOp.SUM, m, new int[] {1}, false), dt, shape(2), 9, 12);
        assertArray(BACKEND.reduce(ReduceOp.MEAN, m, new int[] {0}, false), dt, shape(3), 2.5, 3.5, 4.5);
        assertArray(BACKEND.reduce(ReduceOp.MEAN, m, new int[] {1}, false), dt, shape(2), 3, 4);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m, new int[] {0}, false), dt, shape(3), 4, 5, 6);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m, new int[] {1}, false), dt, shape(2), 5, 6);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reduce_keepDims_keepsReducedAxesAsOne(DType dt) {
        BackendArray m = m23(dt);
        assertArray(BACKEND.reduce(ReduceOp.SUM, m, new int[] {1}, true), dt, shape(2, 1), 9, 12);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m, new int[] {0}, true), dt, shape(1, 3), 4, 5, 6);
        assertArray(BACKEND.reduce(ReduceOp.MEAN, m, new int[] {0, 1}, true), dt, shape(1, 1), 3.5);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reduce_allAxes_givesRankZero(DType dt) {
        BackendArray m = m23(dt);
        assertArray(BACKEND.reduce(ReduceOp.SUM, m, new int[] {0, 1}, false), dt, shape(), 21);
        assertArray(BACKEND.reduce(ReduceOp.MEAN, m, new int[] {0, 1}, false), dt, shape(), 3.5);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m, new int[] {0, 1}, false), dt, shape(), 6);
        assertArray(BACKEND.reduce(ReduceOp.SUM, arr(dt, shape(1), 4), new int[] {0}, false), dt, shape(), 4);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reduce_threeDimsOverOuterAxes(DType dt) {
        BackendArray c = arr(dt, shape(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        assertArray(BACKEND.reduce(ReduceOp.SUM, c, new int[] {0, 2}, false), dt, shape(2), 14, 22);
        assertArray(BACKEND.reduce(ReduceOp.MAX, c, new int[] {0, 2}, true), dt, shape(1, 2, 1), 6, 8);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reduce_noAxes_copiesIncludingRankZero(DType dt) {
        assertArray(BACKEND.reduce(ReduceOp.SUM, scalar(dt, 3), new int[0], false), dt, shape(), 3);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m23(dt), new int[0], true), dt, shape(2, 3), 1, 5, 3, 4, 2, 6);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("a NaN in a slice makes that slice's max, sum and mean NaN and leaves the others alone")
    void reduce_NaNPassesThroughOnlyItsSlice(DType dt) {
        BackendArray m = arr(dt, shape(2, 3), 1, NAN, 3, 4, 5, 6);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m, new int[] {1}, false), dt, shape(2), NAN, 6);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m, new int[] {0}, true), dt, shape(1, 3), 4, NAN, 6);
        assertArray(BACKEND.reduce(ReduceOp.SUM, m, new int[] {1}, false), dt, shape(2), NAN, 15);
        assertArray(BACKEND.reduce(ReduceOp.MEAN, m, new int[] {0}, false), dt, shape(3), 2.5, NAN, 4.5);
        assertArray(BACKEND.reduce(ReduceOp.MAX, m, new int[] {0, 1}, false), dt, shape(), NAN);
        assertArray(BACKEND.reduce(ReduceOp.MAX, arr(dt, shape(2), -INF, -INF), new int[] {0}, false), dt, shape(), -INF);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reduce_overSizeZeroAxis_givesIdentities(DType dt) {
        BackendArray e = arr(dt, shape(0, 3));
        assertArray(BACKEND.reduce(ReduceOp.SUM, e, new int[] {0}, false), dt, shape(3), 0, 0, 0);
        assertArray(BACKEND.reduce(ReduceOp.MEAN, e, new int[] {0}, true), dt, shape(1, 3), NAN, NAN, NAN);
        assertArray(BACKEND.reduce(ReduceOp.MAX, e, new int[] {0}, false), dt, shape(3), -INF, -INF, -INF);
        assertArray(BACKEND.reduce(ReduceOp.SUM, e, new int[] {1}, false), dt, shape(0));
    }
}
