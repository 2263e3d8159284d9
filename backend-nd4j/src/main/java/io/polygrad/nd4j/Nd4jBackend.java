package io.polygrad.nd4j;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendException;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Creates and computes polygrad arrays on ND4J: every primitive of the {@link Backend} SPI as
 * libnd4j kernels on {@link INDArray}, in float32 and float64.
 *
 * <p>Obtain one with {@link #create(Device)} (or through {@link Nd4jModule} / the {@code nd4j}
 * provider). Design points:
 * <ul>
 *   <li><b>No aliasing.</b> Every result is a fresh C-ordered allocation; views ND4J would return
 *       (reshape, permute, slice) are never handed out.</li>
 *   <li><b>Cheap dispatch.</b> Kernels run as libnd4j custom ops through {@link OpRunner} (reused
 *       per-thread op contexts, preallocated outputs, about 2 µs per call), or as legacy transform
 *       ops for the unary functions (about 0.4 µs); the {@code INDArray} convenience methods
 *       ({@code add}, {@code mmul}, {@code sum}, 5–20 µs per call) are avoided.</li>
 *   <li><b>Exact dtypes.</b> Outputs are allocated in the input dtype before the kernel runs, so a
 *       float32 matmul runs {@code sgemm} and a float64 one {@code dgemm}; mixing dtypes fails.</li>
 *   <li><b>Shapes.</b> Rank-0 arrays and size-0 dimensions are handled here, not left to ND4J:
 *       empty results are created without running a kernel, and reductions over no elements give
 *       0 (sum), NaN (mean) or -inf (max).</li>
 *   <li><b>NaN.</b> libnd4j's {@code maximum}/{@code minimum} and {@code reduce_max} drop a NaN in
 *       some argument positions, its {@code sign(NaN)} is 0 and its {@code pow(1, NaN)} is 1; the
 *       kernels here detect those inputs and patch the result, so NaN propagates as the SPI
 *       requires.</li>
 * </ul>
 * ND4J failures are rethrown as {@link BackendException} naming the op and the input shapes.
 */
public final class Nd4jBackend implements Backend {

    /** The most scalar constants kept; beyond it, constants are allocated per call. */
    private static final int MAX_SCALAR_CONSTANTS = 256;
    private final java.util.concurrent.ConcurrentHashMap<Long, INDArray> float32Constants =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<Long, INDArray> float64Constants =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The configuration name of this backend. */
    public static final String NAME = "nd4j";

    /** Arrays up to this many elements are scanned for NaN in Java; larger ones natively. */
    private static final int NAN_SCAN_LIMIT = 1 << 14;

    private final Device device;
    private final boolean cpu;

    private Nd4jBackend(Device device, boolean cpu) {
        this.device = device;
        this.cpu = cpu;
    }

    /**
     * Creates a backend on {@code device}, loading ND4J's native libraries if that has not happened
     * yet.
     *
     * @throws IllegalStateException naming the missing artifact or device when ND4J cannot run on
     *                               {@code device} here
     */
    public static Nd4jBackend create(Device device) {
        Nd4jRuntime.State state = Nd4jRuntime.state();
        if (!state.loaded()) {
            throw new IllegalStateException("The nd4j backend cannot start: " + state.failure());
        }
        if (!state.devices().contains(device)) {
            throw new IllegalStateException("The nd4j backend cannot use device " + device + ": "
                    + Nd4jBackendProvider.deviceProblem(state, device));
        }
        return new Nd4jBackend(device, !state.cuda());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public String toString() {
        return "nd4j backend on " + device;
    }

    // ------------------------------------------------------------------ creation and read-back

    @Override
    public BackendArray fromDoubles(double[] data, int[] shape, DType dtype) {
        try {
            selectDevice();
            checkLength(data.length, shape);
            if (data.length == 0) {
                return empty(shape, dtype);
            }
            INDArray arr;
            if (dtype == DType.FLOAT32) {
                float[] f = new float[data.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) data[i];
                }
                arr = Nd4j.create(f, longs(shape), DataType.FLOAT);
            } else {
                arr = Nd4j.create(data, longs(shape), DataType.DOUBLE);
            }
            return wrap(arr, shape, dtype);
        } catch (RuntimeException e) {
            throw fail("fromDoubles", e, shape);
        }
    }

