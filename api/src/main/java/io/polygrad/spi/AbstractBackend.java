package io.polygrad.spi;

import io.polygrad.DType;

/**
 * The skeletal {@link Backend}: the edge cases that every backend must answer in the same way,
 * answered once here, in front of protected kernels with stricter preconditions than the SPI's.
 *
 * <p>Each public SPI method is final and costs one extra call: it computes the result shape (which
 * it passes on, so the kernel need not compute it again), answers the edge case itself, and
 * otherwise calls its kernel. A kernel may assume, beyond {@link Backend}'s preconditions:
 * <ul>
 *   <li>its result has at least one element: a size-0 result is made here with
 *       {@link #full full(shape, 0, dtype)}, the only method that must accept a size-0 shape;</li>
 *   <li>read-back ({@link #toDoubleArrayKernel}, {@link #toFloatArrayKernel}) and creation from
 *       Java arrays get at least one element;</li>
 *   <li>{@link #reduceKernel} gets at least one axis and at least one element (a reduction over no
 *       axes is a copy; over no elements it is the identity: 0 for sum, NaN for mean, -inf for max);</li>
 *   <li>{@link #matmulKernel} gets a non-zero inner dimension (an empty product is all zeros);</li>
 *   <li>{@link #concatKernel} gets at least two parts, none of them empty;</li>
 *   <li>{@link #castKernel} with the input dtype means "copy";</li>
 *   <li>int64 arrays reach only the kernels and ops {@link Backend} lists for them (an int64
 *       {@code DIV}, {@code POW}, {@code EXP}, mean or matmul fails here), read-back of an int64
 *       array always goes through {@link #toLongArrayKernel}, and creation of one through
 *       {@link #fromLongsKernel};</li>
 *   <li>gather and scatterAdd indices are int64 and in range (checked here by reading them).</li>
 * </ul>
 * Shapes that do not broadcast fail here with a {@link BackendException} naming the backend, the op
 * and the shapes.
 *
 * <p>Three more guarantees hold on every backend because they are kept here:
 * <ul>
 *   <li><b>Sizes.</b> Every result shape that can be larger than its inputs (creation, broadcasts,
 *       matmul, reshape, concat) goes through {@link Shapes#size}, so a shape of more than 2^31-1
 *       elements fails with the same {@link IllegalArgumentException} before any kernel runs.</li>
 *   <li><b>Threads.</b> Every array argument is held ({@link BackendArray#acquire()}) for the
 *       duration of its kernel and released after it, so closing an array on one thread while a
 *       kernel on another reads it defers the free until the kernel is done (see
 *       {@link AbstractBackendArray}); a kernel starting on a closed array fails with the
 *       "released" {@link IllegalStateException}. Cost: one atomic increment and one atomic
 *       decrement per argument.</li>
 *   <li><b>Allocation failures.</b> An {@link OutOfMemoryError} from a kernel, or a runtime
 *       exception the backend recognises in {@link #isOutOfMemory}, becomes a
 *       {@link BackendOutOfMemoryError} naming the backend, the op, the result shape, its dtype
 *       and the bytes requested.</li>
 * </ul> The three polygrad backends extend this class; a backend that implements
 * {@link Backend} directly must answer these cases itself.
 */
public abstract class AbstractBackend implements Backend {

    /** Creates the edge-case layer; subclasses supply the kernels. */
    protected AbstractBackend() {
    }

    // ---------------------------------------------------------------- creation and read-back

