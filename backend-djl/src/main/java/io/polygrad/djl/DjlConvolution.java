package io.polygrad.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Pool2dSpec;
import java.util.function.Function;

/**
 * The djl backend's native convolution and pooling kernels: libtorch's own {@code conv2d},
 * {@code max_pool2d} and {@code avg_pool2d}, forward and backward, so every result is PyTorch's.
 *
 * <p>DJL's JNI exposes the forward kernels and libtorch's autograd ({@code requires_grad},
 * {@code backward}, {@code grad}), not the backward kernels themselves
 * ({@code convolution_backward}, {@code max_pool2d_with_indices_backward}), so gradients come from
 * libtorch's autograd on one-op graphs ({@link DjlGraph}), on one of two paths:
 * <ul>
 *   <li><b>Kept graph</b>, the path of polygrad's autograd: {@link #conv2dForBackward} and
 *       {@link #maxPool2dForBackward} run the forward in grad mode with the operands whose gradients
 *       {@code api} will ask for as leaves and keep that graph with the result;
 *       {@link #conv2dBackward} and
 *       {@link #maxPool2dBackward(BackendArray, BackendArray, BackendArray, Pool2dSpec)} walk it once.
 *       That is libtorch's {@code convolution_backward} for exactly the gradients asked, in one call
 *       (both at once; the weight alone for a first layer whose images need no gradient), and
 *       {@code max_pool2d_with_indices_backward} on the indices the forward saved: op for op what a
 *       libtorch autograd user runs, with no forward re-run. In the CNN benchmark's step the
 *       convolution and pooling kernels now take the time of the raw-DJL step's
 *       ({@code benchmarks/README.md}, 2026-12-02).</li>
 *   <li><b>Stand-alone</b>: the single-gradient methods, and the fallback of the two above when the
 *       result carries no unwalked graph (made by the plain forward, released, or walked already by
 *       the first backward of a retained polygrad graph):
 *       <ul>
 *         <li>{@link #conv2dBackwardInput}: at stride 1 (any dilation and groups, padding at most
 *             {@code dilation·(k − 1)}), one convolution of the upstream gradient with the spatially
 *             flipped, per-group transposed weight and padding {@code dilation·(k − 1) − padding};
 *             otherwise autograd on a zero input of the input's shape (the convolution is linear in
 *             its input): one extra forward.</li>
 *         <li>{@link #conv2dBackwardWeight}: without groups, one convolution of the input with batch and
 *             channels swapped by the upstream gradient likewise swapped, stride and dilation
 *             exchanged. On the benchmark's second layer ({@code [128, 32, 14, 14]}) this and
 *             the input gradient take about 1.3× the kept graph's one {@code convolution_backward}; on
 *             the first ({@code [128, 1, 28, 28]}, a 28×28 kernel over 128 channels) the weight gradient
 *             alone takes 2–3× as long (measured with {@code CnnProfile}). With groups, autograd on a
 *             zero weight.</li>
 *         <li>{@link #maxPool2dBackward(BackendArray, BackendArray, Pool2dSpec)}: autograd on a detached
 *             view of the input (no copy), re-running the forward (5–6× the kept graph's walk on the
 *             benchmark's layers): libtorch's
 *             {@code max_pool2d_with_indices_backward}, so the gradient goes to PyTorch's max (the first
 *             in row-major window order; a NaN counts as the max).</li>
 *         <li>{@link #avgPool2dBackward}: autograd on a zero input ({@code avg_pool2d} is linear).</li>
 *       </ul></li>
 * </ul>
 * One difference from PyTorch is DJL's, and fixed up here: DJL 0.35.1's JNI drops
 * {@code count_include_pad}, so libtorch always divides by the kernel area; for
 * {@code countIncludePad == false} with padding, the result (and the upstream gradient of the
 * backward) is multiplied by {@code kernel area / elements in the window} per output position, which
 * agrees with PyTorch to within two roundings. Grad mode is switched on only around a recorded op and
 * restored after; every temporary tensor is closed before the method returns. No convention of
 * libtorch itself differs from the {@link ConvolutionKernels} contract (which is PyTorch's), so no
 * case falls back to the composite.
 */
