package io.polygrad.spi;

import io.polygrad.DType;
import io.polygrad.Device;

/**
 * The primitive kernels one backend offers: the whole contract between {@code api} and an array
 * library.
 *
 * <p>A backend never sees autograd. {@code api} checks shapes and dtypes before calling, so a
 * backend may assume:
 * <ul>
 *   <li>every array argument was created by this backend and is not closed;</li>
 *   <li>binary operands and {@code where} branches have the same dtype (the condition too), and
 *       shapes that broadcast (NumPy rules) to a common shape, which is the result shape;</li>
 *   <li>{@code matmul} operands have rank ≥ 2, identical leading (batch) dimensions and matching
 *       inner dimensions: {@code [..., m, k] x [..., k, n] -> [..., m, n]};</li>
 *   <li>axes are non-negative, in range and sorted without duplicates;</li>
 *   <li>{@code MAX} and {@code MIN} never reduce over an axis of size 0;</li>
 *   <li>the total element count of {@code reshape} matches, {@code broadcastTo} targets a shape
 *       the input broadcasts to, {@code slice} bounds are in range, {@code concat} parts agree
 *       outside {@code axis}, and Java arrays fill the shape they are created with.</li>
 * </ul>
 * Every method returns a new array with the input dtype (unless it casts) and leaves its arguments
 * unchanged. Shapes may have rank 0 (a scalar) and dimensions of size 0 or 1.
 *
 * <p>Int64 arrays ({@link DType#INT64}) reach a backend only in creation, read-back, {@code cast},
 * {@code full}, binary {@code ADD}, {@code SUB}, {@code MUL}, {@code MAXIMUM}, {@code MINIMUM} and the
 * comparisons (which then give int64 0/1), unary {@code NEG}, {@code ABS}, {@code SIGN}, reductions
 * {@code SUM} and {@code MAX}, {@code where}, the movement ops and the indexing ops below; a cast of a
 * float to int64 truncates toward zero, as PyTorch.
 *
 * <p>The edge cases every backend answers the same way are answered once, by
 * {@link AbstractBackend}, which the polygrad backends extend: a size-0 result is made with
 * {@link #full} (no kernel runs), a reduction over no axes is a copy and over no elements the
 * identity (0, NaN for the mean, -inf for the max, 1 for the product), a product with inner dimension 0 is zeros, and
 * {@code concat} skips empty parts. Its protected kernels are never called with a size-0 result,
 * empty axes, an inner dimension 0 or an empty concat part. A backend implementing this interface
 * directly must answer those cases itself.
 *
 * <p><b>Threads and memory.</b> Implementations must be thread-safe: distinct arrays may be used
 * from any threads, and one array may be read by several threads at once. An array may also be
 * closed on one thread while a kernel on another thread still reads it; the memory must then
 * outlive that kernel, and a kernel started after the close must fail with the "released"
 * {@link IllegalStateException}, never crash the JVM. {@link AbstractBackend} does this for its
 * subclasses by holding each argument ({@link BackendArray#acquire()}) around every kernel; a
 * native backend's arrays extend {@link AbstractBackendArray}, which frees only when closed and
 * no longer held.
 *
 * <p><b>Limits.</b> A tensor has at most 2^31-1 elements ({@link Shapes#size} fails with an
 * {@link IllegalArgumentException} beyond), and an allocation that fails is a
 * {@link BackendOutOfMemoryError} naming the backend, shape, dtype and bytes.
 */
public interface Backend {

    /** Returns the backend's configuration name, e.g. {@code scratch}, {@code nd4j}, {@code djl}. */
    String name();

    /** Returns the device this backend instance allocates on. */
    Device device();

    /**
     * Creates an array holding {@code data} (row-major) with the given shape, rounded to
     * {@code dtype} when that is {@link DType#FLOAT32}.
     */
    BackendArray fromDoubles(double[] data, int[] shape, DType dtype);

    /** Creates a {@link DType#FLOAT32} array holding {@code data} (row-major) with the given shape. */
    BackendArray fromFloats(float[] data, int[] shape);

    /**
     * Creates an array of {@code shape} with every element equal to {@code value}; size-0 shapes
     * included (the one creation an {@link AbstractBackend} makes empty results with).
     */
    BackendArray full(int[] shape, double value, DType dtype);

    /** Returns the elements in row-major order, widened to double. */
    double[] toDoubleArray(BackendArray a);

