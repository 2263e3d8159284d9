package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Pool2dSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The unpadded max-pooling paths (the 2×2 window's select-based choice and the general window) and
 * the relu kernels against PyTorch's rules written out: a window's first maximum in row-major order,
 * its last NaN when it has NaNs, {@code −0} and {@code 0} tying; relu's gradient passes where the
 * result is not 0 (NaN included) and is 0 where it is, whatever the upstream gradient.
 */
class ScratchPoolingAndReluTest {

    private final ScratchBackend backend = new ScratchBackend(Device.CPU);
    private final ConvolutionKernels conv = backend.convolutionKernels().orElseThrow();
    private final ActivationKernels act = backend.activationKernels().orElseThrow();

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** One 5×5 plane (batch 1): ties, two NaNs in one window, signed zeros, infinities; the last row and column fall outside 2×2 stride-2 windows. */
    private static final double[] PLANE = {
        1, 1, -0.0, 0.0, 9,
        0, 1, 0.0, -0.0, 9,
        NAN, 2, -INF, -INF, 9,
        3, NAN, -INF, INF, 9,
        9, 9, 9, 9, 9};

    /** Returns PyTorch's choice for the window at {@code (y0, x0)}: the first maximum, or the last NaN. */
    private static int reference(double[] x, int w, int y0, int x0, int kh, int kw) {
        int best = -1;
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int q = (y0 + i) * w + x0 + j;
                if (best < 0 || x[q] > x[best] || Double.isNaN(x[q])) {
                    best = q;
                }
            }
        }
        return best;
    }

    private void check(DType dtype, int kernel, int stride) {
        int[] shape = {1, 1, 5, 5};
        Pool2dSpec spec = new Pool2dSpec(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {0, 0}, true);
        int o = spec.outputSize(0, 5);
        double[] expected = new double[o * o];
        double[] up = new double[o * o];
        double[] expectedGrad = new double[25];
        for (int y = 0; y < o; y++) {
            for (int x = 0; x < o; x++) {
                int best = reference(PLANE, 5, y * stride, x * stride, kernel, kernel);
                expected[y * o + x] = PLANE[best];
                up[y * o + x] = 0.125 * (1 + y * o + x);
                expectedGrad[best] += up[y * o + x];
            }
        }
        try (BackendArray in = backend.fromDoubles(PLANE, shape, dtype);
             BackendArray out = conv.maxPool2dForBackward(in, spec);
             BackendArray g = backend.fromDoubles(up, new int[] {1, 1, o, o}, dtype);
             BackendArray gi = conv.maxPool2dBackward(g, in, out, spec)) {
            double[] got = backend.toDoubleArray(out);
            assertArrayEquals(expected, got, "forward values");
            for (int i = 0; i < got.length; i++) {
                // −0 and 0 are equal to assertArrayEquals' delta-free comparison only bitwise: check the sign too
                assertArrayEquals(new double[] {Math.copySign(1, expected[i])}, new double[] {Math.copySign(1, got[i])},
                        "sign of output " + i);
            }
            assertArrayEquals(expectedGrad, backend.toDoubleArray(gi), "gradient");
        }
    }

    @Test
    @DisplayName("2x2 stride-2 max pooling picks PyTorch's element (first maximum, last NaN, -0 before 0) in float32 and float64")
    void maxPool2d_twoByTwoUnpadded_picksTheFirstMaximumAndTheLastNaN() {
        check(DType.FLOAT32, 2, 2);
        check(DType.FLOAT64, 2, 2);
    }

    @Test
    @DisplayName("overlapping 3x3 stride-1 and 2x2 stride-1 unpadded max pooling sum the gradients where windows share a maximum")
    void maxPool2d_overlappingUnpadded_sumsGradientsAtSharedMaxima() {
        check(DType.FLOAT32, 3, 1);
        check(DType.FLOAT64, 3, 1);
        check(DType.FLOAT32, 2, 1);
        check(DType.FLOAT64, 2, 1);
    }

    @Test
    @DisplayName("reluBackward passes the gradient where the result is not 0 (NaN included) and gives +0 where it is, even for an infinite or NaN gradient")
    void reluBackward_zeroAndNaNResults_followThresholdBackward() {
        double[] x = {-2, -0.0, 0, 0.5, NAN, INF, -INF, 3};
        double[] g = {INF, NAN, -1.5, 2, 4, -1, NAN, -0.25};
        double[] expectedOut = {0, 0, 0, 0.5, NAN, INF, 0, 3};
        double[] expectedGrad = {0, 0, 0, 2, 4, -1, 0, -0.25};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            try (BackendArray in = backend.fromDoubles(x, new int[] {2, 4}, dtype);
                 BackendArray out = act.reluForBackward(in);
                 BackendArray up = backend.fromDoubles(g, new int[] {2, 4}, dtype);
                 BackendArray grad = act.reluBackward(up, out)) {
                assertArrayEquals(expectedOut, backend.toDoubleArray(out), dtype + " forward");
                double[] got = backend.toDoubleArray(grad);
                assertArrayEquals(expectedGrad, got, dtype + " gradient");
                for (int i : new int[] {0, 1, 2, 6}) {
                    assertArrayEquals(new long[] {0L}, new long[] {Double.doubleToRawLongBits(got[i])},
                            dtype + " gradient " + i + " is +0");
                }
            }
        }
    }

    @Test
    @DisplayName("relu and its gradient over more elements than one task takes give the same values split over threads")
    void relu_largeArrays_matchElementwiseRule() {
        int n = (1 << 17) + 3;
        float[] x = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 7 - 3) * 0.5f;
            g[i] = i * 0.25f;
        }
        try (BackendArray in = backend.fromFloats(x, new int[] {n});
             BackendArray out = act.reluForBackward(in);
             BackendArray up = backend.fromFloats(g, new int[] {n});
             BackendArray grad = act.reluBackward(up, out)) {
            float[] o = backend.toFloatArray(out);
            float[] gr = backend.toFloatArray(grad);
            for (int i = 0; i < n; i++) {
                float want = Math.max(x[i], 0f);
                if (o[i] != want || gr[i] != (want != 0f ? g[i] : 0f)) {
                    throw new AssertionError("element " + i + ": relu " + o[i] + ", gradient " + gr[i]);
                }
            }
        }
    }
}
