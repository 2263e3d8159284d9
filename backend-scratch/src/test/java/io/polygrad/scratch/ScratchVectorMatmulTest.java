package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SIMD float32 matmul kernel against a triple loop in double precision, on shapes that are not
 * multiples of the register tile or the packed blocks, with either operand transposed.
 *
 * <p>Tolerance: the inputs are floats, so the double reference is exact up to double rounding, and
 * the kernel's only error is float32 accumulation. Every element of C is a sum of {@code k} products
 * formed by {@code k} fused multiply-adds and additions in float32, so (Higham, <i>Accuracy and
 * Stability of Numerical Algorithms</i>, §3.1) {@code |c − ĉ| ≤ γ_k · Σ_p |a_ip · b_pj|} with
 * {@code γ_k = k·u / (1 − k·u)} and {@code u = 2^−24}, the unit roundoff of float32; each element is
 * checked against its own bound. (For {@link #multiplySerial_addsIntoC} the initial C value is one
 * more addend: {@code γ_{k+1}} and {@code |c0|} join the sum.)
 *
 * <p>The same class runs a second time in the build with {@code -XX:MaxVectorSize=32}, where the
 * preferred species is 256 bits wide and the kernel uses its two-vector tiles (see the module's pom).
 */
class ScratchVectorMatmulTest {

    private static final double U = 0x1p-24;

    private final ScratchBackend backend = new ScratchBackend();

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** Returns the row-major transpose of the {@code rows × cols} matrix {@code x}. */
    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static double gamma(int n) {
        return n * U / (1 - n * U);
    }

    /**
     * Asserts that {@code got} equals {@code c0 + A·B} (row-major {@code A[m,k]}, {@code B[k,n]},
     * {@code c0} null for zero) element by element within the float32 accumulation bound.
     */
    private static void assertProduct(float[] a, float[] b, float[] c0, float[] got, int m, int k, int n, String what) {
        double gamma = gamma(c0 == null ? k : k + 1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = c0 == null ? 0 : c0[i * n + j];
                double abs = Math.abs(s);
                for (int p = 0; p < k; p++) {
                    double t = (double) a[i * k + p] * b[p * n + j];
                    s += t;
                    abs += Math.abs(t);
                }
                float g = got[i * n + j];
                if (Math.abs(g - s) > gamma * abs) {
                    assertEquals(s, g, gamma * abs, what + ": C[" + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    @DisplayName("the tile fits the species: 6 rows by 4 vectors on 512-bit SIMD, by 2 on narrower")
    void tile_matchesTheSpecies() {
        assertEquals(6, ScratchVectorMatmul.MR);
        assertEquals(ScratchVectorMatmul.LANES >= 16 ? 4 : 2, ScratchVectorMatmul.NV);
        assertEquals(ScratchVectorMatmul.NV * ScratchVectorMatmul.LANES, ScratchVectorMatmul.NR);
        assertEquals(0, ScratchVectorMatmul.NC % ScratchVectorMatmul.NR);
        String bits = System.getProperty("polygrad.test.vectorBits");
        if (bits != null) {
            assertEquals(Integer.parseInt(bits) / Float.SIZE, ScratchVectorMatmul.LANES,
                    "the JVM of this run was started for " + bits + "-bit vectors");
        }
    }

    @ParameterizedTest(name = "{0}x{1} @ {1}x{2}")
    @CsvSource({"1,1,1", "1,7,1", "7,1,5", "6,1,64", "5,3,65", "13,300,17", "64,256,64", "65,257,129",
        "100,1,100", "1,300,700", "700,300,1", "37,520,530", "256,512,10", "256,10,512", "130,600,97"})
    @DisplayName("a product of any shape, with either operand stored transposed, is within float32 rounding of the exact one")
    void multiply_anyShapeAndTransposition_isWithinFloat32RoundingOfTheExactProduct(int m, int k, int n) {
        float[] a = random(m * k, 31L * m + k);
        float[] b = random(k * n, 17L * n + k);
        float[] at = transpose(a, m, k);
        float[] bt = transpose(b, k, n);
        for (int flags = 0; flags < 4; flags++) {
            boolean ta = (flags & 1) != 0;
            boolean tb = (flags & 2) != 0;
            float[] c = new float[m * n];
            ScratchMatmul.multiply(ta ? at : a, 0, ta, tb ? bt : b, 0, tb, c, 0, m, k, n);
            assertProduct(a, b, null, c, m, k, n, "transposeA=" + ta + " transposeB=" + tb);
        }
    }

    @ParameterizedTest(name = "{0}x{1} @ {1}x{2}")
    @CsvSource({"7,5,3", "6,256,64", "61,259,77"})
    @DisplayName("multiplySerial adds the product into what C holds, at the offsets given")
    void multiplySerial_addsIntoC(int m, int k, int n) {
        float[] a = random(m * k, 1);
        float[] b = random(k * n, 2);
        float[] c0 = random(m * n, 3);
        int pad = 5;
        float[] aPadded = new float[pad + a.length];
        float[] bPadded = new float[pad + b.length];
        float[] c = new float[pad + c0.length + pad];
        System.arraycopy(a, 0, aPadded, pad, a.length);
        System.arraycopy(b, 0, bPadded, pad, b.length);
        System.arraycopy(c0, 0, c, pad, c0.length);
        ScratchMatmul.multiplySerial(aPadded, pad, bPadded, pad, c, pad, m, k, n);
        float[] got = new float[m * n];
        System.arraycopy(c, pad, got, 0, got.length);
        assertProduct(a, b, c0, got, m, k, n, "serial");
        for (int i = 0; i < pad; i++) {
            assertEquals(0f, c[i], "C before the offset is untouched");
            assertEquals(0f, c[pad + c0.length + i], "C after the product is untouched");
        }
    }

    @Test
    @DisplayName("a batched product with transposed operands is each slice's product, within float32 rounding")
    void matmul_batchedAndTransposed_isEachSlicesProduct() {
        int batch = 3;
        int m = 19;
        int k = 70;
        int n = 37;
        float[][] as = new float[batch][];
        float[][] bs = new float[batch][];
        float[] at = new float[batch * m * k];
        float[] bt = new float[batch * k * n];
        for (int s = 0; s < batch; s++) {
            as[s] = random(m * k, 100 + s);
            bs[s] = random(k * n, 200 + s);
            System.arraycopy(transpose(as[s], m, k), 0, at, s * m * k, m * k);
            System.arraycopy(transpose(bs[s], k, n), 0, bt, s * k * n, k * n);
        }
        BackendArray c = backend.matmul(backend.fromFloats(at, new int[] {batch, k, m}), true,
                backend.fromFloats(bt, new int[] {batch, n, k}), true);
        assertArrayEquals(new int[] {batch, m, n}, c.shape());
        assertEquals(DType.FLOAT32, c.dtype());
        double[] all = backend.toDoubleArray(c);
        for (int s = 0; s < batch; s++) {
            float[] slice = new float[m * n];
            for (int i = 0; i < slice.length; i++) {
                slice[i] = (float) all[s * m * n + i];
            }
            assertProduct(as[s], bs[s], null, slice, m, k, n, "slice " + s);
        }
    }

    @Test
    @DisplayName("one worker and two give the same bits: the order of summation does not depend on the split")
    void multiply_oneOrTwoWorkers_giveIdenticalBits() {
        int before = ScratchBackend.threads();
        try {
            for (int[] s : new int[][] {{300, 600, 200}, {40, 300, 900}, {1024, 64, 64}}) {
                int m = s[0];
                int k = s[1];
                int n = s[2];
                float[] a = random(m * k, 5);
                float[] b = random(k * n, 6);
                new ScratchBackend(Device.CPU, 1);
                float[] one = new float[m * n];
                ScratchMatmul.multiply(a, 0, false, b, 0, false, one, 0, m, k, n);
                new ScratchBackend(Device.CPU, 2);
                float[] two = new float[m * n];
                ScratchMatmul.multiply(a, 0, false, b, 0, false, two, 0, m, k, n);
                assertArrayEquals(one, two, m + "x" + k + "x" + n);
                assertTrue(one[0] != 0f);
            }
        } finally {
            new ScratchBackend(Device.CPU, before);
        }
    }
}
