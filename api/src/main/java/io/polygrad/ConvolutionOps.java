package io.polygrad;

import static io.polygrad.Autograd.SAVES_IN0;
import static io.polygrad.Autograd.SAVES_NONE;
import static io.polygrad.Autograd.record;
import static io.polygrad.Autograd.savesCrossed;
import static io.polygrad.Checks.notNull;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Im2col;
import io.polygrad.spi.Pool2dSpec;
import io.polygrad.spi.Shapes;
import java.util.Arrays;
import java.util.Optional;

/**
 * 2-D convolution and pooling over NCHW tensors with PyTorch's definitions ({@code F.conv2d},
 * {@code F.max_pool2d}, {@code F.avg_pool2d}, {@code F.unfold}, {@code F.fold}), differentiable on every
 * backend.
 *
 * <p><b>Two paths, one meaning.</b> The composite path is built from the SPI primitives: {@link #unfold}
 * (im2col, whose gradient is {@link #fold}) and a batched matmul for the convolution, a max or mean over
 * the unfolded windows for pooling; its gradients come from those ops' rules. When the backend offers
 * {@link io.polygrad.spi.ConvolutionKernels} (and no {@link CompositePath} scope is open), the op runs the
 * fused kernel instead and records a backward rule that calls the kernel's backward methods: a recorded
 * convolution or max pooling runs its forward through the kernel's {@code ...ForBackward} method and hands
 * the forward's result to one backward call (both convolution gradients at once), so a kernel may keep
 * state of the forward for it. The
 * conformance suite checks the two against each other on every backend that has kernels. Gradients of
 * gradients are not offered by polygrad's autograd (backward rules run without recording), on either path.
 *
 * <p><b>Conventions</b> (PyTorch's): zero padding for convolution; max pooling pads with −∞ and sends each
 * output's gradient to the first maximum of its window in row-major order (PyTorch's CPU kernel), summed
 * where windows overlap; average pooling divides by the kernel area ({@code countIncludePad}, the default)
 * or by the number of input elements in the window; output sizes are floored. Inputs are 4-d
 * {@code [N, C, H, W]} or 3-d {@code [C, H, W]} (unbatched, returned unbatched). Mixed float32/float64
 * operands are computed in float64, as elsewhere in polygrad.
 *
 * <p>Known difference: on the composite path a window holding NaN yields NaN, as in PyTorch, but the
 * gradient goes to every element of that window instead of PyTorch's single NaN position.
 *
 * <pre>{@code
 * Tensor x = engine.randn(8, 1, 28, 28);
 * Tensor w = engine.randn(32, 1, 5, 5).requiresGrad(true);
 * Tensor y = ConvolutionOps.conv2d(x, w, null, new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1);
 * Tensor p = ConvolutionOps.maxPool2d(y, 2);        // [8, 32, 14, 14]
 * }</pre>
 */
public final class ConvolutionOps {

    private static final int[] ONES = {1, 1};
    private static final int[] ZEROS = {0, 0};

    private ConvolutionOps() {
    }

    // ================================================================ convolution

