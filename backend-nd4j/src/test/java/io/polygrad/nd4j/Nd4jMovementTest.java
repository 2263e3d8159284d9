package io.polygrad.nd4j;

import static io.polygrad.nd4j.Fixtures.BACKEND;
import static io.polygrad.nd4j.Fixtures.NAN;
import static io.polygrad.nd4j.Fixtures.arr;
import static io.polygrad.nd4j.Fixtures.assertArray;
import static io.polygrad.nd4j.Fixtures.scalar;
import static io.polygrad.nd4j.Fixtures.shape;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks reshape, permute, broadcastTo, slice, concat and cast, and that results never alias inputs. */
class Nd4jMovementTest {

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reshape_keepsRowMajorOrder_includingRankZeroAndOnes(DType dt) {
        BackendArray m = arr(dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertArray(BACKEND.reshape(m, shape(3, 2)), dt, shape(3, 2), 1, 2, 3, 4, 5, 6);
        assertArray(BACKEND.reshape(m, shape(6)), dt, shape(6), 1, 2, 3, 4, 5, 6);
        assertArray(BACKEND.reshape(m, shape(1, 6, 1)), dt, shape(1, 6, 1), 1, 2, 3, 4, 5, 6);
        assertArray(BACKEND.reshape(arr(dt, shape(1, 1), 9), shape()), dt, shape(), 9);
        assertArray(BACKEND.reshape(scalar(dt, 9), shape(1, 1, 1)), dt, shape(1, 1, 1), 9);
        assertArray(BACKEND.reshape(arr(dt, shape(0, 3)), shape(3, 0)), dt, shape(3, 0));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void results_doNotAliasInputs(DType dt) {
        BackendArray m = arr(dt, shape(2, 2), 1, 2, 3, 4);
        BackendArray r = BACKEND.reshape(m, shape(4));
        BackendArray p = BACKEND.permute(m, new int[] {1, 0});
        BackendArray s = BACKEND.slice(m, 0, 0, 2);
        BackendArray c = BACKEND.cast(m, dt);
        BackendArray b = BACKEND.broadcastTo(m, shape(2, 2));
        m.close();
        assertArray(r, dt, shape(4), 1, 2, 3, 4);
        assertArray(p, dt, shape(2, 2), 1, 3, 2, 4);
        assertArray(s, dt, shape(2, 2), 1, 2, 3, 4);
        assertArray(c, dt, shape(2, 2), 1, 2, 3, 4);
        assertArray(b, dt, shape(2, 2), 1, 2, 3, 4);
        BackendArray x = arr(dt, shape(2), 1, 2);
        BackendArray sum = BACKEND.binary(BinaryOp.ADD, x, x);
        assertArray(x, dt, shape(2), 1, 2);
        assertArray(sum, dt, shape(2), 2, 4);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void permute_threeDims_matchesHandIndexing(DType dt) {
        double[] v = new double[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i;
        }
        BackendArray x = arr(dt, shape(2, 3, 4), v);
        // result[k][i][j] = x[i][j][k] = 12 i + 4 j + k
        double[] expected = new double[24];
        int n = 0;
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    expected[n++] = 12 * i + 4 * j + k;
                }
            }
        }
        assertArray(BACKEND.permute(x, new int[] {2, 0, 1}), dt, shape(4, 2, 3), expected);
        assertArray(BACKEND.permute(scalar(dt, 5), new int[0]), dt, shape(), 5);
        assertArray(BACKEND.permute(arr(dt, shape(1, 3), 1, 2, 3), new int[] {1, 0}), dt, shape(3, 1), 1, 2, 3);
        assertArray(BACKEND.permute(arr(dt, shape(0, 2)), new int[] {1, 0}), dt, shape(2, 0));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void broadcastTo_materialisesNumpyBroadcast(DType dt) {
        assertArray(BACKEND.broadcastTo(arr(dt, shape(3), 1, 2, 3), shape(2, 3)), dt, shape(2, 3), 1, 2, 3, 1, 2, 3);
        assertArray(BACKEND.broadcastTo(arr(dt, shape(2, 1), 1, 2), shape(2, 3)), dt, shape(2, 3), 1, 1, 1, 2, 2, 2);
        assertArray(BACKEND.broadcastTo(scalar(dt, NAN), shape(2, 2)), dt, shape(2, 2), NAN, NAN, NAN, NAN);
        assertArray(BACKEND.broadcastTo(scalar(dt, 4), shape()), dt, shape(), 4);
        assertArray(BACKEND.broadcastTo(arr(dt, shape(1, 3), 1, 2, 3), shape(0, 3)), dt, shape(0, 3));
        assertArray(BACKEND.broadcastTo(arr(dt, shape(1), 7), shape(2, 1, 2)), dt, shape(2, 1, 2), 7, 7, 7, 7);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void slice_alongEachAxis_includingEmptyAndFull(DType dt) {
        BackendArray m = arr(dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertArray(BACKEND.slice(m, 1, 1, 3), dt, shape(2, 2), 2, 3, 5, 6);
        assertArray(BACKEND.slice(m, 0, 1, 2), dt, shape(1, 3), 4, 5, 6);
        assertArray(BACKEND.slice(m, 1, 2, 2), dt, shape(2, 0));
        assertArray(BACKEND.slice(m, 1, 0, 3), dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertArray(BACKEND.slice(arr(dt, shape(4), 1, 2, 3, 4), 0, 1, 2), dt, shape(1), 2);
        BackendArray c = arr(dt, shape(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        assertArray(BACKEND.slice(c, 2, 1, 2), dt, shape(2, 2, 1), 2, 4, 6, 8);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void concat_alongEachAxis_skippingEmptyParts(DType dt) {
        BackendArray a = arr(dt, shape(1, 2), 1, 2);
        BackendArray b = arr(dt, shape(2, 2), 3, 4, 5, 6);
        assertArray(BACKEND.concat(new BackendArray[] {a, b}, 0), dt, shape(3, 2), 1, 2, 3, 4, 5, 6);
        BackendArray c = arr(dt, shape(2, 1), 7, 8);
        assertArray(BACKEND.concat(new BackendArray[] {b, c}, 1), dt, shape(2, 3), 3, 4, 7, 5, 6, 8);
        BackendArray e = arr(dt, shape(0, 2));
        assertArray(BACKEND.concat(new BackendArray[] {e, a, e}, 0), dt, shape(1, 2), 1, 2);
        assertArray(BACKEND.concat(new BackendArray[] {e, e}, 0), dt, shape(0, 2));
        assertArray(BACKEND.concat(new BackendArray[] {arr(dt, shape(1), 1), arr(dt, shape(1), 2),
            arr(dt, shape(1), 3)}, 0), dt, shape(3), 1, 2, 3);
        assertArray(BACKEND.concat(new BackendArray[] {a}, 1), dt, shape(1, 2), 1, 2);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void cast_convertsAndCopies(DType dt) {
        DType other = dt == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        BackendArray x = arr(dt, shape(3), 0.1, NAN, -2);
        BackendArray y = BACKEND.cast(x, other);
        double first = dt == DType.FLOAT32 ? (double) 0.1f : 0.1;
        assertArray(y, other, shape(3), first, NAN, -2);
        assertArray(BACKEND.cast(scalar(dt, 1.5), other), other, shape(), 1.5);
        assertArray(BACKEND.cast(arr(dt, shape(0)), other), other, shape(0));
        assertArray(BACKEND.cast(x, dt), dt, shape(3), 0.1, NAN, -2);
    }
}
