package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Generator;
import io.polygrad.spi.BackendArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScratchMatmulTest {

    private final ScratchBackend backend = new ScratchBackend();

    private static double[] random(int n, long seed) {
        Generator g = new Generator(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) g.nextUniform(-1, 1);
        }
        return v;
    }

    private static double[] naive(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @Test
    @DisplayName("tests run with the Vector API module, so the SIMD kernel is the one under test")
    void vectorKernel_isActiveInTests() {
        assertTrue(ScratchMatmul.usesVectorKernel());
    }

    @ParameterizedTest(name = "{0}x{1} @ {1}x{2}")
    @CsvSource({"1,1,1", "3,5,2", "4,300,48", "7,129,53", "65,257,100", "130,64,97", "512,300,600"})
    @DisplayName("float32 and float64 products match a naive triple loop, tiles and remainders alike")
    void matmul_anySize_matchesNaiveProduct(int m, int k, int n) {
        double[] a = random(m * k, 1);
        double[] b = random(k * n, 2);
        double[] expected = naive(a, b, m, k, n);
        for (DType dtype : DType.floatingPoint()) {
            BackendArray c = backend.matmul(backend.fromDoubles(a, new int[] {m, k}, dtype),
                    backend.fromDoubles(b, new int[] {k, n}, dtype));
            assertEquals(dtype, c.dtype());
            assertArrayEquals(new int[] {m, n}, c.shape());
            double[] got = backend.toDoubleArray(c);
            double tol = dtype == DType.FLOAT32 ? 1e-5 * Math.sqrt(k) : 1e-12 * k;
            for (int i = 0; i < got.length; i++) {
                assertEquals(expected[i], got[i], tol, dtype + " element " + i);
            }
        }
    }

    /** Returns {@code a} with its last two axes swapped, materialised by permute. */
    private BackendArray swapped(BackendArray a) {
        int r = a.shape().length;
        int[] axes = new int[r];
        for (int i = 0; i < r; i++) {
            axes[i] = i;
        }
        axes[r - 1] = r - 2;
        axes[r - 2] = r - 1;
        return backend.permute(a, axes);
    }

    @ParameterizedTest(name = "batch {0}: {1}x{2} @ {2}x{3}")
    @CsvSource({"1,1,1,1", "1,3,5,2", "1,33,70,65", "1,256,784,512", "1,512,256,784", "3,7,40,33", "2,64,65,66"})
    @DisplayName("a product with transpose flags equals the product of the transposes permute makes, bit for bit")
    void matmul_withTransposeFlags_equalsTheProductOfPermutedOperands(int batch, int m, int k, int n) {
        for (DType dtype : DType.floatingPoint()) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int[] sa = batch == 1 ? (ta ? new int[] {k, m} : new int[] {m, k})
                        : (ta ? new int[] {batch, k, m} : new int[] {batch, m, k});
                int[] sb = batch == 1 ? (tb ? new int[] {n, k} : new int[] {k, n})
                        : (tb ? new int[] {batch, n, k} : new int[] {batch, k, n});
                BackendArray a = backend.fromDoubles(random(batch * m * k, 3 + flags), sa, dtype);
                BackendArray b = backend.fromDoubles(random(batch * k * n, 7 + flags), sb, dtype);
                BackendArray expected = backend.matmul(ta ? swapped(a) : a, tb ? swapped(b) : b);
                BackendArray got = backend.matmul(a, ta, b, tb);
                assertArrayEquals(expected.shape(), got.shape());
                assertArrayEquals(backend.toDoubleArray(expected), backend.toDoubleArray(got), 0.0,
                        dtype + " transposeA=" + ta + " transposeB=" + tb);
            }
        }
    }

    @Test
    @DisplayName("products of shrinking and growing sizes in turn reuse the thread's buffer without stale values")
    void matmul_transposedOperandsOfChangingSize_stayExact() {
        int[][] sizes = {{300, 200, 100}, {5, 7, 3}, {300, 200, 100}, {64, 400, 9}, {2, 2, 2}};
        for (int[] s : sizes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            BackendArray a = backend.fromDoubles(random(m * k, m), new int[] {k, m}, DType.FLOAT32);
            BackendArray b = backend.fromDoubles(random(k * n, n), new int[] {n, k}, DType.FLOAT32);
            double[] expected = backend.toDoubleArray(backend.matmul(swapped(a), swapped(b)));
            assertArrayEquals(expected, backend.toDoubleArray(backend.matmul(a, true, b, true)), 0.0,
                    m + "x" + k + "x" + n);
        }
    }
}
