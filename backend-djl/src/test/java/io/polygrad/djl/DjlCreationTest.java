package io.polygrad.djl;

import static io.polygrad.djl.DjlTesting.array;
import static io.polygrad.djl.DjlTesting.assertExact;
import static io.polygrad.djl.DjlTesting.backend;
import static io.polygrad.djl.DjlTesting.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DjlCreationTest {

    @Test
    void backend_nameAndDevice_areDjlOnCpu() {
        assertEquals("djl", backend().name());
        assertEquals(Device.CPU, backend().device());
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void fromDoubles_matrix_readsBackRowMajor(DType dtype) {
        assertExact(array(dtype, shape(2, 3), 1, 2, 3, 4, 5, 6), dtype, shape(2, 3), 1, 2, 3, 4, 5, 6);
    }

    @Test
    void fromDoubles_float32_roundsToFloat() {
        BackendArray a = array(DType.FLOAT32, shape(2), 0.1, 1.0 / 3);
        assertArrayEquals(new float[] {0.1f, 1f / 3}, backend().toFloatArray(a));
        assertExact(a, DType.FLOAT32, shape(2), (float) 0.1, (float) (1.0 / 3));
    }

    @Test
    void fromDoubles_float64_keepsEveryBit() {
        double tiny = Double.MIN_VALUE;
        assertExact(array(DType.FLOAT64, shape(3), 0.1, 1.0 / 3, tiny), DType.FLOAT64, shape(3), 0.1, 1.0 / 3, tiny);
    }

    @Test
    void fromFloats_vector_isFloat32() {
        BackendArray a = backend().fromFloats(new float[] {1.5f, -2.25f, Float.NaN}, shape(3));
        assertExact(a, DType.FLOAT32, shape(3), 1.5, -2.25, Double.NaN);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("a rank-0 array holds one element and has the empty shape")
    void fromDoubles_rankZero_isScalar(DType dtype) {
        assertExact(array(dtype, shape(), 7.5), dtype, shape(), 7.5);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void fromDoubles_sizeZeroDimension_holdsNothing(DType dtype) {
        assertExact(array(dtype, shape(2, 0, 3)), dtype, shape(2, 0, 3));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void fromDoubles_sizeOneDimensions_keepThem(DType dtype) {
        assertExact(array(dtype, shape(1, 1, 2), 4, 5), dtype, shape(1, 1, 2), 4, 5);
    }

    @Test
    void fromDoubles_largeArrayBeyondStagingBuffer_roundTrips() {
        int n = (1 << 20) / 8 * 3; // 3 MiB of doubles: goes through a one-off direct buffer
        double[] data = new double[n];
        for (int i = 0; i < n; i++) {
            data[i] = i * 0.5;
        }
        try (BackendArray a = backend().fromDoubles(data, shape(n), DType.FLOAT64)) {
            assertArrayEquals(data, backend().toDoubleArray(a), 0.0);
        }
    }

    @Test
    void fromDoubles_dataIsCopied_laterChangesToTheJavaArrayDoNotShow() {
        double[] data = {1, 2};
        try (BackendArray a = backend().fromDoubles(data, shape(2), DType.FLOAT64);
             BackendArray b = backend().fromDoubles(new double[] {8, 9}, shape(2), DType.FLOAT64)) {
            data[0] = 100;
            assertArrayEquals(new double[] {1, 2}, backend().toDoubleArray(a), 0.0);
            assertArrayEquals(new double[] {8, 9}, backend().toDoubleArray(b), 0.0);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void full_fillsEveryElement(DType dtype) {
        assertExact(backend().full(shape(2, 2), -1.25, dtype), dtype, shape(2, 2), -1.25, -1.25, -1.25, -1.25);
    }

    @Test
    void full_float64_keepsAllDigitsOfTheValue() {
        assertExact(backend().full(shape(1), 0.1, DType.FLOAT64), DType.FLOAT64, shape(1), 0.1);
        assertExact(backend().full(shape(1), 0.1, DType.FLOAT32), DType.FLOAT32, shape(1), (float) 0.1);
    }

    @Test
    void full_rankZeroAndNaN_work() {
        assertExact(backend().full(shape(), Double.NaN, DType.FLOAT32), DType.FLOAT32, shape(), Double.NaN);
    }

    @Test
    void toFloatArray_float64_roundsToFloat() {
        try (BackendArray a = array(DType.FLOAT64, shape(2), 0.1, 1e300)) {
            assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, backend().toFloatArray(a));
        }
    }
}
