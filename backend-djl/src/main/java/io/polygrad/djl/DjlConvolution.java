package io.polygrad.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendOutOfMemoryError;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Pool2dSpec;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The djl backend's native convolution and pooling kernels: libtorch's own {@code conv2d},
 * {@code max_pool2d} and {@code avg_pool2d}, forward and backward, so every result is PyTorch's.
 *
 * <p>DJL's JNI exposes the forward kernels and libtorch's autograd ({@code requires_grad},
 * {@code backward}, {@code grad}), not the backward kernels themselves, so the backward methods run
 * libtorch's autograd on a one-op graph:
 * <ul>
 *   <li>{@link #conv2dBackwardInput}: at stride 1 (any dilation and groups, padding at most
 *       {@code dilation·(k − 1)}), the gradient is itself one convolution, of the upstream gradient
 *       with the spatially flipped, per-group transposed weight and padding {@code dilation·(k − 1) −
 *       padding}: no extra work. Otherwise autograd on a zero input of the input's shape (the
 *       convolution is linear in its input, so the gradient does not depend on the input's values):
 *       libtorch's {@code convolution_backward} for the input only, after one extra forward.</li>
 *   <li>{@link #conv2dBackwardWeight}: without groups, one convolution too: of the input with batch
 *       and channels swapped, by the upstream gradient likewise swapped, stride and dilation
 *       exchanged (measured 1.3–1.6× faster than autograd on the {@code [128, 32, 14, 14]} layer of
 *       the CNN benchmark). With groups, autograd on a zero weight (the convolution is linear in its
 *       weight): libtorch's weight gradient after one extra forward.</li>
 *   <li>{@link #maxPool2dBackward}: autograd on a detached view of the input (no copy): libtorch's
 *       {@code max_pool2d_with_indices_backward}, so the gradient goes to PyTorch's max (the first in
 *       row-major window order; a NaN counts as the max, as in PyTorch).</li>
 *   <li>{@link #avgPool2dBackward}: autograd on a zero input ({@code avg_pool2d} is linear).</li>
 * </ul>
 * One difference from PyTorch is DJL's, and fixed up here: DJL 0.35.1's JNI drops
 * {@code count_include_pad}, so libtorch always divides by the kernel area; for
 * {@code countIncludePad == false} with padding, the result (and the upstream gradient of the
 * backward) is multiplied by {@code kernel area / elements in the window} per output position, which
 * agrees with PyTorch to within two roundings.
 * The extra forwards are cheap for pooling; for a strided input gradient or a grouped weight gradient
 * they cost a convolution more. Grad mode is switched on for the autograd call and restored after;
 * every temporary tensor is closed before the method returns. No convention of libtorch itself differs from
 * the {@link ConvolutionKernels} contract (which is PyTorch's), so no case falls back to the composite.
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
        return run("conv2d " + spec, out, x.dtype(), () -> JniUtils.convolution(x.tensor(), w.tensor(),
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
        return run("conv2dBackwardInput " + spec, inputShape, g.dtype(), () -> asConvolution
                ? transposedConvolution(g.tensor(), w.tensor(), w.shape(), spec)
                : gradientOf(inputShape, g, leaf -> JniUtils.convolution(leaf, w.tensor(), null,
                        pair(spec.stride()), pair(spec.padding()), pair(spec.dilation()), spec.groups())),
                g, w);
    }

    @Override
    public BackendArray conv2dBackwardWeight(BackendArray gradOutput, BackendArray input, int[] weightShape,
            Conv2dSpec spec) {
        DjlArray g = backend.arg(gradOutput);
        DjlArray x = backend.arg(input);
        return run("conv2dBackwardWeight " + spec, weightShape, g.dtype(), () -> spec.groups() == 1
                ? weightGradient(g.tensor(), x.tensor(), weightShape, spec)
                : gradientOf(weightShape, g, leaf -> JniUtils.convolution(x.tensor(), leaf, null, pair(spec.stride()),
                        pair(spec.padding()), pair(spec.dilation()), spec.groups())), g, x);
    }

    @Override
    public BackendArray maxPool2d(BackendArray input, Pool2dSpec spec) {
        DjlArray x = backend.arg(input);
        return run("maxPool2d " + spec, pooled(x.shape(), spec), x.dtype(), () -> JniUtils.maxPool(x.tensor(),
                pair(spec.kernel()), pair(spec.stride()), pair(spec.padding()), false), x);
    }

    @Override
    public BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, Pool2dSpec spec) {
        DjlArray g = backend.arg(gradOutput);
        DjlArray x = backend.arg(input);
        return run("maxPool2dBackward " + spec, x.shape(), g.dtype(), () -> {
            PtNDArray leaf = JniUtils.detachGradient(x.tensor()); // a new handle on the same storage
            return gradientOf(leaf, g.tensor(), l -> JniUtils.maxPool(l, pair(spec.kernel()), pair(spec.stride()),
                    pair(spec.padding()), false));
        }, g, x);
    }

    @Override
    public BackendArray avgPool2d(BackendArray input, Pool2dSpec spec) {
        DjlArray x = backend.arg(input);
        int[] out = pooled(x.shape(), spec);
        return run("avgPool2d " + spec, out, x.dtype(), () -> {
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
        return run("avgPool2dBackward " + spec, inputShape, g.dtype(), () -> {
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
        return gradientOf(leaf, upstream, op);
    }

    /**
     * Returns the gradient at {@code leaf} of {@code sum(op(leaf) * upstream)}, by libtorch's autograd
     * with grad mode on; closes {@code leaf} and the graph's output.
     */
    private static PtNDArray gradientOf(PtNDArray leaf, PtNDArray upstream, Function<PtNDArray, PtNDArray> op) {
        boolean gradMode = JniUtils.isGradMode();
        PtNDArray out = null;
        try {
            if (!gradMode) {
                JniUtils.setGradMode(true);
            }
            JniUtils.attachGradient(leaf, true);
            out = op.apply(leaf);
            JniUtils.backward(out, upstream, false, false);
            return JniUtils.getGradient(leaf);
        } finally {
            if (!gradMode) {
                JniUtils.setGradMode(false);
            }
            DjlBackend.closeAll(out, leaf);
        }
    }

    /**
     * Runs {@code kernel} with every argument held, and wraps its tensor as an array of {@code shape}:
     * a closed argument gives the "released" error, an allocation failure a
     * {@link BackendOutOfMemoryError}, any other failure a {@link io.polygrad.spi.BackendException}
     * naming the op and the argument shapes.
     */
    private BackendArray run(String op, int[] shape, DType dtype, Supplier<PtNDArray> kernel, DjlArray... args) {
        int held = 0;
        int[][] shapes = new int[args.length][];
        try {
            for (DjlArray a : args) {
                if (a != null) {
                    a.acquire();
                    shapes[held] = a.shape();
                }
                held++;
            }
            return backend.wrap(kernel.get(), shape.clone(), dtype);
        } catch (RuntimeException e) {
            if (backend.isOutOfMemory(e)) {
                throw new BackendOutOfMemoryError(DjlBackend.NAME, op, shape, dtype, e);
            }
            if (e instanceof IllegalStateException && held < args.length) {
                throw e; // the "released" error of a closed argument
            }
            throw DjlBackend.fail(op, e, Arrays.stream(shapes).filter(s -> s != null).toArray(int[][]::new));
        } finally {
            for (int i = 0; i < held; i++) {
                if (args[i] != null) {
                    args[i].release();
                }
            }
            Reference.reachabilityFence(args);
        }
    }

    /** Returns the pooled shape of {@code in} under {@code spec}. */
    private static int[] pooled(int[] in, Pool2dSpec spec) {
        return new int[] {in[0], in[1], spec.outputSize(0, in[2]), spec.outputSize(1, in[3])};
    }

    private static Shape pair(int[] p) {
        return new Shape(p[0], p[1]);
    }
}