    @Override
    public BackendArray fromFloats(float[] data, int[] shape) {
        try {
            selectDevice();
            checkLength(data.length, shape);
            if (data.length == 0) {
                return empty(shape, DType.FLOAT32);
            }
            return wrap(Nd4j.create(data, longs(shape), DataType.FLOAT), shape, DType.FLOAT32);
        } catch (RuntimeException e) {
            throw fail("fromFloats", e, shape);
        }
    }

    @Override
    public BackendArray full(int[] shape, double value, DType dtype) {
        try {
            selectDevice();
            if (Shapes.size(shape) == 0) {
                return empty(shape, dtype);
            }
            if (shape.length == 0) {
                return scalarConstant(value, dtype);
            }
            return wrap(filled(shape, value, dtype), shape, dtype);
        } catch (RuntimeException e) {
            throw fail("full", e, shape);
        }
    }

    /**
     * Returns a handle on a cached 0-d constant: api makes one for every scalar operand (x * 0.5, the
     * mean's divisor, the learning rate), and each fresh ND4J allocation costs ~12-24 us here. Arrays
     * are never written after creation, so handles can share the buffer; closing a handle leaves it.
     */
    private Nd4jArray scalarConstant(double value, DType dtype) {
        java.util.concurrent.ConcurrentHashMap<Long, INDArray> scalarConstants =
                dtype == DType.FLOAT32 ? float32Constants : float64Constants;
        long key = Double.doubleToLongBits(dtype == DType.FLOAT32 ? (float) value : value);
        INDArray constant = scalarConstants.get(key);
        if (constant == null) {
            constant = filled(new int[0], value, dtype);
            if (scalarConstants.size() >= MAX_SCALAR_CONSTANTS) {
                return wrap(constant, new int[0], dtype);
            }
            INDArray raced = scalarConstants.putIfAbsent(key, constant);
            constant = raced != null ? raced : constant;
        }
        return new Nd4jArray(this, constant, new int[0], dtype, true);
    }