    /** Returns {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int)} with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, ONES, ZEROS, ONES, 1);
    }

    /** Returns the convolution with the same stride and padding along both axes, dilation 1, one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, ONES, 1);
    }

    /**
     * Returns PyTorch's {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)}: the
     * cross-correlation of {@code input} {@code [N, C, H, W]} (or {@code [C, H, W]}) with {@code weight}
     * {@code [O, C / groups, kH, kW]}, plus {@code bias} {@code [O]} per output channel when not null; the
     * result is {@code [N, O, outH, outW]} with {@code outH = (H + 2·padding[0] − dilation[0]·(kH − 1) − 1)
     * / stride[0] + 1} (floored), and {@code outW} likewise.
     *
     * @throws IllegalArgumentException on a wrong rank, channels that do not match the weight, groups that
     *         do not divide the channels, a bias of the wrong shape, a non-positive stride or dilation, a
     *         negative padding, or a kernel larger than the padded input
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
            int groups) {
        return conv2d("conv2d", input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int)} with {@code op} naming the caller in errors (a layer). */
    static Tensor conv2d(String op, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] dilation, int groups) {
        notNull(input, op, "input");
        notNull(weight, op, "weight");
        Conv2dSpec spec = spec(op, () -> new Conv2dSpec(stride, padding, dilation, groups));
        int[] xs = input.shape();
        int[] ws = weight.shape();
        if (xs.length != 3 && xs.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 3-d (unbatched) or 4-d (batched) input [N, C, H, W], "
                    + "got shape " + Shapes.toString(xs));
        }
        if (ws.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-d weight [out_channels, in_channels / groups, kH, kW], "
                    + "got shape " + Shapes.toString(ws));
        }
        input.checkSameBackend(weight, op);
        boolean unbatched = xs.length == 3;
        Tensor x = unbatched ? input.reshape(1, xs[0], xs[1], xs[2]) : input;
        int[] s = x.shape();
        int channels = s[1];
        if (channels % groups != 0 || ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": groups = " + groups + " must divide both the input channels ("
                    + channels + ", input shape " + Shapes.toString(xs) + ") and the output channels (" + ws[0]
                    + ", weight shape " + Shapes.toString(ws) + ")");
        }
        if (channels != ws[1] * groups) {
            throw new IllegalArgumentException(op + ": input shape " + Shapes.toString(xs) + " has " + channels
                    + " channels, but weight shape " + Shapes.toString(ws) + " with groups = " + groups + " expects "
                    + ws[1] * groups + " input channels");
        }
        if (bias != null) {
            input.checkSameBackend(bias, op);
            if (bias.rank() != 1 || bias.shape()[0] != ws[0]) {
                throw new IllegalArgumentException(op + ": bias shape " + Shapes.toString(bias.shape())
                        + " does not match the weight's " + ws[0] + " output channels [" + ws[0] + "]");
            }
        }
        int[] kernel = {ws[2], ws[3]};
        int[] out = outputSize(op, xs, s, kernel, spec.dilation(), spec.padding(), spec.stride());
        Tensor w = weight;
        Tensor b = bias;
        if (x.dtype() != w.dtype() || (b != null && b.dtype() != x.dtype())) {
            x = x.to(DType.FLOAT64);
            w = w.to(DType.FLOAT64);
            b = b == null ? null : b.to(DType.FLOAT64);
        }
        Optional<ConvolutionKernels> fast = kernels(x);
        Tensor y = fast.isPresent() ? conv2dFast(fast.get(), x, w, b, spec)
                : conv2dComposite(x, w, b, spec, kernel, out);
        return unbatched ? y.reshape(ws[0], out[0], out[1]) : y;
    }

    private static Tensor conv2dComposite(Tensor x, Tensor w, Tensor b, Conv2dSpec spec, int[] kernel, int[] out) {
        int n = x.shape()[0];
        int groups = spec.groups();
        int[] ws = w.shape();
        int rg = ws[1] * ws[2] * ws[3];
        int l = out[0] * out[1];
        Tensor cols = unfoldChecked(x, kernel, spec.dilation(), spec.padding(), spec.stride())
                .reshape(n, groups, rg, l);
        Tensor y = w.reshape(groups, ws[0] / groups, rg).matmul(cols).reshape(n, ws[0], out[0], out[1]);
        return b == null ? y : y.add(b.reshape(1, ws[0], 1, 1));
    }

    /**
     * The convolution through the kernels. When it will be recorded with the input or the weight
     * requiring a gradient, the forward is {@link ConvolutionKernels#conv2dForBackward} and the rule
     * asks {@link ConvolutionKernels#conv2dBackward} for both gradients in one call, with the forward's
     * result; the bias gradient is the upstream gradient summed here.
     */
    private static Tensor conv2dFast(ConvolutionKernels k, Tensor x, Tensor w, Tensor b, Conv2dSpec spec) {
        boolean recorded = Autograd.isGradEnabled();
        boolean gi = recorded && x.requiresGrad();
        boolean gw = recorded && w.requiresGrad();
        BackendArray bias = b == null ? null : b.data();
        BackendArray values = gi || gw ? k.conv2dForBackward(x.data(), w.data(), bias, spec, gi, gw)
                : k.conv2d(x.data(), w.data(), bias, spec);
        Autograd.Rule rule = (g, out, in) -> {
            boolean wantInput = in[0].requiresGrad();
            boolean wantWeight = in[1].requiresGrad();
            Tensor gx = null;
            Tensor gwt = null;
            if (wantInput || wantWeight) {
                BackendArray[] grads = k.conv2dBackward(g.data(), in[0].data(), in[1].data(), dataOrNull(out), spec,
                        wantInput, wantWeight);
                gx = grads[0] == null ? null : new Tensor(grads[0], g.engine());
                gwt = grads[1] == null ? null : new Tensor(grads[1], g.engine());
            }
            if (in.length == 2) {
                return new Tensor[] {gx, gwt};
            }
            return new Tensor[] {gx, gwt, in[2].requiresGrad() ? g.sum(new int[] {0, 2, 3}, false) : null};
        };
        int saves = savesCrossed(x, w);
        return b == null ? record(x.engine(), values, "Conv2d", saves, rule, x, w)
                : record(x.engine(), values, "Conv2d", saves, rule, x, w, b);
    }

    // ================================================================ pooling

    /** Returns {@link #maxPool2d(Tensor, int[], int[], int[])} with a square kernel, stride = kernel, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernel) {
        return maxPool2d(input, new int[] {kernel, kernel}, null, ZEROS);
    }

    /**
     * Returns PyTorch's {@code F.max_pool2d(input, kernel, stride, padding)} (dilation 1, floor mode):
     * the maximum of each window, the input padded with −∞; {@code stride} null means the kernel. The
     * gradient goes to the first maximum of each window in row-major order.
     *
     * @throws IllegalArgumentException on a wrong rank, a non-positive kernel or stride, a padding above
     *         half the kernel, or a kernel larger than the padded input
     */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding) {
        return pool("maxPool2d", input, kernel, stride, padding, true, true);
    }

    /** Returns {@link #avgPool2d(Tensor, int[], int[], int[], boolean)} with a square kernel, stride = kernel, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernel) {
        return avgPool2d(input, new int[] {kernel, kernel}, null, ZEROS, true);
    }

    /**
     * Returns PyTorch's {@code F.avg_pool2d(input, kernel, stride, padding, count_include_pad=countIncludePad)}
     * (floor mode): the mean of each window over the zero-padded input, divided by the kernel area when
     * {@code countIncludePad} (PyTorch's default), else by the number of input elements in the window;
     * {@code stride} null means the kernel.
     *
     * @throws IllegalArgumentException as {@link #maxPool2d(Tensor, int[], int[], int[])}
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return pool("avgPool2d", input, kernel, stride, padding, countIncludePad, false);
    }

    /** Pooling with {@code op} naming the caller in errors (a layer). */
    static Tensor pool(String op, Tensor input, int[] kernel, int[] stride, int[] padding, boolean countIncludePad,
            boolean max) {
        notNull(input, op, "input");
        notNull(kernel, op, "kernel");
        Pool2dSpec spec = spec(op, () -> new Pool2dSpec(kernel, stride == null ? kernel : stride,
                padding == null ? ZEROS : padding, countIncludePad));
        int[] xs = input.shape();
        if (xs.length != 3 && xs.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 3-d (unbatched) or 4-d (batched) input [N, C, H, W], "
                    + "got shape " + Shapes.toString(xs));
        }
        boolean unbatched = xs.length == 3;
        Tensor x = unbatched ? input.reshape(1, xs[0], xs[1], xs[2]) : input;
        int[] s = x.shape();
        int[] out = outputSize(op, xs, s, spec.kernel(), ONES, spec.padding(), spec.stride());
        Optional<ConvolutionKernels> fast = kernels(x);
        Tensor y;
        if (fast.isPresent()) {
            ConvolutionKernels k = fast.get();
            if (max) {
                BackendArray values = Autograd.isGradEnabled() && x.requiresGrad() ? k.maxPool2dForBackward(x.data(), spec)
                        : k.maxPool2d(x.data(), spec);
                y = record(x.engine(), values, "MaxPool2d", SAVES_IN0, (g, o, in) -> new Tensor[] {
                    new Tensor(k.maxPool2dBackward(g.data(), in[0].data(), dataOrNull(o), spec), g.engine())}, x);
            } else {
                y = record(x.engine(), k.avgPool2d(x.data(), spec), "AvgPool2d", SAVES_NONE, (g, o, in) -> new Tensor[] {
                    new Tensor(k.avgPool2dBackward(g.data(), s, spec), g.engine())}, x);
            }
        } else {
            y = max ? maxPoolComposite(x, spec, out) : avgPoolComposite(x, spec, out);
        }
        return unbatched ? y.reshape(xs[0], out[0], out[1]) : y;
    }

    /**
     * The windows as {@code [N, C, kH·kW, L]}, and for padded pooling the mask of which window entries are
     * input elements ({@code [1, 1, kH·kW, L]}, 1 or 0), or null without padding.
     */
    private static Tensor[] windows(Tensor x, Pool2dSpec spec, int[] out) {
        int[] s = x.shape();
        int k = spec.kernel()[0] * spec.kernel()[1];
        int l = out[0] * out[1];
        Tensor cols = unfoldChecked(x, spec.kernel(), ONES, spec.padding(), spec.stride()).reshape(s[0], s[1], k, l);
        if (spec.padding()[0] == 0 && spec.padding()[1] == 0) {
            return new Tensor[] {cols, null};
        }
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor ones = x.engine().ones(x.dtype(), 1, 1, s[2], s[3]);
            Tensor inside = unfoldChecked(ones, spec.kernel(), ONES, spec.padding(), spec.stride()).reshape(1, 1, k, l);
            return new Tensor[] {cols, inside};
        }
    }

    private static Tensor maxPoolComposite(Tensor x, Pool2dSpec spec, int[] out) {
        Tensor[] w = windows(x, spec, out);
        Tensor cols = w[0];
        Engine e = x.engine();
        if (w[1] != null) {
            Tensor padding;
            try (NoGrad ignored = NoGrad.enter()) {
                padding = Tensor.where(w[1].eq(0.0), e.full(Double.NEGATIVE_INFINITY, x.dtype(), 1), e.zeros(x.dtype(), 1));
            }
            cols = cols.add(padding);
        }
        int k = cols.shape()[2];
        Tensor first;
        try (NoGrad ignored = NoGrad.enter()) {
            // The first maximum of each window: among the entries equal to the maximum, the one with the
            // highest score k, k-1, ..., 1 (row-major order), so ties go to the first, as PyTorch's CPU kernel.
            double[] score = new double[k];
            for (int i = 0; i < k; i++) {
                score[i] = k - i;
            }
            Tensor ranked = cols.eq(cols.max(2, true)).mul(e.tensor(score, x.dtype(), 1, 1, k, 1));
            first = ranked.eq(ranked.max(2, true));
        }
        int[] xs = x.shape();
        return Tensor.where(first, cols, e.zeros(x.dtype(), 1)).sum(2, false).reshape(xs[0], xs[1], out[0], out[1]);
    }

    private static Tensor avgPoolComposite(Tensor x, Pool2dSpec spec, int[] out) {
        Tensor[] w = windows(x, spec, out);
        int[] xs = x.shape();
        Tensor sums = w[0].sum(2, false);
        Tensor mean;
        if (w[1] == null || spec.countIncludePad()) {
            mean = sums.div(spec.kernel()[0] * spec.kernel()[1]);
        } else {
            Tensor count;
            try (NoGrad ignored = NoGrad.enter()) {
                count = w[1].sum(2, false);
            }
            mean = sums.div(count);
        }
        return mean.reshape(xs[0], xs[1], out[0], out[1]);
    }

    // ================================================================ unfold / fold

    /**
     * Returns PyTorch's {@code F.unfold(input, kernel, dilation, padding, stride)}: the sliding blocks of
     * {@code input} {@code [N, C, H, W]} as {@code [N, C·kH·kW, L]} (or {@code [C, H, W] -> [C·kH·kW, L]}),
     * zero-padded; see {@link io.polygrad.spi.Backend#unfold}. Its gradient is {@link #fold}.
     *
     * @throws IllegalArgumentException on a wrong rank, a non-positive kernel, dilation or stride, a negative
     *         padding, or blocks that do not fit the padded input
     */
    public static Tensor unfold(Tensor input, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        notNull(input, "unfold", "input");
        int[] k = pair("unfold", "kernel", kernel, 1);
        int[] d = pair("unfold", "dilation", dilation, 1);
        int[] p = pair("unfold", "padding", padding, 0);
        int[] st = pair("unfold", "stride", stride, 1);
        int[] xs = input.shape();
        if (xs.length != 3 && xs.length != 4) {
            throw new IllegalArgumentException("unfold: expected a 3-d (unbatched) or 4-d (batched) input [N, C, H, W], "
                    + "got shape " + Shapes.toString(xs));
        }
        boolean unbatched = xs.length == 3;
        Tensor x = unbatched ? input.reshape(1, xs[0], xs[1], xs[2]) : input;
        outputSize("unfold", xs, x.shape(), k, d, p, st);
        Tensor y = unfoldChecked(x, k, d, p, st);
        int[] ys = y.shape();
        return unbatched ? y.reshape(ys[1], ys[2]) : y;
    }

    /**
     * Returns PyTorch's {@code F.fold(input, outputSize, kernel, dilation, padding, stride)}, the adjoint of
     * {@link #unfold}: blocks {@code [N, C·kH·kW, L]} (or {@code [C·kH·kW, L]}) summed into
     * {@code [N, C, outputSize[0], outputSize[1]]}. Its gradient is {@link #unfold}.
     *
     * @throws IllegalArgumentException on a wrong rank, a second dimension not divisible by {@code kH·kW},
     *         or a block count that does not match {@code outputSize}
     */
    public static Tensor fold(Tensor input, int[] outputSize, int[] kernel, int[] dilation, int[] padding,
            int[] stride) {
        notNull(input, "fold", "input");
        int[] size = pair("fold", "outputSize", outputSize, 1);
        int[] k = pair("fold", "kernel", kernel, 1);
        int[] d = pair("fold", "dilation", dilation, 1);
        int[] p = pair("fold", "padding", padding, 0);
        int[] st = pair("fold", "stride", stride, 1);
        int[] xs = input.shape();
        if (xs.length != 2 && xs.length != 3) {
            throw new IllegalArgumentException("fold: expected a 2-d (unbatched) or 3-d (batched) input "
                    + "[N, C·kH·kW, L], got shape " + Shapes.toString(xs));
        }
        boolean unbatched = xs.length == 2;
        Tensor x = unbatched ? input.reshape(1, xs[0], xs[1]) : input;
        int[] s = x.shape();
        if (s[1] % (k[0] * k[1]) != 0) {
            throw new IllegalArgumentException("fold: the input's dimension " + s[1] + " (shape " + Shapes.toString(xs)
                    + ") is not divisible by the kernel size " + k[0] + "·" + k[1]);
        }
        int oh = Im2col.outputSize(size[0], k[0], d[0], p[0], st[0]);
        int ow = Im2col.outputSize(size[1], k[1], d[1], p[1], st[1]);
        if (oh < 1 || ow < 1 || (long) oh * ow != s[2]) {
            throw new IllegalArgumentException("fold: the input's " + s[2] + " blocks (shape " + Shapes.toString(xs)
                    + ") do not match output size " + Arrays.toString(size) + ", which has " + Math.max(oh, 0) + "x"
                    + Math.max(ow, 0) + " blocks of kernel " + Arrays.toString(k));
        }
        Tensor y = foldChecked(x, size, k, d, p, st);
        int[] ys = y.shape();
        return unbatched ? y.reshape(ys[1], ys[2], ys[3]) : y;
    }

    private static Tensor unfoldChecked(Tensor x, int[] k, int[] d, int[] p, int[] st) {
        int[] s = x.shape();
        int[] size = {s[2], s[3]};
        return record(x.engine(), x.backend().unfold(x.data(), k, d, p, st), "Im2Col", SAVES_NONE,
                (g, out, in) -> new Tensor[] {foldChecked(g, size, k, d, p, st)}, x);
    }

    private static Tensor foldChecked(Tensor x, int[] size, int[] k, int[] d, int[] p, int[] st) {
        return record(x.engine(), x.backend().fold(x.data(), size, k, d, p, st), "Col2Im", SAVES_NONE,
                (g, out, in) -> new Tensor[] {unfoldChecked(g, k, d, p, st)}, x);
    }

    // ================================================================ checks

    /** Returns the forward's result for a backward kernel, or null when the output tensor has been released. */
    private static BackendArray dataOrNull(Tensor out) {
        return out.isReleased() ? null : out.data();
    }

    /** Returns the backend's kernels unless a {@link CompositePath} scope is open. */
    private static Optional<ConvolutionKernels> kernels(Tensor x) {
        return CompositePath.isActive() ? Optional.empty() : x.backend().convolutionKernels();
    }

    /**
     * Returns the output size {@code {outH, outW}} of windows {@code kernel} (with {@code dilation}) over the
     * 4-d shape {@code s}, failing with PyTorch's meaning when a window is larger than the padded input.
     */
    private static int[] outputSize(String op, int[] given, int[] s, int[] kernel, int[] dilation, int[] padding,
            int[] stride) {
        int[] out = new int[2];
        for (int a = 0; a < 2; a++) {
            int effective = dilation[a] * (kernel[a] - 1) + 1;
            int padded = s[2 + a] + 2 * padding[a];
            if (effective > padded) {
                throw new IllegalArgumentException(op + ": input shape " + Shapes.toString(given) + " padded by "
                        + Arrays.toString(padding) + " is " + (s[2] + 2 * padding[0]) + "x" + (s[3] + 2 * padding[1])
                        + ", smaller than the " + (a == 0 ? "height" : "width") + " " + effective + " of the kernel "
                        + Arrays.toString(kernel) + (dilation[a] > 1 ? " with dilation " + Arrays.toString(dilation) : "")
                        + " (the output size would be less than 1)");
            }
            out[a] = Im2col.outputSize(s[2 + a], kernel[a], dilation[a], padding[a], stride[a]);
        }
        return out;
    }

    /** Builds a spec, renaming its argument errors with {@code op}. */
    private static <T> T spec(String op, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int colon = m.indexOf(": ");
            throw new IllegalArgumentException(op + ": " + (colon >= 0 ? m.substring(colon + 2) : m), e);
        }
    }

    private static int[] pair(String op, String name, int[] value, int min) {
        if (value == null || value.length != 2) {
            throw new IllegalArgumentException(op + ": " + name + " must be a {height, width} pair, got "
                    + (value == null ? "null" : Arrays.toString(value)));
        }
        if (value[0] < min || value[1] < min) {
            throw new IllegalArgumentException(op + ": every " + name + " must be at least " + min + ", got "
                    + Arrays.toString(value));
        }
        return value.clone();
    }
}
