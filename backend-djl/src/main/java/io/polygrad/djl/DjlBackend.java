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
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendException;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Creates polygrad's primitive kernels on DJL {@code NDArray}s with the PyTorch engine (libtorch),
 * on the CPU or on one CUDA device.
 *
 * <pre>{@code
 * Backend djl = new DjlBackend(Device.CPU);
 * try (BackendArray a = djl.fromDoubles(new double[] {1, 2, 3}, new int[] {3}, DType.FLOAT32);
 *      BackendArray e = djl.unary(UnaryOp.EXP, a)) {
 *     djl.toDoubleArray(e);   // [2.718.., 7.389.., 20.08..]
 * }
 * }</pre>
 *
 * <p>How it maps the SPI onto libtorch:
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
public final class DjlBackend implements Backend {

    static final String NAME = "djl";

    /** Arrays up to this many bytes are staged through a reused per-thread direct buffer. */
    private static final int STAGING_LIMIT = 1 << 20;
    private static final ThreadLocal<ByteBuffer> STAGING = new ThreadLocal<>();
    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final ai.djl.Device djlDevice;
    private final PtNDManager manager;
    private final PtNDArray zero32;
    private final PtNDArray zero64;
    private final PtNDArray one32;
    private final PtNDArray one64;

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
    public BackendArray fromDoubles(double[] data, int[] shape, DType dtype) {
        int n = Shapes.size(shape);
        checkLength(data.length, n, shape);
        ByteBuffer buf = staging(n * dtype.byteSize());
        if (dtype == DType.FLOAT64) {
            buf.asDoubleBuffer().put(data, 0, n);
        } else {
            FloatBuffer fb = buf.asFloatBuffer();
            for (int i = 0; i < n; i++) {
                fb.put(i, (float) data[i]);
            }
        }
        return upload(buf, shape, dtype);
    }

    @Override
    public BackendArray fromFloats(float[] data, int[] shape) {
        int n = Shapes.size(shape);
        checkLength(data.length, n, shape);
        ByteBuffer buf = staging(n * Float.BYTES);
        buf.asFloatBuffer().put(data, 0, n);
        return upload(buf, shape, DType.FLOAT32);
    }

    @Override
    public BackendArray full(int[] shape, double value, DType dtype) {
        try {
            return wrap(JniUtils.full(manager, DjlShapes.djl(shape), value, dataType(dtype), djlDevice,
                    SparseFormat.DENSE), shape.clone(), dtype);
        } catch (RuntimeException e) {
            throw fail("full", e, shape);
        }
    }

