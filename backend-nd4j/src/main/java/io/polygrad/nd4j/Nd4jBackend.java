package io.polygrad.nd4j;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.AbstractBackend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendException;
import io.polygrad.spi.BackendOutOfMemoryError;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The ND4J backend: every primitive of the {@link io.polygrad.spi.Backend} SPI as libnd4j kernels
 * on {@link INDArray}, in float32 and float64.
 *
 * <pre>{@code
 * Backend nd4j = new Nd4jBackend(Device.CPU);   // or through Nd4jModule / the nd4j provider
 * }</pre>
 *
 * <p>A thin dispatcher: the edge cases (size-0 results, reductions over no axes or no elements,
 * empty products, empty concat parts) are answered by {@link AbstractBackend}, the kernels live in
 * one class per family ({@link Nd4jCreation}, {@link Nd4jElementwise}, {@link Nd4jReductions},
 * {@link Nd4jMatmul}, {@link Nd4jMovement}). Design points:
 * <ul>
 *   <li><b>No aliasing.</b> Every result is a fresh C-ordered allocation; views ND4J would return
 *       (reshape, permute, slice) are never handed out.</li>
 *   <li><b>Cheap dispatch.</b> Kernels run as libnd4j custom ops through {@link Nd4jOpRunner}
 *       (reused per-thread op contexts, preallocated outputs, about 2 µs per call), or as legacy
 *       transform ops for the unary functions (about 0.4 µs); the {@code INDArray} convenience
 *       methods ({@code add}, {@code mmul}, {@code sum}, 5–20 µs per call) are avoided.</li>
 *   <li><b>Exact dtypes.</b> Outputs are allocated in the input dtype before the kernel runs, so a
 *       float32 matmul runs {@code sgemm} and a float64 one {@code dgemm}.</li>
 *   <li><b>Rank.</b> The polygrad shape is kept in {@link Nd4jArray}, so rank-0 arrays keep shape
 *       {@code []}; operands are viewed with the result's rank where libnd4j would otherwise treat a
 *       length-1 operand as a scalar.</li>
 *   <li><b>NaN.</b> libnd4j's {@code maximum}/{@code minimum} and {@code reduce_max} drop a NaN in
 *       some argument positions, its {@code sign(NaN)} is 0 and its {@code pow(1, NaN)} is 1;
 *       {@link Nd4jNaN} detects those inputs and patches the result, so NaN propagates as the SPI
 *       requires.</li>
 * </ul>
 * ND4J failures are rethrown as {@link BackendException} naming the op and the input shapes.
 */
public final class Nd4jBackend extends AbstractBackend {

    /** The configuration name of this backend. */
    public static final String NAME = "nd4j";

    /** The cached 0-d float32 constants, by the bits of their value (see {@link Nd4jCreation#full}). */
    final ConcurrentHashMap<Long, INDArray> float32Constants = new ConcurrentHashMap<>();
    /** The cached 0-d float64 constants, by the bits of their value. */
    final ConcurrentHashMap<Long, INDArray> float64Constants = new ConcurrentHashMap<>();

    private final Device device;
    /** Whether ND4J runs its CPU backend (nd4j-native) rather than CUDA. */
    final boolean cpu;
    /** The native convolution and pooling kernels. */
    private final Nd4jConvolution convolution = new Nd4jConvolution(this);
    /** The native activation kernels. */
    private final Nd4jActivation activation = new Nd4jActivation(this);

    /**
     * Creates a backend on {@code device}, loading ND4J's native libraries if that has not happened
     * yet.
     *
     * @throws IllegalStateException naming the missing artifact or device when ND4J cannot run on
     *                               {@code device} here
     */
    public Nd4jBackend(Device device) {
        Nd4jRuntime.State state = Nd4jRuntime.state();
        if (!state.loaded()) {
            throw new IllegalStateException("The nd4j backend cannot start: " + state.failure());
        }
        if (!state.devices().contains(device)) {
            throw new IllegalStateException("The nd4j backend cannot use device " + device + ": "
                    + Nd4jBackendProvider.deviceProblem(state, device));
        }
        this.device = device;
        this.cpu = !state.cuda();
    }

    /**
     * Creates a backend on {@code device} and sets libnd4j's process-wide thread counts (OpenMP's,
     * which {@code OMP_NUM_THREADS} sets at start-up, libnd4j's {@code maxMasterThreads} and the BLAS
     * library's) to {@code threads}.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1
     * @throws IllegalStateException    as {@link #Nd4jBackend(Device)}
     */
    public Nd4jBackend(Device device, int threads) {
        this(requireThreads("nd4j", device, threads));
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** Returns libnd4j's process-wide OpenMP thread count. */
    public static int threads() {
        Nd4jRuntime.State state = Nd4jRuntime.state();
        if (!state.loaded()) {
            throw new IllegalStateException("The nd4j backend cannot start: " + state.failure());
        }
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }


    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return device;
    }

