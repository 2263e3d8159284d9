package io.polygrad.djl;

import static io.polygrad.djl.DjlTesting.array;
import static io.polygrad.djl.DjlTesting.assertClose;
import static io.polygrad.djl.DjlTesting.assertExact;
import static io.polygrad.djl.DjlTesting.backend;
import static io.polygrad.djl.DjlTesting.shape;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DjlMovementTest {

    // ------------------------------------------------------------------ matmul

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void matmul_2x3By3x2(DType dt) {
        try (BackendArray a = array(dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
             BackendArray b = array(dt, shape(3, 2), 7, 8, 9, 10, 11, 12)) {
            assertExact(backend().matmul(a, b), dt, shape(2, 2), 58, 64, 139, 154);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("batched matmul multiplies matching batch entries: [2,2,2] x [2,2,1] -> [2,2,1]")
    void matmul_batched(DType dt) {
        try (BackendArray a = array(dt, shape(2, 2, 2), 1, 2, 3, 4, 1, 0, 0, 1);
             BackendArray b = array(dt, shape(2, 2, 1), 1, 1, 5, 6)) {
            assertExact(backend().matmul(a, b), dt, shape(2, 2, 1), 3, 7, 5, 6);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void matmul_sizeOneAndSizeZeroInnerDims(DType dt) {
        try (BackendArray col = array(dt, shape(2, 1), 2, 3);
             BackendArray row = array(dt, shape(1, 2), 4, 5)) {
            assertExact(backend().matmul(col, row), dt, shape(2, 2), 8, 10, 12, 15);
            assertExact(backend().matmul(row, col), dt, shape(1, 1), 23);
        }
        try (BackendArray a = array(dt, shape(2, 0));
             BackendArray b = array(dt, shape(0, 3))) {
            assertExact(backend().matmul(a, b), dt, shape(2, 3), 0, 0, 0, 0, 0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void matmul_passesNaN(DType dt) {
        try (BackendArray a = array(dt, shape(1, 2), Double.NaN, 1);
             BackendArray b = array(dt, shape(2, 2), 1, 2, 3, 4)) {
            assertExact(backend().matmul(a, b), dt, shape(1, 2), Double.NaN, Double.NaN);
        }
    }

    @Test
    void matmul_float64_keepsDoublePrecision() {
        try (BackendArray a = array(DType.FLOAT64, shape(1, 2), 0.1, 0.2);
             BackendArray b = array(DType.FLOAT64, shape(2, 1), 3, 7)) {
            assertClose(backend().matmul(a, b), DType.FLOAT64, shape(1, 1), 0.1 * 3 + 0.2 * 7);
        }
    }

    // ------------------------------------------------------------------ reshape, permute, broadcast

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void reshape_keepsRowMajorOrder(DType dt) {
        try (BackendArray a = array(dt, shape(2, 3), 1, 2, 3, 4, 5, 6)) {
            assertExact(backend().reshape(a, shape(3, 2)), dt, shape(3, 2), 1, 2, 3, 4, 5, 6);
            assertExact(backend().reshape(a, shape(6)), dt, shape(6), 1, 2, 3, 4, 5, 6);
            assertExact(backend().reshape(a, shape(1, 6, 1)), dt, shape(1, 6, 1), 1, 2, 3, 4, 5, 6);
        }
        try (BackendArray s = array(dt, shape(1, 1), 5)) {
            assertExact(backend().reshape(s, shape()), dt, shape(), 5);
        }
        try (BackendArray e = array(dt, shape(0, 3))) {
            assertExact(backend().reshape(e, shape(3, 0)), dt, shape(3, 0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void permute_transposesMatrix(DType dt) {
        try (BackendArray a = array(dt, shape(2, 3), 1, 2, 3, 4, 5, 6)) {
            assertExact(backend().permute(a, shape(1, 0)), dt, shape(3, 2), 1, 4, 2, 5, 3, 6);
            assertExact(backend().permute(a, shape(0, 1)), dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("permute [2,3,4] by (2,0,1): result[k][i][j] = a[i][j][k]")
    void permute_rank3(DType dt) {
        double[] data = new double[24];
        for (int i = 0; i < 24; i++) {
            data[i] = i;
        }
        double[] expected = new double[24];
        int n = 0;
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    expected[n++] = data[i * 12 + j * 4 + k];
                }
            }
        }
        try (BackendArray a = array(dt, shape(2, 3, 4), data)) {
            assertExact(backend().permute(a, shape(2, 0, 1)), dt, shape(4, 2, 3), expected);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void permute_movingOnlySizeOneAxes_andEmpty(DType dt) {
        try (BackendArray a = array(dt, shape(1, 3, 1), 1, 2, 3)) {
            assertExact(backend().permute(a, shape(2, 1, 0)), dt, shape(1, 3, 1), 1, 2, 3);
        }
        try (BackendArray e = array(dt, shape(0, 2))) {
            assertExact(backend().permute(e, shape(1, 0)), dt, shape(2, 0));
        }
        try (BackendArray s = array(dt, shape(), 4)) {
            assertExact(backend().permute(s, shape()), dt, shape(), 4);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void broadcastTo_materialisesCopies(DType dt) {
        try (BackendArray row = array(dt, shape(3), 1, 2, 3);
             BackendArray col = array(dt, shape(2, 1), 7, 8);
             BackendArray scalar = array(dt, shape(), 5)) {
            assertExact(backend().broadcastTo(row, shape(2, 3)), dt, shape(2, 3), 1, 2, 3, 1, 2, 3);
            assertExact(backend().broadcastTo(col, shape(2, 2)), dt, shape(2, 2), 7, 7, 8, 8);
            assertExact(backend().broadcastTo(scalar, shape(2)), dt, shape(2), 5, 5);
            assertExact(backend().broadcastTo(row, shape(3)), dt, shape(3), 1, 2, 3);
            assertExact(backend().broadcastTo(row, shape(0, 3)), dt, shape(0, 3));
        }
    }

    // ------------------------------------------------------------------ slice, concat, cast

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void slice_alongEachAxis(DType dt) {
        try (BackendArray a = array(dt, shape(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)) {
            assertExact(backend().slice(a, 0, 1, 3), dt, shape(2, 4), 4, 5, 6, 7, 8, 9, 10, 11);
            assertExact(backend().slice(a, 1, 1, 3), dt, shape(3, 2), 1, 2, 5, 6, 9, 10);
            assertExact(backend().slice(a, 1, 2, 2), dt, shape(3, 0));
            assertExact(backend().slice(a, 0, 0, 3), dt, shape(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void concat_alongEachAxis(DType dt) {
        try (BackendArray a = array(dt, shape(1, 2), 1, 2);
             BackendArray b = array(dt, shape(2, 2), 3, 4, 5, 6);
             BackendArray c = array(dt, shape(2, 1), 7, 8)) {
            assertExact(backend().concat(new BackendArray[] {a, b}, 0), dt, shape(3, 2), 1, 2, 3, 4, 5, 6);
            assertExact(backend().concat(new BackendArray[] {b, c}, 1), dt, shape(2, 3), 3, 4, 7, 5, 6, 8);
            assertExact(backend().concat(new BackendArray[] {a}, 0), dt, shape(1, 2), 1, 2);
        }
        try (BackendArray e = array(dt, shape(0, 2));
             BackendArray a = array(dt, shape(1, 2), 1, 2)) {
            assertExact(backend().concat(new BackendArray[] {e, a, e}, 0), dt, shape(1, 2), 1, 2);
        }
    }

    @Test
    void cast_betweenDTypes_roundsAndWidens() {
        try (BackendArray d = array(DType.FLOAT64, shape(2), 0.1, Double.NaN);
             BackendArray f = array(DType.FLOAT32, shape(), 0.1)) {
            assertExact(backend().cast(d, DType.FLOAT32), DType.FLOAT32, shape(2), (float) 0.1, Double.NaN);
            assertExact(backend().cast(f, DType.FLOAT64), DType.FLOAT64, shape(), (double) (float) 0.1);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("results own their memory: changing the input tensor in place, then closing it, leaves every result as it was")
    void results_doNotAliasTheirInputs(DType dt) {
        BackendArray a = array(dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        BackendArray reshaped = backend().reshape(a, shape(3, 2));
        BackendArray permuted = backend().permute(a, shape(1, 0));
        BackendArray broadcast = backend().broadcastTo(a, shape(2, 2, 3));
        BackendArray sliced = backend().slice(a, 1, 0, 2);
        BackendArray cast = backend().cast(a, dt);
        BackendArray copy = backend().reduce(io.polygrad.spi.ReduceOp.SUM, a, new int[0], false);
        BackendArray concat = backend().concat(new BackendArray[] {a}, 0);
        ((DjlArray) a).ndArray().addi(100); // libtorch in-place add: would show through any shared storage
        a.close();
        assertExact(reshaped, dt, shape(3, 2), 1, 2, 3, 4, 5, 6);
        assertExact(permuted, dt, shape(3, 2), 1, 4, 2, 5, 3, 6);
        assertExact(broadcast, dt, shape(2, 2, 3), 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
        assertExact(sliced, dt, shape(2, 2), 1, 2, 4, 5);
        assertExact(cast, dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertExact(copy, dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertExact(concat, dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
    }
}
