package io.polygrad.scratch;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.AbstractBackend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;

/**
 * The pure-Java backend: float32 kernels compute in float, float64 kernels in double, without
 * per-element allocation; matmul is cache-blocked and parallel ({@link ScratchMatmul}).
 *
 * <p>A thin dispatcher: the edge cases are answered by {@link AbstractBackend}, the kernels live in
 * one class per family ({@link ScratchCreation}, {@link ScratchElementwise},
 * {@link ScratchReductions}, {@link ScratchMatmul}, {@link ScratchMovement}).
 *
 * <pre>{@code
 * Backend scratch = new ScratchBackend(Device.CPU);
 * }</pre>
 */
public final class ScratchBackend extends AbstractBackend {

    /** The configuration name of this backend. */
    public static final String NAME = "scratch";

    /** Creates a backend on the CPU. */
    public ScratchBackend() {
    }

    /**
     * Creates a backend on {@code device}.
     *
     * @throws IllegalArgumentException if {@code device} is not the CPU, the only device scratch runs on
     */
    public ScratchBackend(Device device) {
        if (device.type() != Device.Type.CPU) {
            throw new IllegalArgumentException("The scratch backend runs on the CPU only, but device "
                    + device + " was configured; use polygrad.backend=nd4j or djl for CUDA");
        }
    }

    /**
     * Creates a backend on {@code device} whose matrix products use {@code threads} workers. The
     * count is process-wide, as the native backends' thread settings: it applies to every scratch
     * backend in this JVM.
     *
     * @throws IllegalArgumentException if {@code device} is not the CPU or {@code threads} is below 1
     */
    public ScratchBackend(Device device, int threads) {
        this(requireThreads("scratch", device, threads));
        ScratchMatmul.setThreads(threads);
    }

    /** Returns how many workers this JVM's scratch matrix products use. */
    public static int threads() {
        return ScratchMatmul.threads();
    }


    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    // ---------------------------------------------------------------- creation

    @Override
    protected BackendArray fromDoublesKernel(double[] data, int[] shape, DType dtype) {
        return ScratchCreation.fromDoubles(this, data, shape, dtype);
    }

    @Override
    protected BackendArray fromFloatsKernel(float[] data, int[] shape) {
        return ScratchCreation.fromFloats(this, data, shape);
    }

    @Override
    protected BackendArray fullKernel(int[] shape, double value, DType dtype) {
        return ScratchCreation.full(this, shape, value, dtype);
    }

    @Override
    protected double[] toDoubleArrayKernel(BackendArray a) {
        return ScratchCreation.toDoubleArray(arg(a));
    }

    @Override
    protected float[] toFloatArrayKernel(BackendArray a) {
        return ScratchCreation.toFloatArray(arg(a));
    }

    @Override
    protected BackendArray castKernel(BackendArray a, DType dtype) {
        return ScratchCreation.cast(this, arg(a), dtype);
    }

    @Override
    protected BackendArray fromLongsKernel(long[] data, int[] shape) {
        return ScratchCreation.fromLongs(this, data, shape);
    }

    @Override
    protected long[] toLongArrayKernel(BackendArray a) {
        return ScratchCreation.toLongArray(arg(a));
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected BackendArray unaryKernel(UnaryOp op, BackendArray a) {
        return ScratchElementwise.unary(this, op, arg(a));
    }

    @Override
    protected BackendArray binaryKernel(BinaryOp op, BackendArray a, BackendArray b, int[] shape) {
        return ScratchElementwise.binary(this, op, arg(a), arg(b), shape);
    }

    /** Returns {@code a + alpha·b} in one pass, without the product's temporary (an optimizer's update). */
    @Override
    public BackendArray addScaled(BackendArray a, double alpha, BackendArray b) {
        a.acquire();
        try {
            b.acquire();
            try {
                return ScratchElementwise.addScaled(this, arg(a), alpha, arg(b));
            } finally {
                b.release();
            }
        } finally {
            a.release();
        }
    }

    @Override
    protected BackendArray whereKernel(BackendArray condition, BackendArray a, BackendArray b, int[] shape) {
        return ScratchElementwise.where(this, arg(condition), arg(a), arg(b), shape);
    }

    // ---------------------------------------------------------------- reductions and matmul

    @Override
    protected BackendArray reduceKernel(ReduceOp op, BackendArray a, int[] axes, boolean keepDims, int[] shape) {
        return ScratchReductions.reduce(this, op, arg(a), axes, shape);
    }

    @Override
    protected BackendArray matmulKernel(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB,
            int[] shape) {
        return ScratchMatmul.matmul(this, arg(a), transposeA, arg(b), transposeB, shape);
    }

    // ---------------------------------------------------------------- movement

    @Override
    protected BackendArray reshapeKernel(BackendArray a, int[] shape) {
        return ScratchMovement.reshape(this, arg(a), shape);
    }

    @Override
    protected BackendArray permuteKernel(BackendArray a, int[] axes, int[] shape) {
        return ScratchMovement.permute(this, arg(a), axes, shape);
    }

    @Override
    protected BackendArray broadcastToKernel(BackendArray a, int[] shape) {
        return ScratchMovement.broadcastTo(this, arg(a), shape);
    }

    @Override
    protected BackendArray sliceKernel(BackendArray a, int axis, int start, int end, int[] shape) {
        return ScratchMovement.slice(this, arg(a), axis, start, shape);
    }

    @Override
    protected BackendArray concatKernel(BackendArray[] parts, int axis, int[] shape) {
        return ScratchMovement.concat(this, parts, axis, shape);
    }

    // ---------------------------------------------------------------- added for the PyTorch-porting ops (issue 14)

    @Override
    protected BackendArray cumsumKernel(BackendArray a, int axis, boolean reverse) {
        return ScratchScan.cumsum(this, arg(a), axis, reverse);
    }

    // ---------------------------------------------------------------- convolution (unfold, fold, fast path)

    private final ScratchConvolution convolution = new ScratchConvolution(this);

    @Override
    protected BackendArray unfoldKernel(BackendArray a, int[] kernel, int[] dilation, int[] padding, int[] stride,
            int[] shape) {
        return ScratchConvolution.unfold(this, arg(a), kernel, dilation, padding, stride, shape);
    }

    @Override
    protected BackendArray foldKernel(BackendArray cols, int[] kernel, int[] dilation, int[] padding, int[] stride,
            int[] shape) {
        return ScratchConvolution.fold(this, arg(cols), kernel, dilation, padding, stride, shape);
    }

    /** Returns the pure-Java fused convolution and pooling kernels ({@link ScratchConvolution}). */
    @Override
    public java.util.Optional<io.polygrad.spi.ConvolutionKernels> convolutionKernels() {
        return java.util.Optional.of(convolution);
    }

    private final ScratchActivation activation = new ScratchActivation(this);

    /** Returns the pure-Java relu and its one-pass gradient ({@link ScratchActivation}). */
    @Override
    public java.util.Optional<io.polygrad.spi.ActivationKernels> activationKernels() {
        return java.util.Optional.of(activation);
    }

    /** Returns e.g. {@code ScratchBackend[cpu]}. */
    /** Plans buffers for a captured step once; see {@link ScratchProgram}. */
    @Override
    public io.polygrad.spi.CompiledProgram compile(io.polygrad.spi.KernelProgram program) {
        return ScratchProgram.compile(this, program);
    }

    @Override
    public String toString() {
        return "ScratchBackend[cpu]";
    }

    static ScratchArray arg(BackendArray a) {
        return (ScratchArray) a;
    }
}
