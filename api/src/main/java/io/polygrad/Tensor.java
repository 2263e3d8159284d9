package io.polygrad;

import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor: an n-dimensional array of float32 or float64 values on one backend, with PyTorch's
 * autograd.
 *
 * <p>Every operation returns a new tensor. When gradient recording is on (outside {@link NoGrad}) and
 * an input requires a gradient, the result remembers how it was made, and {@link #backward()} walks
 * that graph, <em>adding</em> each leaf's gradient into {@link #grad()} until {@link #zeroGrad()}.
 * This class is the public face; each operation's forward and backward rule sit together in a
 * package-private file of its family ({@code ElementwiseOps}, {@code ReductionOps},
 * {@code MatmulOps}, {@code ShapeOps}), written in tensor operations so they run on every backend,
 * and {@code Autograd} holds the graph walk.
 *
 * <pre>{@code
 * Engine e = Polygrad.engine();
 * Tensor w = e.tensor(new double[] {1.1}).requiresGrad(true);
 * Tensor loss = w.mul(w).sum();
 * loss.backward();
 * w.grad();                 // tensor([2.2000])
 * try (NoGrad ng = NoGrad.enter()) {
 *     w.subi(w.grad().mul(0.01));
 * }
 * w.zeroGrad();
 * }</pre>
 *
 * <p>Broadcasting follows NumPy; a broadcast input's gradient is summed back to its shape. Mixing
 * float32 and float64 promotes to float64. Derivatives at kinks follow PyTorch: relu'(0) = 0,
 * abs'(0) = sign(0) = 0, and ties in max/maximum share the gradient equally.
 *
 * <p><b>Saved tensors and in-place changes.</b> Every tensor has a {@link #version()}, which each
 * in-place op ({@link #subi subi}, {@link #addi addi}, {@link #muli muli}, {@link #divi divi},
 * {@link #assign assign}, {@link #fill fill}, and so every optimizer step) bumps. An op that needs a
 * tensor's values for its gradient saves it, as PyTorch's {@code derivatives.yaml} does (mul saves
 * both operands, exp its result, add and sum nothing), and {@code backward()} fails with PyTorch's
 * message ({@code one of the variables needed for gradient computation has been modified by an
 * inplace operation: [MulBackward, shape [3]] is at version 1; expected version 0 instead}) rather
 * than compute a wrong gradient from a tensor changed since. Updating parameters after
 * {@code backward()} and before the next forward pass, the normal loop, is always allowed.
 *
 * <p><b>The graph is freed by backward().</b> {@link #backward()} frees the graph it walked: each node
 * drops its inputs and saved tensors, so that their memory can be released, and the walk's own
 * temporaries are released at once. A second {@code backward()} through the same graph fails with
 * PyTorch's "Trying to backward through the graph a second time" message unless the first one was
 * {@link #backward(boolean) backward(true)} ({@code retain_graph=True}). Unlike PyTorch, which only
 * refuses nodes that saved tensors, polygrad refuses every freed node.
 *
 * <p><b>Threads.</b> Tensors on native backends hold off-heap memory: {@link #close()} them or create
 * them inside a {@link TensorScope}. A tensor is not thread-safe: do not change one in place (or call
 * {@link #zeroGrad()}) on one thread while another thread reads it or runs a backward pass through it,
 * and do not run {@code backward()} through one graph from two threads at once. Two threads may run
 * {@code backward()} at the same time through graphs that share leaves (parameters, as in PyTorch):
 * the gradient is added into each leaf under the leaf's lock, so the sum is that of running them one
 * after the other (up to the order of floating-point additions).
 */
public final class Tensor implements AutoCloseable {

    private BackendArray data;
    private final Engine engine;
    TensorScope scope;

    // Autograd state, read and written by Autograd.
    final Autograd.Node node;
    boolean requiresGrad;
    boolean retainGrad;
    Tensor grad;
    /** Gradient collected for this tensor during one backward pass. */
    Tensor pendingGrad;
    /** Marks the backward pass that last visited this tensor. */
    long visitMark;
    /** Bumped by every in-place change ({@link #replaceData}); see {@link #version()}. */
    int version;

    Tensor(BackendArray data, Engine engine) {
        this(data, engine, null);
    }

    Tensor(BackendArray data, Engine engine, Autograd.Node node) {
        this.data = data;
        this.engine = engine;
        this.node = node;
        this.requiresGrad = node != null;
        TensorScope.register(this);
        StepRecorder recorder = StepRecorder.active;
        if (recorder != null) {
            recorder.created(this);
        }
    }

    // ================================================================ properties

    /** Returns a copy of the shape; {@code []} for a 0-d tensor. */
    public int[] shape() {
        return data().shape().clone();
    }

    /** Returns the size of dimension {@code axis} (negative counts from the end). */
    public int size(int axis) {
        int[] s = data().shape();
        return s[normalizeAxis(axis, s.length, "size")];
    }

    /** Returns the number of dimensions. */
    public int rank() {
        return data().shape().length;
    }

    /** Returns the number of elements. */
    public int numel() {
        return Shapes.size(data().shape());
    }

    /** Returns the element type. */
    public DType dtype() {
        return data().dtype();
    }

    /** Returns the engine (backend, generator, default dtype) this tensor belongs to. */
    public Engine engine() {
        return engine;
    }

    /** Returns the backend array behind this tensor, for backend authors and tests. */
    public BackendArray array() {
        return data();
    }

    /** Returns the backend of this tensor's engine. */
    Backend backend() {
        return engine.backend();
    }

    /** Returns the backend array; fails with the "released" error once the tensor has been released. */
    BackendArray data() {
        BackendArray d = data;
        StepRecorder recorder = StepRecorder.active;
        if (recorder != null) {
            recorder.read(this, d);
        }
        if (d.isClosed()) {
            throw new IllegalStateException("Tensor of shape " + Shapes.toString(d.shape())
                    + " has been released (by close() or by the TensorScope it was created in); "
                    + "keep it with scope.keep(tensor) to use it after the scope");
        }
        return d;
    }

    // ================================================================ autograd state

    /** Returns whether gradients are computed for this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Returns this tensor after setting whether it requires a gradient; only leaves may change it,
     * as in PyTorch's {@code requires_grad_()}.
     */
    public Tensor requiresGrad(boolean value) {
        if (value && !dtype().isFloatingPoint()) {
            throw new IllegalStateException("only Tensors of floating point dtype can require gradients, got "
                    + dtype() + " (as in PyTorch); cast first, e.g. to(DType.FLOAT32)");
        }
        if (node != null) {
            throw new IllegalStateException("requiresGrad can only be changed on leaf tensors; "
                    + "this tensor was made by " + node.name + " (use detach() for a new leaf)");
        }
        requiresGrad = value;
        if (value) {
            TensorScope.escape(this);
        }
        return this;
    }

    /**
     * Returns this tensor's version counter (PyTorch's {@code _version}): 0 when created, incremented by
     * every in-place change ({@code subi}, {@code addi}, {@code muli}, {@code divi}, {@code assign},
     * {@code fill}, and the accumulation of a gradient into it). {@code backward()} compares it with
     * the version an op saved.
     */
    public int version() {
        return version;
    }

    /** Returns whether this tensor is a leaf: created by the user, not by an op that recorded a graph. */
    public boolean isLeaf() {
        return node == null;
    }

    /** Returns the accumulated gradient, or {@code null} if none has been computed since the last {@link #zeroGrad()}. */
    public Tensor grad() {
        return grad;
    }

    /** Returns the name of the op that made this tensor ({@code null} for leaves), e.g. {@code MulBackward}. */
    public String gradFn() {
        return node == null ? null : node.name + "Backward";
    }

    /** Returns this non-leaf tensor after asking {@link #backward()} to keep its gradient too. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad() on a tensor that does not require grad");
        }
        retainGrad = true;
        return this;
    }

    /** Clears the gradient (PyTorch's {@code set_to_none}) and releases its memory. */
    public void zeroGrad() {
        Tensor g = grad;
        grad = null;
        if (g != null) {
            g.close();
        }
    }

    /**
     * Returns a new leaf tensor with a copy of the values, not part of any graph and not requiring a
     * gradient. Unlike PyTorch it does not share storage with this tensor.
     */
    public Tensor detach() {
        return engine.wrap(backend().cast(data(), dtype()));
    }

    /**
     * Computes the gradient of this scalar (one-element) tensor with respect to every leaf that
     * requires one, adding it to the leaves' {@link #grad()}, and frees the graph (see
     * {@link #backward(Tensor, boolean)}). Same as {@code backward(false)}.
     *
     * @throws IllegalStateException if this tensor does not require a gradient or is not a scalar, if
     *     the graph was freed by an earlier {@code backward()}, or if a tensor an op saved for backward
     *     has been changed in place since
     */
    public void backward() {
        backward(false);
    }

    /**
     * Computes the gradient of this scalar (one-element) tensor with respect to every leaf that
     * requires one, adding it to the leaves' {@link #grad()}; with {@code retainGraph} the graph is kept,
     * so calling it again adds the same gradients once more (PyTorch's {@code retain_graph=True}).
     *
     * @param retainGraph whether to keep the graph for another backward pass
     * @throws IllegalStateException as {@link #backward()}
     */
    public void backward(boolean retainGraph) {
        if (numel() != 1) {
            throw new IllegalStateException("backward(): grad can be implicitly created only for scalar outputs, "
                    + "but this tensor has shape " + Shapes.toString(data().shape())
                    + "; pass an explicit gradient with backward(gradient)");
        }
        checkBackwardAllowed();
        Tensor ones = engine.wrap(backend().full(data().shape(), 1.0, dtype()));
        try {
            Autograd.backward(this, ones, retainGraph);
        } finally {
            // Made here and never handed out (the walk copies the caller's gradient rather than take it).
            ones.close();
        }
    }

    /**
     * Computes vector-Jacobian products: back-propagates {@code gradient} (same shape as this tensor,
     * same backend) and adds the result to every leaf's {@link #grad()}, then frees the graph. Same as
     * {@code backward(gradient, false)}.
     *
     * @param gradient the gradient of some scalar with respect to this tensor; it is read, never kept
     * @throws NullPointerException if {@code gradient} is null
     * @throws IllegalArgumentException if {@code gradient} has another shape or is on another backend
     * @throws IllegalStateException as {@link #backward()}
     */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * Computes vector-Jacobian products like {@link #backward(Tensor)}. Without {@code retainGraph},
     * each node of the walked graph then drops its inputs, saved tensors and rule (so that a
     * {@link TensorScope} or the garbage collector can release them), and a later backward pass through
     * any of those nodes fails with PyTorch's message: "Trying to backward through the graph a second
     * time (or directly access saved tensors after they have already been freed). ...". The walk's own
     * temporaries (gradients passed between ops) are released when it ends, except those kept as a
     * {@code grad}. With {@code retainGraph} the graph stays usable (PyTorch's
     * {@code retain_graph=True}).
     *
     * <p>Before running each op's backward rule, the walk checks that the tensors the op saved have not
     * been changed in place since (see {@link #version()}); if one has, it fails, naming the op, the
     * tensor's shape and both versions, before any leaf's gradient is changed (a non-leaf's
     * {@code retainGrad()} gradient may already have been).
     *
     * @param gradient the gradient of some scalar with respect to this tensor; it is read, never kept
     * @param retainGraph whether to keep the graph for another backward pass
     * @throws NullPointerException if {@code gradient} is null
     * @throws IllegalArgumentException if {@code gradient} has another shape or is on another backend
     * @throws IllegalStateException as {@link #backward()}
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        requireArg(gradient, "backward", "gradient");
        checkBackwardAllowed();
        checkSameBackend(gradient, "backward");
        if (!Arrays.equals(gradient.data().shape(), data().shape())) {
            throw new IllegalArgumentException("backward(): gradient has shape " + Shapes.toString(gradient.shape())
                    + " but the tensor has shape " + Shapes.toString(data().shape()));
        }
        Autograd.backward(this, gradient, retainGraph);
    }

    private void checkBackwardAllowed() {
        if (!requiresGrad) {
            throw new IllegalStateException("backward(): this tensor does not require grad and has no grad_fn; "
                    + "call requiresGrad(true) on a leaf before computing with it");
        }
    }

    /** Returns {@code value}; fails with a {@link NullPointerException} naming {@code op} and {@code arg} when null. */
    static <T> T requireArg(T value, String op, String arg) {
        if (value == null) {
            throw new NullPointerException(op + ": " + arg + " is null");
        }
        return value;
    }

    /** Returns {@code tensors}; fails, naming {@code op}, when the list or one of its elements is null. */
    static List<Tensor> requireElements(List<Tensor> tensors, String op, String arg) {
        requireArg(tensors, op, arg);
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i) == null) {
                throw new NullPointerException(op + ": " + arg + "[" + i + "] is null");
            }
        }
        return tensors;
    }

    // ================================================================ helpers for operands

    /**
     * Returns a 0-d tensor of {@code value} in this tensor's dtype, a leaf that does not require a
     * gradient; for an int64 tensor a value that is not a whole number (or is infinite or NaN) is made in
     * the engine's float dtype instead, so {@code labels.add(0.5)} is float as in PyTorch.
     */
    Tensor constant(double value) {
        DType d = dtype();
        if (d == DType.INT64 && !(value == Math.rint(value) && Math.abs(value) < 0x1p63)) {
            d = engine.dtype();
        }
        return engine.wrap(backend().full(Shapes.scalar(), value, d));
    }

    /** Fails, naming {@code op}, unless {@code other} is on this tensor's backend and device. */
    void checkSameBackend(Tensor other, String op) {
        Backend mine = backend();
        Backend theirs = other.backend();
        if (mine != theirs && (!mine.name().equals(theirs.name()) || !mine.device().equals(theirs.device()))) {
            throw new IllegalArgumentException(op + ": tensors are on different backends: " + mine.name() + " ("
                    + mine.device() + ") and " + theirs.name() + " (" + theirs.device() + "); move one with "
                    + "toEngine(engine) first");
        }
    }

    /** Returns the broadcast shape of two operands; fails, naming {@code op}, when they do not broadcast. */
    static int[] broadcastShape(Tensor a, Tensor b, String op) {
        int[] s = Shapes.broadcast(a.data().shape(), b.data().shape());
        if (s == null) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.toString(a.data().shape()) + " and "
                    + Shapes.toString(b.data().shape()) + " cannot be broadcast together");
        }
        return s;
    }

    // ================================================================ elementwise binary

    /** Returns {@code this + other} with broadcasting. */
    public Tensor add(Tensor other) {
        return ElementwiseOps.add(this, requireArg(other, "add", "other"));
    }

    /** Returns {@code this + value}. */
    public Tensor add(double value) {
        return add(constant(value));
    }

    /** Returns {@code this - other} with broadcasting. */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.sub(this, requireArg(other, "sub", "other"));
    }

    /** Returns {@code this - value}. */
    public Tensor sub(double value) {
        return sub(constant(value));
    }

    /** Returns {@code value - this}. */
    public Tensor rsub(double value) {
        return constant(value).sub(this);
    }

    /** Returns {@code this * other} with broadcasting. */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.mul(this, requireArg(other, "mul", "other"));
    }

    /** Returns {@code this * value}. */
    public Tensor mul(double value) {
        return mul(constant(value));
    }

    /** Returns {@code this / other} with broadcasting. */
    public Tensor div(Tensor other) {
        return ElementwiseOps.div(this, requireArg(other, "div", "other"));
    }

    /** Returns {@code this / value}. */
    public Tensor div(double value) {
        return div(constant(value));
    }

    /** Returns {@code value / this}. */
    public Tensor rdiv(double value) {
        return constant(value).div(this);
    }

    /**
     * Returns {@code this ^ exponent} with broadcasting. As in PyTorch, the gradient with respect to
     * the exponent is taken as 0 where the base is 0 and the exponent is non-negative.
     */
    public Tensor pow(Tensor exponent) {
        return ElementwiseOps.pow(this, requireArg(exponent, "pow", "exponent"));
    }

    /** Returns {@code this ^ exponent}; the gradient is {@code exponent * this^(exponent-1)} (0 for exponent 0). */
    public Tensor pow(double exponent) {
        return ElementwiseOps.pow(this, exponent);
    }

    /** Returns the elementwise maximum; where equal, each input gets half the gradient (PyTorch). */
    public Tensor maximum(Tensor other) {
        return ElementwiseOps.maximum(this, requireArg(other, "maximum", "other"));
    }

    /** Returns the elementwise minimum; where equal, each input gets half the gradient (PyTorch). */
    public Tensor minimum(Tensor other) {
        return ElementwiseOps.minimum(this, requireArg(other, "minimum", "other"));
    }

    // ================================================================ comparisons (no gradient)

    /** Returns 1 where {@code this > other}, else 0, in the promoted dtype; not differentiable. */
    public Tensor gt(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.GREATER, this, requireArg(other, "gt", "other"), "gt");
    }

    /** Returns 1 where {@code this > value}, else 0. */
    public Tensor gt(double value) {
        return gt(constant(value));
    }

    /** Returns 1 where {@code this >= other}, else 0. */
    public Tensor ge(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.GREATER_EQUAL, this, requireArg(other, "ge", "other"), "ge");
    }

    /** Returns 1 where {@code this >= value}, else 0. */
    public Tensor ge(double value) {
        return ge(constant(value));
    }

    /** Returns 1 where {@code this < other}, else 0. */
    public Tensor lt(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.LESS, this, requireArg(other, "lt", "other"), "lt");
    }

    /** Returns 1 where {@code this < value}, else 0. */
    public Tensor lt(double value) {
        return lt(constant(value));
    }

    /** Returns 1 where {@code this <= other}, else 0. */
    public Tensor le(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.LESS_EQUAL, this, requireArg(other, "le", "other"), "le");
    }

    /** Returns 1 where {@code this <= value}, else 0. */
    public Tensor le(double value) {
        return le(constant(value));
    }

    /** Returns 1 where {@code this == other}, else 0. */
    public Tensor eq(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.EQUAL, this, requireArg(other, "eq", "other"), "eq");
    }

    /** Returns 1 where {@code this == value}, else 0. */
    public Tensor eq(double value) {
        return eq(constant(value));
    }

    /** Returns 1 where {@code this != other}, else 0. */
    public Tensor ne(Tensor other) {
        return ElementwiseOps.compare(BinaryOp.NOT_EQUAL, this, requireArg(other, "ne", "other"), "ne");
    }

    /** Returns 1 where {@code this != value}, else 0. */
    public Tensor ne(double value) {
        return ne(constant(value));
    }

    /**
     * Returns {@code condition != 0 ? a : b} elementwise, broadcasting all three; the gradient flows
     * to {@code a} where the condition holds and to {@code b} elsewhere.
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return ElementwiseOps.where(requireArg(condition, "where", "condition"), requireArg(a, "where", "a"),
                requireArg(b, "where", "b"));
    }

    /** Returns a tensor of zeros with this tensor's shape and dtype. */
    public Tensor zerosLike() {
        return engine.wrap(backend().full(data().shape(), 0.0, dtype()));
    }

    /** Returns a tensor of ones with this tensor's shape and dtype. */
    public Tensor onesLike() {
        return engine.wrap(backend().full(data().shape(), 1.0, dtype()));
    }

    // ================================================================ elementwise unary

    /** Returns {@code -this}. */
    public Tensor neg() {
        return ElementwiseOps.neg(this);
    }

    /** Returns {@code e^this}. */
    public Tensor exp() {
        return ElementwiseOps.exp(this);
    }

    /** Returns the natural logarithm. */
    public Tensor log() {
        return ElementwiseOps.log(this);
    }

    /** Returns the square root. */
    public Tensor sqrt() {
        return ElementwiseOps.sqrt(this);
    }

    /** Returns {@code |this|}; the gradient is {@code sign(this)}, so 0 at 0. */
    public Tensor abs() {
        return ElementwiseOps.abs(this);
    }

    /** Returns {@code -1, 0 or 1}; the gradient is 0 everywhere. */
    public Tensor sign() {
        return ElementwiseOps.sign(this);
    }

    /** Returns {@code this * this}. */
    public Tensor square() {
        return mul(this);
    }

    /** Returns the hyperbolic tangent; the gradient is {@code 1 - tanh²}. */
    public Tensor tanh() {
        return ElementwiseOps.tanh(this);
    }

    /**
     * Returns {@code max(this, 0)} (NaN stays NaN, as in PyTorch) with PyTorch's gradient: {@code g}
     * where {@code this > 0} or NaN, 0 elsewhere, so relu'(0) = 0 and relu'(NaN) = 1. On a backend
     * with {@link io.polygrad.spi.ActivationKernels} (djl) one native kernel each way; otherwise one
     * kernel forward ({@code maximum}) and the mask and product of {@code g · (out ≠ 0)} backward. It
     * saves its result, as PyTorch: changing the result in place before {@code backward()} fails.
     */
    public Tensor relu() {
        return ElementwiseOps.relu(this);
    }

    /**
     * Returns {@code 1 / (1 + e^-this)}; the gradient is {@code s (1 - s)}, stated directly because
     * the composite's own chain rule gives NaN where {@code e^-x} overflows.
     */
    public Tensor sigmoid() {
        return ElementwiseOps.sigmoid(this);
    }

    /**
     * Returns {@code this} clamped to {@code [min, max]}; the gradient passes where
     * {@code min <= this <= max} (PyTorch's convention at the bounds).
     */
    public Tensor clamp(double min, double max) {
        return ElementwiseOps.clamp(this, min, max);
    }

    // ================================================================ reductions

    /** Returns the sum of all elements as a 0-d tensor. */
    public Tensor sum() {
        return sum(Shapes.allAxes(rank()), false);
    }

    /** Returns the sum over {@code axes} (negative counts from the end). */
    public Tensor sum(int[] axes, boolean keepDims) {
        return ReductionOps.reduce(ReduceOp.SUM, this, requireArg(axes, "sum", "axes"), keepDims, "Sum");
    }

    /** Returns the sum over one axis. */
    public Tensor sum(int axis, boolean keepDims) {
        return sum(new int[] {axis}, keepDims);
    }

    /** Returns the mean of all elements as a 0-d tensor. */
    public Tensor mean() {
        return mean(Shapes.allAxes(rank()), false);
    }

    /** Returns the mean over {@code axes}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        return ReductionOps.reduce(ReduceOp.MEAN, this, requireArg(axes, "mean", "axes"), keepDims, "Mean");
    }

    /** Returns the mean over one axis. */
    public Tensor mean(int axis, boolean keepDims) {
        return mean(new int[] {axis}, keepDims);
    }

    /** Returns the largest element as a 0-d tensor; tied maxima share the gradient equally. */
    public Tensor max() {
        return max(Shapes.allAxes(rank()), false);
    }

    /** Returns the maximum over {@code axes}; tied maxima share the gradient equally. */
    public Tensor max(int[] axes, boolean keepDims) {
        return ReductionOps.reduce(ReduceOp.MAX, this, requireArg(axes, "max", "axes"), keepDims, "Max");
    }

    /** Returns the maximum over one axis. */
    public Tensor max(int axis, boolean keepDims) {
        return max(new int[] {axis}, keepDims);
    }

    // ================================================================ matmul

    /**
     * Returns the matrix product with PyTorch's rules: 1-d·1-d is a dot product, a 1-d operand is
     * promoted to a matrix and the added dimension removed afterwards, and leading (batch) dimensions
     * broadcast.
     */
    public Tensor matmul(Tensor other) {
        return MatmulOps.matmul(this, requireArg(other, "matmul", "other"));
    }

    /**
     * Returns the matrix product of this tensor or its transpose with {@code other} or its transpose
     * (transposing the last two axes), as BLAS does, without copying the transposed operand:
     * {@code x.matmul(w, false, true)} is {@code x · wᵀ}, the product of a linear layer. Both operands
     * need at least 2 dimensions; leading (batch) dimensions broadcast as in {@link #matmul(Tensor)}.
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return MatmulOps.matmul(this, requireArg(other, "matmul", "other"), transposeThis, transposeOther);
    }

    // ================================================================ shape ops

    /** Returns the same elements with a new shape; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, requireArg(newShape, "reshape", "newShape"));
    }

    /** Returns a 2-d tensor transposed; for other ranks use {@link #transpose(int, int)}. */
    public Tensor transpose() {
        return ShapeOps.transpose(this);
    }

    /** Returns the tensor with two axes swapped (negative axes count from the end). */
    public Tensor transpose(int axis0, int axis1) {
        return ShapeOps.transpose(this, axis0, axis1);
    }

    /** Returns the tensor with axes reordered: result axis {@code i} is axis {@code axes[i]} of this tensor. */
    public Tensor permute(int... axes) {
        return ShapeOps.permute(this, requireArg(axes, "permute", "axes"));
    }

    /** Returns the tensor broadcast (NumPy rules) to {@code shape}; the gradient is summed back. */
    public Tensor broadcastTo(int... shape) {
        return ShapeOps.broadcastTo(this, requireArg(shape, "broadcastTo", "shape"));
    }

    /** Returns elements {@code [start, end)} along {@code axis}; negative indices count from the end. */
    public Tensor slice(int axis, int start, int end) {
        return ShapeOps.slice(this, axis, start, end);
    }

    /** Returns index {@code i} along {@code axis}, removing that axis. */
    public Tensor index(int axis, int i) {
        return ShapeOps.index(this, axis, i);
    }

    /** Returns the tensors joined along {@code axis}; dtypes are promoted, other dimensions must match. */
    public static Tensor concat(List<Tensor> tensors, int axis) {
        return ShapeOps.concat(requireElements(tensors, "concat", "tensors"), axis);
    }

    /** Returns this tensor converted to {@code dtype} (this tensor itself if it already has it). */
    public Tensor to(DType target) {
        return ShapeOps.to(this, requireArg(target, "to", "target"));
    }

    /**
     * Returns a copy of this tensor's values on another engine (for instance another backend), as a new
     * leaf that does not require a gradient.
     */
    public Tensor toEngine(Engine target) {
        requireArg(target, "toEngine", "target");
        if (dtype() == DType.INT64) {
            return target.wrap(target.backend().fromLongs(toLongArray(), shape()));
        }
        if (dtype() == DType.FLOAT32) {
            return target.wrap(target.backend().fromFloats(toFloatArray(), shape()));
        }
        return target.wrap(target.backend().fromDoubles(toDoubleArray(), shape(), DType.FLOAT64));
    }

    /** Returns {@code axis} counted from the start; fails, naming {@code op}, when it is out of range. */
    static int normalizeAxis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1) || (rank == 0)) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    // ================================================================ ops for porting PyTorch code (issue 14)
    // Forward and backward rules in ActivationOps, StatisticOps, StackingOps and ReductionOps (min).
    // The examples assume `Engine e = Polygrad.engine();` (float32).

    /**
     * Returns {@code log(1 + this)}, accurate for small values, PyTorch's {@code torch.log1p}; the
     * gradient is {@code 1 / (1 + this)}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {1e-10, 1}).log1p()
     * $1 ==> tensor([1.0000e-10, 6.9315e-01])
     * }</pre>
     */
    public Tensor log1p() {
        return ActivationOps.log1p(this);
    }

    /**
     * Returns {@code e^this - 1}, accurate for small values, PyTorch's {@code torch.expm1}; the gradient is
     * {@code e^this}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {1e-10, 1}).expm1()
     * $1 ==> tensor([1.0000e-10, 1.7183e+00])
     * }</pre>
     */
    public Tensor expm1() {
        return ActivationOps.expm1(this);
    }

    /**
     * Returns the sine (radians), PyTorch's {@code torch.sin}; the gradient is {@code cos(this)}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {0, Math.PI / 6, Math.PI / 2}).sin()
     * $1 ==> tensor([0.0000, 0.5000, 1.0000])
     * }</pre>
     */
    public Tensor sin() {
        return ActivationOps.sin(this);
    }

    /**
     * Returns the cosine (radians), PyTorch's {@code torch.cos}; the gradient is {@code -sin(this)}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {0, Math.PI / 3, Math.PI}).cos()
     * $1 ==> tensor([1.0000, 0.5000, -1.0000])
     * }</pre>
     */
    public Tensor cos() {
        return ActivationOps.cos(this);
    }

    /**
     * Returns the error function, PyTorch's {@code torch.erf}; the gradient is
     * {@code 2/sqrt(pi) · e^(-this²)}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {0, 0.5, 3}).erf()
     * $1 ==> tensor([0.0000, 0.5205, 1.0000])
     * }</pre>
     */
    public Tensor erf() {
        return ActivationOps.erf(this);
    }

    /**
     * Returns PyTorch's {@code F.leaky_relu(this)} with its default {@code negative_slope = 0.01}: see
     * {@link #leakyRelu(double)}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {-2, 0, 3}).leakyRelu()
     * $1 ==> tensor([-0.0200, 0.0000, 3.0000])
     * jshell> e.tensor(new double[] {-2, 0, 3}).leakyRelu(0.2)
     * $2 ==> tensor([-0.4000, 0.0000, 3.0000])
     * }</pre>
     */
    public Tensor leakyRelu() {
        return leakyRelu(0.01);
    }

    /**
     * Returns {@code this} where it is positive and {@code negativeSlope · this} elsewhere, PyTorch's
     * {@code F.leaky_relu(x, negative_slope)}; the gradient at 0 is {@code negativeSlope}, as PyTorch's.
     *
     * @throws IllegalArgumentException if {@code negativeSlope} is not finite
     */
    public Tensor leakyRelu(double negativeSlope) {
        return ActivationOps.leakyRelu(this, negativeSlope);
    }

    /**
     * Returns the exact GELU {@code x · Φ(x) = x/2 · (1 + erf(x/√2))}, PyTorch's {@code F.gelu(x)}.
     *
     * <pre>{@code
     * jshell> var x = e.tensor(new double[] {-1, 0, 1})
     * x ==> tensor([-1.0000, 0.0000, 1.0000])
     * jshell> x.gelu()
     * $1 ==> tensor([-0.1587, 0.0000, 0.8413])
     * jshell> x.gelu("tanh")
     * $2 ==> tensor([-0.1588, 0.0000, 0.8412])
     * }</pre>
     */
    public Tensor gelu() {
        return gelu("none");
    }

    /**
     * Returns the GELU with PyTorch's {@code approximate} argument: {@code "none"} (exact, with erf) or
     * {@code "tanh"}, {@code x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))}.
     *
     * @throws IllegalArgumentException if {@code approximate} is neither {@code "none"} nor {@code "tanh"}
     */
    public Tensor gelu(String approximate) {
        return ActivationOps.gelu(this, approximate);
    }

    /**
     * Returns {@code this · sigmoid(this)}, PyTorch's {@code F.silu} (swish).
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {-1, 0, 1}).silu()
     * $1 ==> tensor([-0.2689, 0.0000, 0.7311])
     * }</pre>
     */
    public Tensor silu() {
        return ActivationOps.silu(this);
    }

    /** Returns {@link #elu(double) elu(1.0)}, PyTorch's {@code F.elu(x)} with its default {@code alpha = 1}. */
    public Tensor elu() {
        return elu(1.0);
    }

    /**
     * Returns {@code this} where it is positive and {@code alpha · (e^this - 1)} elsewhere, PyTorch's
     * {@code F.elu(x, alpha)}; the gradient at 0 is {@code alpha}, as PyTorch's.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {-1, 0, 1}).elu(1.0)
     * $1 ==> tensor([-0.6321, 0.0000, 1.0000])
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code alpha} is not finite
     */
    public Tensor elu(double alpha) {
        return ActivationOps.elu(this, alpha);
    }

    /**
     * Returns {@code log(sigmoid(this))}, computed as {@code min(x, 0) - log1p(e^-|x|)} so that it never
     * overflows, PyTorch's {@code F.logsigmoid}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {-100, 0, 100}).logSigmoid()
     * $1 ==> tensor([-1.0000e+02, -6.9315e-01, -3.7835e-44])
     * }</pre>
     */
    public Tensor logSigmoid() {
        return ActivationOps.logSigmoid(this);
    }

    /**
     * Returns {@code max(this, min)}, PyTorch's {@code torch.clamp(x, min=min)} ({@code clamp_min}); the
     * gradient passes where {@code this >= min}. NaN stays NaN.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {-1, 0.5, 2}).clampMin(0)
     * $1 ==> tensor([0.0000, 0.5000, 2.0000])
     * jshell> e.tensor(new double[] {-1, 0.5, 2}).clampMax(1)
     * $2 ==> tensor([-1.0000, 0.5000, 1.0000])
     * }</pre>
     */
    public Tensor clampMin(double min) {
        return ActivationOps.clampMin(this, min);
    }

    /**
     * Returns {@code min(this, max)}, PyTorch's {@code torch.clamp(x, max=max)} ({@code clamp_max}); the
     * gradient passes where {@code this <= max}. NaN stays NaN.
     */
    public Tensor clampMax(double max) {
        return ActivationOps.clampMax(this, max);
    }

    /**
     * Returns the smallest element as a 0-d tensor, PyTorch's {@code torch.min(x)}; tied minima share the
     * gradient equally (a NaN is the minimum, as in PyTorch).
     *
     * <pre>{@code
     * jshell> var m = e.tensor(new double[][] {{1, -2}, {3, 0}})
     * m ==> tensor([[1.0000, -2.0000],
     *         [3.0000, 0.0000]])
     * jshell> m.min()
     * $1 ==> tensor(-2.0000)
     * jshell> m.min(1, false)
     * $2 ==> tensor([-2.0000, 0.0000])
     * }</pre>
     */
    public Tensor min() {
        return min(Shapes.allAxes(rank()), false);
    }

    /**
     * Returns the minimum over {@code axes}, PyTorch's {@code torch.amin(x, dim, keepdim)}; tied minima
     * share the gradient equally. (PyTorch's {@code torch.min(x, dim)} also returns the indices: see
     * {@code argmin}.)
     */
    public Tensor min(int[] axes, boolean keepDims) {
        return ReductionOps.reduce(ReduceOp.MIN, this, requireArg(axes, "min", "axes"), keepDims, "Min");
    }

    /** Returns the minimum over one axis; see {@link #min(int[], boolean)}. */
    public Tensor min(int axis, boolean keepDims) {
        return min(new int[] {axis}, keepDims);
    }

    /** Returns {@link #min(int[], boolean)} under PyTorch's name {@code amin}. */
    public Tensor amin(int[] axes, boolean keepDims) {
        return min(axes, keepDims);
    }

    /** Returns {@link #max(int[], boolean)} under PyTorch's name {@code amax}. */
    public Tensor amax(int[] axes, boolean keepDims) {
        return max(axes, keepDims);
    }

    /**
     * Returns the product of all elements as a 0-d tensor, PyTorch's {@code torch.prod(x)} (1 for no
     * elements). The gradient is the product of the other elements, also where some are 0.
     *
     * <pre>{@code
     * jshell> var p = e.tensor(new double[] {2, 0, 3}).requiresGrad(true)
     * p ==> tensor([2.0000, 0.0000, 3.0000], requires_grad=True)
     * jshell> p.prod()
     * $1 ==> tensor(0.0000, grad_fn=<ProdBackward>)
     * jshell> p.prod().backward()
     * jshell> p.grad()
     * $2 ==> tensor([0.0000, 6.0000, 0.0000])
     * }</pre>
     */
    public Tensor prod() {
        return prod(Shapes.allAxes(rank()), false);
    }

    /** Returns the product over {@code axes}; PyTorch's {@code torch.prod(x, dim, keepdim)} takes one axis. */
    public Tensor prod(int[] axes, boolean keepDims) {
        return StatisticOps.prod(this, requireArg(axes, "prod", "axes"), keepDims);
    }

    /** Returns the product over one axis, PyTorch's {@code torch.prod(x, dim, keepdim)}. */
    public Tensor prod(int axis, boolean keepDims) {
        return prod(new int[] {axis}, keepDims);
    }

    /**
     * Returns the variance of all elements with Bessel's correction ({@code correction = 1}, PyTorch's
     * default): {@code Σ(x - mean)² / (n - 1)}.
     *
     * <pre>{@code
     * jshell> var v = e.tensor(new double[] {1, 2, 3, 4})
     * v ==> tensor([1.0000, 2.0000, 3.0000, 4.0000])
     * jshell> v.var()
     * $1 ==> tensor(1.6667)
     * jshell> v.var(0)
     * $2 ==> tensor(1.2500)
     * jshell> e.tensor(new double[] {5}).var()
     * $3 ==> tensor(nan)
     * }</pre>
     */
    public Tensor var() {
        return var(1.0);
    }

    /**
     * Returns the variance of all elements divided by {@code max(0, n - correction)}, PyTorch's
     * {@code torch.var(x, correction=c)}: 0 is the population variance; {@code correction >= n} divides by
     * 0 and gives inf (NaN where all elements are equal), as in PyTorch.
     */
    public Tensor var(double correction) {
        return var(Shapes.allAxes(rank()), correction, false);
    }

    /** Returns the variance over {@code axes} with {@code correction = 1}, PyTorch's {@code torch.var(x, dim, keepdim=k)}. */
    public Tensor var(int[] axes, boolean keepDims) {
        return var(axes, 1.0, keepDims);
    }

    /** Returns the variance over one axis with {@code correction = 1}. */
    public Tensor var(int axis, boolean keepDims) {
        return var(new int[] {axis}, 1.0, keepDims);
    }

    /**
     * Returns the variance over {@code axes} divided by {@code max(0, n - correction)}, PyTorch's
     * {@code torch.var(x, dim, correction=c, keepdim=k)}; the gradient is PyTorch's
     * {@code 2/(n - correction) · g · (x - mean)}.
     *
     * @throws IllegalArgumentException if {@code correction} is not finite or an axis is out of range
     */
    public Tensor var(int[] axes, double correction, boolean keepDims) {
        return StatisticOps.var(this, requireArg(axes, "var", "axes"), correction, keepDims);
    }

    /**
     * Returns the standard deviation of all elements with {@code correction = 1}, PyTorch's
     * {@code torch.std(x)}; its gradient is 0 where the std is 0, as PyTorch's.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[][] {{1, 2}, {3, 5}}).std(1, false)
     * $1 ==> tensor([0.7071, 1.4142])
     * }</pre>
     */
    public Tensor std() {
        return std(1.0);
    }

    /** Returns the square root of {@link #var(double)}. */
    public Tensor std(double correction) {
        return std(Shapes.allAxes(rank()), correction, false);
    }

    /** Returns the standard deviation over {@code axes} with {@code correction = 1}. */
    public Tensor std(int[] axes, boolean keepDims) {
        return std(axes, 1.0, keepDims);
    }

    /** Returns the standard deviation over one axis with {@code correction = 1}. */
    public Tensor std(int axis, boolean keepDims) {
        return std(new int[] {axis}, 1.0, keepDims);
    }

    /** Returns the square root of {@link #var(int[], double, boolean)}, PyTorch's {@code torch.std(x, dim, correction=c, keepdim=k)}. */
    public Tensor std(int[] axes, double correction, boolean keepDims) {
        return StatisticOps.std(this, requireArg(axes, "std", "axes"), correction, keepDims);
    }

    /**
     * Returns the 2-norm of all elements, PyTorch's {@code torch.norm(x)} / {@code torch.linalg.vector_norm(x)};
     * the gradient is {@code x / norm}, 0 where the norm is 0.
     *
     * <pre>{@code
     * jshell> var n = e.tensor(new double[][] {{3, -4}, {0, 1}})
     * n ==> tensor([[3.0000, -4.0000],
     *         [0.0000, 1.0000]])
     * jshell> n.norm()
     * $1 ==> tensor(5.0990)
     * jshell> n.norm(1)
     * $2 ==> tensor(8.0000)
     * jshell> n.norm(Double.POSITIVE_INFINITY, 1, false)
     * $3 ==> tensor([4.0000, 1.0000])
     * }</pre>
     */
    public Tensor norm() {
        return norm(2.0);
    }

    /** Returns the {@code p}-norm of all elements; see {@link #norm(double, int[], boolean)}. */
    public Tensor norm(double p) {
        return norm(p, Shapes.allAxes(rank()), false);
    }

    /** Returns the {@code p}-norm over one axis; see {@link #norm(double, int[], boolean)}. */
    public Tensor norm(double p, int axis, boolean keepDims) {
        return norm(p, new int[] {axis}, keepDims);
    }

    /**
     * Returns the vector {@code p}-norm over {@code axes}, PyTorch's
     * {@code torch.linalg.vector_norm(x, p, dim, keepdim)} (and {@code torch.norm(x, p, dim, keepdim)}):
     * {@code (Σ|x|^p)^(1/p)}, {@code max|x|} for {@code Double.POSITIVE_INFINITY}, {@code min|x|} for
     * {@code NEGATIVE_INFINITY}, the count of non-zeros for 0. Gradients are PyTorch's, 0 where the norm
     * is 0.
     *
     * @throws IllegalArgumentException if {@code p} is NaN or an axis is out of range
     */
    public Tensor norm(double p, int[] axes, boolean keepDims) {
        return StatisticOps.norm(this, p, requireArg(axes, "norm", "axes"), keepDims);
    }

    /**
     * Returns the norm of all elements of order {@code ord}, PyTorch's {@code torch.norm(x, "fro")}: only
     * {@code "fro"} (the 2-norm of the elements) has a name.
     *
     * @throws IllegalArgumentException for any other name (the nuclear norm {@code "nuc"} is not offered)
     */
    public Tensor norm(String ord) {
        return norm(StatisticOps.order(ord));
    }

    /** Returns the norm of order {@code ord} ({@code "fro"}) over {@code axes}; see {@link #norm(String)}. */
    public Tensor norm(String ord, int[] axes, boolean keepDims) {
        return norm(StatisticOps.order(ord), axes, keepDims);
    }

    /**
     * Returns the cumulative sum along {@code axis}, PyTorch's {@code torch.cumsum(x, dim)}; the gradient
     * is the cumulative sum from the end.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}}).cumsum(1)
     * $1 ==> tensor([[1.0000, 3.0000, 6.0000],
     *         [4.0000, 9.0000, 15.0000]])
     * }</pre>
     */
    public Tensor cumsum(int axis) {
        return StatisticOps.cumsum(this, axis, false);
    }

    /**
     * Returns the tensor without its axes of size 1, PyTorch's {@code x.squeeze()} (this tensor itself
     * when it has none).
     *
     * <pre>{@code
     * jshell> e.zeros(2, 1, 3).squeeze().shape()
     * $1 ==> int[2] { 2, 3 }
     * jshell> e.zeros(2, 1, 3).squeeze(0).shape()
     * $2 ==> int[3] { 2, 1, 3 }
     * }</pre>
     */
    public Tensor squeeze() {
        return StackingOps.squeeze(this);
    }

    /**
     * Returns the tensor without {@code axis} if its size is 1, and this tensor itself otherwise, as
     * PyTorch's {@code x.squeeze(dim)}.
     *
     * @throws IllegalArgumentException if {@code axis} is out of range
     */
    public Tensor squeeze(int axis) {
        return StackingOps.squeeze(this, axis);
    }

    /**
     * Returns the tensor with a new axis of size 1 at {@code axis} (in {@code [-rank-1, rank]}), PyTorch's
     * {@code x.unsqueeze(dim)}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {1, 2}).unsqueeze(0)
     * $1 ==> tensor([[1.0000, 2.0000]])
     * jshell> e.tensor(new double[] {1, 2}).unsqueeze(-1)
     * $2 ==> tensor([[1.0000],
     *         [2.0000]])
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code axis} is out of range
     */
    public Tensor unsqueeze(int axis) {
        return StackingOps.unsqueeze(this, axis);
    }

    /**
     * Returns the tensors, which must have equal shapes, joined along a new axis {@code axis}, PyTorch's
     * {@code torch.stack(tensors, dim)}; dtypes are promoted.
     *
     * <pre>{@code
     * jshell> var a = e.tensor(new double[] {1, 2})
     * a ==> tensor([1.0000, 2.0000])
     * jshell> var b = e.tensor(new double[] {3, 4})
     * b ==> tensor([3.0000, 4.0000])
     * jshell> Tensor.stack(List.of(a, b), 0)
     * $1 ==> tensor([[1.0000, 2.0000],
     *         [3.0000, 4.0000]])
     * jshell> Tensor.stack(List.of(a, b), 1)
     * $2 ==> tensor([[1.0000, 3.0000],
     *         [2.0000, 4.0000]])
     * }</pre>
     *
     * @throws IllegalArgumentException if the list is empty, the shapes differ or {@code axis} is out of range
     */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        return StackingOps.stack(requireElements(tensors, "stack", "tensors"), axis);
    }

    /**
     * Returns the slices along {@code axis}, each without that axis, PyTorch's {@code torch.unbind(x, dim)}.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[][] {{1, 2}, {3, 4}}).unbind(1)
     * $1 ==> [tensor([1.0000, 3.0000]), tensor([2.0000, 4.0000])]
     * }</pre>
     */
    public List<Tensor> unbind(int axis) {
        return StackingOps.unbind(this, axis);
    }

    /**
     * Returns element {@code i} of the first axis (negative counts from the end), PyTorch's {@code x[i]}:
     * {@code params.get(0)} ports {@code params[0]}. Same as {@link #index(int, int) index(0, i)}.
     *
     * <pre>{@code
     * jshell> var params = e.tensor(new double[][] {{1, 2}, {3, 4}})
     * params ==> tensor([[1.0000, 2.0000],
     *         [3.0000, 4.0000]])
     * jshell> params.get(0)
     * $1 ==> tensor([1.0000, 2.0000])
     * jshell> params.get(-1)
     * $2 ==> tensor([3.0000, 4.0000])
     * }</pre>
     *
     * @throws IllegalArgumentException if the tensor is 0-d or {@code i} is out of range
     */
    public Tensor get(int i) {
        return StackingOps.get(this, i);
    }

    // ================================================================ in-place updates

    /**
     * Returns this tensor after subtracting {@code other} in place (broadcast to this shape). Allowed
     * on a leaf that requires a gradient only inside {@link NoGrad}, as in PyTorch.
     */
    public Tensor subi(Tensor other) {
        return inPlace(BinaryOp.SUB, other, "subi");
    }

    /** Returns this tensor after adding {@code other} in place; see {@link #subi(Tensor)}. */
    public Tensor addi(Tensor other) {
        return inPlace(BinaryOp.ADD, other, "addi");
    }

    /**
     * Returns this tensor after adding {@code alpha · other} in place, PyTorch's
     * {@code add_(other, alpha=alpha)}: the values of {@code addi(other.mul(alpha))} (the product
     * rounded before the sum), in one backend call ({@link io.polygrad.spi.Backend#addScaled}) without
     * the product's temporary when both are floating-point tensors of one dtype and shape. See
     * {@link #subi(Tensor)}.
     */
    public Tensor addi(Tensor other, double alpha) {
        requireArg(other, "addi", "other");
        if (CompositePath.isActive() || !dtype().isFloatingPoint() || other.dtype() != dtype()
                || !Arrays.equals(other.data().shape(), data().shape())) {
            return addi(other.mul(alpha));
        }
        checkInPlaceAllowed("addi", other);
        checkSameBackend(other, "addi");
        replaceData(backend().addScaled(data(), alpha, other.data()));
        return this;
    }

    /** Returns this tensor after multiplying by {@code other} in place; see {@link #subi(Tensor)}. */
    public Tensor muli(Tensor other) {
        return inPlace(BinaryOp.MUL, other, "muli");
    }

    /** Returns this tensor after dividing by {@code other} in place; see {@link #subi(Tensor)}. */
    public Tensor divi(Tensor other) {
        return inPlace(BinaryOp.DIV, other, "divi");
    }

    /** Returns this tensor after subtracting {@code value} in place. */
    public Tensor subi(double value) {
        return inPlace(BinaryOp.SUB, constant(value), "subi");
    }

    /** Returns this tensor after multiplying by {@code value} in place. */
    public Tensor muli(double value) {
        return inPlace(BinaryOp.MUL, constant(value), "muli");
    }

    /** Returns this tensor after copying {@code source}'s values (broadcast, cast to this dtype) into it. */
    public Tensor assign(Tensor source) {
        requireArg(source, "assign", "source");
        checkInPlaceAllowed("assign", source);
        checkSameBackend(source, "assign");
        int[] mine = data().shape();
        int[] b = Shapes.broadcast(source.data().shape(), mine);
        if (b == null || !Arrays.equals(b, mine)) {
            throw new IllegalArgumentException("assign: source shape " + Shapes.toString(source.data().shape())
                    + " cannot be broadcast to " + Shapes.toString(mine));
        }
        BackendArray cast = backend().cast(source.data(), dtype());
        BackendArray full = Arrays.equals(cast.shape(), mine) ? cast : backend().broadcastTo(cast, mine);
        if (full != cast) {
            cast.close();
        }
        replaceData(full);
        return this;
    }

    /** Returns this tensor after setting every element to {@code value} in place. */
    public Tensor fill(double value) {
        checkInPlaceAllowed("fill", null);
        replaceData(backend().full(data().shape(), value, dtype()));
        return this;
    }

    private Tensor inPlace(BinaryOp op, Tensor other, String name) {
        requireArg(other, name, "other");
        checkInPlaceAllowed(name, other);
        checkSameBackend(other, name);
        int[] mine = data().shape();
        int[] b = Shapes.broadcast(mine, other.data().shape());
        if (b == null || !Arrays.equals(b, mine)) {
            throw new IllegalArgumentException(name + ": shape " + Shapes.toString(other.data().shape())
                    + " cannot be broadcast to this tensor's shape " + Shapes.toString(mine));
        }
        BackendArray rhs = other.dtype() == dtype() ? other.data() : backend().cast(other.data(), dtype());
        BackendArray out = backend().binary(op, data(), rhs);
        if (rhs != other.data()) {
            rhs.close();
        }
        replaceData(out);
        return this;
    }

    private void checkInPlaceAllowed(String op, Tensor other) {
        if (!Autograd.isGradEnabled()) {
            return;
        }
        if (requiresGrad && node == null) {
            throw new IllegalStateException("a leaf Tensor that requires grad is being used in an in-place operation ("
                    + op + "); do the update inside NoGrad.enter()");
        }
        if (requiresGrad || (other != null && other.requiresGrad)) {
            throw new IllegalStateException("in-place operation " + op + " on a tensor that is part of an autograd "
                    + "graph is not supported; use the out-of-place op or NoGrad.enter()");
        }
    }

    /** Swaps in a new array, releases the old one and bumps the {@link #version()}: the one in-place path. */
    void replaceData(BackendArray next) {
        BackendArray old = data;
        data = next;
        version++;
        StepRecorder recorder = StepRecorder.active;
        if (recorder != null) {
            recorder.changed(this);
        }
        if (old != next) {
            old.close();
        }
    }

    /** Returns the array as it is, released or not, without telling a {@link StepRecorder}. */
    BackendArray currentData() {
        return data;
    }

    /**
     * Swaps in {@code next} as {@link #replaceData} does but returns the old array instead of releasing
     * it: {@link CapturedStep} binds a replay's results first and releases what they replaced after.
     */
    BackendArray swapData(BackendArray next) {
        BackendArray old = data;
        data = next;
        version++;
        return old;
    }

    // ================================================================ reading values

    /** Returns the single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item(): a tensor with " + numel() + " elements (shape "
                    + Shapes.toString(data().shape()) + ") cannot be converted to a scalar");
        }
        return backend().toDoubleArray(data())[0];
    }

    /** Returns a copy of the values in row-major order as floats. */
    public float[] toFloatArray() {
        return backend().toFloatArray(data());
    }

    /** Returns a copy of the values in row-major order as doubles. */
    public double[] toDoubleArray() {
        return backend().toDoubleArray(data());
    }

    // ================================================================ int64 tensors and indexing

    /**
     * Returns a copy of the values in row-major order as longs: an int64 tensor's values, a float
     * tensor's truncated toward zero (PyTorch's {@code .long().tolist()}).
     *
     * <pre>{@code
     * jshell> e.tensor(new long[] {3, 1, 2}).toLongArray()
     * $1 ==> long[3] { 3, 1, 2 }
     * }</pre>
     */
    public long[] toLongArray() {
        return backend().toLongArray(data());
    }

    /**
     * Returns the single value of a one-element tensor as a long (PyTorch's {@code item()} of an int64
     * tensor; a float value is truncated toward zero).
     *
     * @throws IllegalStateException if the tensor has more than one element
     */
    public long longValue() {
        if (numel() != 1) {
            throw new IllegalStateException("longValue(): a tensor with " + numel() + " elements (shape "
                    + Shapes.toString(data().shape()) + ") cannot be converted to a scalar");
        }
        return backend().toLongArray(data())[0];
    }

    /**
     * Returns the int64 positions of the largest values along {@code axis} (PyTorch's
     * {@code argmax(dim, keepdim)}): the first on ties, a NaN counts as the largest. Not differentiable.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {1, 5, 5, 2, 0, 9}, 2, 3).argmax(1, false)
     * $1 ==> tensor([1, 2])
     * }</pre>
     */
    public Tensor argmax(int axis, boolean keepDim) {
        return IndexingOps.argReduce(io.polygrad.spi.ArgReduceOp.ARGMAX, this, axis, keepDim);
    }

    /** Returns {@link #argmax(int, boolean) argmax(axis, false)}. */
    public Tensor argmax(int axis) {
        return argmax(axis, false);
    }

    /** Returns the 0-d int64 position of the largest value of the flattened tensor (PyTorch's {@code argmax()}). */
    public Tensor argmax() {
        return IndexingOps.argReduceAll(io.polygrad.spi.ArgReduceOp.ARGMAX, this);
    }

    /** Returns the int64 positions of the smallest values along {@code axis}; ties and NaN as {@link #argmax(int, boolean)}. */
    public Tensor argmin(int axis, boolean keepDim) {
        return IndexingOps.argReduce(io.polygrad.spi.ArgReduceOp.ARGMIN, this, axis, keepDim);
    }

    /** Returns {@link #argmin(int, boolean) argmin(axis, false)}. */
    public Tensor argmin(int axis) {
        return argmin(axis, false);
    }

    /** Returns the 0-d int64 position of the smallest value of the flattened tensor (PyTorch's {@code argmin()}). */
    public Tensor argmin() {
        return IndexingOps.argReduceAll(io.polygrad.spi.ArgReduceOp.ARGMIN, this);
    }

    /**
     * Returns PyTorch's {@code gather(dim, index)}: for a 2-d tensor and axis 1,
     * {@code out[i][j] = this[i][index[i][j]]}. {@code index} is int64 with this tensor's rank and no
     * larger outside {@code axis}; the result has its shape. The gradient is scattered back (added) to
     * the gathered positions.
     *
     * <pre>{@code
     * jshell> Tensor x = e.tensor(new double[] {1, 2, 3, 4}, 2, 2);
     * jshell> x.gather(1, e.tensor(new long[] {1, 0}, 2, 1))
     * $2 ==> tensor([[2.0000], [3.0000]])
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code index} is not int64 or its shape does not fit
     * @throws IndexOutOfBoundsException naming the first index outside {@code [0, size(axis))} and its position
     */
    public Tensor gather(int axis, Tensor index) {
        return IndexingOps.gather(this, axis, requireArg(index, "gather", "index"));
    }

    /**
     * Returns a copy of this tensor with {@code src}'s elements added at the positions {@code index}
     * names along {@code axis} (PyTorch's {@code scatter_add(dim, index, src)}; repeated positions
     * accumulate). For a 2-d tensor and axis 1, {@code out[i][index[i][j]] += src[i][j]}. Gradients flow
     * to this tensor (unchanged) and to {@code src} (gathered).
     *
     * <pre>{@code
     * jshell> e.zeros(3).scatterAdd(0, e.tensor(new long[] {0, 2, 0}), e.tensor(new double[] {1, 2, 3}))
     * $1 ==> tensor([4.0000, 0.0000, 2.0000])
     * }</pre>
     */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) {
        return IndexingOps.scatterAdd(this, axis, requireArg(index, "scatterAdd", "index"),
                requireArg(src, "scatterAdd", "src"));
    }

    /**
     * Returns the slices along {@code axis} that the 1-d int64 {@code index} names, in its order
     * (PyTorch's {@code index_select(dim, index)}); repeated rows are allowed and their gradients add.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).indexSelect(0, e.tensor(new long[] {2, 0}))
     * $1 ==> tensor([[5.0000, 6.0000], [1.0000, 2.0000]])
     * }</pre>
     */
    public Tensor indexSelect(int axis, Tensor index) {
        return IndexingOps.indexSelect(this, axis, requireArg(index, "indexSelect", "index"));
    }

    /**
     * Returns this tensor with {@code value} wherever {@code mask} (broadcast to this shape; non-zero
     * means true, PyTorch's bool mask) is set (PyTorch's {@code masked_fill}); the gradient passes where
     * the mask is not set. For an int64 tensor the value is truncated, as PyTorch casts it.
     *
     * <pre>{@code
     * jshell> e.tensor(new double[] {1, 2, 3}).maskedFill(e.tensor(new long[] {0, 1, 0}), -1)
     * $1 ==> tensor([ 1.0000, -1.0000,  3.0000])
     * }</pre>
     */
    public Tensor maskedFill(Tensor mask, double value) {
        return IndexingOps.maskedFill(this, requireArg(mask, "maskedFill", "mask"), value);
    }

    /** Returns whether this tensor's memory has been released (by {@link #close()} or its scope). */
    public boolean isReleased() {
        return data.isClosed();
    }

    /** Releases this tensor's memory (its gradient stays); the tensor must not be read afterwards. */
    @Override
    public void close() {
        data.close();
    }

    /** Returns the values in PyTorch's style, e.g. {@code tensor([1.0000, 2.0000], requires_grad=True)}. */
    @Override
    public String toString() {
        if (data.isClosed()) {
            return "tensor(<released>, shape=" + Shapes.toString(data.shape()) + ")";
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (dtype() == DType.INT64) {
            TensorFormat.appendLongs(sb, toLongArray(), data.shape(), "tensor(".length());
        } else {
            TensorFormat.append(sb, toDoubleArray(), data.shape(), "tensor(".length());
        }
        if (dtype() == DType.FLOAT64) {
            sb.append(", dtype=").append(dtype());
        }
        if (node != null && Autograd.isGradEnabled()) {
            sb.append(", grad_fn=<").append(gradFn()).append('>');
        } else if (requiresGrad) {
            sb.append(", requires_grad=True");
        }
        return sb.append(')').toString();
    }
}