final class DjlConvolution implements ConvolutionKernels {

    private final DjlBackend backend;

    DjlConvolution(DjlBackend backend) {
        this.backend = backend;
    }

    @Override
    public BackendArray conv2d(BackendArray input, BackendArray weight, BackendArray bias, Conv2dSpec spec) {
        DjlArray x = backend.arg(input);
        DjlArray w = backend.arg(weight);
        DjlArray b = bias == null ? null : backend.arg(bias);
        int[] out = {x.shape()[0], w.shape()[0], spec.outputSize(0, x.shape()[2], w.shape()[2]),
            spec.outputSize(1, x.shape()[3], w.shape()[3])};
        return DjlGraph.run(backend, "conv2d " + spec, out, x.dtype(), () -> JniUtils.convolution(x.tensor(), w.tensor(),
                b == null ? null : b.tensor(), pair(spec.stride()), pair(spec.padding()), pair(spec.dilation()),
                spec.groups()), x, w, b);
    }

    @Override
    public BackendArray conv2dBackwardInput(BackendArray gradOutput, BackendArray weight, int[] inputShape,
            Conv2dSpec spec) {
        DjlArray g = backend.arg(gradOutput);
        DjlArray w = backend.arg(weight);
        int[] k = {w.shape()[2], w.shape()[3]};
        int[] d = spec.dilation();
        int[] p = spec.padding();
        boolean asConvolution = spec.stride()[0] == 1 && spec.stride()[1] == 1
                && p[0] <= d[0] * (k[0] - 1) && p[1] <= d[1] * (k[1] - 1);
        return DjlGraph.run(backend, "conv2dBackwardInput " + spec, inputShape, g.dtype(), () -> asConvolution
                ? transposedConvolution(g.tensor(), w.tensor(), w.shape(), spec)
                : gradientOf(inputShape, g, leaf -> {
                    try (PtNDArray wd = JniUtils.detachGradient(w.tensor())) {
                        return JniUtils.convolution(leaf, wd, null, pair(spec.stride()), pair(spec.padding()),
                                pair(spec.dilation()), spec.groups());
                    }
                }),
                g, w);
    }

    @Override
    public BackendArray conv2dBackwardWeight(BackendArray gradOutput, BackendArray input, int[] weightShape,
            Conv2dSpec spec) {
        DjlArray g = backend.arg(gradOutput);
        DjlArray x = backend.arg(input);
        return DjlGraph.run(backend, "conv2dBackwardWeight " + spec, weightShape, g.dtype(), () -> spec.groups() == 1
                ? weightGradient(g.tensor(), x.tensor(), weightShape, spec)
                : gradientOf(weightShape, g, leaf -> {
                    try (PtNDArray xd = JniUtils.detachGradient(x.tensor())) {
                        return JniUtils.convolution(xd, leaf, null, pair(spec.stride()), pair(spec.padding()),
                                pair(spec.dilation()), spec.groups());
                    }
                }), g, x);
    }

    /**
     * Runs libtorch's convolution in grad mode on detached handles of the operands, the input and/or
     * the weight requiring a gradient, and returns the result with that one-op graph, for
     * {@link #conv2dBackward}.
     */
    @Override
    public BackendArray conv2dForBackward(BackendArray input, BackendArray weight, BackendArray bias, Conv2dSpec spec,
            boolean inputGrad, boolean weightGrad) {
        if (!inputGrad && !weightGrad) {
            return conv2d(input, weight, bias, spec);
        }
        DjlArray x = backend.arg(input);
        DjlArray w = backend.arg(weight);
        DjlArray b = bias == null ? null : backend.arg(bias);
        int[] out = {x.shape()[0], w.shape()[0], spec.outputSize(0, x.shape()[2], w.shape()[2]),
            spec.outputSize(1, x.shape()[3], w.shape()[3])};
        return DjlGraph.recorded(backend, "conv2d " + spec, out, x.dtype(), new DjlArray[] {x, w, b},
                new boolean[] {inputGrad, weightGrad, false}, t -> JniUtils.convolution(t[0], t[1], t[2],
                        pair(spec.stride()), pair(spec.padding()), pair(spec.dilation()), spec.groups()), x, w, b);
    }

