package io.polygrad.conformance;

import io.polygrad.CompositePath;
import io.polygrad.ConvolutionOps;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The convolution and pooling part of the suite ({@link ConvolutionOps}): op samples for
 * {@link OpRegistry} (hand values, and values from a direct evaluation of the definition, with float64
 * finite-difference gradient checks), the mapping of the PyTorch fixtures {@code pytorch/conv/*}
 * ({@code tools/pytorch-fixtures/generate_conv.py}), and the fast-path-versus-composite checks.
 *
 * <p>Fast path vs composite ({@code conv/fast-vs-composite/<case>/<dtype>}, and
 * {@code activation/fast-vs-composite/<case>/<dtype>} for relu): the same inputs through the backend's
 * fused {@link io.polygrad.spi.ConvolutionKernels} (and {@link io.polygrad.spi.ActivationKernels}) and,
 * inside a {@link CompositePath} scope, through the composite of its primitives, forward and the
 * gradient of every input that requires one. Cases cover the forward-for-backward pairing of the
 * kernels too: some inputs needing no gradient, a retained graph walked twice, and a CNN's blocks, where every op's input is another op's result. Inputs and upstream
 * gradients are multiples of 1/8, so the sums are exact in both dtypes and the two paths must agree to
 * the last bit up to the one rounded division of average pooling. On a backend without kernels both runs
 * take the composite path and the check only confirms it is deterministic.
 */
public final class ConvolutionChecks {

    private ConvolutionChecks() {
    }

    // ================================================================ inputs

    /** Returns {@code n} multiples of 1/8 in [-2, 2] from a fixed recurrence (the generator's {@code values}). */
    static double[] eighths(int n, long seed) {
        double[] v = new double[n];
        long state = seed;
        for (int i = 0; i < n; i++) {
            state = (state * 1103515245L + 12345L) % (1L << 31);
            v[i] = ((state >> 8) % 33 - 16) / 8.0;
        }
        return v;
    }

    /** Returns {@code n} distinct multiples of 1/8 (a fixed permutation), so max-pooling windows have no ties. */
    static double[] distinct(int n, long seed) {
        double[] v = new double[n];
        int step = 7;
        while (gcd(step, n) != 1) {
            step += 2;
        }
        for (int i = 0; i < n; i++) {
            v[i] = (((long) i * step + seed) % n - n / 2) / 8.0;
        }
        return v;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static double[] v(double... values) {
        return values;
    }

    // ================================================================ the direct definitions

    /** Returns {@code F.conv2d} evaluated by its definition, seven nested loops, in double. */
    static double[] directConv2d(double[] x, int[] xs, double[] w, int[] ws, double[] b, int[] stride, int[] padding,
            int[] dilation, int groups) {
        int n = xs[0];
        int c = xs[1];
        int h = xs[2];
        int wd = xs[3];
        int o = ws[0];
        int cg = ws[1];
        int oh = (h + 2 * padding[0] - dilation[0] * (ws[2] - 1) - 1) / stride[0] + 1;
        int ow = (wd + 2 * padding[1] - dilation[1] * (ws[3] - 1) - 1) / stride[1] + 1;
        double[] out = new double[n * o * oh * ow];
        int og = o / groups;
        for (int bi = 0; bi < n; bi++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        double s = b == null ? 0 : b[oc];
                        for (int ic = 0; ic < cg; ic++) {
                            for (int i = 0; i < ws[2]; i++) {
                                for (int j = 0; j < ws[3]; j++) {
                                    int yy = y * stride[0] - padding[0] + i * dilation[0];
                                    int xx = xo * stride[1] - padding[1] + j * dilation[1];
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        s += x[((bi * c + g * cg + ic) * h + yy) * wd + xx]
                                                * w[((oc * cg + ic) * ws[2] + i) * ws[3] + j];
                                    }
                                }
                            }
                        }
                        out[((bi * o + oc) * oh + y) * ow + xo] = s;
                    }
                }
            }
        }
        return out;
    }

    /** Returns max ({@code max}) or average pooling evaluated by its definition, in double. */
    static double[] directPool(double[] x, int[] xs, int[] k, int[] stride, int[] padding, boolean countIncludePad,
            boolean max) {
        int planes = xs[0] * xs[1];
        int h = xs[2];
        int w = xs[3];
        int oh = (h + 2 * padding[0] - k[0]) / stride[0] + 1;
        int ow = (w + 2 * padding[1] - k[1]) / stride[1] + 1;
        double[] out = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    double m = Double.NEGATIVE_INFINITY;
                    double s = 0;
                    int count = 0;
                    for (int i = 0; i < k[0]; i++) {
                        for (int j = 0; j < k[1]; j++) {
                            int yy = y * stride[0] - padding[0] + i;
                            int xx = xo * stride[1] - padding[1] + j;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                double e = x[(p * h + yy) * w + xx];
                                m = Math.max(m, e);
                                s += e;
                                count++;
                            }
                        }
                    }
                    out[(p * oh + y) * ow + xo] = max ? m : s / (countIncludePad ? k[0] * k[1] : count);
                }
            }
        }
        return out;
    }

    // ================================================================ OpRegistry samples

    /** Returns the convolution and pooling samples of {@link OpRegistry}: hand values, then direct definitions. */
    static List<OpInfo> samples() {
        List<OpInfo> ops = new ArrayList<>();
        double[] x9 = v(1, 2, 3, 4, 5, 6, 7, 8, 9);
        int[] one = {1, 1};
        int[] zero = {0, 0};
        // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[3,4]], b = 0.5: 1·1+2·2+3·4+4·5 = 37, 47, 67, 77 (+0.5)
        ops.add(OpInfo.sample("conv2d[hand 3x3 * 2x2 + bias]", t -> ConvolutionOps.conv2d(t[0], t[1], t[2]))
                .in(x9, 1, 1, 3, 3).in(v(1, 2, 3, 4), 1, 1, 2, 2).in(v(0.5), 1)
                .out(v(37.5, 47.5, 67.5, 77.5), 1, 1, 2, 2));
        // a 3x3 box of ones, stride 2, padding 1: the windows at the corners sum 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        ops.add(OpInfo.sample("conv2d[hand stride 2, padding 1]", t -> ConvolutionOps.conv2d(t[0], t[1], null, 2, 1))
                .in(x9, 1, 1, 3, 3).in(v(1, 1, 1, 1, 1, 1, 1, 1, 1), 1, 1, 3, 3).out(v(12, 16, 24, 28), 1, 1, 2, 2));
        // x = [[1,5,2],[4,3,6],[0,8,7]], 2x2 windows with stride 1: max 5, 6, 8, 8; mean 3.25, 4, 3.75, 6
        double[] x9b = v(1, 5, 2, 4, 3, 6, 0, 8, 7);
        ops.add(OpInfo.sample("maxPool2d[hand k2 stride 1]",
                t -> ConvolutionOps.maxPool2d(t[0], new int[] {2, 2}, one, zero)).in(x9b, 1, 1, 3, 3)
                .out(v(5, 6, 8, 8), 1, 1, 2, 2));
        ops.add(OpInfo.sample("maxPool2d[hand all ties]", t -> ConvolutionOps.maxPool2d(t[0], 2))
                .in(v(3, 3, 3, 3), 1, 1, 2, 2).noGradCheck().out(v(3), 1, 1, 1, 1));
        ops.add(OpInfo.sample("avgPool2d[hand k2 stride 1]",
                t -> ConvolutionOps.avgPool2d(t[0], new int[] {2, 2}, one, zero, true)).in(x9b, 1, 1, 3, 3)
                .out(v(3.25, 4, 3.75, 6), 1, 1, 2, 2));
        // x = [[1,2],[3,4]], 2x2 windows, stride 1, padding 1: the 3x3 windows hold 1 | 1,2 | 2 / 1,3 | all | 2,4 / 3 | 3,4 | 4
        ops.add(OpInfo.sample("avgPool2d[hand padding 1, padding not counted]",
                t -> ConvolutionOps.avgPool2d(t[0], new int[] {2, 2}, one, one, false)).in(v(1, 2, 3, 4), 1, 1, 2, 2)
                .out(v(1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4), 1, 1, 3, 3));
        ops.add(OpInfo.sample("avgPool2d[hand padding 1, padding counted]",
                t -> ConvolutionOps.avgPool2d(t[0], new int[] {2, 2}, one, one, true)).in(v(1, 2, 3, 4), 1, 1, 2, 2)
                .out(v(0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1), 1, 1, 3, 3));
        // the 2x2 blocks of [[1,2,3],[4,5,6],[7,8,9]]: row (i, j) holds x[y + i][x + j] for the 4 block positions
        ops.add(OpInfo.sample("unfold[hand k2]", t -> ConvolutionOps.unfold(t[0], new int[] {2, 2}, one, zero, one))
                .in(x9, 1, 1, 3, 3).out(v(1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9), 1, 4, 4));
        // folding ones counts how many 2x2 blocks cover each element of a 3x3 image
        ops.add(OpInfo.sample("fold[hand k2 counts]",
                t -> ConvolutionOps.fold(t[0], new int[] {3, 3}, new int[] {2, 2}, one, zero, one))
                .in(v(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 1, 4, 4).out(v(1, 2, 1, 2, 4, 2, 1, 2, 1), 1, 1, 3, 3));

        for (ConvCase c : convCases()) {
            double[] expected = directConv2d(c.x, c.xs, c.w, c.ws, c.b, c.stride, c.padding, c.dilation, c.groups);
            OpInfo.Sample s = OpInfo.sample("conv2d[" + c.name + "]", c::apply).in(c.x, c.xs).in(c.w, c.ws);
            if (c.b != null) {
                s = s.in(c.b, c.ws[0]);
            }
            ops.add(s.out(expected, c.outputShape()));
        }
        for (PoolCase p : poolCases()) {
            double[] expected = directPool(p.x, p.xs, p.kernel, p.stride, p.padding, p.countIncludePad, p.max);
            ops.add(OpInfo.sample((p.max ? "maxPool2d[" : "avgPool2d[") + p.name + "]", p::apply).in(p.x, p.xs)
                    .out(expected, p.outputShape()));
        }
        return ops;
    }

    /** A convolution case: inputs with shapes and the geometry. */
    record ConvCase(String name, double[] x, int[] xs, double[] w, int[] ws, double[] b, int[] stride, int[] padding,
            int[] dilation, int groups) {

        Tensor apply(Tensor[] t) {
            return ConvolutionOps.conv2d(t[0], t[1], t.length > 2 ? t[2] : null, stride, padding, dilation, groups);
        }

        int[] outputShape() {
            return new int[] {xs[0], ws[0], (xs[2] + 2 * padding[0] - dilation[0] * (ws[2] - 1) - 1) / stride[0] + 1,
                (xs[3] + 2 * padding[1] - dilation[1] * (ws[3] - 1) - 1) / stride[1] + 1};
        }
    }

    /** A pooling case. */
    record PoolCase(String name, boolean max, double[] x, int[] xs, int[] kernel, int[] stride, int[] padding,
            boolean countIncludePad) {

        Tensor apply(Tensor[] t) {
            return max ? ConvolutionOps.maxPool2d(t[0], kernel, stride, padding)
                    : ConvolutionOps.avgPool2d(t[0], kernel, stride, padding, countIncludePad);
        }

        int[] outputShape() {
            return new int[] {xs[0], xs[1], (xs[2] + 2 * padding[0] - kernel[0]) / stride[0] + 1,
                (xs[3] + 2 * padding[1] - kernel[1]) / stride[1] + 1};
        }
    }

    private static ConvCase conv(String name, int[] xs, int[] ws, boolean bias, int[] stride, int[] padding,
            int[] dilation, int groups, long seed) {
        return new ConvCase(name, eighths(size(xs), seed), xs, eighths(size(ws), seed + 1), ws,
                bias ? eighths(ws[0], seed + 2) : null, stride, padding, dilation, groups);
    }

    static List<ConvCase> convCases() {
        int[] one = {1, 1};
        int[] zero = {0, 0};
        return List.of(
                conv("stride 2, padding 1", new int[] {2, 2, 5, 4}, new int[] {3, 2, 3, 3}, true, new int[] {2, 2}, one,
                        one, 1, 101),
                conv("dilation 2, padding 2", new int[] {1, 2, 6, 6}, new int[] {2, 2, 3, 3}, true, one, new int[] {2, 2},
                        new int[] {2, 2}, 1, 102),
                conv("groups 2", new int[] {2, 4, 4, 4}, new int[] {4, 2, 2, 2}, true, one, zero, one, 2, 103),
                conv("depthwise, no bias", new int[] {1, 3, 4, 4}, new int[] {3, 1, 3, 3}, false, one, one, one, 3, 104),
                conv("rectangular kernel, stride 2x1, padding 1x0", new int[] {1, 2, 5, 5}, new int[] {2, 2, 2, 3}, true,
                        new int[] {2, 1}, new int[] {1, 0}, one, 1, 105),
                conv("5x5 kernel, padding 2, several channels", new int[] {2, 3, 6, 6}, new int[] {4, 3, 5, 5}, true,
                        one, new int[] {2, 2}, one, 1, 106));
    }

    static List<PoolCase> poolCases() {
        int[] k3 = {3, 3};
        int[] s2 = {2, 2};
        int[] one = {1, 1};
        int[] xs = {1, 2, 5, 5};
        double[] x = distinct(size(xs), 3);
        return List.of(
                new PoolCase("overlapping k3 stride 2 padding 1", true, x, xs, k3, s2, one, true),
                new PoolCase("k2 stride 1, rectangular 2x3 input planes", true, distinct(2 * 3 * 4, 5),
                        new int[] {2, 1, 3, 4}, new int[] {2, 2}, one, new int[] {0, 0}, true),
                new PoolCase("negative values with padding", true, Arrays.stream(distinct(16, 1)).map(e -> e - 3).toArray(),
                        new int[] {1, 1, 4, 4},
                        new int[] {2, 2}, s2, one, true),
                new PoolCase("overlapping k3 stride 2 padding 1, padding counted", false, x, xs, k3, s2, one, true),
                new PoolCase("overlapping k3 stride 2 padding 1, padding not counted", false, x, xs, k3, s2, one, false),
                new PoolCase("rectangular k3x2 stride 1x2 padding 1", false, eighths(2 * 5 * 6, 9),
                        new int[] {2, 1, 5, 6}, new int[] {3, 2}, new int[] {1, 2}, one, false));
    }

    // ================================================================ PyTorch fixtures

    /** Returns the polygrad call of a {@code pytorch/conv} fixture's op, or null when the op is not one of this family's. */
    static Function<Tensor[], Tensor> pytorchOp(PyTorchFixture f) {
        switch (f.op()) {
            case "conv2d":
                return t -> ConvolutionOps.conv2d(t[0], t[1], f.flag("bias") ? t[2] : null, f.ints("stride"),
                        f.ints("padding"), f.ints("dilation"), f.integer("groups"));
            case "maxPool2d":
                return t -> ConvolutionOps.maxPool2d(t[0], f.ints("kernel"), f.ints("stride"), f.ints("padding"));
            case "avgPool2d":
                return t -> ConvolutionOps.avgPool2d(t[0], f.ints("kernel"), f.ints("stride"), f.ints("padding"),
                        f.flag("countIncludePad"));
            case "unfold":
                return t -> ConvolutionOps.unfold(t[0], f.ints("kernel"), f.ints("dilation"), f.ints("padding"),
                        f.ints("stride"));
            case "fold":
                return t -> ConvolutionOps.fold(t[0], f.ints("outputSize"), f.ints("kernel"), f.ints("dilation"),
                        f.ints("padding"), f.ints("stride"));
            default:
                return null;
        }
    }

    // ================================================================ fast path vs composite

    /**
     * A fast-vs-composite case: its op and inputs, which of them require a gradient ({@code grads}, null
     * for all), and how many backward walks it makes ({@code walks} 2: the first retains the graph, so
     * the gradients accumulate twice, and a kernel's state kept from the forward serves only one walk).
     */
    private record PathCase(String family, String name, Function<Tensor[], Tensor> op, double[][] inputs,
            int[][] shapes, boolean[] grads, int walks) {

        PathCase(String name, Function<Tensor[], Tensor> op, double[][] inputs, int[][] shapes) {
            this("conv", name, op, inputs, shapes, null, 1);
        }

        boolean requiresGrad(int i) {
            return grads == null || grads[i];
        }

        /** Returns the index of the input whose gradient is the {@code k}-th reported. */
        int gradIndex(int k) {
            for (int i = 0, j = 0; i < inputs.length; i++) {
                if (requiresGrad(i) && j++ == k) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static List<PathCase> pathCases() {
        List<PathCase> out = new ArrayList<>();
        for (ConvCase c : convCases()) {
            double[][] in = c.b == null ? new double[][] {c.x, c.w} : new double[][] {c.x, c.w, c.b};
            int[][] sh = c.b == null ? new int[][] {c.xs, c.ws} : new int[][] {c.xs, c.ws, {c.ws[0]}};
            out.add(new PathCase("conv2d[" + c.name + "]", c::apply, in, sh));
        }
        ConvCase big = conv("batch 4, 3 to 8 channels, 12x12, 5x5 padding 2", new int[] {4, 3, 12, 12},
                new int[] {8, 3, 5, 5}, true, new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1, 107);
        out.add(new PathCase("conv2d[" + big.name + "]", big::apply, new double[][] {big.x, big.w, big.b},
                new int[][] {big.xs, big.ws, {8}}));
        out.add(new PathCase("conv2d[unbatched]", t -> ConvolutionOps.conv2d(t[0], t[1], t[2], 1, 1),
                new double[][] {eighths(2 * 5 * 5, 11), eighths(3 * 2 * 3 * 3, 12), eighths(3, 13)},
                new int[][] {{2, 5, 5}, {3, 2, 3, 3}, {3}}));
        for (PoolCase p : poolCases()) {
            out.add(new PathCase((p.max ? "maxPool2d[" : "avgPool2d[") + p.name + "]", p::apply, new double[][] {p.x},
                    new int[][] {p.xs}));
        }
        out.add(new PathCase("maxPool2d[ties, overlapping k3 stride 1 padding 1]",
                t -> ConvolutionOps.maxPool2d(t[0], new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}),
                new double[][] {v(1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1)}, new int[][] {{1, 1, 4, 4}}));
        out.add(new PathCase("maxPool2d[unbatched]", t -> ConvolutionOps.maxPool2d(t[0], 2),
                new double[][] {distinct(2 * 4 * 4, 2)}, new int[][] {{2, 4, 4}}));
        // the forward-for-backward pairs: partial gradients, a retained graph walked twice
        ConvCase five = convCases().get(5);
        ConvCase strided = convCases().get(0);
        ConvCase grouped = convCases().get(2);
        double[][] fiveIn = {five.x, five.w, five.b};
        int[][] fiveShapes = {five.xs, five.ws, {five.ws[0]}};
        out.add(new PathCase("conv", "conv2d[" + five.name + ", the input needing no gradient]", five::apply, fiveIn,
                fiveShapes, new boolean[] {false, true, true}, 1));
        out.add(new PathCase("conv", "conv2d[" + strided.name + ", the input's gradient only]", strided::apply,
                new double[][] {strided.x, strided.w, strided.b}, new int[][] {strided.xs, strided.ws, {strided.ws[0]}},
                new boolean[] {true, false, false}, 1));
        out.add(new PathCase("conv", "conv2d[" + grouped.name + ", backward twice through a retained graph]",
                grouped::apply, new double[][] {grouped.x, grouped.w, grouped.b},
                new int[][] {grouped.xs, grouped.ws, {grouped.ws[0]}}, null, 2));
        PoolCase overlapping = poolCases().get(0);
        out.add(new PathCase("conv", "maxPool2d[" + overlapping.name + ", backward twice through a retained graph]",
                overlapping::apply, new double[][] {overlapping.x}, new int[][] {overlapping.xs}, null, 2));
        // a CNN's two blocks: each op's input is the result of another op on the fast path
        int[] one = {1, 1};
        out.add(new PathCase("conv", "cnn blocks[conv-relu-maxpool twice, images needing no gradient]", t -> {
            Tensor h = ConvolutionOps.maxPool2d(ConvolutionOps.conv2d(t[0], t[1], t[2], one, one, one, 1).relu(), 2);
            return ConvolutionOps.maxPool2d(ConvolutionOps.conv2d(h, t[3], t[4], one, one, one, 1).relu(), 2);
        }, new double[][] {eighths(2 * 8 * 8, 21), eighths(3 * 9, 22), eighths(3, 23), eighths(4 * 3 * 9, 24),
            eighths(4, 25)}, new int[][] {{2, 1, 8, 8}, {3, 1, 3, 3}, {3}, {4, 3, 3, 3}, {4}},
                new boolean[] {false, true, true, true, true}, 1));
        // relu (Backend.activationKernels): kinks, signed zeros, infinities and NaN
        double[] special = {-2, -0.5, -0.0, 0, 0.125, 3, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NaN, 1.5, -1, 0};
        out.add(new PathCase("activation", "relu[kinks, signed zeros, infinities, NaN]", t -> t[0].relu(),
                new double[][] {special}, new int[][] {{3, 4}}, null, 1));
        // results a threshold with a tolerance would take for 0: tiny normals and denormals of both dtypes
        double[] tiny = {1e-6, 1e-30, Float.MIN_NORMAL, Float.MIN_VALUE, -Float.MIN_VALUE, Double.MIN_NORMAL,
            Double.MIN_VALUE, -Double.MIN_VALUE};
        out.add(new PathCase("activation", "relu[tiny and denormal results]", t -> t[0].relu(),
                new double[][] {tiny}, new int[][] {{2, 4}}, null, 1));
        out.add(new PathCase("activation", "relu[batch of planes]", t -> t[0].relu(),
                new double[][] {eighths(2 * 3 * 5 * 5, 31)}, new int[][] {{2, 3, 5, 5}}, null, 1));
        out.add(new PathCase("activation", "relu[backward twice through a retained graph]", t -> t[0].relu(),
                new double[][] {eighths(4 * 6, 32)}, new int[][] {{4, 6}}, null, 2));
        return out;
    }

    /** Returns one fast-path-vs-composite check per case in {@code dtype}: {@code conv/fast-vs-composite/<case>/<dtype>}. */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>();
        for (PathCase c : pathCases()) {
            out.add(Check.measuring(c.family + "/fast-vs-composite/" + c.name + "/" + Check.id(dtype), Part.DIFFERENTIAL,
                    c.name,
                    dtype,
                    "fused kernel vs composite of primitives (forward and every gradient)",
                    s -> fastMatchesComposite(s.backend(), c, dtype)));
        }
        return out;
    }

    /** Runs {@code c} on the backend's default path and on the composite path; returns the merged comparison. */
    private static Comparison fastMatchesComposite(BackendUnderTest backend, PathCase c, DType dtype) {
        Engine engine = backend.engine(dtype);
        double[][] fast = run(engine, c, dtype);
        double[][] composite;
        try (CompositePath ignored = CompositePath.enter()) {
            composite = run(engine, c, dtype);
        }
        Comparison all = Comparison.exact();
        Tolerances tol = Tolerances.forDType(dtype);
        for (int i = 0; i < fast.length; i++) {
            Comparison cmp = Comparison.of(fast[i], composite[i], tol);
            if (!cmp.withinTolerance()) {
                int k = cmp.worstIndex();
                throw new AssertionError(backend.name() + " " + c.name + " in " + dtype + ", "
                        + (i == 0 ? "forward" : "gradient of input " + c.gradIndex(i - 1)) + ": fused kernel gives "
                        + fast[i][k]
                        + " at element " + k + ", the composite " + composite[i][k] + " (" + cmp.describe() + ")"
                        + "\n  fused     " + Arrays.toString(fast[i]) + "\n  composite " + Arrays.toString(composite[i]));
            }
            all = all.merge(cmp);
        }
        return all;
    }

    /**
     * Returns the forward values, then the gradient of each input that requires one of {@code sum(out · u)},
     * u exact multiples of 1/8, after {@code c.walks} backward walks.
     */
    private static double[][] run(Engine engine, PathCase c, DType dtype) {
        Tensor[] leaves = new Tensor[c.inputs.length];
        int wanted = 0;
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = engine.tensor(c.inputs[i], dtype, c.shapes[i]).requiresGrad(c.requiresGrad(i));
            wanted += c.requiresGrad(i) ? 1 : 0;
        }
        Tensor out = c.op.apply(leaves);
        double[] up = eighths(out.numel(), 77);
        Tensor loss = out.mul(engine.tensor(up, dtype, out.shape())).sum();
        for (int walk = 1; walk <= c.walks; walk++) {
            loss.backward(walk < c.walks);
        }
        double[][] result = new double[wanted + 1][];
        result[0] = out.toDoubleArray();
        for (int i = 0, j = 1; i < leaves.length; i++) {
            if (c.requiresGrad(i)) {
                result[j++] = leaves[i].grad().toDoubleArray();
            }
        }
        return result;
    }
}
