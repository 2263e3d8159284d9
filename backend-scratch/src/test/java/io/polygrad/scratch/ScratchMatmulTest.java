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
}
