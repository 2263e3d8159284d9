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
 *   <li>{@link #castKernel} with the input dtype means "copy".</li>
 * </ul>
 * Shapes that do not broadcast fail here with a {@link BackendException} naming the backend, the op
 * and the shapes. The three polygrad backends extend this class; a backend that implements
 * {@link Backend} directly must answer these cases itself.
 */
public abstract class AbstractBackend implements Backend {

    /** Creates the edge-case layer; subclasses supply the kernels. */
    protected AbstractBackend() {
    }

    // ---------------------------------------------------------------- creation and read-back

    @Override
    public final BackendArray fromDoubles(double[] data, int[] shape, DType dtype) {
        if (data.length == 0 && isEmpty(shape)) {
            return full(shape, 0.0, dtype);
        }
        return fromDoublesKernel(data, shape, dtype);
    }

    @Override
    public final BackendArray fromFloats(float[] data, int[] shape) {
        if (data.length == 0 && isEmpty(shape)) {
            return full(shape, 0.0, DType.FLOAT32);
        }
        return fromFloatsKernel(data, shape);
    }

    @Override
    public final double[] toDoubleArray(BackendArray a) {
        return isEmpty(a.shape()) ? new double[0] : toDoubleArrayKernel(a);
    }

    @Override
    public final float[] toFloatArray(BackendArray a) {
        return isEmpty(a.shape()) ? new float[0] : toFloatArrayKernel(a);
    }

    @Override
    public final BackendArray cast(BackendArray a, DType dtype) {
        return isEmpty(a.shape()) ? full(a.shape(), 0.0, dtype) : castKernel(a, dtype);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public final BackendArray unary(UnaryOp op, BackendArray a) {
        return isEmpty(a.shape()) ? empty(a.shape(), a.dtype()) : unaryKernel(op, a);
    }

    @Override
    public final BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        if (shape == null) {
            throw notBroadcast("binary " + op, a.shape(), b.shape());
        }
        return isEmpty(shape) ? empty(shape, a.dtype()) : binaryKernel(op, a, b, shape);
    }

    @Override
    public final BackendArray where(BackendArray condition, BackendArray a, BackendArray b) {
        int[] ab = Shapes.broadcast(a.shape(), b.shape());
        int[] shape = ab == null ? null : Shapes.broadcast(condition.shape(), ab);
        if (shape == null) {
            throw notBroadcast("where", condition.shape(), a.shape(), b.shape());
        }
        return isEmpty(shape) ? empty(shape, a.dtype()) : whereKernel(condition, a, b, shape);
    }

    // ---------------------------------------------------------------- reductions and matmul

    @Override
    public final BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims) {
        int[] shape = Shapes.reduced(a.shape(), axes, keepDims);
        if (isEmpty(shape)) {
            return empty(shape, a.dtype());
        }
        if (axes.length == 0) {
            return castKernel(a, a.dtype());
        }
        if (isEmpty(a.shape())) {
            double identity = op == ReduceOp.SUM ? 0.0 : op == ReduceOp.MEAN ? Double.NaN : Double.NEGATIVE_INFINITY;
            return full(shape, identity, a.dtype());
        }
        return reduceKernel(op, a, axes, keepDims, shape);
    }

    @Override
    public final BackendArray matmul(BackendArray a, BackendArray b) {
        return matmul(a, false, b, false);
    }

    @Override
    public final BackendArray matmul(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB) {
        int[] as = a.shape();
        int[] shape = Shapes.matmulShape(as, transposeA, b.shape(), transposeB);
        if (isEmpty(shape)) {
            return empty(shape, a.dtype());
        }
        if (as[as.length - (transposeA ? 2 : 1)] == 0) {
            return full(shape, 0.0, a.dtype());
        }
        return matmulKernel(a, transposeA, b, transposeB, shape);
    }

    // ---------------------------------------------------------------- movement

    @Override
    public final BackendArray reshape(BackendArray a, int[] shape) {
        return isEmpty(shape) ? empty(shape, a.dtype()) : reshapeKernel(a, shape);
    }

    @Override
    public final BackendArray permute(BackendArray a, int[] axes) {
        int[] in = a.shape();
        int[] shape = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            shape[i] = in[axes[i]];
        }
        return isEmpty(shape) ? empty(shape, a.dtype()) : permuteKernel(a, axes, shape);
    }

    @Override
    public final BackendArray broadcastTo(BackendArray a, int[] shape) {
        return isEmpty(shape) ? empty(shape, a.dtype()) : broadcastToKernel(a, shape);
    }

    @Override
    public final BackendArray slice(BackendArray a, int axis, int start, int end) {
        int[] shape = a.shape().clone();
        shape[axis] = end - start;
        return isEmpty(shape) ? empty(shape, a.dtype()) : sliceKernel(a, axis, start, end, shape);
    }

    @Override
    public final BackendArray concat(BackendArray[] parts, int axis) {
        int[] shape = parts[0].shape().clone();
        int total = 0;
        int nonEmpty = 0;
        for (BackendArray p : parts) {
            total += p.shape()[axis];
            nonEmpty += isEmpty(p.shape()) ? 0 : 1;
        }
        shape[axis] = total;
        if (isEmpty(shape)) {
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
        return parts.length == 1 ? castKernel(parts[0], parts[0].dtype()) : concatKernel(parts, axis, shape);
    }

    // ---------------------------------------------------------------- the kernels

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

    // ---------------------------------------------------------------- helpers

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
