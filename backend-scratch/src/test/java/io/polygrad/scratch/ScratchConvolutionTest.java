package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused convolution kernels (forward with bias, input gradient, weight gradient, both gradients
 * at once) against the convolution's definition written out as loops in double precision, over
 * strides, padding, dilation, groups, batch 1, odd and non-square sizes, and batches that span
 * several of the float32 kernels' chunks of images; and the weight gradient's bits for any thread
 * count.
 */
class ScratchConvolutionTest {

    private final ScratchBackend backend = new ScratchBackend(Device.CPU);
    private final ConvolutionKernels conv = backend.convolutionKernels().orElseThrow();

    /** One convolution: input {@code [n, c, h, w]}, weight {@code [o, c/groups, kh, kw]}, and its spec. */
    record Case(String name, int n, int c, int h, int w, int o, int kh, int kw, int[] stride, int[] padding,
            int[] dilation, int groups) {

        Conv2dSpec spec() {
            return new Conv2dSpec(stride, padding, dilation, groups);
        }

        int oh() {
            return (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
        }

        int ow() {
            return (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("odd sizes, non-square kernel, padding 1", 3, 2, 9, 7, 5, 3, 2, p(1, 1), p(1, 1), p(1, 1), 1),
                new Case("stride 2, padding (2, 1)", 2, 3, 11, 8, 4, 3, 3, p(2, 2), p(2, 1), p(1, 1), 1),
                new Case("stride (1, 3), dilation (2, 1)", 2, 2, 10, 13, 3, 3, 3, p(1, 3), p(2, 0), p(2, 1), 1),
                new Case("groups 2", 3, 4, 7, 7, 6, 3, 3, p(1, 1), p(1, 1), p(1, 1), 2),
                new Case("depthwise (groups = channels), dilation 2", 2, 3, 9, 9, 3, 3, 3, p(1, 1), p(2, 2), p(2, 2), 3),
                new Case("batch 1, 5x5 kernel, padding 2", 1, 3, 12, 12, 8, 5, 5, p(1, 1), p(2, 2), p(1, 1), 1),
                new Case("batch 40 over three chunks of 16 images", 40, 3, 8, 8, 7, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1),
                new Case("kernel larger than the padded input's stride grid", 2, 1, 4, 4, 2, 4, 4, p(3, 3), p(1, 1),
                        p(1, 1), 1))
                .flatMap(c -> Stream.of(Arguments.of(c, DType.FLOAT32), Arguments.of(c, DType.FLOAT64)));
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    private static double[] random(Random r, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return v;
    }

    /** The three results of the definition: output (with bias), input gradient and weight gradient. */
    private static double[][] reference(Case k, double[] x, double[] wt, double[] bias, double[] go) {
        int cg = k.c / k.groups;
        int og = k.o / k.groups;
        int oh = k.oh();
        int ow = k.ow();
        double[] out = new double[k.n * k.o * oh * ow];
        double[] gi = new double[x.length];
        double[] gw = new double[wt.length];
        for (int b = 0; b < k.n; b++) {
            for (int o = 0; o < k.o; o++) {
                int g = o / og;
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        int q = ((b * k.o + o) * oh + y) * ow + xo;
                        double s = bias[o];
                        for (int c = 0; c < cg; c++) {
                            for (int i = 0; i < k.kh; i++) {
                                int yy = y * k.stride[0] - k.padding[0] + i * k.dilation[0];
                                for (int j = 0; j < k.kw; j++) {
                                    int xx = xo * k.stride[1] - k.padding[1] + j * k.dilation[1];
                                    if (yy < 0 || yy >= k.h || xx < 0 || xx >= k.w) {
                                        continue;
                                    }
                                    int xi = ((b * k.c + g * cg + c) * k.h + yy) * k.w + xx;
                                    int wi = ((o * cg + c) * k.kh + i) * k.kw + j;
                                    s += wt[wi] * x[xi];
                                    gi[xi] += wt[wi] * go[q];
                                    gw[wi] += go[q] * x[xi];
                                }
                            }
                        }
                        out[q] = s;
                    }
                }
            }
        }
        return new double[][] {out, gi, gw};
    }

    private BackendArray array(double[] v, int[] shape, DType dtype) {
        return dtype == DType.FLOAT32 ? backend.fromFloats(floats(v), shape) : backend.fromDoubles(v, shape, dtype);
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Rounds to the dtype, so that the reference sees the same operands as the kernel. */
    private static double[] rounded(double[] v, DType dtype) {
        double[] r = v.clone();
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) r[i];
            }
        }
        return r;
    }

    private static void assertClose(double[] expected, double[] actual, DType dtype, String what) {
        double tolerance = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double bound = tolerance * Math.max(1, Math.abs(expected[i])) * 10;
            assertEquals(expected[i], actual[i], bound, what + " at " + i);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("forward, each gradient alone and both gradients at once equal the convolution's definition")
    void kernels_anyGeometry_matchTheDefinition(Case k, DType dtype) {
        Random r = new Random(31 * k.name.hashCode() + dtype.ordinal());
        int[] xShape = {k.n, k.c, k.h, k.w};
        int[] wShape = {k.o, k.c / k.groups, k.kh, k.kw};
        int[] oShape = {k.n, k.o, k.oh(), k.ow()};
        double[] x = rounded(random(r, k.n * k.c * k.h * k.w), dtype);
        double[] wt = rounded(random(r, k.o * (k.c / k.groups) * k.kh * k.kw), dtype);
        double[] bias = rounded(random(r, k.o), dtype);
        double[] go = rounded(random(r, k.n * k.o * k.oh() * k.ow()), dtype);
        double[][] expected = reference(k, x, wt, bias, go);
        try (BackendArray xa = array(x, xShape, dtype);
             BackendArray wa = array(wt, wShape, dtype);
             BackendArray ba = array(bias, new int[] {k.o}, dtype);
             BackendArray ga = array(go, oShape, dtype);
             BackendArray out = conv.conv2d(xa, wa, ba, k.spec());
             BackendArray gi = conv.conv2dBackwardInput(ga, wa, xShape, k.spec());
             BackendArray gw = conv.conv2dBackwardWeight(ga, xa, wShape, k.spec())) {
            assertArrayEquals(oShape, out.shape());
            assertEquals(dtype, out.dtype());
            assertClose(expected[0], backend.toDoubleArray(out), dtype, "output");
            assertClose(expected[1], backend.toDoubleArray(gi), dtype, "input gradient");
            assertClose(expected[2], backend.toDoubleArray(gw), dtype, "weight gradient");
            BackendArray[] both = conv.conv2dBackward(ga, xa, wa, out, k.spec(), true, true);
            try (BackendArray bi = both[0]; BackendArray bw = both[1]) {
                assertArrayEquals(backend.toDoubleArray(gi), backend.toDoubleArray(bi), "input gradient, fused");
                assertArrayEquals(backend.toDoubleArray(gw), backend.toDoubleArray(bw), "weight gradient, fused");
            }
        }
    }

    @Test
    @DisplayName("the float32 weight gradient of a batch of several chunks has the same bits on 1 and on 3 threads")
    void weightGradient_threeChunks_sameBitsForAnyThreadCount() {
        Case k = new Case("three chunks", 40, 3, 8, 8, 7, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1);
        Random r = new Random(7);
        int[] xShape = {k.n, k.c, k.h, k.w};
        int[] wShape = {k.o, k.c, k.kh, k.kw};
        float[] x = floats(random(r, k.n * k.c * k.h * k.w));
        float[] go = floats(random(r, k.n * k.o * k.oh() * k.ow()));
        int before = ScratchBackend.threads();
        float[][] gw = new float[2][];
        try {
            int[] threads = {1, 3};
            for (int t = 0; t < 2; t++) {
                ScratchBackend b = new ScratchBackend(Device.CPU, threads[t]);
                ConvolutionKernels kernels = b.convolutionKernels().orElseThrow();
                try (BackendArray xa = b.fromFloats(x, xShape);
                     BackendArray ga = b.fromFloats(go, new int[] {k.n, k.o, k.oh(), k.ow()});
                     BackendArray g = kernels.conv2dBackwardWeight(ga, xa, wShape, k.spec())) {
                    gw[t] = b.toFloatArray(g);
                }
            }
        } finally {
            new ScratchBackend(Device.CPU, before);
        }
        assertArrayEquals(gw[0], gw[1]);
    }
}