    /** Returns the elements in row-major order, rounded to float. */
    float[] toFloatArray(BackendArray a);

    /** Returns {@code op(a)} elementwise. */
    BackendArray unary(UnaryOp op, BackendArray a);

    /** Returns {@code op(a, b)} elementwise with broadcasting. */
    BackendArray binary(BinaryOp op, BackendArray a, BackendArray b);

    /**
     * Returns {@code a + alpha·b} elementwise, an optimizer's update {@code p + (−lr)·g}: {@code alpha}
     * rounded to the arrays' dtype and the product rounded before the sum (no fused multiply-add), so the
     * values are those of the default, {@code binary(ADD, a, binary(MUL, b, full([], alpha)))}. A backend
     * may do it in one pass without the product's temporary. {@code api} has checked that {@code a} and
     * {@code b} have one floating-point dtype and one shape.
     */
    default BackendArray addScaled(BackendArray a, double alpha, BackendArray b) {
        BackendArray scale = full(Shapes.scalar(), alpha, b.dtype());
        try {
            BackendArray product = binary(BinaryOp.MUL, b, scale);
            try {
                return binary(BinaryOp.ADD, a, product);
            } finally {
                product.close();
            }
        } finally {
            scale.close();
        }
    }

    /** Returns {@code condition != 0 ? a : b} elementwise with broadcasting of all three. */
    BackendArray where(BackendArray condition, BackendArray a, BackendArray b);