    @Override
    public double[] toDoubleArray(BackendArray a) {
        Nd4jArray x = arg(a);
        try {
            int n = (int) x.length();
            double[] out = new double[n];
            if (n == 0) {
                return out;
            }
            INDArray arr = x.raw();
            if (cpu) {
                ByteBuffer bytes = arr.data().asNio().order(ByteOrder.nativeOrder());
                if (x.dtype() == DType.FLOAT64) {
                    bytes.asDoubleBuffer().get(out, 0, n);
                } else {
                    FloatBuffer fb = bytes.asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        out[i] = fb.get(i);
                    }
                }
                return out;
            }
            Nd4j.getAffinityManager().ensureLocation(arr, AffinityManager.Location.HOST);
            return arr.data().asDouble();
        } catch (RuntimeException e) {
            throw fail("toDoubleArray", e, x.shape());
        }
    }

    @Override
    public float[] toFloatArray(BackendArray a) {
        Nd4jArray x = arg(a);
        try {
            int n = (int) x.length();
            float[] out = new float[n];
            if (n == 0) {
                return out;
            }
            INDArray arr = x.raw();
            if (cpu) {
                ByteBuffer bytes = arr.data().asNio().order(ByteOrder.nativeOrder());
                if (x.dtype() == DType.FLOAT32) {
                    bytes.asFloatBuffer().get(out, 0, n);
                } else {
                    DoubleBuffer db = bytes.asDoubleBuffer();
                    for (int i = 0; i < n; i++) {
                        out[i] = (float) db.get(i);
                    }
                }
                return out;
            }
            Nd4j.getAffinityManager().ensureLocation(arr, AffinityManager.Location.HOST);
            return arr.data().asFloat();
        } catch (RuntimeException e) {
            throw fail("toFloatArray", e, x.shape());
        }
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public BackendArray unary(UnaryOp op, BackendArray a) {
        Nd4jArray x = arg(a);
        try {
            selectDevice();
            int[] shape = x.shape();
            if (x.length() == 0) {
                return empty(shape, x.dtype());
            }
            INDArray in = x.raw();
            // legacy transform ops dispatch in ~0.4 µs, cheaper than any custom op
            INDArray out = alloc(shape, x.dtype());
            Op legacy;
            switch (op) {
                case NEG: legacy = new Negative(in, out); break;
                case EXP: legacy = new Exp(in, out); break;
                case LOG: legacy = new Log(in, out); break;
                case SQRT: legacy = new Sqrt(in, out); break;
                case ABS: legacy = new Abs(in, out); break;
                case SIGN: legacy = new Sign(in, out); break;
                case TANH: legacy = new Tanh(in, out); break;
                default: throw new IllegalArgumentException("Unknown unary op " + op);
            }
            Nd4j.getExecutioner().exec(legacy);
            if (op == UnaryOp.SIGN && hasNaN(in)) {
                // libnd4j's sign(NaN) is 0; the SPI wants NaN
                out = patchNaN(out, in, shape, x.dtype());
            }
            return wrap(out, shape, x.dtype());
        } catch (RuntimeException e) {
            throw fail("unary " + op, e, x.shape());
        }
    }

    @Override
    public BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        Nd4jArray x = arg(a);
        Nd4jArray y = arg(b);
        try {
            selectDevice();
            sameDType(x, y);
            int[] shape = broadcastShape(x.shape(), y.shape());
            DType dt = x.dtype();
            if (Shapes.size(shape) == 0) {
                return empty(shape, dt);
            }
            // libnd4j treats a length-1 operand as a scalar and keeps the other operand's shape
            // ([3] * [1, 1] gives [3], not NumPy's [1, 3]); then give both the result's rank
            boolean align = x.shape().length != y.shape().length
                    && ((x.length() == 1 && !Arrays.equals(shape, y.shape()))
                        || (y.length() == 1 && !Arrays.equals(shape, x.shape())));
            INDArray ax = align ? aligned(x.raw(), x.shape(), shape.length) : x.raw();
            INDArray by = align ? aligned(y.raw(), y.shape(), shape.length) : y.raw();
            if (op.isComparison()) {
                INDArray flags = alloc(shape, DataType.BOOL);
                try {
                    OpRunner.exec(comparisonName(op), new INDArray[] {ax, by}, flags);
                    INDArray out = alloc(shape, dt);
                    OpRunner.exec("cast", new INDArray[] {flags}, out, null, null, new DataType[] {dataType(dt)});
                    return wrap(out, shape, dt);
                } finally {
                    flags.close();
                }
            }
            INDArray out = alloc(shape, dt);
            switch (op) {
                case ADD: OpRunner.exec("add", new INDArray[] {ax, by}, out); break;
                case SUB: OpRunner.exec("subtract", new INDArray[] {ax, by}, out); break;
                case MUL: OpRunner.exec("multiply", new INDArray[] {ax, by}, out); break;
                case DIV: OpRunner.exec("divide", new INDArray[] {ax, by}, out); break;
                case POW:
                    OpRunner.exec("Pow", new INDArray[] {ax, by}, out);
                    if (hasNaN(by)) {
                        // C's pow(1, NaN) is 1; Math.pow(x, NaN) is NaN for every x
                        out = patchNaN(out, by, shape, dt);
                    }
                    break;
                case MAXIMUM:
                case MINIMUM:
                    // libnd4j's max/min is "d1 > d2 ? d1 : d2": a NaN survives in one operand position
                    // only, and which one depends on the broadcast layout; patch both sides' NaNs
                    OpRunner.exec(op == BinaryOp.MAXIMUM ? "maximum" : "minimum", new INDArray[] {ax, by}, out);
                    if (hasNaN(ax)) {
                        out = patchNaN(out, ax, shape, dt);
                    }
                    if (hasNaN(by)) {
                        out = patchNaN(out, by, shape, dt);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("Unknown binary op " + op);
            }
            return wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw fail("binary " + op, e, x.shape(), y.shape());
        }
    }

    private static String comparisonName(BinaryOp op) {
        switch (op) {
            case GREATER: return "greater";
            case GREATER_EQUAL: return "greater_equal";
            case LESS: return "less";
            case LESS_EQUAL: return "less_equal";
            case EQUAL: return "equals";
            case NOT_EQUAL: return "not_equals";
            default: throw new IllegalArgumentException("Not a comparison: " + op);
        }
    }

    @Override
    public BackendArray where(BackendArray condition, BackendArray a, BackendArray b) {
        Nd4jArray c = arg(condition);
        Nd4jArray x = arg(a);
        Nd4jArray y = arg(b);
        List<INDArray> temps = new ArrayList<>(4);
        try {
            selectDevice();
            sameDType(x, y);
            int[] shape = broadcastShape(broadcastShape(c.shape(), x.shape()), y.shape());
            DType dt = x.dtype();
            if (Shapes.size(shape) == 0) {
                return empty(shape, dt);
            }
            INDArray flags = alloc(c.shape(), DataType.BOOL);
            temps.add(flags);
            OpRunner.exec("cast", new INDArray[] {c.raw()}, flags, null, null, new DataType[] {DataType.BOOL});
            // libnd4j's select does not broadcast (and where_np is wrong in 1.0.0-M2.1): expand the operands that need it
            INDArray cf = expand(flags, c.shape(), shape, DataType.BOOL, temps);
            INDArray xf = expand(x.raw(), x.shape(), shape, dataType(dt), temps);
            INDArray yf = expand(y.raw(), y.shape(), shape, dataType(dt), temps);
            INDArray out = alloc(shape, dt);
            OpRunner.exec("select", new INDArray[] {cf, xf, yf}, out);
            return wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw fail("where", e, c.shape(), x.shape(), y.shape());
        } finally {
            temps.forEach(INDArray::close);
        }
    }

    // ------------------------------------------------------------------ reductions and matmul

    @Override
    public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims) {
        Nd4jArray x = arg(a);
        try {
            selectDevice();
            DType dt = x.dtype();
            if (axes.length == 0) {
                return copy(x);
            }
            int[] shape = Shapes.reduced(x.shape(), axes, keepDims);
            if (Shapes.size(shape) == 0) {
                return empty(shape, dt);
            }
            if (x.length() == 0) {
                double identity = op == ReduceOp.SUM ? 0.0 : op == ReduceOp.MEAN ? Double.NaN : Double.NEGATIVE_INFINITY;
                return wrap(filled(shape, identity, dt), shape, dt);
            }
            INDArray out = alloc(shape, dt);
            OpRunner.exec(reduceName(op), new INDArray[] {x.raw()}, out, longs(axes), new boolean[] {keepDims}, null);
            if (op == ReduceOp.MAX && hasNaN(x.raw())) {
                out = patchReducedNaN(out, x.raw(), axes, keepDims, shape, dt);
            }
            return wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw fail("reduce " + op + " over axes " + Arrays.toString(axes) + (keepDims ? " (keepDims)" : ""),
                    e, x.shape());
        }
    }

    private static String reduceName(ReduceOp op) {
        switch (op) {
            case SUM: return "reduce_sum";
            case MEAN: return "reduce_mean";
            case MAX: return "reduce_max";
            default: throw new IllegalArgumentException("Unknown reduction " + op);
        }
    }

    @Override
    public BackendArray matmul(BackendArray a, BackendArray b) {
        return matmul(a, false, b, false);
    }

    /** Passes the transposes to libnd4j's matmul as flags: BLAS reads the operands in place. */
    @Override
    public BackendArray matmul(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB) {
        Nd4jArray x = arg(a);
        Nd4jArray y = arg(b);
        try {
            selectDevice();
            sameDType(x, y);
            int[] xs = x.shape();
            int[] ys = y.shape();
            if (xs.length < 2 || xs.length != ys.length
                    || xs[xs.length - (transposeA ? 2 : 1)] != ys[ys.length - (transposeB ? 1 : 2)]) {
                throw new IllegalArgumentException("matmul needs [..., m, k] x [..., k, n] with equal batch dims");
            }
            int[] shape = Shapes.matmulShape(xs, transposeA, ys, transposeB);
            DType dt = x.dtype();
            if (Shapes.size(shape) == 0) {
                return empty(shape, dt);
            }
            if (xs[xs.length - (transposeA ? 2 : 1)] == 0) {
                return wrap(filled(shape, 0.0, dt), shape, dt);
            }
            INDArray out = alloc(shape, dt);
            // The flags are always passed: an op context keeps integer arguments from its previous call.
            OpRunner.exec("matmul", new INDArray[] {x.raw(), y.raw()}, out,
                    new long[] {transposeA ? 1 : 0, transposeB ? 1 : 0, 0}, null, null);
            return wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw fail("matmul" + (transposeA ? " (A transposed)" : "") + (transposeB ? " (B transposed)" : ""), e,
                    x.shape(), y.shape());
        }
    }

    // ------------------------------------------------------------------ shape ops

    @Override
    public BackendArray reshape(BackendArray a, int[] shape) {
        Nd4jArray x = arg(a);
        try {
            selectDevice();
            if (Shapes.size(shape) != x.length()) {
                throw new IllegalArgumentException("reshape to " + Arrays.toString(shape) + " changes the element count");
            }
            return copyAs(x, shape.clone());
        } catch (RuntimeException e) {
            throw fail("reshape to " + Arrays.toString(shape), e, x.shape());
        }
    }

    @Override
    public BackendArray permute(BackendArray a, int[] axes) {
        Nd4jArray x = arg(a);
        try {
            selectDevice();
            int[] in = x.shape();
            if (axes.length != in.length) {
                throw new IllegalArgumentException("permute needs one axis per dimension");
            }
            int[] shape = new int[in.length];
            boolean identity = true;
            for (int i = 0; i < axes.length; i++) {
                shape[i] = in[axes[i]];
                identity &= axes[i] == i;
            }
            if (identity || x.length() <= 1) {
                return copyAs(x, shape);
            }
            INDArray out = alloc(shape, x.dtype());
            OpRunner.exec("permute", new INDArray[] {x.raw()}, out, longs(axes), null, null);
            return wrap(out, shape, x.dtype());
        } catch (RuntimeException e) {
            throw fail("permute " + Arrays.toString(axes), e, x.shape());
        }
    }

    @Override
    public BackendArray broadcastTo(BackendArray a, int[] shape) {
        Nd4jArray x = arg(a);
        try {
            selectDevice();
            int[] target = shape.clone();
            int[] check = Shapes.broadcast(x.shape(), target);
            if (check == null || !Arrays.equals(check, target)) {
                throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(x.shape())
                        + " to " + Arrays.toString(target));
            }
            if (Shapes.size(target) == 0) {
                return empty(target, x.dtype());
            }
            if (Arrays.equals(x.shape(), target)) {
                return copy(x);
            }
            INDArray out = alloc(target, x.dtype());
            OpRunner.exec("assign", new INDArray[] {out, aligned(x.raw(), x.shape(), target.length)}, out);
            return wrap(out, target, x.dtype());
        } catch (RuntimeException e) {
            throw fail("broadcastTo " + Arrays.toString(shape), e, x.shape());
        }
    }

    @Override
    public BackendArray slice(BackendArray a, int axis, int start, int end) {
        Nd4jArray x = arg(a);
        try {
            selectDevice();
            int[] in = x.shape();
            if (axis < 0 || axis >= in.length || start < 0 || start > end || end > in[axis]) {
                throw new IllegalArgumentException("slice [" + start + ", " + end + ") on axis " + axis + " is out of range");
            }
            int[] shape = in.clone();
            shape[axis] = end - start;
            if (Shapes.size(shape) == 0) {
                return empty(shape, x.dtype());
            }
            if (start == 0 && end == in[axis]) {
                return copy(x);
            }
            long[] args = new long[2 * in.length];
            for (int i = 0; i < in.length; i++) {
                args[i] = i == axis ? start : 0;
                args[in.length + i] = shape[i];
            }
            INDArray out = alloc(shape, x.dtype());
            OpRunner.exec("slice", new INDArray[] {x.raw()}, out, args, null, null);
            return wrap(out, shape, x.dtype());
        } catch (RuntimeException e) {
            throw fail("slice [" + start + ", " + end + ") on axis " + axis, e, x.shape());
        }
    }

    @Override
    public BackendArray concat(BackendArray[] parts, int axis) {
        int[][] shapes = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            shapes[i] = parts[i].shape();
        }
        try {
            selectDevice();
            if (parts.length == 0) {
                throw new IllegalArgumentException("concat needs at least one array");
            }
            Nd4jArray first = arg(parts[0]);
            DType dt = first.dtype();
            int[] shape = first.shape().clone();
            if (axis < 0 || axis >= shape.length) {
                throw new IllegalArgumentException("concat axis " + axis + " is out of range for rank " + shape.length);
            }
            shape[axis] = 0;
            List<INDArray> nonEmpty = new ArrayList<>(parts.length);
            Nd4jArray only = null;
            for (BackendArray p : parts) {
                Nd4jArray q = arg(p);
                if (q.dtype() != dt || q.shape().length != shape.length) {
                    throw new IllegalArgumentException("concat parts must share dtype and rank");
                }
                for (int d = 0; d < shape.length; d++) {
                    if (d != axis && q.shape()[d] != shape[d]) {
                        throw new IllegalArgumentException("concat parts differ outside axis " + axis);
                    }
                }
                shape[axis] += q.shape()[axis];
                if (q.length() > 0) {
                    nonEmpty.add(q.raw());
                    only = q;
                }
            }
            if (Shapes.size(shape) == 0) {
                return empty(shape, dt);
            }
            if (nonEmpty.size() == 1) {
                return copy(only);
            }
            INDArray out = alloc(shape, dt);
            OpRunner.exec("concat", nonEmpty.toArray(new INDArray[0]), out, new long[] {axis}, null, null);
            return wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw fail("concat on axis " + axis, e, shapes);
        }
    }

    @Override
    public BackendArray cast(BackendArray a, DType dtype) {
        Nd4jArray x = arg(a);
        try {
            selectDevice();
            if (x.dtype() == dtype) {
                return copy(x);
            }
            int[] shape = x.shape();
            if (x.length() == 0) {
                return empty(shape, dtype);
            }
            INDArray out = alloc(shape, dtype);
            OpRunner.exec("cast", new INDArray[] {x.raw()}, out, null, null, new DataType[] {dataType(dtype)});
            return wrap(out, shape, dtype);
        } catch (RuntimeException e) {
            throw fail("cast to " + dtype, e, x.shape());
        }
    }

    // ------------------------------------------------------------------ helpers

    private Nd4jArray arg(BackendArray a) {
        if (!(a instanceof Nd4jArray)) {
            throw new IllegalArgumentException("The nd4j backend got an array from another backend: "
                    + (a == null ? "null" : a.getClass().getName()));
        }
        Nd4jArray x = (Nd4jArray) a;
        if (x.isClosed()) {
            throw new IllegalStateException("nd4j array " + Arrays.toString(x.shape()) + " was closed and can no longer be read");
        }
        return x;
    }

    private Nd4jArray wrap(INDArray arr, int[] shape, DType dtype) {
        return new Nd4jArray(this, arr, shape, dtype);
    }

    private Nd4jArray empty(int[] shape, DType dtype) {
        return wrap(Nd4j.create(dataType(dtype), longs(shape)), shape.clone(), dtype);
    }

    private Nd4jArray copy(Nd4jArray x) {
        return copyAs(x, x.shape().clone());
    }

    /** Returns a copy of {@code x}'s elements (row-major) with {@code shape}. */
    private Nd4jArray copyAs(Nd4jArray x, int[] shape) {
        if (x.length() == 0) {
            return empty(shape, x.dtype());
        }
        INDArray out = alloc(shape, x.dtype());
        Nd4j.getMemoryManager().memcpy(out.data(), x.raw().data());
        return wrap(out, shape, x.dtype());
    }

    private static INDArray alloc(int[] shape, DType dtype) {
        return alloc(shape, dataType(dtype));
    }

    private static INDArray alloc(int[] shape, DataType type) {
        return Nd4j.createUninitialized(type, longs(shape));
    }

    private static INDArray filled(int[] shape, double value, DType dtype) {
        INDArray out = alloc(shape, dtype);
        out.assign(value);
        return out;
    }

    /** Returns {@code arr} broadcast to {@code shape}: itself when it has that shape, else a temporary. */
    private static INDArray expand(INDArray arr, int[] from, int[] shape, DataType type, List<INDArray> temps) {
        if (Arrays.equals(from, shape)) {
            return arr;
        }
        INDArray out = alloc(shape, type);
        temps.add(out);
        OpRunner.exec("assign", new INDArray[] {out, aligned(arr, from, shape.length)}, out);
        return out;
    }

    /**
     * Returns {@code arr} (of polygrad shape {@code shape}) viewed with {@code rank} dimensions by
     * prepending ones, as NumPy broadcasting aligns shapes; the view shares memory and is not closed.
     */
    private static INDArray aligned(INDArray arr, int[] shape, int rank) {
        if (shape.length == rank) {
            return arr;
        }
        long[] view = new long[rank];
        Arrays.fill(view, 1L);
        for (int i = 0; i < shape.length; i++) {
            view[rank - shape.length + i] = shape[i];
        }
        return arr.reshape('c', view);
    }

    /**
     * Returns {@code true} when {@code arr} may hold a NaN, and always when it does. Small CPU arrays
     * are scanned in place (no copy); large ones, and device arrays, are summed natively, since a sum
     * is NaN whenever an element is (a false alarm from {@code inf + -inf} only costs the exact patch).
     */
    private boolean hasNaN(INDArray arr) {
        long n = arr.length();
        if (arr.rank() == 0) {
            return Double.isNaN(arr.getDouble(0));
        }
        if (!cpu || n > NAN_SCAN_LIMIT) {
            INDArray sum = Nd4j.createUninitialized(arr.dataType(), new long[0]);
            try {
                long[] all = new long[arr.rank()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                OpRunner.exec("reduce_sum", new INDArray[] {arr}, sum, all, new boolean[] {false}, null);
                return Double.isNaN(sum.getDouble(0));
            } finally {
                sum.close();
            }
        }
        ByteBuffer bytes = arr.data().asNio().order(ByteOrder.nativeOrder());
        if (arr.dataType() == DataType.FLOAT) {
            FloatBuffer fb = bytes.asFloatBuffer();
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(fb.get(i))) {
                    return true;
                }
            }
        } else {
            DoubleBuffer db = bytes.asDoubleBuffer();
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(db.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns {@code result} (closing it) with NaN wherever {@code source}, broadcast to
     * {@code shape}, is NaN. Only runs when a NaN was found, so its extra allocations are rare.
     */
    private static INDArray patchNaN(INDArray result, INDArray source, int[] shape, DType dt) {
        List<INDArray> temps = new ArrayList<>(4);
        try {
            INDArray mask = source.isNaN();
            temps.add(mask);
            INDArray maskFull = expand(mask, toInts(source.shape()), shape, DataType.BOOL, temps);
            INDArray nan = filled(shape, Double.NaN, dt);
            temps.add(nan);
            INDArray out = alloc(shape, dt);
            OpRunner.exec("select", new INDArray[] {maskFull, nan, result}, out);
            return out;
        } finally {
            temps.add(result);
            temps.forEach(INDArray::close);
        }
    }

    /** Returns the reduced {@code result} (closing it) with NaN wherever a reduced slice held a NaN. */
    private static INDArray patchReducedNaN(INDArray result, INDArray source, int[] axes, boolean keepDims,
                                            int[] shape, DType dt) {
        List<INDArray> temps = new ArrayList<>(4);
        try {
            INDArray mask = source.isNaN();
            temps.add(mask);
            INDArray maskValues = alloc(toInts(source.shape()), dt);
            temps.add(maskValues);
            OpRunner.exec("cast", new INDArray[] {mask}, maskValues, null, null, new DataType[] {dataType(dt)});
            INDArray anyNaN = alloc(shape, dt);
            temps.add(anyNaN);
            OpRunner.exec("reduce_max", new INDArray[] {maskValues}, anyNaN, longs(axes), new boolean[] {keepDims}, null);
            INDArray flags = alloc(shape, DataType.BOOL);
            temps.add(flags);
            OpRunner.exec("cast", new INDArray[] {anyNaN}, flags, null, null, new DataType[] {DataType.BOOL});
            INDArray nan = filled(shape, Double.NaN, dt);
            temps.add(nan);
            INDArray out = alloc(shape, dt);
            OpRunner.exec("select", new INDArray[] {flags, nan, result}, out);
            return out;
        } finally {
            temps.add(result);
            temps.forEach(INDArray::close);
        }
    }

    private void selectDevice() {
        if (!cpu) {
            AffinityManager am = Nd4j.getAffinityManager();
            Integer current = am.getDeviceForCurrentThread();
            if (current == null || current != device.index()) {
                am.unsafeSetDevice(device.index());
            }
        }
    }

    private static void sameDType(Nd4jArray x, Nd4jArray y) {
        if (x.dtype() != y.dtype()) {
            throw new IllegalArgumentException("operands have different dtypes " + x.dtype() + " and " + y.dtype()
                    + "; api promotes before calling a backend");
        }
    }

    private static int[] broadcastShape(int[] a, int[] b) {
        int[] s = Shapes.broadcast(a, b);
        if (s == null) {
            throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                    + " do not broadcast");
        }
        return s;
    }

    private static void checkLength(int length, int[] shape) {
        if (length != Shapes.size(shape)) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    static DataType dataType(DType dtype) {
        return dtype == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
    }

    private static long[] longs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    private static BackendException fail(String op, RuntimeException e, int[]... shapes) {
        if (e instanceof BackendException) {
            return (BackendException) e;
        }
        return new BackendException(NAME, op, e, shapes);
    }
}