    /**
     * Walks the graph that {@link #conv2dForBackward} kept with {@code output} (libtorch's
     * {@code convolution_backward}, both gradients in one call, as a libtorch autograd user gets
     * them) when it is there, not yet walked and prepared for the gradients asked; otherwise the two
     * single-gradient kernels.
     */
    @Override
    public BackendArray[] conv2dBackward(BackendArray gradOutput, BackendArray input, BackendArray weight,
            BackendArray output, Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
        int[] needed = inputGrad && weightGrad ? new int[] {0, 1} : inputGrad ? new int[] {0} : new int[] {1};
        BackendArray[] grads = DjlGraph.throughGraph(backend, "conv2dBackward " + spec, gradOutput, output, needed,
                new boolean[] {inputGrad, weightGrad, false}, new int[][] {input.shape(), weight.shape(), null});
        if (grads != null) {
            return new BackendArray[] {grads[0], grads[1]};
        }
        return ConvolutionKernels.super.conv2dBackward(gradOutput, input, weight, output, spec, inputGrad, weightGrad);
    }

    @Override
    public BackendArray maxPool2d(BackendArray input, Pool2dSpec spec) {
        DjlArray x = backend.arg(input);
        return DjlGraph.run(backend, "maxPool2d " + spec, pooled(x.shape(), spec), x.dtype(), () -> JniUtils.maxPool(x.tensor(),
                pair(spec.kernel()), pair(spec.stride()), pair(spec.padding()), false), x);
    }

