package io.polygrad.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.AbstractBackend;
import io.polygrad.spi.ArgReduceOp;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendException;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;
import java.lang.ref.Cleaner;
import java.util.Locale;

/**
 * The DJL backend: polygrad's primitive kernels on DJL {@code NDArray}s with the PyTorch engine
 * (libtorch), on the CPU or on one CUDA device.
 *
 * <pre>{@code
 * Backend djl = new DjlBackend(Device.CPU);
 * try (BackendArray a = djl.fromDoubles(new double[] {1, 2, 3}, new int[] {3}, DType.FLOAT32);
 *      BackendArray e = djl.unary(UnaryOp.EXP, a)) {
 *     djl.toDoubleArray(e);   // [2.718.., 7.389.., 20.08..]
 * }
 * }</pre>
 *
 * <p>A thin dispatcher: the edge cases are answered by {@link AbstractBackend}, the kernels live in
 * one class per family ({@link DjlCreation}, {@link DjlElementwise}, {@link DjlReductions},
 * {@link DjlMatmul}, {@link DjlMovement}). How it maps the SPI onto libtorch:
 * <ul>
 *   <li>Every result owns fresh, contiguous (row-major) storage: libtorch's views ({@code reshape},
 *       {@code permute}, {@code expand}, {@code slice}) are materialised, so a result never aliases an
 *       argument and closing one never affects another.</li>
 *   <li>All arrays of one backend live in one long-lived {@code NDManager}; {@link DjlArray#close()}
 *       frees the tensor and removes it from that manager, so a loop of create/close keeps memory
 *       flat. Temporaries inside a kernel (bool masks, views) are closed before it returns.</li>
 *   <li>Comparisons give libtorch bool tensors, converted back to the operand dtype (1.0/0.0);
 *       {@code where} turns its condition into {@code condition != 0} first.</li>
 *   <li>Constants are made in the operand dtype, so float32 kernels never promote to float64.</li>
 *   <li>Data crosses from Java through a per-thread staging buffer and is copied into
 *       libtorch-owned memory, so no Java direct buffer stays behind a tensor.</li>
 *   <li>libtorch and DJL exceptions are rethrown as {@link BackendException} naming the op and
 *       shapes.</li>
 * </ul>
 * Thread-safe for distinct arrays.
 */
public final class DjlBackend extends AbstractBackend {

    /** The configuration name of this backend. */
    public static final String NAME = "djl";

    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    /** DJL's name for {@link #device}. */
    final ai.djl.Device djlDevice;
    /** The manager that holds every array of this backend. */
    final PtNDManager manager;
    final PtNDArray zero32;
    final PtNDArray zero64;
    final PtNDArray one32;
    final PtNDArray one64;
    /** The native convolution and pooling kernels. */
    private final DjlConvolution convolution = new DjlConvolution(this);
    /** The native activation kernels. */
    private final DjlActivation activation = new DjlActivation(this);

    /**
     * Creates a backend on {@code device}, loading libtorch on first use.
     *
     * @throws IllegalStateException if libtorch cannot load (the message names the missing jar) or
     *                               the CUDA device is not visible to the engine
     */
    public DjlBackend(Device device) {
        this.device = device;
        Engine engine = DjlRuntime.engine();
        String problem = DjlRuntime.problemWith(device);
        if (problem != null) {
            throw new IllegalStateException("The djl backend cannot use " + device + ": " + problem);
        }
        djlDevice = device.type() == Device.Type.CUDA ? ai.djl.Device.gpu(device.index()) : ai.djl.Device.cpu();
        manager = (PtNDManager) engine.newBaseManager(djlDevice);
        manager.setName("polygrad-djl-" + device);
        zero32 = JniUtils.full(manager, new Shape(), 0, DataType.FLOAT32, djlDevice, SparseFormat.DENSE);
        zero64 = JniUtils.full(manager, new Shape(), 0, DataType.FLOAT64, djlDevice, SparseFormat.DENSE);
        one32 = JniUtils.full(manager, new Shape(), 1, DataType.FLOAT32, djlDevice, SparseFormat.DENSE);
        one64 = JniUtils.full(manager, new Shape(), 1, DataType.FLOAT64, djlDevice, SparseFormat.DENSE);
        // Once neither this backend nor any of its arrays (which refer to it) is reachable, free the
        // manager with its constants; it would otherwise stay registered in DJL's system manager.
        PtNDManager m = manager;
        CLEANER.register(this, m::close);
    }