    /** Returns e.g. {@code nd4j backend on cpu}. */
    @Override
    public String toString() {
        return "nd4j backend on " + device;
    }

    // ------------------------------------------------------------------ creation and read-back

    @Override
    protected BackendArray fromDoublesKernel(double[] data, int[] shape, DType dtype) {
        return Nd4jCreation.fromDoubles(this, data, shape, dtype);
    }

    @Override
    protected BackendArray fromFloatsKernel(float[] data, int[] shape) {
        return Nd4jCreation.fromFloats(this, data, shape);
    }

    @Override
    protected BackendArray fullKernel(int[] shape, double value, DType dtype) {
        return Nd4jCreation.full(this, shape, value, dtype);
    }

    @Override
    protected double[] toDoubleArrayKernel(BackendArray a) {
        return Nd4jCreation.toDoubleArray(this, arg(a));
    }

    @Override
    protected float[] toFloatArrayKernel(BackendArray a) {
        return Nd4jCreation.toFloatArray(this, arg(a));
    }

    @Override
    protected BackendArray fromLongsKernel(long[] data, int[] shape) {
        return Nd4jCreation.fromLongs(this, data, shape);
    }

    @Override
    protected long[] toLongArrayKernel(BackendArray a) {
        return Nd4jCreation.toLongArray(this, arg(a));
    }