    @Override
    public BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, Pool2dSpec spec) {
        DjlArray g = backend.arg(gradOutput);
        DjlArray x = backend.arg(input);
        return DjlGraph.run(backend, "maxPool2dBackward " + spec, x.shape(), g.dtype(), () -> {
            PtNDArray leaf = JniUtils.detachGradient(x.tensor()); // a new handle on the same storage
            return DjlGraph.gradientOf(leaf, g.tensor(), l -> JniUtils.maxPool(l, pair(spec.kernel()), pair(spec.stride()),
                    pair(spec.padding()), false));
        }, g, x);
    }

    /**
     * Runs libtorch's max pooling in grad mode on a detached handle of the input that requires a
     * gradient, and returns the result with that one-op graph (which holds the maxima's indices), for
     * {@link #maxPool2dBackward(BackendArray, BackendArray, BackendArray, Pool2dSpec)}.
     */
    @Override
    public BackendArray maxPool2dForBackward(BackendArray input, Pool2dSpec spec) {
        DjlArray x = backend.arg(input);
        return DjlGraph.recorded(backend, "maxPool2d " + spec, pooled(x.shape(), spec), x.dtype(), new DjlArray[] {x},
                new boolean[] {true}, t -> JniUtils.maxPool(t[0], pair(spec.kernel()), pair(spec.stride()),
                        pair(spec.padding()), false), x);
    }

    /**
     * Walks the graph that {@link #maxPool2dForBackward} kept with {@code output} (libtorch's
     * {@code max_pool2d_with_indices_backward} on the saved indices, no forward re-run) when it is
     * there and not yet walked; otherwise {@link #maxPool2dBackward(BackendArray, BackendArray, Pool2dSpec)}.
     */
    @Override
    public BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, BackendArray output,
            Pool2dSpec spec) {
        BackendArray[] grads = DjlGraph.throughGraph(backend, "maxPool2dBackward " + spec, gradOutput, output, new int[] {0},
                new boolean[] {true}, new int[][] {input.shape()});
        return grads != null ? grads[0] : maxPool2dBackward(gradOutput, input, spec);
    }

    @Override
    public BackendArray avgPool2d(BackendArray input, Pool2dSpec spec) {
        DjlArray x = backend.arg(input);
        int[] out = pooled(x.shape(), spec);
        return DjlGraph.run(backend, "avgPool2d " + spec, out, x.dtype(), () -> {
            PtNDArray full = JniUtils.avgPool(x.tensor(), pair(spec.kernel()), pair(spec.stride()),
                    pair(spec.padding()), false, true);
            if (!excludesPadding(spec)) {
                return full;
            }
            try {
                return rescaled(full, x.shape(), out, spec, x.dtype());
            } finally {
                full.close();
            }
        }, x);
    }

    @Override
    public BackendArray avgPool2dBackward(BackendArray gradOutput, int[] inputShape, Pool2dSpec spec) {
        DjlArray g = backend.arg(gradOutput);
        return DjlGraph.run(backend, "avgPool2dBackward " + spec, inputShape, g.dtype(), () -> {
            PtNDArray upstream = excludesPadding(spec)
                    ? rescaled(g.tensor(), inputShape, g.shape(), spec, g.dtype()) : g.tensor();
            try {
                return gradientOf(inputShape, upstream, g.dtype(), leaf -> JniUtils.avgPool(leaf, pair(spec.kernel()),
                        pair(spec.stride()), pair(spec.padding()), false, true));
            } finally {
                if (upstream != g.tensor()) {
                    upstream.close();
                }
            }
        }, g);
    }

    /**
     * Returns whether {@code spec} asks for the divisor that excludes padding, on windows that reach
     * into it. DJL's JNI (0.35.1, {@code torchNNAvgPool}) drops its {@code countIncludePad} argument, so
     * libtorch always counts the padding; such windows are rescaled by {@link #rescaled}.
     */
    private static boolean excludesPadding(Pool2dSpec spec) {
        return !spec.countIncludePad() && (spec.padding()[0] > 0 || spec.padding()[1] > 0);
    }

    /**
     * Returns {@code pooled} (of shape {@code out}) times {@code kH·kW / count} per output
     * position, {@code count} being the number of input elements in the window: libtorch's
     * count-including-padding average turned into the average over the input elements only
     * (PyTorch's {@code count_include_pad=False}), to within two roundings.
     */
    private PtNDArray rescaled(PtNDArray pooled, int[] in, int[] out, Pool2dSpec spec, DType dtype) {
        int oh = out[2];
        int ow = out[3];
        double[] factor = new double[oh * ow];
        int area = spec.kernel()[0] * spec.kernel()[1];
        for (int i = 0; i < oh; i++) {
            int rows = covered(i, spec, 0, in[2]);
            for (int j = 0; j < ow; j++) {
                factor[i * ow + j] = (double) area / (rows * covered(j, spec, 1, in[3]));
            }
        }
        try (DjlArray f = (DjlArray) backend.fromDoubles(factor, new int[] {1, 1, oh, ow}, dtype)) {
            return JniUtils.mul(pooled, f.tensor());
        }
    }

    /** Returns how many input positions along {@code axis} the {@code o}-th window covers. */
    private static int covered(int o, Pool2dSpec spec, int axis, int size) {
        int start = o * spec.stride()[axis] - spec.padding()[axis];
        int end = Math.min(start + spec.kernel()[axis], size);
        return end - Math.max(start, 0);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Returns the input gradient of a stride-1 convolution as a convolution: of {@code gradOut} with
     * the weight transposed within each group ({@code [O, C/g, kH, kW]} to {@code [C, O/g, kH, kW]})
     * and flipped in both spatial axes, padding {@code dilation·(k − 1) − padding}, same dilation and
     * groups.
     */
    private PtNDArray transposedConvolution(PtNDArray gradOut, PtNDArray weight, int[] wShape, Conv2dSpec spec) {
        int groups = spec.groups();
        int o = wShape[0];
        int cg = wShape[1];
        long kh = wShape[2];
        long kw = wShape[3];
        PtNDArray grouped = null;
        PtNDArray swapped = null;
        PtNDArray merged = null;
        PtNDArray flipped = null;
        try {
            grouped = JniUtils.reshape(weight, new long[] {groups, o / groups, cg, kh, kw});
            swapped = JniUtils.transpose(grouped, 1, 2);
            merged = JniUtils.reshape(swapped, new long[] {(long) groups * cg, o / groups, kh, kw});
            flipped = JniUtils.flip(merged, new long[] {2, 3});
            int[] d = spec.dilation();
            int[] p = spec.padding();
            return JniUtils.convolution(gradOut, flipped, null, new Shape(1, 1),
                    new Shape(d[0] * (kh - 1) - p[0], d[1] * (kw - 1) - p[1]), pair(d), groups);
        } finally {
            DjlBackend.closeAll(flipped, merged, swapped, grouped);
        }
    }

    /**
     * Returns the weight gradient of an ungrouped convolution as one convolution: of the input with
     * batch and channels swapped ({@code [C, N, H, W]}) by the upstream gradient likewise swapped
     * ({@code [O, N, oH, oW]}) as the kernel, with the stride and dilation exchanged and the same
     * padding, which gives {@code [C, O, ≥kH, ≥kW]}; cropped to the kernel and swapped back into a
     * row-major {@code [O, C, kH, kW]}.
     */
    private PtNDArray weightGradient(PtNDArray gradOut, PtNDArray input, int[] wShape, Conv2dSpec spec) {
        PtNDArray xt = null;
        PtNDArray gt = null;
        PtNDArray full = null;
        PtNDArray cropped = null;
        PtNDArray swapped = null;
        PtNDArray flat = null;
        try {
            xt = JniUtils.transpose(input, 0, 1);
            gt = JniUtils.transpose(gradOut, 0, 1);
            full = JniUtils.convolution(xt, gt, null, pair(spec.dilation()), pair(spec.padding()), pair(spec.stride()), 1);
            long[] size = full.getShape().getShape();
            cropped = size[2] == wShape[2] && size[3] == wShape[3] ? full
                    : JniUtils.index(full, new long[] {0, 0, 0, 0}, new long[] {size[0], size[1], wShape[2], wShape[3]},
                            new long[] {1, 1, 1, 1}, backend.manager);
            swapped = JniUtils.transpose(cropped, 0, 1);
            // reshaping the non-contiguous view copies it row-major (clone would keep its strides)
            flat = JniUtils.reshape(swapped, new long[] {(long) wShape[0] * wShape[1] * wShape[2] * wShape[3]});
            return JniUtils.reshape(flat, DjlShapes.longs(wShape));
        } finally {
            DjlBackend.closeAll(flat, swapped, cropped == full ? null : cropped, full, gt, xt);
        }
    }

    /** Returns the gradient, at a zero leaf of {@code shape}, of {@code sum(op(leaf) * upstream)}. */
    private PtNDArray gradientOf(int[] shape, DjlArray upstream, Function<PtNDArray, PtNDArray> op) {
        return gradientOf(shape, upstream.tensor(), upstream.dtype(), op);
    }

    /** Returns the gradient, at a zero leaf of {@code shape}, of {@code sum(op(leaf) * upstream)}. */
    private PtNDArray gradientOf(int[] shape, PtNDArray upstream, DType dtype, Function<PtNDArray, PtNDArray> op) {
        PtNDArray leaf = JniUtils.createZerosNdArray(backend.manager, DjlShapes.djl(shape),
                DjlBackend.dataType(dtype), backend.djlDevice, SparseFormat.DENSE);
        return DjlGraph.gradientOf(leaf, upstream, op);
    }

    /** Returns the pooled shape of {@code in} under {@code spec}. */
    private static int[] pooled(int[] in, Pool2dSpec spec) {
        return new int[] {in[0], in[1], spec.outputSize(0, in[2]), spec.outputSize(1, in[3])};
    }

    private static Shape pair(int[] p) {
        return new Shape(p[0], p[1]);
    }
}