    /**
     * Creates a backend on {@code device} and sets libtorch's process-wide intra-op thread count
     * ({@code torch.set_num_threads}) to {@code threads}.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1
     * @throws IllegalStateException    as {@link #DjlBackend(Device)}
     */
    public DjlBackend(Device device, int threads) {
        this(requireThreads("djl", device, threads));
        JniUtils.setNumThreads(threads);
    }

    /** Returns libtorch's process-wide intra-op thread count. */
    public static int threads() {
        DjlRuntime.engine();
        return JniUtils.getNumThreads();
    }


    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return device;
    }

    // ---------------------------------------------------------------- creation and read-back

    @Override
    protected BackendArray fromDoublesKernel(double[] data, int[] shape, DType dtype) {
        return DjlCreation.fromDoubles(this, data, shape, dtype);
    }

    @Override
    protected BackendArray fromFloatsKernel(float[] data, int[] shape) {
        return DjlCreation.fromFloats(this, data, shape);
    }

    @Override
    protected BackendArray fullKernel(int[] shape, double value, DType dtype) {
        return DjlCreation.full(this, shape, value, dtype);
    }

    @Override
    protected double[] toDoubleArrayKernel(BackendArray a) {
        return DjlCreation.toDoubleArray(this, arg(a));
    }

    @Override
    protected float[] toFloatArrayKernel(BackendArray a) {
        return DjlCreation.toFloatArray(this, arg(a));
    }

    @Override
    protected BackendArray fromLongsKernel(long[] data, int[] shape) {
        return DjlCreation.fromLongs(this, data, shape);
    }

    @Override
    protected long[] toLongArrayKernel(BackendArray a) {
        return DjlCreation.toLongArray(this, arg(a));
    }

    /** libtorch's own argmax/argmin: PyTorch's rules (first index on ties, NaN is the extreme) by definition. */
    @Override
    protected BackendArray argReduceKernel(ArgReduceOp op, BackendArray a, int axis, boolean keepDims, int[] shape) {
        return DjlIndexing.argReduce(this, op, arg(a), axis, keepDims, shape);
    }

    /** libtorch's {@code gather}. */
    @Override
    protected BackendArray gatherKernel(BackendArray a, int axis, BackendArray index) {
        return DjlIndexing.gather(this, arg(a), axis, arg(index));
    }

    @Override
    protected BackendArray castKernel(BackendArray a, DType dtype) {
        return DjlCreation.cast(this, arg(a), dtype);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    protected BackendArray unaryKernel(UnaryOp op, BackendArray a) {
        return DjlElementwise.unary(this, op, arg(a));
    }

    @Override
    protected BackendArray binaryKernel(BinaryOp op, BackendArray a, BackendArray b, int[] shape) {
        return DjlElementwise.binary(this, op, arg(a), arg(b), shape);
    }

    /** {@code a + alpha·b} as a product and an in-place add into it: one new tensor, the default's values. */
    @Override
    public BackendArray addScaled(BackendArray a, double alpha, BackendArray b) {
        DjlArray x = arg(a);
        DjlArray y = arg(b);
        BackendArray scale = full(io.polygrad.spi.Shapes.scalar(), alpha, y.dtype());
        try {
            DjlArray s = arg(scale);
            return DjlGraph.runArray(this, "addScaled", x.shape(), x.dtype(),
                    () -> DjlElementwise.addScaled(this, x, s, y), x, y, s);
        } finally {
            scale.close();
        }
    }

    @Override
    protected BackendArray whereKernel(BackendArray condition, BackendArray a, BackendArray b, int[] shape) {
        return DjlElementwise.where(this, arg(condition), arg(a), arg(b), shape);
    }

    // ---------------------------------------------------------------- reductions and matmul

    @Override
    protected BackendArray reduceKernel(ReduceOp op, BackendArray a, int[] axes, boolean keepDims, int[] shape) {
        return DjlReductions.reduce(this, op, arg(a), axes, keepDims, shape);
    }

    /** Multiplies libtorch views of the transposes: BLAS reads them in place, nothing is copied. */
    @Override
    protected BackendArray matmulKernel(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB,
            int[] shape) {
        return DjlMatmul.matmul(this, arg(a), transposeA, arg(b), transposeB, shape);
    }

    // ---------------------------------------------------------------- movement

    @Override
    protected BackendArray reshapeKernel(BackendArray a, int[] shape) {
        return DjlMovement.reshape(this, arg(a), shape);
    }

    @Override
    protected BackendArray permuteKernel(BackendArray a, int[] axes, int[] shape) {
        return DjlMovement.permute(this, arg(a), axes, shape);
    }

    @Override
    protected BackendArray broadcastToKernel(BackendArray a, int[] shape) {
        return DjlMovement.broadcastTo(this, arg(a), shape);
    }

    @Override
    protected BackendArray sliceKernel(BackendArray a, int axis, int start, int end, int[] shape) {
        return DjlMovement.slice(this, arg(a), axis, start, end, shape);
    }

    @Override
    protected BackendArray concatKernel(BackendArray[] parts, int axis, int[] shape) {
        return DjlMovement.concat(this, parts, axis, shape);
    }

    // ---------------------------------------------------------------- added for the PyTorch-porting ops (issue 14)

    @Override
    protected BackendArray cumsumKernel(BackendArray a, int axis, boolean reverse) {
        return DjlBreadth.cumsum(this, arg(a), axis, reverse);
    }

    // ---------------------------------------------------------------- native convolution and pooling

    /** libtorch's conv2d, max_pool2d and avg_pool2d, forward and backward ({@link DjlConvolution}). */
    @Override
    public java.util.Optional<io.polygrad.spi.ConvolutionKernels> convolutionKernels() {
        return java.util.Optional.of(convolution);
    }

    /** libtorch's relu and its gradient, {@code threshold_backward} ({@link DjlActivation}). */
    @Override
    public java.util.Optional<io.polygrad.spi.ActivationKernels> activationKernels() {
        return java.util.Optional.of(activation);
    }

    /**
     * Recognises libtorch's allocation failures ({@code DefaultCPUAllocator: can't allocate memory},
     * {@code CUDA out of memory}), which DJL throws as {@code EngineException}, so that they become
     * a {@link io.polygrad.spi.BackendOutOfMemoryError} naming the shape and bytes.
     */
    @Override
    protected boolean isOutOfMemory(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("can't allocate memory") || m.contains("out of memory")
                    || m.contains("Cannot allocate memory"))) {
                return true;
            }
        }
        return false;
    }

    /** Returns how many tensors this backend's NDManager holds now (its constants included), for tests. */
    int managedArrayCount() {
        return manager.getManagedArrays().size();
    }

    /** Returns e.g. {@code DjlBackend[cpu]}. */
    @Override
    public String toString() {
        return "DjlBackend[" + device + "]";
    }

    // ---------------------------------------------------------------- helpers of the families

    /** Returns a new handle owning {@code nd}. */
    DjlArray wrap(PtNDArray nd, int[] shape, DType dtype) {
        return new DjlArray(this, nd, shape, dtype);
    }

    /**
     * Returns {@code a} as this backend's array; rejects another backend's array. It is not checked
     * for being closed: {@link AbstractBackend} holds it for the kernel, so its tensor stays valid
     * even if another thread closes it meanwhile.
     */
    DjlArray arg(BackendArray a) {
        if (a instanceof DjlArray x) {
            return x;
        }
        throw new IllegalArgumentException("The djl backend was given an array of another backend: " + a);
    }

    /** Returns the bool tensor {@code bool} (closing it) converted to {@code dtype}. */
    PtNDArray toDType(PtNDArray bool, DType dtype) {
        try {
            return JniUtils.to(bool, dataType(dtype), djlDevice);
        } finally {
            bool.close();
        }
    }

    /** Returns DJL's type for {@code dtype}. */
    static DataType dataType(DType dtype) {
        return dtype == DType.FLOAT64 ? DataType.FLOAT64 : dtype == DType.INT64 ? DataType.INT64 : DataType.FLOAT32;
    }

    /** Closes every non-null tensor. */
    static void closeAll(PtNDArray... arrays) {
        for (PtNDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }

    /** Returns a copy of the view {@code v} with its own storage, and closes the view. */
    static PtNDArray copyOf(PtNDArray v) {
        try {
            return JniUtils.clone(v);
        } finally {
            v.close();
        }
    }

    /** Returns {@code e} as a {@link BackendException} naming {@code op} (an enum in lower case) and the shapes. */
    static BackendException fail(Object op, RuntimeException e, int[]... shapes) {
        if (e instanceof BackendException be) {
            return be;
        }
        String name = op instanceof Enum<?> en ? en.name().toLowerCase(Locale.ROOT) : String.valueOf(op);
        return new BackendException(NAME, name, e, shapes);
    }
}