    @Override
    public double[] toDoubleArray(BackendArray a) {
        DjlArray x = arg(a);
        double[] out = new double[Shapes.size(x.shape())];
        ByteBuffer bytes = download(x);
        if (x.dtype() == DType.FLOAT64) {
            bytes.asDoubleBuffer().get(out);
        } else {
            FloatBuffer fb = bytes.asFloatBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = fb.get(i);
            }
        }
        return out;
    }

    @Override
    public float[] toFloatArray(BackendArray a) {
        DjlArray x = arg(a);
        float[] out = new float[Shapes.size(x.shape())];
        ByteBuffer bytes = download(x);
        if (x.dtype() == DType.FLOAT32) {
            bytes.asFloatBuffer().get(out);
        } else {
            DoubleBuffer db = bytes.asDoubleBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) db.get(i);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public BackendArray unary(UnaryOp op, BackendArray a) {
        DjlArray x = arg(a);
        try {
            PtNDArray t = x.tensor();
            PtNDArray r = switch (op) {
                case NEG -> JniUtils.neg(t);
                case EXP -> JniUtils.exp(t);
                case LOG -> JniUtils.log(t);
                case SQRT -> JniUtils.sqrt(t);
                case ABS -> JniUtils.abs(t);
                case SIGN -> sign(t);
                case TANH -> JniUtils.tanh(t);
            };
            return wrap(r, x.shape(), x.dtype());
        } catch (RuntimeException e) {
            throw fail(op, e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    @Override
    public BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        DjlArray x = arg(a);
        DjlArray y = arg(b);
        try {
            PtNDArray p = x.tensor();
            PtNDArray q = y.tensor();
            PtNDArray r = switch (op) {
                case ADD -> JniUtils.add(p, q);
                case SUB -> JniUtils.sub(p, q);
                case MUL -> JniUtils.mul(p, q);
                case DIV -> JniUtils.div(p, q);
                case POW -> finiteScalar(y) ? JniUtils.pow(p, q) : pow(p, q, x.dtype());
                case MAXIMUM -> JniUtils.max(p, q);
                case MINIMUM -> JniUtils.min(p, q);
                case GREATER -> toDType(JniUtils.gt(p, q), x.dtype());
                case GREATER_EQUAL -> toDType(JniUtils.gte(p, q), x.dtype());
                case LESS -> toDType(JniUtils.lt(p, q), x.dtype());
                case LESS_EQUAL -> toDType(JniUtils.lte(p, q), x.dtype());
                case EQUAL -> toDType(JniUtils.eq(p, q), x.dtype());
                case NOT_EQUAL -> toDType(JniUtils.neq(p, q), x.dtype());
            };
            return wrap(r, Shapes.broadcast(x.shape(), y.shape()), x.dtype());
        } catch (RuntimeException e) {
            throw fail(op, e, x.shape(), y.shape());
        } finally {
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }

    /** Returns sign(t) with sign(NaN) = NaN; libtorch's sign gives 0 for NaN. */
    private static PtNDArray sign(PtNDArray t) {
        PtNDArray s = JniUtils.sign(t);
        PtNDArray nan = null;
        try {
            nan = JniUtils.isNaN(t);
            return JniUtils.where(nan, t, s);
        } finally {
            closeAll(s, nan);
        }
    }

    /**
     * Returns {@code a ^ b} as {@link Math#pow}. libtorch follows C's pow, which differs in one corner:
     * when {@code |a| == 1} and {@code b} is NaN or infinite C gives 1 (or NaN for -1^NaN) and Java NaN.
     * Exactly there C's result is 1 and {@code b - b} is NaN, so adding {@code b - b} where the result
     * is 1 fixes it and leaves every other element alone.
     */
    private PtNDArray pow(PtNDArray a, PtNDArray b, DType dtype) {
        PtNDArray r = JniUtils.pow(a, b);
        PtNDArray diff = null;
        PtNDArray isOne = null;
        PtNDArray fixed = null;
        try {
            diff = JniUtils.sub(b, b);
            isOne = JniUtils.eq(r, dtype == DType.FLOAT64 ? one64 : one32);
            fixed = JniUtils.add(r, diff);
            return JniUtils.where(isOne, fixed, r);
        } finally {
            r.close();
            closeAll(diff, isOne, fixed);
        }
    }

    /**
     * Returns whether {@code a} is one finite number on the CPU (as in {@code x.pow(2)}), where C's pow
     * and {@link Math#pow} agree; reading one element costs less than the four kernels of the fix.
     */
    private boolean finiteScalar(DjlArray a) {
        return !djlDevice.isGpu() && Shapes.size(a.shape()) == 1 && Double.isFinite(toDoubleArray(a)[0]);
    }

    private static void closeAll(PtNDArray... arrays) {
        for (PtNDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }

    @Override
    public BackendArray where(BackendArray condition, BackendArray a, BackendArray b) {
        DjlArray c = arg(condition);
        DjlArray x = arg(a);
        DjlArray y = arg(b);
        try {
            PtNDArray zero = c.dtype() == DType.FLOAT64 ? zero64 : zero32;
            PtNDArray mask = JniUtils.neq(c.tensor(), zero);
            try {
                PtNDArray r = JniUtils.where(mask, x.tensor(), y.tensor());
                int[] shape = Shapes.broadcast(Shapes.broadcast(c.shape(), x.shape()), y.shape());
                return wrap(r, shape, x.dtype());
            } finally {
                mask.close();
            }
        } catch (RuntimeException e) {
            throw fail("where", e, c.shape(), x.shape(), y.shape());
        } finally {
            Reference.reachabilityFence(c);
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }

    // ---------------------------------------------------------------- reductions and matmul

    @Override
    public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims) {
        DjlArray x = arg(a);
        try {
            PtNDArray t = x.tensor();
            int[] shape = Shapes.reduced(x.shape(), axes, keepDims);
            if (axes.length == 0) {
                return wrap(JniUtils.clone(t), shape, x.dtype()); // libtorch's sum(dim=[]) would reduce all
            }
            PtNDArray r = switch (op) {
                case SUM -> JniUtils.sum(t, DjlShapes.longs(axes), keepDims);
                case MEAN -> mean(t, x, axes, keepDims);
                case MAX -> max(t, x.shape(), axes, keepDims);
            };
            return wrap(r, shape, x.dtype());
        } catch (RuntimeException e) {
            throw fail(op.name().toLowerCase(Locale.ROOT) + " over axes " + java.util.Arrays.toString(axes), e,
                    x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    private PtNDArray mean(PtNDArray t, DjlArray x, int[] axes, boolean keepDims) {
        if (axes.length == x.shape().length) { // all axes
            PtNDArray all = JniUtils.mean(t);
            return keepDims ? reshapeOwned(all, Shapes.reduced(x.shape(), axes, true)) : all;
        }
        if (axes.length == 1) {
            return JniUtils.mean(t, axes[0], keepDims);
        }
        // libtorch's mean over several dims is sum(dims) / count on the CPU; do the same, in the operand dtype.
        long count = 1;
        for (int axis : axes) {
            count *= x.shape()[axis];
        }
        PtNDArray sum = JniUtils.sum(t, DjlShapes.longs(axes), keepDims);
        try (PtNDArray n = JniUtils.full(manager, new Shape(), count, dataType(x.dtype()), djlDevice,
                SparseFormat.DENSE)) {
            return JniUtils.div(sum, n);
        } finally {
            sum.close();
        }
    }

    /**
     * Returns the maximum over {@code axes}. libtorch's {@code max(dim)} runs its loop with grain size 1,
     * so even a 2x2 input enters an OpenMP parallel region: a few µs on an idle machine, milliseconds
     * when the cores are busy. So the full reduction uses {@code max()} (no such region below 32768
     * elements), and the others fold each axis in halves with the elementwise {@code maximum}
     * (NaN-propagating, idempotent, so the two halves may overlap by one element when the size is odd).
     */
    private static PtNDArray max(PtNDArray t, int[] shape, int[] axes, boolean keepDims) {
        for (int axis : axes) {
            if (shape[axis] == 0) {
                throw new IllegalArgumentException("max over axis " + axis + " of size 0");
            }
        }
        int[] kept = Shapes.reduced(shape, axes, true);
        if (axes.length == shape.length) {
            PtNDArray all = JniUtils.max(t); // a new 0-d tensor
            return shape.length == 0 || !keepDims ? all : reshapeOwned(all, kept);
        }
        PtNDArray cur = t;
        for (int axis : axes) {
            for (long size = shape[axis]; size > 1; ) {
                long half = (size + 1) / 2;
                PtNDArray lo = JniUtils.slice(cur, axis, 0, half, 1);
                PtNDArray hi = JniUtils.slice(cur, axis, size - half, size, 1);
                PtNDArray next;
                try {
                    next = JniUtils.max(lo, hi); // elementwise maximum: a new tensor
                } finally {
                    closeAll(lo, hi);
                    if (cur != t) {
                        cur.close();
                    }
                }
                cur = next;
                size = half;
            }
        }
        PtNDArray owned = cur == t ? JniUtils.clone(t) : cur; // t itself when every reduced axis has size 1
        return keepDims ? owned : reshapeOwned(owned, Shapes.reduced(shape, axes, false));
    }

    /** Returns {@code fresh}, a tensor no caller sees, reshaped; the view may share its storage. */
    private static PtNDArray reshapeOwned(PtNDArray fresh, int[] shape) {
        try {
            return JniUtils.reshape(fresh, DjlShapes.longs(shape));
        } finally {
            fresh.close();
        }
    }

    @Override
    public BackendArray matmul(BackendArray a, BackendArray b) {
        DjlArray x = arg(a);
        DjlArray y = arg(b);
        try {
            return wrap(JniUtils.matmul(x.tensor(), y.tensor()), DjlShapes.matmul(x.shape(), y.shape()), x.dtype());
        } catch (RuntimeException e) {
            throw fail("matmul", e, x.shape(), y.shape());
        } finally {
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }

    /** Multiplies libtorch views of the transposes: BLAS reads them in place, nothing is copied. */
    @Override
    public BackendArray matmul(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB) {
        DjlArray x = arg(a);
        DjlArray y = arg(b);
        PtNDArray xt = null;
        PtNDArray yt = null;
        try {
            xt = transposeA ? JniUtils.transpose(x.tensor(), -1, -2) : x.tensor();
            yt = transposeB ? JniUtils.transpose(y.tensor(), -1, -2) : y.tensor();
            return wrap(JniUtils.matmul(xt, yt), Shapes.matmulShape(x.shape(), transposeA, y.shape(), transposeB),
                    x.dtype());
        } catch (RuntimeException e) {
            throw fail("matmul" + (transposeA ? " (A transposed)" : "") + (transposeB ? " (B transposed)" : ""), e,
                    x.shape(), y.shape());
        } finally {
            if (transposeA && xt != null) {
                xt.close();
            }
            if (transposeB && yt != null) {
                yt.close();
            }
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }

    // ---------------------------------------------------------------- movement

    @Override
    public BackendArray reshape(BackendArray a, int[] shape) {
        DjlArray x = arg(a);
        try {
            return wrap(reshapeCopy(x.tensor(), shape), shape.clone(), x.dtype());
        } catch (RuntimeException e) {
            throw fail("reshape to " + java.util.Arrays.toString(shape), e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Returns a contiguous copy of {@code t} with a new shape (libtorch's reshape may return a view). */
    private static PtNDArray reshapeCopy(PtNDArray t, int[] shape) {
        return copyOf(JniUtils.reshape(t, DjlShapes.longs(shape)));
    }

    /** Returns a copy of the view {@code v} with its own storage, and closes the view. */
    private static PtNDArray copyOf(PtNDArray v) {
        try {
            return JniUtils.clone(v);
        } finally {
            v.close();
        }
    }

    @Override
    public BackendArray permute(BackendArray a, int[] axes) {
        DjlArray x = arg(a);
        try {
            int[] shape = DjlShapes.permuted(x.shape(), axes);
            PtNDArray t = x.tensor();
            if (DjlShapes.permutationIsReshape(x.shape(), axes) || Shapes.size(shape) == 0) {
                return wrap(reshapeCopy(t, shape), shape, x.dtype());
            }
            // clone() would keep the permuted strides; flattening a permuted view forces a row-major copy.
            PtNDArray view = JniUtils.permute(t, DjlShapes.longs(axes));
            PtNDArray flat;
            try {
                flat = JniUtils.reshape(view, new long[] {Shapes.size(shape)});
            } finally {
                view.close();
            }
            try {
                return wrap(JniUtils.reshape(flat, DjlShapes.longs(shape)), shape, x.dtype());
            } finally {
                flat.close();
            }
        } catch (RuntimeException e) {
            throw fail("permute by " + java.util.Arrays.toString(axes), e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    @Override
    public BackendArray broadcastTo(BackendArray a, int[] shape) {
        DjlArray x = arg(a);
        try {
            return wrap(copyOf(JniUtils.broadcast(x.tensor(), DjlShapes.djl(shape))), shape.clone(), x.dtype());
        } catch (RuntimeException e) {
            throw fail("broadcastTo " + java.util.Arrays.toString(shape), e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    @Override
    public BackendArray slice(BackendArray a, int axis, int start, int end) {
        DjlArray x = arg(a);
        try {
            int[] shape = x.shape().clone();
            shape[axis] = end - start;
            return wrap(copyOf(JniUtils.slice(x.tensor(), axis, start, end, 1)), shape, x.dtype());
        } catch (RuntimeException e) {
            throw fail("slice [" + start + ", " + end + ") of axis " + axis, e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    @Override
    public BackendArray concat(BackendArray[] parts, int axis) {
        DjlArray[] xs = new DjlArray[parts.length];
        PtNDArray[] ts = new PtNDArray[parts.length];
        int[][] shapes = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            xs[i] = arg(parts[i]);
            ts[i] = xs[i].tensor();
            shapes[i] = xs[i].shape();
        }
        try {
            return wrap(JniUtils.cat(ts, axis), DjlShapes.concat(shapes, axis), xs[0].dtype());
        } catch (RuntimeException e) {
            throw fail("concat along axis " + axis, e, shapes);
        } finally {
            Reference.reachabilityFence(xs);
        }
    }

    @Override
    public BackendArray cast(BackendArray a, DType dtype) {
        DjlArray x = arg(a);
        try {
            PtNDArray t = x.tensor();
            // libtorch's to() returns the same tensor when nothing changes, so copy explicitly.
            PtNDArray r = dtype == x.dtype() ? JniUtils.clone(t) : JniUtils.to(t, dataType(dtype), djlDevice);
            return wrap(r, x.shape(), dtype);
        } catch (RuntimeException e) {
            throw fail("cast to " + dtype, e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
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

    // ---------------------------------------------------------------- helpers

    private DjlArray wrap(PtNDArray nd, int[] shape, DType dtype) {
        return new DjlArray(this, nd, shape, dtype);
    }

    private DjlArray arg(BackendArray a) {
        if (a instanceof DjlArray x) {
            if (x.isClosed()) {
                throw new IllegalStateException("The djl backend was given a closed array: " + x);
            }
            return x;
        }
        throw new IllegalArgumentException("The djl backend was given an array of another backend: " + a);
    }

    private PtNDArray toDType(PtNDArray bool, DType dtype) {
        try {
            return JniUtils.to(bool, dataType(dtype), djlDevice);
        } finally {
            bool.close();
        }
    }

    private static DataType dataType(DType dtype) {
        return dtype == DType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
    }

    private static void checkLength(int length, int n, int[] shape) {
        if (length < n) {
            throw new IllegalArgumentException("The djl backend needs " + n + " values for shape "
                    + java.util.Arrays.toString(shape) + ", got " + length);
        }
    }

    /** Returns a native-order direct buffer of at least {@code bytes}, reused per thread when small. */
    private static ByteBuffer staging(int bytes) {
        if (bytes > STAGING_LIMIT) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer buf = STAGING.get();
        if (buf == null || buf.capacity() < bytes) {
            buf = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
            STAGING.set(buf);
        }
        return buf;
    }

    /** Returns a tensor holding a copy of the first elements of {@code buf}, in libtorch-owned memory. */
    private DjlArray upload(ByteBuffer buf, int[] shape, DType dtype) {
        try {
            PtNDArray t = JniUtils.createNdFromByteBuffer(manager, buf, DjlShapes.djl(shape), dataType(dtype),
                    SparseFormat.DENSE, djlDevice);
            // On the CPU from_blob wraps the Java buffer without copying; copy so the tensor owns its memory.
            return wrap(djlDevice.isGpu() ? t : copyOf(t), shape.clone(), dtype);
        } catch (RuntimeException e) {
            throw fail("fromArray", e, shape);
        }
    }

    /** Returns the elements of {@code x} as native-order bytes on the Java heap. */
    private ByteBuffer download(DjlArray x) {
        try {
            PtNDArray t = x.tensor();
            if (!djlDevice.isGpu()) {
                // torchDataPtr: makes a contiguous copy itself if needed, nothing is left in the manager.
                return JniUtils.getByteBuffer(t, false);
            }
            PtNDArray host = JniUtils.to(t, dataType(x.dtype()), ai.djl.Device.cpu());
            ai.djl.ndarray.NDManager hostManager = host.getManager(); // a sub-manager made by to()
            try {
                return JniUtils.getByteBuffer(host, false);
            } finally {
                host.close();
                if (hostManager != manager) {
                    hostManager.close();
                }
            }
        } catch (RuntimeException e) {
            throw fail("toArray", e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    private static BackendException fail(Object op, RuntimeException e, int[]... shapes) {
        if (e instanceof BackendException be) {
            return be;
        }
        String name = op instanceof Enum<?> en ? en.name().toLowerCase(Locale.ROOT) : String.valueOf(op);
        return new BackendException(NAME, name, e, shapes);
    }
}