    @Override
    public final BackendArray full(int[] shape, double value, DType dtype) {
        Shapes.size(shape);
        try {
            return fullKernel(shape, value, dtype);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "full", shape, dtype);
        }
    }

    @Override
    public final BackendArray fromDoubles(double[] data, int[] shape, DType dtype) {
        if (Shapes.size(shape) == 0 && data.length == 0) {
            return full(shape, 0.0, dtype);
        }
        if (dtype == DType.INT64) {
            long[] longs = new long[data.length];
            for (int i = 0; i < longs.length; i++) {
                longs[i] = (long) data[i];
            }
            return fromLongs(longs, shape);
        }
        try {
            return fromDoublesKernel(data, shape, dtype);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "fromDoubles", shape, dtype);
        }
    }

    @Override
    public final BackendArray fromFloats(float[] data, int[] shape) {
        if (Shapes.size(shape) == 0 && data.length == 0) {
            return full(shape, 0.0, DType.FLOAT32);
        }
        try {
            return fromFloatsKernel(data, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "fromFloats", shape, DType.FLOAT32);
        }
    }

    @Override
    public final double[] toDoubleArray(BackendArray a) {
        if (isEmpty(a.shape())) {
            return new double[0];
        }
        if (a.dtype() == DType.INT64) {
            long[] longs = toLongArray(a);
            double[] out = new double[longs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = longs[i];
            }
            return out;
        }
        a.acquire();
        try {
            return toDoubleArrayKernel(a);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "toDoubleArray", a.shape(), DType.FLOAT64);
        } finally {
            a.release();
        }
    }

    @Override
    public final float[] toFloatArray(BackendArray a) {
        if (isEmpty(a.shape())) {
            return new float[0];
        }
        if (a.dtype() == DType.INT64) {
            long[] longs = toLongArray(a);
            float[] out = new float[longs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = longs[i];
            }
            return out;
        }
        a.acquire();
        try {
            return toFloatArrayKernel(a);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "toFloatArray", a.shape(), DType.FLOAT32);
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray cast(BackendArray a, DType dtype) {
        if (isEmpty(a.shape())) {
            return full(a.shape(), 0.0, dtype);
        }
        a.acquire();
        try {
            return castKernel(a, dtype);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "cast", a.shape(), dtype);
        } finally {
            a.release();
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public final BackendArray unary(UnaryOp op, BackendArray a) {
        if (a.dtype() == DType.INT64 && op != UnaryOp.NEG && op != UnaryOp.ABS && op != UnaryOp.SIGN) {
            throw unsupported("unary " + op, a.dtype());
        }
        if (isEmpty(a.shape())) {
            return empty(a.shape(), a.dtype());
        }
        a.acquire();
        try {
            return unaryKernel(op, a);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "unary", a.shape(), a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        checkSameDType("binary", op, a, b);
        if (a.dtype() == DType.INT64 && (op == BinaryOp.DIV || op == BinaryOp.POW)) {
            throw unsupported("binary " + op, a.dtype());
        }
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        if (shape == null) {
            throw notBroadcast("binary " + op, a.shape(), b.shape());
        }
        if (Shapes.size(shape) == 0) {
            return empty(shape, a.dtype());
        }
        acquire(a, b);
        try {
            return binaryKernel(op, a, b, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "binary", shape, a.dtype());
        } finally {
            a.release();
            b.release();
        }
    }

    @Override
    public final BackendArray where(BackendArray condition, BackendArray a, BackendArray b) {
        int[] ab = Shapes.broadcast(a.shape(), b.shape());
        int[] shape = ab == null ? null : Shapes.broadcast(condition.shape(), ab);
        if (shape == null) {
            throw notBroadcast("where", condition.shape(), a.shape(), b.shape());
        }
        if (Shapes.size(shape) == 0) {
            return empty(shape, a.dtype());
        }
        acquire(condition, a);
        try {
            b.acquire();
        } catch (RuntimeException e) {
            condition.release();
            a.release();
            throw e;
        }
        try {
            return whereKernel(condition, a, b, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "where", shape, a.dtype());
        } finally {
            condition.release();
            a.release();
            b.release();
        }
    }

    // ---------------------------------------------------------------- reductions and matmul

    @Override
    public final BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims) {
        if (a.dtype() == DType.INT64 && op == ReduceOp.MEAN) {
            throw unsupported("reduce " + op, a.dtype());
        }
        int[] shape = Shapes.reduced(a.shape(), axes, keepDims);
        if (isEmpty(shape)) {
            return empty(shape, a.dtype());
        }
        if (axes.length == 0) {
            return cast(a, a.dtype());
        }
        if (isEmpty(a.shape())) {
            double identity = op == ReduceOp.SUM ? 0.0 : op == ReduceOp.MEAN ? Double.NaN
                    : op == ReduceOp.PROD ? 1.0 : op == ReduceOp.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            return full(shape, identity, a.dtype());
        }
        a.acquire();
        try {
            return reduceKernel(op, a, axes, keepDims, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "reduce", shape, a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray matmul(BackendArray a, BackendArray b) {
        return matmul(a, false, b, false);
    }

    @Override
    public final BackendArray matmul(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB) {
        checkSameDType("matmul", a, b);
        if (a.dtype() == DType.INT64) {
            throw unsupported("matmul", a.dtype());
        }
        int[] as = a.shape();
        int[] shape = Shapes.matmulShape(as, transposeA, b.shape(), transposeB);
        if (Shapes.size(shape) == 0) {
            return empty(shape, a.dtype());
        }
        if (as[as.length - (transposeA ? 2 : 1)] == 0) {
            return full(shape, 0.0, a.dtype());
        }
        acquire(a, b);
        try {
            return matmulKernel(a, transposeA, b, transposeB, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "matmul", shape, a.dtype());
        } finally {
            a.release();
            b.release();
        }
    }

    // ---------------------------------------------------------------- movement

    @Override
    public final BackendArray reshape(BackendArray a, int[] shape) {
        if (Shapes.size(shape) == 0) {
            return empty(shape, a.dtype());
        }
        a.acquire();
        try {
            return reshapeKernel(a, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "reshape", shape, a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray permute(BackendArray a, int[] axes) {
        int[] in = a.shape();
        int[] shape = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            shape[i] = in[axes[i]];
        }
        if (isEmpty(shape)) {
            return empty(shape, a.dtype());
        }
        a.acquire();
        try {
            return permuteKernel(a, axes, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "permute", shape, a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray broadcastTo(BackendArray a, int[] shape) {
        if (Shapes.size(shape) == 0) {
            return empty(shape, a.dtype());
        }
        a.acquire();
        try {
            return broadcastToKernel(a, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "broadcastTo", shape, a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray slice(BackendArray a, int axis, int start, int end) {
        int[] shape = a.shape().clone();
        shape[axis] = end - start;
        if (isEmpty(shape)) {
            return empty(shape, a.dtype());
        }
        a.acquire();
        try {
            return sliceKernel(a, axis, start, end, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "slice", shape, a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray concat(BackendArray[] parts, int axis) {
        int[] shape = parts[0].shape().clone();
        long total = 0;
        int nonEmpty = 0;
        for (BackendArray p : parts) {
            total += p.shape()[axis];
            nonEmpty += isEmpty(p.shape()) ? 0 : 1;
        }
        if (total > Shapes.MAX_ELEMENTS) {
            StringBuilder text = new StringBuilder("[");
            java.math.BigInteger count = java.math.BigInteger.valueOf(total);
            for (int i = 0; i < shape.length; i++) {
                text.append(i == 0 ? "" : ", ").append(i == axis ? total : shape[i]);
                count = i == axis ? count : count.multiply(java.math.BigInteger.valueOf(shape[i]));
            }
            throw Shapes.tooManyElements(text.append(']').toString(), count);
        }
        shape[axis] = (int) total;
        if (Shapes.size(shape) == 0) {
            return empty(shape, parts[0].dtype());
        }
        if (nonEmpty < parts.length) {
            BackendArray[] kept = new BackendArray[nonEmpty];
            int j = 0;
            for (BackendArray p : parts) {
                if (!isEmpty(p.shape())) {
                    kept[j++] = p;
                }
            }
            parts = kept;
        }
        if (parts.length == 1) {
            return cast(parts[0], parts[0].dtype());
        }
        int held = 0;
        try {
            for (BackendArray p : parts) {
                p.acquire();
                held++;
            }
            return concatKernel(parts, axis, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "concat", shape, parts[0].dtype());
        } finally {
            for (int i = 0; i < held; i++) {
                parts[i].release();
            }
        }
    }

    // ---------------------------------------------------------------- int64 and indexing

    @Override
    public final BackendArray fromLongs(long[] data, int[] shape) {
        if (Shapes.size(shape) == 0 && data.length == 0) {
            return full(shape, 0.0, DType.INT64);
        }
        if (data.length != Shapes.size(shape)) {
            throw new IllegalArgumentException(name() + ": fromLongs: " + data.length + " values do not fill shape "
                    + Shapes.toString(shape));
        }
        try {
            return fromLongsKernel(data, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "fromLongs", shape, DType.INT64);
        }
    }

    @Override
    public final long[] toLongArray(BackendArray a) {
        if (isEmpty(a.shape())) {
            return new long[0];
        }
        if (a.dtype() != DType.INT64) {
            double[] values = toDoubleArray(a);
            long[] out = new long[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (long) values[i];
            }
            return out;
        }
        a.acquire();
        try {
            return toLongArrayKernel(a);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "toLongArray", a.shape(), DType.INT64);
        } finally {
            a.release();
        }
    }

    // ---------------------------------------------------------------- added for the PyTorch-porting ops (issue 14)

    @Override
    public final BackendArray cumsum(BackendArray a, int axis, boolean reverse) {
        if (isEmpty(a.shape())) {
            return empty(a.shape(), a.dtype());
        }
        a.acquire();
        try {
            return cumsumKernel(a, axis, reverse);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "cumsum", a.shape(), a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray argReduce(ArgReduceOp op, BackendArray a, int axis, boolean keepDims) {
        int[] in = a.shape();
        if (axis < 0 || axis >= in.length || in[axis] == 0) {
            throw new IllegalArgumentException(name() + ": " + op + " over axis " + axis + " of shape "
                    + Shapes.toString(in) + ": the axis must exist and not be empty");
        }
        int[] shape = Shapes.reduced(in, new int[] {axis}, keepDims);
        if (isEmpty(shape)) {
            return full(shape, 0.0, DType.INT64);
        }
        a.acquire();
        try {
            return argReduceKernel(op, a, axis, keepDims, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, op.toString(), shape, DType.INT64);
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray gather(BackendArray a, int axis, BackendArray index) {
        checkIndex("gather", a.shape(), axis, index, null);
        if (isEmpty(index.shape())) {
            return full(index.shape(), 0.0, a.dtype());
        }
        acquire(a, index);
        try {
            return gatherKernel(a, axis, index);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "gather", index.shape(), a.dtype());
        } finally {
            a.release();
            index.release();
        }
    }

    @Override
    public final BackendArray scatterAdd(BackendArray a, int axis, BackendArray index, BackendArray src) {
        checkSameDType("scatterAdd", a, src);
        checkIndex("scatterAdd", a.shape(), axis, index, src.shape());
        if (isEmpty(index.shape()) || isEmpty(a.shape())) {
            return cast(a, a.dtype());
        }
        acquire(a, index);
        try {
            src.acquire();
        } catch (RuntimeException e) {
            a.release();
            index.release();
            throw e;
        }
        try {
            return scatterAddKernel(a, axis, index, src);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "scatterAdd", a.shape(), a.dtype());
        } finally {
            a.release();
            index.release();
            src.release();
        }
    }

    /** Returns an int64 array holding {@code data}, which fills the non-empty {@code shape}. */
    protected abstract BackendArray fromLongsKernel(long[] data, int[] shape);

    /** Returns the elements of a non-empty int64 array. */
    protected abstract long[] toLongArrayKernel(BackendArray a);

    /**
     * Returns the int64 positions of {@link #argReduce} over a non-empty {@code axis} into the non-empty
     * {@code shape}. The default copies {@code a} to the Java heap and back; override it with the
     * library's own op where that keeps PyTorch's ties and NaN rules.
     */
    protected BackendArray argReduceKernel(ArgReduceOp op, BackendArray a, int axis, boolean keepDims, int[] shape) {
        return fromLongsKernel(HostIndexing.argReduce(op, host(a), a.shape(), axis), shape);
    }

    /**
     * Returns {@link #gather} for a non-empty, checked {@code index}. The default copies both arrays to
     * the Java heap and the result back; override it with the library's own op.
     */
    protected BackendArray gatherKernel(BackendArray a, int axis, BackendArray index) {
        int[] offsets = HostIndexing.offsets(a.shape(), axis, index.shape(), toLongArrayKernel(index));
        return fromHost(HostIndexing.gather(host(a), offsets), index.shape(), a.dtype());
    }

    /**
     * Returns {@link #scatterAdd} for a non-empty {@code a} and a non-empty, checked {@code index}. The
     * default copies the arrays to the Java heap and the result back; override it with the library's
     * own op.
     */
    protected BackendArray scatterAddKernel(BackendArray a, int axis, BackendArray index, BackendArray src) {
        int[] offsets = HostIndexing.offsets(a.shape(), axis, index.shape(), toLongArrayKernel(index));
        int[] srcOffsets = HostIndexing.embedded(index.shape(), src.shape());
        Object sum = HostIndexing.scatterAdd(host(a), offsets, host(src), srcOffsets);
        return fromHost(sum, a.shape(), a.dtype());
    }

    /** Returns a fresh copy of a non-empty held array's elements: {@code float[]}, {@code double[]} or {@code long[]}. */
    private Object host(BackendArray a) {
        switch (a.dtype()) {
            case FLOAT32: return toFloatArrayKernel(a);
            case FLOAT64: return toDoubleArrayKernel(a);
            default: return toLongArrayKernel(a);
        }
    }

    private BackendArray fromHost(Object data, int[] shape, DType dtype) {
        switch (dtype) {
            case FLOAT32: return fromFloatsKernel((float[]) data, shape);
            case FLOAT64: return fromDoublesKernel((double[]) data, shape, dtype);
            default: return fromLongsKernel((long[]) data, shape);
        }
    }

    /**
     * Checks an index argument of gather or scatterAdd against {@code shape} (and, for scatterAdd, the
     * source shape): int64, the same rank, no larger outside {@code axis} (nor than the source), every
     * value in {@code [0, shape[axis])}; the message names the first bad value and its position.
     */
    private void checkIndex(String op, int[] shape, int axis, BackendArray index, int[] src) {
        int[] is = index.shape();
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(name() + ": " + op + ": index must be int64, got " + index.dtype());
        }
        if (axis < 0 || axis >= Math.max(shape.length, 1)) {
            throw new IllegalArgumentException(name() + ": " + op + ": axis " + axis + " is out of range for shape "
                    + Shapes.toString(shape));
        }
        boolean fits = is.length == shape.length && (src == null || src.length == is.length);
        for (int d = 0; fits && d < is.length; d++) {
            fits = (d == axis || is[d] <= shape[d]) && (src == null || is[d] <= src[d]);
        }
        if (!fits) {
            throw new IllegalArgumentException(name() + ": " + op + ": index of shape " + Shapes.toString(is)
                    + " does not fit shape " + Shapes.toString(shape) + (src == null ? "" : " and source shape "
                    + Shapes.toString(src)) + " along axis " + axis + " (same rank, no larger outside the axis)");
        }
        if (isEmpty(is)) {
            return;
        }
        long[] values = toLongArray(index);
        int bound = shape.length == 0 ? 1 : shape[axis];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= bound) {
                throw new IndexOutOfBoundsException(name() + ": " + op + ": index " + values[i] + " at position "
                        + Shapes.toString(Shapes.unravel(i, is)) + " is out of range [0, " + bound + ") for axis " + axis
                        + " of shape " + Shapes.toString(shape));
            }
        }
    }

    /** Returns the cumulative sum of a non-empty {@code a} along {@code axis}, from the end with {@code reverse}. */
    protected abstract BackendArray cumsumKernel(BackendArray a, int axis, boolean reverse);

    // ---------------------------------------------------------------- unfold / fold (im2col / col2im)

    @Override
    public final BackendArray unfold(BackendArray a, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        int[] s = a.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("unfold: expects a 4-d [N, C, H, W] array, got shape " + Shapes.toString(s));
        }
        int oh = Im2col.outputSize(s[2], kernel[0], dilation[0], padding[0], stride[0]);
        int ow = Im2col.outputSize(s[3], kernel[1], dilation[1], padding[1], stride[1]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("unfold: kernel " + java.util.Arrays.toString(kernel) + " with dilation "
                    + java.util.Arrays.toString(dilation) + " does not fit the padded input of shape " + Shapes.toString(s)
                    + " with padding " + java.util.Arrays.toString(padding));
        }
        long rows = (long) s[1] * kernel[0] * kernel[1];
        if (rows > Integer.MAX_VALUE) {
            throw Shapes.tooManyElements("[" + s[0] + ", " + rows + ", " + ((long) oh * ow) + "]",
                    java.math.BigInteger.valueOf(rows).multiply(java.math.BigInteger.valueOf((long) s[0] * oh * ow)));
        }
        int[] shape = {s[0], (int) rows, Math.multiplyExact(oh, ow)};
        if (Shapes.size(shape) == 0) {
            return empty(shape, a.dtype());
        }
        a.acquire();
        try {
            return unfoldKernel(a, kernel, dilation, padding, stride, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "unfold", shape, a.dtype());
        } finally {
            a.release();
        }
    }

    @Override
    public final BackendArray fold(BackendArray cols, int[] outputSize, int[] kernel, int[] dilation, int[] padding,
            int[] stride) {
        int[] s = cols.shape();
        int blocks = kernel[0] * kernel[1];
        if (s.length != 3 || s[1] % blocks != 0) {
            throw new IllegalArgumentException("fold: expects a 3-d [N, C·kH·kW, L] array with kernel "
                    + java.util.Arrays.toString(kernel) + ", got shape " + Shapes.toString(s));
        }
        int oh = Im2col.outputSize(outputSize[0], kernel[0], dilation[0], padding[0], stride[0]);
        int ow = Im2col.outputSize(outputSize[1], kernel[1], dilation[1], padding[1], stride[1]);
        if (oh < 1 || ow < 1 || (long) oh * ow != s[2]) {
            throw new IllegalArgumentException("fold: " + s[2] + " blocks do not match output size "
                    + java.util.Arrays.toString(outputSize) + " (which has " + Math.max(0, oh) + "x" + Math.max(0, ow)
                    + " blocks of kernel " + java.util.Arrays.toString(kernel) + ")");
        }
        int[] shape = {s[0], s[1] / blocks, outputSize[0], outputSize[1]};
        if (Shapes.size(shape) == 0) {
            return empty(shape, cols.dtype());
        }
        cols.acquire();
        try {
            return foldKernel(cols, kernel, dilation, padding, stride, shape);
        } catch (OutOfMemoryError | RuntimeException e) {
            throw translate(e, "fold", shape, cols.dtype());
        } finally {
            cols.release();
        }
    }

    // ---------------------------------------------------------------- the kernels

    /**
     * Returns an array of {@code shape} with every element {@code value}: the one kernel that must
     * accept a size-0 shape (every empty result is made with it). The shape has been checked to fit.
     */
    protected abstract BackendArray fullKernel(int[] shape, double value, DType dtype);

    /** Returns an array holding {@code data} rounded to {@code dtype}; {@code shape} has at least one element. */
    protected abstract BackendArray fromDoublesKernel(double[] data, int[] shape, DType dtype);

    /** Returns a float32 array holding {@code data}; {@code shape} has at least one element. */
    protected abstract BackendArray fromFloatsKernel(float[] data, int[] shape);

    /** Returns the elements of a non-empty array widened to double. */
    protected abstract double[] toDoubleArrayKernel(BackendArray a);

    /** Returns the elements of a non-empty array rounded to float. */
    protected abstract float[] toFloatArrayKernel(BackendArray a);

    /** Returns a non-empty {@code a} converted to {@code dtype}; a copy when the dtype is the same. */
    protected abstract BackendArray castKernel(BackendArray a, DType dtype);

    /** Returns {@code op(a)} for a non-empty {@code a}. */
    protected abstract BackendArray unaryKernel(UnaryOp op, BackendArray a);

    /** Returns {@code op(a, b)} broadcast to the non-empty {@code shape}. */
    protected abstract BackendArray binaryKernel(BinaryOp op, BackendArray a, BackendArray b, int[] shape);

    /** Returns {@code condition != 0 ? a : b} broadcast to the non-empty {@code shape}. */
    protected abstract BackendArray whereKernel(BackendArray condition, BackendArray a, BackendArray b, int[] shape);

    /**
     * Returns {@code op} over at least one axis of a non-empty {@code a}; {@code shape} is the
     * non-empty result shape.
     */
    protected abstract BackendArray reduceKernel(ReduceOp op, BackendArray a, int[] axes, boolean keepDims,
            int[] shape);

    /** Returns the product of the (transposed) operands: a non-empty {@code shape}, a non-zero inner dimension. */
    protected abstract BackendArray matmulKernel(BackendArray a, boolean transposeA, BackendArray b,
            boolean transposeB, int[] shape);

    /** Returns a non-empty {@code a} with the non-empty {@code shape}. */
    protected abstract BackendArray reshapeKernel(BackendArray a, int[] shape);

    /** Returns {@code a} permuted by {@code axes} into the non-empty {@code shape}. */
    protected abstract BackendArray permuteKernel(BackendArray a, int[] axes, int[] shape);

    /** Returns {@code a} broadcast to the non-empty {@code shape}, materialised. */
    protected abstract BackendArray broadcastToKernel(BackendArray a, int[] shape);

    /** Returns elements {@code [start, end)} along {@code axis}: the non-empty {@code shape}. */
    protected abstract BackendArray sliceKernel(BackendArray a, int axis, int start, int end, int[] shape);

    /** Returns at least two non-empty parts joined along {@code axis} into {@code shape}. */
    protected abstract BackendArray concatKernel(BackendArray[] parts, int axis, int[] shape);

    /**
     * Returns {@link Backend#unfold} of a 4-d {@code a} into the non-empty {@code shape}
     * {@code [N, C·kH·kW, outH·outW]}; the output size is at least 1 along both axes.
     *
     * <p>The default copies through the Java heap ({@link Im2col}): read back, unfold, create. Correct on
     * any backend, for a library without an unfold of its own, at the cost of two copies; a backend
     * whose library has im2col overrides it.
     */
    protected BackendArray unfoldKernel(BackendArray a, int[] kernel, int[] dilation, int[] padding, int[] stride,
            int[] shape) {
        Im2col.Geometry g = Im2col.geometry(a.shape(), kernel, dilation, padding, stride);
        int n = a.shape()[0];
        return a.dtype() == DType.FLOAT32 ? fromFloatsKernel(Im2col.unfoldBatch(g, n, toFloatArrayKernel(a)), shape)
                : fromDoublesKernel(Im2col.unfoldBatch(g, n, toDoubleArrayKernel(a)), shape, a.dtype());
    }

    /**
     * Returns {@link Backend#fold} of a 3-d {@code cols} into the non-empty {@code shape}
     * {@code [N, C, H, W]}, whose block count matches {@code cols}. The default copies through the Java
     * heap, as {@link #unfoldKernel}'s.
     */
    protected BackendArray foldKernel(BackendArray cols, int[] kernel, int[] dilation, int[] padding, int[] stride,
            int[] shape) {
        Im2col.Geometry g = Im2col.geometry(shape, kernel, dilation, padding, stride);
        int n = shape[0];
        return cols.dtype() == DType.FLOAT32 ? fromFloatsKernel(Im2col.foldBatch(g, n, toFloatArrayKernel(cols)), shape)
                : fromDoublesKernel(Im2col.foldBatch(g, n, toDoubleArrayKernel(cols)), shape, cols.dtype());
    }

    // ---------------------------------------------------------------- failures

    /**
     * Returns whether {@code e}, thrown by a kernel, means that memory could not be allocated; the
     * kernel's {@link OutOfMemoryError}s always do. A native backend overrides this to recognise its
     * library's allocation failures (which arrive as runtime exceptions), so that every backend
     * reports them as the same {@link BackendOutOfMemoryError}.
     */
    protected boolean isOutOfMemory(RuntimeException e) {
        return false;
    }

    /**
     * Returns {@code e} unchanged, or throws a {@link BackendOutOfMemoryError} naming this backend,
     * {@code op}, the result shape and dtype when {@code e} is an allocation failure.
     */
    private RuntimeException translate(Throwable e, String op, int[] shape, DType dtype) {
        if (e instanceof BackendOutOfMemoryError oom) {
            throw oom;
        }
        if (e instanceof OutOfMemoryError || e instanceof RuntimeException r && isOutOfMemory(r)) {
            throw new BackendOutOfMemoryError(name(), op, shape, dtype, e);
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        throw (Error) e;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Returns {@code device}, or throws naming {@code backend} when {@code threads} is below 1: for a
     * backend's {@code (Device, int threads)} constructor, before anything is loaded.
     */
    protected static io.polygrad.Device requireThreads(String backend, io.polygrad.Device device, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException(backend + ": threads must be at least 1, got " + threads);
        }
        return device;
    }

    /** Fails, naming the op and both dtypes, unless {@code a} and {@code b} have one dtype. */
    private void checkSameDType(String op, BackendArray a, BackendArray b) {
        checkSameDType(op, null, a, b);
    }

    /**
     * Fails, naming the op ({@code kind}, then {@code detail} when not null) and both dtypes, unless
     * {@code a} and {@code b} have one dtype; the message is built only on failure (binary ops run per step).
     */
    private void checkSameDType(String kind, Object detail, BackendArray a, BackendArray b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(name() + ": " + kind + (detail == null ? "" : " " + detail)
                    + ": operands have dtypes " + a.dtype() + " and " + b.dtype() + "; cast one first");
        }
    }

    private IllegalArgumentException unsupported(String op, DType dtype) {
        return new IllegalArgumentException(name() + ": " + op + " is not defined for " + dtype
                + " arrays; cast to a floating-point dtype first");
    }

    /** Holds both arrays for a kernel; holds neither if the second is released. */
    private static void acquire(BackendArray a, BackendArray b) {
        a.acquire();
        try {
            b.acquire();
        } catch (RuntimeException e) {
            a.release();
            throw e;
        }
    }

    private BackendArray empty(int[] shape, DType dtype) {
        return full(shape, 0.0, dtype);
    }

    private BackendException notBroadcast(String op, int[]... shapes) {
        StringBuilder sb = new StringBuilder("shapes");
        for (int[] s : shapes) {
            sb.append(' ').append(Shapes.toString(s));
        }
        return new BackendException(name(), op, new IllegalArgumentException(sb.append(" do not broadcast").toString()),
                shapes);
    }

    /** Returns whether {@code shape} has a dimension of size 0 (so no elements). */
    private static boolean isEmpty(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return true;
            }
        }
        return false;
    }
}
