package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;
import java.util.Arrays;

/** Creates the shared backend and the assertion helpers of the tests. */
final class Fixtures {

    /** Whether ND4J loaded its CUDA backend (a -Pcuda build on a GPU machine). */
    static final boolean CUDA = Nd4jRuntime.state().cuda();
    /** The backend under test: on the CPU, or on the first GPU in a CUDA build. */
    static final Nd4jBackend BACKEND = new Nd4jBackend(CUDA ? Device.cuda(0) : Device.CPU);
    static final double NAN = Double.NaN;
    static final double INF = Double.POSITIVE_INFINITY;

    private Fixtures() {
    }

    static int[] shape(int... dims) {
        return dims;
    }

    static BackendArray arr(DType dt, int[] shape, double... values) {
        return BACKEND.fromDoubles(values, shape, dt);
    }

    static BackendArray scalar(DType dt, double value) {
        return BACKEND.fromDoubles(new double[] {value}, new int[0], dt);
    }

    /** Asserts shape, dtype and values; float32 results are compared with the float32 rounding of the expected value. */
    static void assertArray(BackendArray actual, DType dt, int[] shape, double... expected) {
        assertEquals(dt, actual.dtype(), "dtype");
        assertArrayEquals(shape, actual.shape(), () -> "shape " + Arrays.toString(actual.shape()));
        double[] got = BACKEND.toDoubleArray(actual);
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            double e = dt == DType.FLOAT32 ? (float) expected[i] : expected[i];
            double g = got[i];
            boolean ok;
            if (Double.isNaN(e)) {
                ok = Double.isNaN(g);
            } else if (Double.isInfinite(e)) {
                ok = e == g;
            } else {
                double tol = dt == DType.FLOAT32 ? 1e-6 * Math.max(1, Math.abs(e)) : 1e-12 * Math.max(1, Math.abs(e));
                ok = Math.abs(e - g) <= tol;
            }
            if (!ok) {
                fail("element " + i + ": expected " + e + " but was " + g + " in "
                        + (got.length <= 50 ? Arrays.toString(got) : got.length + " elements"));
            }
        }
    }
}
