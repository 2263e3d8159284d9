package io.polygrad.nd4j;

import static io.polygrad.nd4j.Fixtures.BACKEND;
import static io.polygrad.nd4j.Fixtures.NAN;
import static io.polygrad.nd4j.Fixtures.arr;
import static io.polygrad.nd4j.Fixtures.assertArray;
import static io.polygrad.nd4j.Fixtures.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks (batched) matmul against hand-computed values. */
class Nd4jMatmulTest {
    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void matmul_twoByThreeTimesThreeByTwo(DType dt) {
        BackendArray a = arr(dt, shape(2, 3), 1, 2, 3, 4, 5, 6);
        BackendArray b = arr(dt, shape(3, 2), 7, 8, 9, 10, 11, 12);
        assertArray(BACKEND.matmul(a, b), dt, shape(2, 2), 58, 64, 139, 154);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void matmul_batchedOverLeadingDims(DType dt) {
        BackendArray a = arr(dt, shape(2, 2, 2), 1, 2, 3, 4, 1, 0, 0, 1);
        BackendArray b = arr(dt, shape(2, 2, 2), 1, 1, 0, 1, 2, 3, 4, 5);
        assertArray(BACKEND.matmul(a, b), dt, shape(2, 2, 2), 1, 3, 3, 7, 2, 3, 4, 5);
        BackendArray c = arr(dt, shape(2, 1, 2, 1), 1, 2, 3, 4);
        BackendArray d = arr(dt, shape(2, 1, 1, 2), 1, 10, 100, 1000);
        assertArray(BACKEND.matmul(c, d), dt, shape(2, 1, 2, 2), 1, 10, 2, 20, 300, 3000, 400, 4000);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void matmul_sizeOneAndSizeZeroDims(DType dt) {
        assertArray(BACKEND.matmul(arr(dt, shape(1, 1), 3), arr(dt, shape(1, 1), 4)), dt, shape(1, 1), 12);
        assertArray(BACKEND.matmul(arr(dt, shape(1, 3), 1, 2, 3), arr(dt, shape(3, 1), 4, 5, 6)), dt, shape(1, 1), 32);
        assertArray(BACKEND.matmul(arr(dt, shape(2, 1), 1, 2), arr(dt, shape(1, 2), 3, 4)), dt, shape(2, 2), 3, 4, 6, 8);
        assertArray(BACKEND.matmul(arr(dt, shape(2, 0)), arr(dt, shape(0, 3))), dt, shape(2, 3), 0, 0, 0, 0, 0, 0);
        assertArray(BACKEND.matmul(arr(dt, shape(0, 2)), arr(dt, shape(2, 3), 1, 2, 3, 4, 5, 6)), dt, shape(0, 3));
        assertArray(BACKEND.matmul(arr(dt, shape(1, 1, 2), 1, 1), arr(dt, shape(1, 2, 1), NAN, 1)), dt, shape(1, 1, 1), NAN);
    }

    @Test
    @DisplayName("float32 matmul accumulates in float32 and float64 matmul in float64")
    void matmul_computesInItsOwnPrecision() {
        // 2^24 + 1 + 1: in float32 each +1 is lost (spacing 2 at 2^24); in float64 the sum is exact
        double big = 16777216.0;
        double[] row = {big, 1, 1};
        double[] ones = {1, 1, 1};
        BackendArray f = BACKEND.matmul(arr(DType.FLOAT32, shape(1, 3), row), arr(DType.FLOAT32, shape(3, 1), ones));
        BackendArray d = BACKEND.matmul(arr(DType.FLOAT64, shape(1, 3), row), arr(DType.FLOAT64, shape(3, 1), ones));
        assertEquals(DType.FLOAT32, f.dtype());
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(big + 2, BACKEND.toDoubleArray(d)[0]);
        double fv = BACKEND.toDoubleArray(f)[0];
        // float32 gives 2^24 (sequential) or 2^24 + 2 (if the two ones are added first); never a float64 value
        assertEquals(fv, (float) fv, 0.0);
    }

    @Test
    void matmul_mixedDTypes_areRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BACKEND.matmul(arr(DType.FLOAT32, shape(1, 1), 1), arr(DType.FLOAT64, shape(1, 1), 1)));
        assertEquals("nd4j: matmul: operands have dtypes float32 and float64; cast one first", e.getMessage());
    }
}