    /**
     * Returns {@code op} over {@code axes}; with {@code keepDims} the reduced axes stay with size 1.
     * An empty {@code axes} array returns a copy.
     */
    BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims);

    /** Returns the (batched) matrix product {@code [..., m, k] x [..., k, n]}. */
    BackendArray matmul(BackendArray a, BackendArray b);

    /**
     * Returns the (batched) matrix product of {@code a} or its transpose with {@code b} or its
     * transpose, where "transpose" swaps the last two axes; operands have equal batch dimensions and
     * matching inner dimensions after transposition. BLAS-backed libraries do this without copying;
     * the default materialises the transposes with {@link #permute} and calls {@link #matmul}
     * ({@link AbstractBackend} leaves the transposes to its kernel instead).
     */
    default BackendArray matmul(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB) {
        BackendArray x = transposeA ? permute(a, Shapes.swapLastTwo(a.shape().length)) : a;
        BackendArray y = transposeB ? permute(b, Shapes.swapLastTwo(b.shape().length)) : b;
        try {
            return matmul(x, y);
        } finally {
            if (x != a) {
                x.close();
            }
            if (y != b) {
                y.close();
            }
        }
    }

    /** Returns the same elements in row-major order with a new shape. */
    BackendArray reshape(BackendArray a, int[] shape);

    /** Returns {@code a} with its axes reordered: result axis {@code i} is input axis {@code axes[i]}. */
    BackendArray permute(BackendArray a, int[] axes);

    /** Returns {@code a} broadcast (NumPy rules) to {@code shape}, materialised. */
    BackendArray broadcastTo(BackendArray a, int[] shape);

    /** Returns elements {@code [start, end)} along {@code axis}, with {@code 0 <= start <= end <= size}. */
    BackendArray slice(BackendArray a, int axis, int start, int end);

    /** Returns the arrays joined along {@code axis}; all have the same dtype, rank and other dims. */
    BackendArray concat(BackendArray[] parts, int axis);

    /** Returns {@code a} converted to {@code dtype} (a copy even when the dtype is the same). */
    BackendArray cast(BackendArray a, DType dtype);

    // ---------------------------------------------------------------- int64 and indexing

    /** Creates a {@link DType#INT64} array holding {@code data} (row-major) with the given shape. */
    BackendArray fromLongs(long[] data, int[] shape);

    /**
     * Returns the elements in row-major order as longs: an int64 array's values, or a float array's
     * truncated toward zero (PyTorch's {@code .long()}).
     */
    long[] toLongArray(BackendArray a);

    /**
     * Returns the int64 positions along {@code axis} of the largest ({@link ArgReduceOp#ARGMAX}) or
     * smallest element of each slice: the first on ties, the first NaN where a slice holds one (as
     * PyTorch). A primitive because no composite of the others finds a position in one pass.
     * {@code axis} is in range and its size is not 0.
     */
    BackendArray argReduce(ArgReduceOp op, BackendArray a, int axis, boolean keepDims);

    /**
     * Returns {@code out[i][j][k] = a[index[i][j][k]][j][k]} for {@code axis} 0, and so on (PyTorch's
     * {@code gather}): the result has the index's shape and {@code a}'s dtype. {@code index} is int64
     * with {@code a}'s rank, no larger than {@code a} outside {@code axis}, and its values lie in
     * {@code [0, a.shape[axis])}. A primitive because picking elements by a tensor of positions (class
     * indices, embedding rows) has no fast composite.
     */
    BackendArray gather(BackendArray a, int axis, BackendArray index);

    /**
     * Returns a copy of {@code a} with {@code src[i][j][k]} added into position
     * {@code [index[i][j][k]][j][k]} for {@code axis} 0, and so on, for every position of {@code index}
     * (PyTorch's {@code scatter_add}; repeated positions accumulate): {@code gather}'s adjoint.
     * {@code a} and {@code src} have one float or int64 dtype, {@code index} is int64, all three have
     * one rank, {@code index} is no larger than {@code src} anywhere nor than {@code a} outside
     * {@code axis}, and its values lie in {@code [0, a.shape[axis])}.
     */
    BackendArray scatterAdd(BackendArray a, int axis, BackendArray index, BackendArray src);

    // ---------------------------------------------------------------- added for the PyTorch-porting ops (issue 14)

    /**
     * Returns the cumulative sum along {@code axis} (in range, non-negative): element {@code i} of the
     * result is the sum of elements {@code 0..i} of {@code a}, or with {@code reverse} of elements
     * {@code i..n-1} (the backward of the forward sum, and the other way round). A primitive because a
     * composite of slices and sums costs {@code n} kernels along the axis, where every array library has
     * one scan kernel; float32 may accumulate in float64 (as PyTorch's CPU kernel does).
     */
    BackendArray cumsum(BackendArray a, int axis, boolean reverse);

    // ---------------------------------------------------------------- unfold / fold (im2col / col2im)

    /**
     * Returns the sliding local blocks of an NCHW array, PyTorch's {@code torch.nn.functional.unfold}:
     * {@code [N, C, H, W] -> [N, C·kH·kW, L]} with {@code L = outH·outW}, row {@code (c·kH + i)·kW + j}
     * and column {@code y·outW + x} holding {@code a[n, c, y·stride[0] − padding[0] + i·dilation[0],
     * x·stride[1] − padding[1] + j·dilation[1]]}, or 0 where that falls in the zero padding.
     *
     * <p>A primitive because no composite of the others is fast on any backend: it is the step that turns a
     * convolution into one matrix product (im2col), and its adjoint {@link #fold} is that product's input
     * gradient. {@code kernel}, {@code dilation}, {@code padding} and {@code stride} are {@code {height,
     * width}} pairs; {@code api} has checked the rank (4), that every pair is positive (padding
     * non-negative) and that the output size is at least 1.
     */
    BackendArray unfold(BackendArray a, int[] kernel, int[] dilation, int[] padding, int[] stride);

    /**
     * Returns the adjoint of {@link #unfold}, PyTorch's {@code torch.nn.functional.fold} (col2im):
     * {@code [N, C·kH·kW, L] -> [N, C, outputSize[0], outputSize[1]]}, each element the sum of every block
     * entry that {@link #unfold} would read from it (entries that fall in the padding are dropped).
     * {@code api} has checked that {@code C·kH·kW} divides the second dimension and that {@code L} is the
     * block count of {@code outputSize}.
     */
    BackendArray fold(BackendArray cols, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride);

    /**
     * Returns this backend's native convolution and pooling kernels, or empty when {@code api}
     * should use its composite of the primitives above (the default).
     */
    default java.util.Optional<ConvolutionKernels> convolutionKernels() {
        return java.util.Optional.empty();
    }

    /**
     * Returns this backend's native activation kernels, or empty when {@code api} should use its
     * composite of the primitives above (the default).
     */
    default java.util.Optional<ActivationKernels> activationKernels() {
        return java.util.Optional.empty();
    }

    /**
     * Returns the runnable form of a captured step's {@code program}, whose calls all went to this
     * backend or its kernel families. The default replays the calls one by one
     * ({@link KernelProgram#interpreted()}); a backend may plan buffers once and reuse them between runs,
     * or fuse calls, as long as every run gives the values the calls give one by one.
     */
    default CompiledProgram compile(KernelProgram program) {
        return program.interpreted();
    }
}
