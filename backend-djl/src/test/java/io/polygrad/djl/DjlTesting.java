package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;
import java.util.Arrays;

/** Returns the shared CPU backend of the tests and assertions that read arrays back. */
final class DjlTesting {

    private static DjlBackend cpu;

    private DjlTesting() {
    }

    /** Returns one CPU backend for the whole test JVM. */
    static synchronized DjlBackend backend() {
        if (cpu == null) {
            cpu = new DjlBackend(Device.CPU);
        }
        return cpu;
    }

    /** Creates an array of {@code dtype} holding {@code values} with {@code shape}. */
    static BackendArray array(DType dtype, int[] shape, double... values) {
        return backend().fromDoubles(values, shape, dtype);
    }

    /** Creates a vector of {@code dtype}. */
    static BackendArray vector(DType dtype, double... values) {
        return array(dtype, new int[] {values.length}, values);
    }

    /** Returns {@code values} rounded to float when {@code dtype} is float32. */
    static double[] rounded(DType dtype, double... values) {
        double[] out = values.clone();
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) out[i];
            }
        }
        return out;
    }

    /**
     * Asserts that {@code a} has {@code shape} and {@code dtype}, both as declared by the handle and as
     * held by the libtorch tensor, and holds exactly {@code expected} (rounded to the dtype), NaN
     * matching NaN. Closes {@code a}.
     */
    static void assertExact(BackendArray a, DType dtype, int[] shape, double... expected) {
        try (a) {
            assertMeta(a, dtype, shape);
            assertArrayEquals(rounded(dtype, expected), backend().toDoubleArray(a), 0.0,
                    () -> "values of " + a);
        }
    }

    /** Asserts like {@link #assertExact} but within a relative tolerance fitting the dtype (a few ulps). */
    static void assertClose(BackendArray a, DType dtype, int[] shape, double... expected) {
        try (a) {
            assertMeta(a, dtype, shape);
            double[] actual = backend().toDoubleArray(a);
            double rel = dtype == DType.FLOAT32 ? 3e-7 : 1e-15;
            assertEquals(expected.length, actual.length, "element count");
            for (int i = 0; i < expected.length; i++) {
                double e = expected[i];
                if (Double.isNaN(e) || Double.isInfinite(e)) {
                    assertEquals(e, actual[i], 0.0, "element " + i + " of " + Arrays.toString(actual));
                } else {
                    assertEquals(e, actual[i], Math.max(Math.abs(e) * rel, rel),
                            "element " + i + " of " + Arrays.toString(actual));
                }
            }
        }
    }

    /** Asserts the declared and the real shape and dtype of {@code a}. */
    static void assertMeta(BackendArray a, DType dtype, int[] shape) {
        assertArrayEquals(shape, a.shape(), () -> "declared shape " + Arrays.toString(a.shape()));
        assertEquals(dtype, a.dtype(), "declared dtype");
        NDArray nd = ((DjlArray) a).ndArray();
        assertArrayEquals(Arrays.stream(shape).asLongStream().toArray(), nd.getShape().getShape(),
                () -> "libtorch shape " + nd.getShape());
        assertEquals(dtype == DType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32, nd.getDataType(),
                "libtorch dtype");
    }

    /** Returns {@code dims} as a shape, for readability. */
    static int[] shape(int... dims) {
        return dims;
    }
}
