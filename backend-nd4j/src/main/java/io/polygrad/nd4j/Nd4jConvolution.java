package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendOutOfMemoryError;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Pool2dSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The ND4J backend's native convolution and pooling kernels: libnd4j's {@code conv2d},
 * {@code deconv2d}, {@code im2col}, {@code maxpool2d}, {@code maxpool2d_bp}, {@code avgpool2d} and
 * {@code avgpool2d_bp} custom ops, NCHW, run through {@link Nd4jOpRunner} into preallocated outputs.
 *
 * <p>How the SPI maps onto libnd4j:
 * <ul>
 *   <li>Weights stay in PyTorch's {@code [O, C/groups, kH, kW]}: libnd4j's weight-format argument 1
 *       ({@code OIYX}) reads them in place (its default is {@code [kH, kW, C, O]}).</li>
 *   <li>{@link #conv2dBackwardInput} is libnd4j's transposed convolution {@code deconv2d}, which is
 *       the input-gradient half of {@code conv2d_bp}. {@code deconv2d} has no output padding and crops
 *       {@code padding} on both sides, so when the input had rows or columns that no window ended in
 *       (stride above 1 and a remainder), it runs unpadded into the full-size transposed output and
 *       the input's window of it is copied out; rows no window touches get zero.</li>
 *   <li>{@link #conv2dBackwardWeight} is the weight-gradient half of {@code conv2d_bp}: {@code im2col}
 *       of the input, then a batched matmul with the upstream gradient and a sum over the batch.
 *       An autograd backward asks {@link #conv2dBackward} for both gradients at once instead: one
 *       {@code conv2d_bp} (oneDNN's backward primitives in the default build) for an ungrouped,
 *       undilated convolution, its input gradient dropped when only the weight's is needed.</li>
 *   <li>libnd4j's {@code conv2d} has no groups: {@code groups > 1} (depthwise included) runs one
 *       libnd4j convolution per group on copies of that group's channels and joins the results along
 *       the channel axis. Correct, but slower than a fused grouped kernel.</li>
 *   <li>Max pooling pads with −∞ (a padded position never wins) and its gradient goes to the first
 *       maximum in row-major window order, as PyTorch's; average pooling's divisor argument 1 is
 *       PyTorch's {@code count_include_pad=True} (the kernel area), 0 its {@code False} (the number of
 *       input elements in the window). The fixture tests check each against PyTorch.</li>
 *   <li>NaN: libnd4j's max pooling skips a NaN unless the whole window is NaN, where PyTorch's
 *       returns NaN for any window holding one (and sends the gradient there). When the input holds a
 *       NaN, the forward result is patched: a max pooling of the NaN mask marks the windows to set to
 *       NaN. The backward of such an input (where PyTorch routes the gradient to the NaN) is not
 *       patched and keeps libnd4j's routing to the largest number.</li>
 * </ul>
 * With the default {@code linux-x86_64-onednn} natives, libnd4j runs convolution and pooling through
 * oneDNN (about 2× faster than its own kernels on the Fashion-MNIST CNN); oneDNN refuses dilated
 * convolutions, which run with the helpers switched off (see {@link #generic}).
 * Every temporary is closed before the method returns; failures become a
 * {@link io.polygrad.spi.BackendException} naming the op, the geometry and the shapes, allocation
 * failures a {@link BackendOutOfMemoryError}.
 */
final class Nd4jConvolution implements ConvolutionKernels {

    /** libnd4j's weight-format argument for {@code [O, C, kH, kW]} (PyTorch's layout). */
    private static final long OIYX = 1;
    /** libnd4j's data-format argument for NCHW. */
    private static final long NCHW = 0;

    /** Serialises the dilated convolutions' switching of libnd4j's platform helpers; see {@link #generic}. */
    private static final Object HELPERS_SWITCH = new Object();

    private final Nd4jBackend backend;

    Nd4jConvolution(Nd4jBackend backend) {
        this.backend = backend;
    }

    @Override
    public BackendArray conv2d(BackendArray input, BackendArray weight, BackendArray bias, Conv2dSpec spec) {
        Nd4jArray x = backend.arg(input);
        Nd4jArray w = backend.arg(weight);
        Nd4jArray b = bias == null ? null : backend.arg(bias);
        int[] k = {w.shape()[2], w.shape()[3]};
        int[] out = {x.shape()[0], w.shape()[0], spec.outputSize(0, x.shape()[2], k[0]),
            spec.outputSize(1, x.shape()[3], k[1])};
        return run("conv2d " + spec, out, x.dtype(), generic(spec, () -> grouped(spec.groups(), out, x.dtype(),
                new INDArray[] {x.raw(), w.raw(), b == null ? null : b.raw()}, new int[] {1, 0, 0},
                (in, o) -> Nd4jOpRunner.exec("conv2d", in[2] == null ? new INDArray[] {in[0], in[1]} : in, o,
                        convArgs(k, spec), null, null))), x, w, b);
    }

    @Override
    public BackendArray conv2dBackwardInput(BackendArray gradOutput, BackendArray weight, int[] inputShape,
            Conv2dSpec spec) {
        Nd4jArray g = backend.arg(gradOutput);
        Nd4jArray w = backend.arg(weight);
        int[] k = {w.shape()[2], w.shape()[3]};
        return run("conv2dBackwardInput " + spec, inputShape, g.dtype(), generic(spec, () -> grouped(spec.groups(),
                inputShape, g.dtype(), new INDArray[] {g.raw(), w.raw()}, new int[] {1, 0},
                (in, o) -> transposed(in[0], in[1], o, k, spec))), g, w);
    }

    @Override
    public BackendArray conv2dBackwardWeight(BackendArray gradOutput, BackendArray input, int[] weightShape,
            Conv2dSpec spec) {
        Nd4jArray g = backend.arg(gradOutput);
        Nd4jArray x = backend.arg(input);
        int[] k = {weightShape[2], weightShape[3]};
        return run("conv2dBackwardWeight " + spec, weightShape, g.dtype(), generic(spec, () -> grouped(spec.groups(),
                weightShape, g.dtype(), new INDArray[] {g.raw(), x.raw()}, new int[] {1, 1}, true,
                (in, o) -> weightGradient(in[0], in[1], o, k, spec))), g, x);
    }

    /**
     * Both gradients of an ungrouped, undilated convolution in one libnd4j {@code conv2d_bp} call, which
     * the oneDNN build runs as oneDNN's backward-data and backward-weights primitives (the stand-alone
     * weight gradient, {@code im2col} and a batched matmul, is several times slower there). When only the
     * weight gradient is asked for, the input gradient {@code conv2d_bp} computes too is dropped. Other
     * geometries take the two stand-alone kernels.
     */
    @Override
    public BackendArray[] conv2dBackward(BackendArray gradOutput, BackendArray input, BackendArray weight,
            BackendArray output, Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
        if (!weightGrad || spec.groups() != 1 || spec.dilation()[0] != 1 || spec.dilation()[1] != 1) {
            return ConvolutionKernels.super.conv2dBackward(gradOutput, input, weight, output, spec, inputGrad,
                    weightGrad);
        }
        Nd4jArray g = backend.arg(gradOutput);
        Nd4jArray x = backend.arg(input);
        Nd4jArray w = backend.arg(weight);
        int[] k = {w.shape()[2], w.shape()[3]};
        INDArray[] inputGradient = new INDArray[1];
        BackendArray gw;
        try {
            gw = run("conv2dBackward " + spec, w.shape(), g.dtype(), () -> {
                INDArray gi = alloc(x.shape(), g.dtype());
                INDArray gwRaw;
                try {
                    gwRaw = alloc(w.shape(), g.dtype());
                } catch (RuntimeException e) {
                    closeQuietly(gi);
                    throw e;
                }
                try {
                    Nd4jOpRunner.exec("conv2d_bp", new INDArray[] {x.raw(), w.raw(), g.raw()},
                            new INDArray[] {gi, gwRaw}, convArgs(k, spec), null, null);
                } catch (RuntimeException e) {
                    closeQuietly(gi);
                    closeQuietly(gwRaw);
                    throw e;
                }
                inputGradient[0] = gi;
                return gwRaw;
            }, g, x, w);
        } catch (RuntimeException | Error e) {
            if (inputGradient[0] != null) {
                closeQuietly(inputGradient[0]);
            }
            throw e;
        }
        if (!inputGrad) {
            closeQuietly(inputGradient[0]);
            return new BackendArray[] {null, gw};
        }
        try {
            return new BackendArray[] {backend.wrap(inputGradient[0], x.shape().clone(), g.dtype()), gw};
        } catch (RuntimeException | Error e) {
            closeQuietly(inputGradient[0]);
            gw.close();
            throw e;
        }
    }

    @Override
    public BackendArray maxPool2d(BackendArray input, Pool2dSpec spec) {
        Nd4jArray x = backend.arg(input);
        int[] out = pooled(x.shape(), spec);
        return run("maxPool2d " + spec, out, x.dtype(), () -> {
            INDArray o = alloc(out, x.dtype());
            long[] args = poolArgs(spec, 0);
            written(o, () -> Nd4jOpRunner.exec("maxpool2d", new INDArray[] {x.raw()}, o, args, null, null));
            if (!Nd4jNaN.hasNaN(backend, x.raw())) {
                return o;
            }
            // patchPooled closes o, failing or not
            return Nd4jNaN.patchPooled(o, x.raw(), (mask, any) -> Nd4jOpRunner.exec("maxpool2d",
                    new INDArray[] {mask}, any, args, null, null), out, x.dtype());
        }, x);
    }

    @Override
    public BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, Pool2dSpec spec) {
        Nd4jArray g = backend.arg(gradOutput);
        Nd4jArray x = backend.arg(input);
        return run("maxPool2dBackward " + spec, x.shape(), g.dtype(), () -> {
            INDArray o = alloc(x.shape(), x.dtype());
            return written(o, () -> Nd4jOpRunner.exec("maxpool2d_bp", new INDArray[] {x.raw(), g.raw()}, o,
                    poolArgs(spec, 0), null, null));
        }, g, x);
    }

    @Override
    public BackendArray avgPool2d(BackendArray input, Pool2dSpec spec) {
        Nd4jArray x = backend.arg(input);
        int[] out = pooled(x.shape(), spec);
        return run("avgPool2d " + spec, out, x.dtype(), () -> {
            INDArray o = alloc(out, x.dtype());
            return written(o, () -> Nd4jOpRunner.exec("avgpool2d", new INDArray[] {x.raw()}, o,
                    poolArgs(spec, divisor(spec)), null, null));
        }, x);
    }

    @Override
    public BackendArray avgPool2dBackward(BackendArray gradOutput, int[] inputShape, Pool2dSpec spec) {
        Nd4jArray g = backend.arg(gradOutput);
        return run("avgPool2dBackward " + spec, inputShape, g.dtype(), () -> {
            INDArray o = alloc(inputShape, g.dtype());
            // avgpool2d_bp reads only the shape of its first input (the forward's input): the output has it
            return written(o, () -> Nd4jOpRunner.exec("avgpool2d_bp", new INDArray[] {o, g.raw()}, o,
                    poolArgs(spec, divisor(spec)), null, null));
        }, g);
    }

    // ---------------------------------------------------------------- convolution helpers

    /** One libnd4j op on the (group's) operands {@code in}, writing into {@code out}. */
    private interface GroupKernel {
        void run(INDArray[] in, INDArray out);
    }

    private INDArray grouped(int groups, int[] shape, DType dtype, INDArray[] in, int[] splitAxes, GroupKernel kernel) {
        return grouped(groups, shape, dtype, in, splitAxes, false, kernel);
    }

    /**
     * Runs {@code kernel} into a new array of {@code shape}: at once when {@code groups} is 1, otherwise
     * once per group on contiguous copies of each operand's group slice (operand {@code i} split along
     * axis {@code splitAxes[i]}, null operands passed as null), the results joined along axis 0 of the
     * output when {@code outputAxis0} (a weight gradient) or axis 1 (channels) otherwise.
     */
    private INDArray grouped(int groups, int[] shape, DType dtype, INDArray[] in, int[] splitAxes, boolean outputAxis0,
            GroupKernel kernel) {
        INDArray out = alloc(shape, dtype);
        if (groups == 1) {
            return written(out, () -> kernel.run(in, out));
        }
        List<INDArray> temps = new ArrayList<>();
        try {
            int axis = outputAxis0 ? 0 : 1;
            int part = shape[axis] / groups;
            for (int gi = 0; gi < groups; gi++) {
                INDArray[] slices = new INDArray[in.length];
                for (int i = 0; i < in.length; i++) {
                    slices[i] = in[i] == null ? null : groupSlice(in[i], splitAxes[i], gi, groups, temps);
                }
                int[] partShape = shape.clone();
                partShape[axis] = part;
                INDArray o = alloc(partShape, dtype);
                temps.add(o);
                kernel.run(slices, o);
                view(out, axis, gi * part, part).assign(o);
            }
            return out;
        } catch (RuntimeException e) {
            closeQuietly(out);
            throw e;
        } finally {
            temps.forEach(INDArray::close);
        }
    }

    /** Returns {@code out} once {@code kernel} has written it; closes it when the kernel fails. */
    private static INDArray written(INDArray out, Runnable kernel) {
        try {
            kernel.run();
            return out;
        } catch (RuntimeException e) {
            closeQuietly(out);
            throw e;
        }
    }

    private static void closeQuietly(INDArray a) {
        if (!a.wasClosed() && a.closeable()) {
            a.close();
        }
    }

    /** Returns a contiguous copy of group {@code g} of {@code groups} of {@code a} along {@code axis}. */
    private static INDArray groupSlice(INDArray a, int axis, int g, int groups, List<INDArray> temps) {
        long part = a.size(axis) / groups;
        INDArray copy = view(a, axis, g * part, part).dup('c');
        temps.add(copy);
        return copy;
    }

    /** Returns the view of elements {@code [start, start + length)} of {@code a} along {@code axis}. */
    private static INDArray view(INDArray a, int axis, long start, long length) {
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i == axis ? NDArrayIndex.interval(start, start + length) : NDArrayIndex.all();
        }
        return a.get(idx);
    }

    /**
     * Writes into {@code out} ({@code [N, C, H, W]}) the input gradient of the convolution: libnd4j's
     * {@code deconv2d} of {@code gradOut} with {@code weight} read as {@code [O, C, kH, kW]}.
     */
    private static void transposed(INDArray gradOut, INDArray weight, INDArray out, int[] k, Conv2dSpec spec) {
        int[] s = spec.stride();
        int[] p = spec.padding();
        int[] d = spec.dilation();
        long[] full = {s[0] * (gradOut.size(2) - 1) + (long) d[0] * (k[0] - 1) + 1,
            s[1] * (gradOut.size(3) - 1) + (long) d[1] * (k[1] - 1) + 1};
        long h = out.size(2);
        long w = out.size(3);
        if (full[0] - 2L * p[0] == h && full[1] - 2L * p[1] == w) {
            Nd4jOpRunner.exec("deconv2d", new INDArray[] {gradOut, weight}, out, deconvArgs(k, spec, p), null, null);
            return;
        }
        // deconv2d would crop `padding` from both sides of the full transposed output, too short here:
        // take the full output and copy out the input's window, rows and columns past it left zero
        INDArray whole = Nd4j.createUninitialized(out.dataType(), out.size(0), out.size(1), full[0], full[1]);
        try {
            Nd4jOpRunner.exec("deconv2d", new INDArray[] {gradOut, weight}, whole, deconvArgs(k, spec, new int[] {0, 0}),
                    null, null);
            long rows = Math.min(h, full[0] - p[0]);
            long cols = Math.min(w, full[1] - p[1]);
            out.assign(0);
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, rows), NDArrayIndex.interval(0, cols))
                    .assign(whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(p[0], p[0] + rows),
                            NDArrayIndex.interval(p[1], p[1] + cols)));
        } finally {
            whole.close();
        }
    }

    /**
     * Writes into {@code out} ({@code [O, C, kH, kW]}) the weight gradient: {@code im2col} of
     * {@code input} ({@code [N, C·kH·kW, oH·oW]}), a batched {@code gradOut · colsᵀ} and the sum over the
     * batch.
     */
    private static void weightGradient(INDArray gradOut, INDArray input, INDArray out, int[] k, Conv2dSpec spec) {
        long n = input.size(0);
        long c = input.size(1);
        long o = gradOut.size(1);
        long oh = gradOut.size(2);
        long ow = gradOut.size(3);
        long ckk = c * k[0] * k[1];
        INDArray cols = Nd4j.createUninitialized(input.dataType(), n, c, k[0], k[1], oh, ow);
        INDArray perSample = null;
        try {
            Nd4jOpRunner.exec("im2col", new INDArray[] {input}, cols, im2colArgs(k, spec), null, null);
            INDArray colsView = cols.reshape('c', n, ckk, oh * ow);
            INDArray gradView = gradOut.reshape('c', n, o, oh * ow);
            INDArray outView = out.reshape('c', o, ckk);
            if (n == 1) {
                Nd4jOpRunner.exec("matmul", new INDArray[] {gradView.reshape('c', o, oh * ow),
                    colsView.reshape('c', ckk, oh * ow)}, outView, new long[] {0, 1, 0}, null, null);
                return;
            }
            perSample = Nd4j.createUninitialized(input.dataType(), n, o, ckk);
            Nd4jOpRunner.exec("matmul", new INDArray[] {gradView, colsView}, perSample, new long[] {0, 1, 0}, null, null);
            Nd4jOpRunner.exec("reduce_sum", new INDArray[] {perSample}, outView, new long[] {0}, new boolean[] {false},
                    null);
        } finally {
            cols.close();
            if (perSample != null) {
                perSample.close();
            }
        }
    }

    private static long[] convArgs(int[] k, Conv2dSpec spec) {
        return new long[] {k[0], k[1], spec.stride()[0], spec.stride()[1], spec.padding()[0], spec.padding()[1],
            spec.dilation()[0], spec.dilation()[1], 0, NCHW, OIYX};
    }

    private static long[] deconvArgs(int[] k, Conv2dSpec spec, int[] padding) {
        // deconv2d's weight format 1 is [iC, oC, kH, kW] with iC its input (the convolution's output) channels
        return new long[] {k[0], k[1], spec.stride()[0], spec.stride()[1], padding[0], padding[1],
            spec.dilation()[0], spec.dilation()[1], 0, NCHW, OIYX};
    }

    private static long[] im2colArgs(int[] k, Conv2dSpec spec) {
        return new long[] {k[0], k[1], spec.stride()[0], spec.stride()[1], spec.padding()[0], spec.padding()[1],
            spec.dilation()[0], spec.dilation()[1], 0};
    }

    // ---------------------------------------------------------------- pooling helpers

    /** libnd4j's pooling arguments: kernel, stride, padding, dilation 1, explicit padding, {@code extra}, NCHW. */
    private static long[] poolArgs(Pool2dSpec spec, long extra) {
        return new long[] {spec.kernel()[0], spec.kernel()[1], spec.stride()[0], spec.stride()[1], spec.padding()[0],
            spec.padding()[1], 1, 1, 0, extra, NCHW};
    }

    /** libnd4j's average-pooling divisor argument: 1 divides by the kernel area, 0 by the elements in the window. */
    private static long divisor(Pool2dSpec spec) {
        return spec.countIncludePad() ? 1 : 0;
    }

    private static int[] pooled(int[] in, Pool2dSpec spec) {
        return new int[] {in[0], in[1], spec.outputSize(0, in[2]), spec.outputSize(1, in[3])};
    }

    // ---------------------------------------------------------------- dispatch

    /**
     * Returns {@code kernel} as is, or for a dilated convolution wrapped so that it runs with libnd4j's
     * platform helpers switched off. The default {@code linux-x86_64-onednn} build routes
     * {@code conv2d} to oneDNN, which refuses every dilated convolution ("could not create a descriptor
     * for a dilated convolution forward propagation primitive"); libnd4j's own kernel handles them.
     * The switch is process-wide: {@link #HELPERS_SWITCH} keeps two dilated calls from interleaving
     * their off/restore, and an op of another thread that meets the switch off merely runs libnd4j's
     * own (correct, slower) kernel.
     */
    private static Supplier<INDArray> generic(Conv2dSpec spec, Supplier<INDArray> kernel) {
        if (spec.dilation()[0] == 1 && spec.dilation()[1] == 1) {
            return kernel;
        }
        return () -> {
            synchronized (HELPERS_SWITCH) {
                Environment environment = Nd4j.getEnvironment();
                boolean allowed = environment.helpersAllowed();
                environment.allowHelpers(false);
                try {
                    return kernel.get();
                } finally {
                    environment.allowHelpers(allowed);
                }
            }
        };
    }

    private BackendArray run(String op, int[] shape, DType dtype, Supplier<INDArray> kernel, Nd4jArray... args) {
        return backend.run(op, shape, dtype, kernel, args);
    }
}