    @Override
    protected BackendArray castKernel(BackendArray a, DType dtype) {
        return Nd4jCreation.cast(this, arg(a), dtype);
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    protected BackendArray unaryKernel(UnaryOp op, BackendArray a) {
        return Nd4jElementwise.unary(this, op, arg(a));
    }

    @Override
    protected BackendArray binaryKernel(BinaryOp op, BackendArray a, BackendArray b, int[] shape) {
        return Nd4jElementwise.binary(this, op, arg(a), arg(b), shape);
    }

    @Override
    protected BackendArray whereKernel(BackendArray condition, BackendArray a, BackendArray b, int[] shape) {
        return Nd4jElementwise.where(this, arg(condition), arg(a), arg(b), shape);
    }

    /**
     * Returns {@code a + alpha·b} in one pass, libnd4j's legacy pairwise {@code Axpy} transform
     * ({@code alpha·b + a} in the arrays' dtype, the product rounded before the sum: it matches the
     * default's two ops bit for bit, where BLAS {@code saxpy} fuses the multiply-add).
     */
    @Override
    public BackendArray addScaled(BackendArray a, double alpha, BackendArray b) {
        Nd4jArray x = arg(a);
        Nd4jArray y = arg(b);
        return run("addScaled", x.shape(), x.dtype(), () -> {
            INDArray out = Nd4jArray.alloc(x.shape(), x.dtype());
            if (x.length() == 0) {
                return out;
            }
            try {
                Nd4j.getExecutioner().exec(new Axpy(y.raw(), x.raw(), out, alpha));
                return out;
            } catch (RuntimeException e) {
                out.close();
                throw e;
            }
        }, x, y);
    }

    // ------------------------------------------------------------------ reductions and matmul

    @Override
    protected BackendArray reduceKernel(ReduceOp op, BackendArray a, int[] axes, boolean keepDims, int[] shape) {
        return Nd4jReductions.reduce(this, op, arg(a), axes, keepDims, shape);
    }

    /** Passes the transposes to libnd4j's matmul as flags: BLAS reads the operands in place. */
    @Override
    protected BackendArray matmulKernel(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB,
            int[] shape) {
        return Nd4jMatmul.matmul(this, arg(a), transposeA, arg(b), transposeB, shape);
    }

    // ------------------------------------------------------------------ movement

    @Override
    protected BackendArray reshapeKernel(BackendArray a, int[] shape) {
        return Nd4jMovement.reshape(this, arg(a), shape);
    }

    @Override
    protected BackendArray permuteKernel(BackendArray a, int[] axes, int[] shape) {
        return Nd4jMovement.permute(this, arg(a), axes, shape);
    }

    @Override
    protected BackendArray broadcastToKernel(BackendArray a, int[] shape) {
        return Nd4jMovement.broadcastTo(this, arg(a), shape);
    }

    @Override
    protected BackendArray sliceKernel(BackendArray a, int axis, int start, int end, int[] shape) {
        return Nd4jMovement.slice(this, arg(a), axis, start, end, shape);
    }

    @Override
    protected BackendArray concatKernel(BackendArray[] parts, int axis, int[] shape) {
        return Nd4jMovement.concat(this, parts, axis, shape);
    }

    // ------------------------------------------------------------------ added for the PyTorch-porting ops (issue 14)

    @Override
    protected BackendArray cumsumKernel(BackendArray a, int axis, boolean reverse) {
        return Nd4jBreadth.cumsum(this, arg(a), axis, reverse);
    }

    // ------------------------------------------------------------------ native convolution and pooling

    /** libnd4j's conv2d, deconv2d, im2col and pooling ops, forward and backward ({@link Nd4jConvolution}). */
    @Override
    public java.util.Optional<io.polygrad.spi.ConvolutionKernels> convolutionKernels() {
        return java.util.Optional.of(convolution);
    }

    /** relu as libnd4j's relu and its gradient as one compare-and-set pass ({@link Nd4jActivation}). */
    @Override
    public java.util.Optional<io.polygrad.spi.ActivationKernels> activationKernels() {
        return java.util.Optional.of(activation);
    }

    // ------------------------------------------------------------------ helpers of the families

    /**
     * Returns {@code a} as this backend's array; rejects another backend's array. It is not checked
     * for being closed: {@link AbstractBackend} holds it for the kernel, so its buffer stays valid
     * even if another thread closes it meanwhile.
     */
    Nd4jArray arg(BackendArray a) {
        if (!(a instanceof Nd4jArray)) {
            throw new IllegalArgumentException("The nd4j backend got an array from another backend: "
                    + (a == null ? "null" : a.getClass().getName()));
        }
        return (Nd4jArray) a;
    }

    /** Returns a new handle owning {@code arr}. */
    Nd4jArray wrap(INDArray arr, int[] shape, DType dtype) {
        return new Nd4jArray(this, arr, shape, dtype);
    }

    /** Returns a copy of {@code x}'s elements (row-major) with {@code shape}. */
    Nd4jArray copyAs(Nd4jArray x, int[] shape) {
        INDArray out = Nd4jArray.alloc(shape, x.dtype());
        Nd4j.getMemoryManager().memcpy(out.data(), x.raw().data());
        return wrap(out, shape, x.dtype());
    }

    /**
     * Runs {@code kernel} with every argument held and wraps its result as an array of {@code shape}: a
     * closed argument gives the "released" error, an allocation failure a {@link BackendOutOfMemoryError},
     * any other failure a {@link io.polygrad.spi.BackendException} naming the op and the argument shapes.
     */
    BackendArray run(String op, int[] shape, DType dtype, Supplier<INDArray> kernel, Nd4jArray... args) {
        int held = 0;
        try {
            for (Nd4jArray a : args) {
                if (a != null) {
                    a.acquire();
                }
                held++;
            }
            selectDevice();
            return wrap(kernel.get(), shape.clone(), dtype);
        } catch (RuntimeException e) {
            if (held < args.length) {
                throw e; // the "released" error of a closed argument
            }
            if (isOutOfMemory(e)) {
                throw new BackendOutOfMemoryError(Nd4jBackend.NAME, op, shape, dtype, e);
            }
            throw Nd4jBackend.fail(op, e, Arrays.stream(args).filter(a -> a != null).map(Nd4jArray::shape)
                    .toArray(int[][]::new));
        } finally {
            for (int i = 0; i < held; i++) {
                if (args[i] != null) {
                    args[i].release();
                }
            }
        }
    }

    /** Makes this thread's ND4J device the backend's (CUDA only; the CPU has one). */
    void selectDevice() {
        if (!cpu) {
            AffinityManager am = Nd4j.getAffinityManager();
            Integer current = am.getDeviceForCurrentThread();
            if (current == null || current != device.index()) {
                am.unsafeSetDevice(device.index());
            }
        }
    }

    /**
     * Recognises libnd4j's allocation failures ({@code Allocation failed: [std::bad_alloc]}, thrown
     * as a {@code RuntimeException}; JavaCPP's {@code OutOfMemoryError} is recognised anyway), so
     * that they become a {@link io.polygrad.spi.BackendOutOfMemoryError} naming the shape and bytes.
     */
    @Override
    protected boolean isOutOfMemory(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (t instanceof OutOfMemoryError || m != null && (m.contains("Allocation failed")
                    || m.contains("bad_alloc") || m.contains("Failed to allocate"))) {
                return true;
            }
        }
        return false;
    }

    /** Returns {@code e} as a {@link BackendException} naming {@code op} and the input shapes. */
    static BackendException fail(String op, RuntimeException e, int[]... shapes) {
        if (e instanceof BackendException) {
            return (BackendException) e;
        }
        return new BackendException(NAME, op, e, shapes);
    }
}
