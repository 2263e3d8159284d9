package io.polygrad;

import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Returns an n-dimensional array of float32 or float64 values on one backend, with PyTorch's
 * autograd.
 *
 * <p>Every operation returns a new tensor. When gradient recording is on (outside {@link NoGrad}) and
 * an input requires a gradient, the result remembers how it was made, and {@link #backward()} walks
 * that graph, <em>adding</em> each leaf's gradient into {@link #grad()} until {@link #zeroGrad()}.
 * Each operation's backward rule sits next to its forward below, written in tensor operations, so it
 * runs on every backend.
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
 * <p>Tensors on native backends hold off-heap memory: {@link #close()} them or create them inside a
 * {@link TensorScope}. Tensors are not thread-safe: do not mutate one, or run {@code backward()} through a
 * shared graph, from two threads at once.
 */
public final class Tensor implements AutoCloseable {

    /** A backward rule: returns the gradient for each input (null where none is needed). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /** What a non-leaf tensor remembers: the op's name, its inputs and its backward rule. */
    static final class Node {
        final String name;
        final Tensor[] inputs;
        final Backward rule;

        Node(String name, Tensor[] inputs, Backward rule) {
            this.name = name;
            this.inputs = inputs;
            this.rule = rule;
        }
    }

    private BackendArray data;
    private final Engine engine;
    private final Node node;
    private boolean requiresGrad;
    private boolean retainGrad;
    private Tensor grad;
    TensorScope scope;
    /** Gradient collected for this tensor during one backward pass. */
    private Tensor pendingGrad;
    /** Marks the backward pass that last visited this tensor. */
    private long visitMark;

    private static final java.util.concurrent.atomic.AtomicLong VISIT_EPOCH = new java.util.concurrent.atomic.AtomicLong();
    private static final Tensor[] NO_INPUTS = new Tensor[0];

    Tensor(BackendArray data, Engine engine) {
        this(data, engine, null);
    }

    private Tensor(BackendArray data, Engine engine, Node node) {
        this.data = data;
        this.engine = engine;
        this.node = node;
        this.requiresGrad = node != null;
        TensorScope.register(this);
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

    private Backend backend() {
        return engine.backend();
    }

    private BackendArray data() {
        BackendArray d = data;
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
     * requires one, adding it to the leaves' {@link #grad()}. The graph is kept, so calling it again
     * adds the same gradients once more.
     *
     * @throws IllegalStateException if this tensor does not require a gradient or is not a scalar
     */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward(): grad can be implicitly created only for scalar outputs, "
                    + "but this tensor has shape " + Shapes.toString(data().shape())
                    + "; pass an explicit gradient with backward(gradient)");
        }
        backward(engine.wrap(backend().full(data().shape(), 1.0, dtype())));
    }

    /**
     * Computes vector-Jacobian products: back-propagates {@code gradient} (same shape as this tensor)
     * and adds the result to every leaf's {@link #grad()}.
     */
    public void backward(Tensor gradient) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward(): this tensor does not require grad and has no grad_fn; "
                    + "call requiresGrad(true) on a leaf before computing with it");
        }
        if (!Arrays.equals(gradient.data().shape(), data().shape())) {
            throw new IllegalArgumentException("backward(): gradient has shape " + Shapes.toString(gradient.shape())
                    + " but the tensor has shape " + Shapes.toString(data().shape()));
        }
        List<Tensor> order = topologicalOrder(this);
        this.pendingGrad = gradient.dtype() == dtype() ? gradient : gradient.to(dtype());
        // Gradients a leaf may take over instead of copying: fresh tensors made by backward rules,
        // each taken at most once. The caller's gradient is never taken (the caller still holds it).
        Set<Tensor> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        taken.add(gradient);
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = t.pendingGrad;
                t.pendingGrad = null;
                if (g == null) {
                    continue;
                }
                if (t.node == null || t.retainGrad) {
                    t.accumulateGrad(g, taken);
                }
                if (t.node == null) {
                    continue;
                }
                Tensor[] grads = t.node.rule.apply(g);
                Tensor[] inputs = t.node.inputs;
                for (int k = 0; k < inputs.length; k++) {
                    Tensor in = inputs[k];
                    if (grads[k] == null || !in.requiresGrad) {
                        continue;
                    }
                    in.pendingGrad = in.pendingGrad == null ? grads[k] : in.pendingGrad.add(grads[k]);
                }
            }
        } finally {
            for (Tensor t : order) {
                t.pendingGrad = null;
            }
        }
    }

    /**
     * Adds {@code g} into this tensor's gradient. A first gradient is taken over when no other tensor
     * can hold it ({@code taken} records what was handed out or must not be), else copied: later
     * accumulation and {@link #zeroGrad()} change the gradient tensor, which must not be shared.
     */
    private void accumulateGrad(Tensor g, Set<Tensor> taken) {
        if (grad == null) {
            if (g.dtype() == dtype() && taken.add(g)) {
                grad = TensorScope.escape(g);
            } else {
                grad = TensorScope.escape(new Tensor(backend().cast(g.data(), dtype()), engine));
            }
            return;
        }
        BackendArray incoming = g.dtype() == dtype() ? g.data() : backend().cast(g.data(), dtype());
        BackendArray sum = backend().binary(BinaryOp.ADD, grad.data(), incoming);
        if (incoming != g.data()) {
            incoming.close();
        }
        grad.replaceData(sum);
    }

    /** Returns the tensors of the graph below {@code root} that require grad, inputs before outputs (iterative DFS). */
    private static List<Tensor> topologicalOrder(Tensor root) {
        long mark = VISIT_EPOCH.incrementAndGet();
        List<Tensor> order = new ArrayList<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        int[] next = new int[16];
        stack.add(root);
        root.visitMark = mark;
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            Tensor[] inputs = t.node == null ? NO_INPUTS : t.node.inputs;
            int i = next[top];
            while (i < inputs.length && (!inputs[i].requiresGrad || inputs[i].visitMark == mark)) {
                i++;
            }
            if (i < inputs.length) {
                next[top] = i + 1;
                Tensor child = inputs[i];
                child.visitMark = mark;
                stack.add(child);
                if (next.length == stack.size() - 1) {
                    next = Arrays.copyOf(next, next.length * 2);
                }
                next[stack.size() - 1] = 0;
            } else {
                stack.remove(top);
                order.add(t);
            }
        }
        return order;
    }

    /** Creates the result of an op, recording a graph node when any input requires a gradient. */
    private Tensor result(BackendArray out, String name, Backward rule, Tensor... inputs) {
        if (NoGrad.isGradEnabled()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad) {
                    return new Tensor(out, engine, new Node(name, inputs, rule));
                }
            }
        }
        return new Tensor(out, engine);
    }

    // ================================================================ helpers for operands

    private Tensor constant(double value) {
        return engine.wrap(backend().full(Shapes.scalar(), value, dtype()));
    }

    private void checkSameBackend(Tensor other, String op) {
        Backend mine = backend();
        Backend theirs = other.backend();
        if (mine != theirs && (!mine.name().equals(theirs.name()) || !mine.device().equals(theirs.device()))) {
            throw new IllegalArgumentException(op + ": tensors are on different backends: " + mine.name() + " ("
                    + mine.device() + ") and " + theirs.name() + " (" + theirs.device() + "); move one with "
                    + "toEngine(engine) first");
        }
    }

    private static int[] broadcastShape(Tensor a, Tensor b, String op) {
        int[] s = Shapes.broadcast(a.data().shape(), b.data().shape());
        if (s == null) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.toString(a.data().shape()) + " and "
                    + Shapes.toString(b.data().shape()) + " cannot be broadcast together");
        }
        return s;
    }

    /** Returns the gradient {@code g} summed over the axes along which {@code shape} was broadcast. */
    static Tensor unbroadcast(Tensor g, int[] shape) {
        int[] gs = g.data().shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) {
                axes.add(i);
            }
        }
        // Without leading axes, keep-dims summation lands on the input's shape in one op.
        Tensor summed = axes.isEmpty() ? g : g.sum(toArray(axes), lead == 0);
        return Arrays.equals(summed.data().shape(), shape) ? summed : summed.reshape(shape);
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    // ================================================================ elementwise binary

    /** Returns {@code this + other} with broadcasting. */
    public Tensor add(Tensor other) {
        return binary(BinaryOp.ADD, other, "Add", (g, a, b) -> new Tensor[] {
            a.requiresGrad ? unbroadcast(g, a.data().shape()) : null,
            b.requiresGrad ? unbroadcast(g, b.data().shape()) : null});
    }

    /** Returns {@code this + value}. */
    public Tensor add(double value) {
        return add(constant(value));
    }

    /** Returns {@code this - other} with broadcasting. */
    public Tensor sub(Tensor other) {
        return binary(BinaryOp.SUB, other, "Sub", (g, a, b) -> new Tensor[] {
            a.requiresGrad ? unbroadcast(g, a.data().shape()) : null,
            b.requiresGrad ? unbroadcast(g.neg(), b.data().shape()) : null});
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
        return binary(BinaryOp.MUL, other, "Mul", (g, a, b) -> new Tensor[] {
            a.requiresGrad ? unbroadcast(g.mul(b), a.data().shape()) : null,
            b.requiresGrad ? unbroadcast(g.mul(a), b.data().shape()) : null});
    }

    /** Returns {@code this * value}. */
    public Tensor mul(double value) {
        return mul(constant(value));
    }

    /** Returns {@code this / other} with broadcasting. */
    public Tensor div(Tensor other) {
        return binary(BinaryOp.DIV, other, "Div", (g, a, b) -> new Tensor[] {
            a.requiresGrad ? unbroadcast(g.div(b), a.data().shape()) : null,
            b.requiresGrad ? unbroadcast(g.neg().mul(a).div(b.mul(b)), b.data().shape()) : null});
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
        return binary(BinaryOp.POW, exponent, "Pow", (g, a, b) -> {
            Tensor ga = null;
            Tensor gb = null;
            if (a.requiresGrad) {
                Tensor d = b.mul(a.pow(b.sub(1.0)));
                ga = unbroadcast(g.mul(maskNonZeroExponent(d, b)), a.data().shape());
            }
            if (b.requiresGrad) {
                Tensor out = a.pow(b);
                Tensor d = out.mul(a.log());
                Tensor zeroBase = a.eq(0.0).mul(b.ge(0.0));
                d = where(zeroBase, a.zerosLike(), d);
                gb = unbroadcast(g.mul(d), b.data().shape());
            }
            return new Tensor[] {ga, gb};
        });
    }

    private static Tensor maskNonZeroExponent(Tensor d, Tensor b) {
        // PyTorch: d/dx x^0 = 0 everywhere, also at x = 0 where 0 * x^-1 would be NaN.
        return where(b.eq(0.0), d.zerosLike(), d);
    }

    /** Returns {@code this ^ exponent}; the gradient is {@code exponent * this^(exponent-1)} (0 for exponent 0). */
    public Tensor pow(double exponent) {
        Tensor e = constant(exponent);
        BackendArray out = backend().binary(BinaryOp.POW, data(), e.data());
        return result(out, "Pow", g -> new Tensor[] {
            exponent == 0.0 ? g.zerosLike() : g.mul(this.pow(exponent - 1.0).mul(exponent))}, this);
    }

    /** Returns the elementwise maximum; where equal, each input gets half the gradient (PyTorch). */
    public Tensor maximum(Tensor other) {
        return binary(BinaryOp.MAXIMUM, other, "Maximum", (g, a, b) -> tieSplit(g, a.gt(b), a, b));
    }

    /** Returns the elementwise minimum; where equal, each input gets half the gradient (PyTorch). */
    public Tensor minimum(Tensor other) {
        return binary(BinaryOp.MINIMUM, other, "Minimum", (g, a, b) -> tieSplit(g, a.lt(b), a, b));
    }

    private static Tensor[] tieSplit(Tensor g, Tensor aWins, Tensor a, Tensor b) {
        Tensor tie = a.eq(b).mul(0.5);
        Tensor wa = aWins.add(tie);
        Tensor wb = wa.rsub(1.0);
        return new Tensor[] {
            a.requiresGrad ? unbroadcast(g.mul(wa), a.data().shape()) : null,
            b.requiresGrad ? unbroadcast(g.mul(wb), b.data().shape()) : null};
    }

    /** A backward rule of a binary op, given the (dtype-promoted) inputs. */
    @FunctionalInterface
    private interface BinaryBackward {
        Tensor[] apply(Tensor g, Tensor a, Tensor b);
    }

    private Tensor binary(BinaryOp op, Tensor other, String name, BinaryBackward rule) {
        checkSameBackend(other, name);
        broadcastShape(this, other, name);
        Tensor a = this;
        Tensor b = other;
        if (a.dtype() != b.dtype()) {
            a = a.to(DType.FLOAT64);
            b = b.to(DType.FLOAT64);
        }
        BackendArray out = backend().binary(op, a.data(), b.data());
        if (rule == null) {
            return new Tensor(out, engine);
        }
        final Tensor fa = a;
        final Tensor fb = b;
        return result(out, name, g -> rule.apply(g, fa, fb), fa, fb);
    }

    // ================================================================ comparisons (no gradient)

    private Tensor compare(BinaryOp op, Tensor other, String name) {
        return binary(op, other, name, null);
    }

    /** Returns 1 where {@code this > other}, else 0, in the promoted dtype; not differentiable. */
    public Tensor gt(Tensor other) {
        return compare(BinaryOp.GREATER, other, "gt");
    }

    /** Returns 1 where {@code this > value}, else 0. */
    public Tensor gt(double value) {
        return gt(constant(value));
    }

    /** Returns 1 where {@code this >= other}, else 0. */
    public Tensor ge(Tensor other) {
        return compare(BinaryOp.GREATER_EQUAL, other, "ge");
    }

    /** Returns 1 where {@code this >= value}, else 0. */
    public Tensor ge(double value) {
        return ge(constant(value));
    }

    /** Returns 1 where {@code this < other}, else 0. */
    public Tensor lt(Tensor other) {
        return compare(BinaryOp.LESS, other, "lt");
    }

    /** Returns 1 where {@code this < value}, else 0. */
    public Tensor lt(double value) {
        return lt(constant(value));
    }

    /** Returns 1 where {@code this <= other}, else 0. */
    public Tensor le(Tensor other) {
        return compare(BinaryOp.LESS_EQUAL, other, "le");
    }

    /** Returns 1 where {@code this <= value}, else 0. */
    public Tensor le(double value) {
        return le(constant(value));
    }

    /** Returns 1 where {@code this == other}, else 0. */
    public Tensor eq(Tensor other) {
        return compare(BinaryOp.EQUAL, other, "eq");
    }

    /** Returns 1 where {@code this == value}, else 0. */
    public Tensor eq(double value) {
        return eq(constant(value));
    }

    /** Returns 1 where {@code this != other}, else 0. */
    public Tensor ne(Tensor other) {
        return compare(BinaryOp.NOT_EQUAL, other, "ne");
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
        a.checkSameBackend(b, "where");
        a.checkSameBackend(condition, "where");
        int[] ab = broadcastShape(a, b, "where");
        if (Shapes.broadcast(ab, condition.data().shape()) == null) {
            throw new IllegalArgumentException("where: condition shape " + Shapes.toString(condition.data().shape())
                    + " cannot be broadcast with " + Shapes.toString(ab));
        }
        Tensor x = a;
        Tensor y = b;
        if (x.dtype() != y.dtype()) {
            x = x.to(DType.FLOAT64);
            y = y.to(DType.FLOAT64);
        }
        Tensor c = condition.dtype() == x.dtype() ? condition : condition.detach().to(x.dtype());
        BackendArray out = x.backend().where(c.data(), x.data(), y.data());
        final Tensor fx = x;
        final Tensor fy = y;
        return x.result(out, "Where", g -> {
            Tensor zero = g.zerosLike();
            return new Tensor[] {
                fx.requiresGrad ? unbroadcast(where(c, g, zero), fx.data().shape()) : null,
                fy.requiresGrad ? unbroadcast(where(c, zero, g), fy.data().shape()) : null};
        }, fx, fy);
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

    private Tensor unary(UnaryOp op, String name, Backward rule) {
        return result(backend().unary(op, data()), name, rule, this);
    }

    /** Returns {@code -this}. */
    public Tensor neg() {
        return unary(UnaryOp.NEG, "Neg", g -> new Tensor[] {g.neg()});
    }

    /** Returns {@code e^this}. */
    public Tensor exp() {
        BackendArray out = backend().unary(UnaryOp.EXP, data());
        Tensor[] self = new Tensor[1];
        self[0] = result(out, "Exp", g -> new Tensor[] {g.mul(self[0].detachedView())}, this);
        return self[0];
    }

    /** Returns the natural logarithm. */
    public Tensor log() {
        return unary(UnaryOp.LOG, "Log", g -> new Tensor[] {g.div(this)});
    }

    /** Returns the square root. */
    public Tensor sqrt() {
        BackendArray out = backend().unary(UnaryOp.SQRT, data());
        Tensor[] self = new Tensor[1];
        self[0] = result(out, "Sqrt", g -> new Tensor[] {g.div(self[0].detachedView().mul(2.0))}, this);
        return self[0];
    }

    /** Returns {@code |this|}; the gradient is {@code sign(this)}, so 0 at 0. */
    public Tensor abs() {
        return unary(UnaryOp.ABS, "Abs", g -> new Tensor[] {g.mul(this.sign())});
    }

    /** Returns {@code -1, 0 or 1}; the gradient is 0 everywhere. */
    public Tensor sign() {
        return unary(UnaryOp.SIGN, "Sign", g -> new Tensor[] {g.zerosLike()});
    }

    /** Returns {@code this * this}. */
    public Tensor square() {
        return mul(this);
    }

    /** Returns the hyperbolic tangent; the gradient is {@code 1 - tanh²}. */
    public Tensor tanh() {
        BackendArray out = backend().unary(UnaryOp.TANH, data());
        Tensor[] self = new Tensor[1];
        self[0] = result(out, "Tanh", g -> {
            Tensor t = self[0].detachedView();
            return new Tensor[] {g.mul(t.mul(t).rsub(1.0))};
        }, this);
        return self[0];
    }

    /**
     * Returns {@code max(this, 0)} (NaN stays NaN, as in PyTorch) with the gradient
     * {@code g · (this > 0)}, so relu'(0) = 0. One kernel forward and two backward; the composite
     * {@code where(this > 0, this, 0)} would give the same values at three kernels each way.
     */
    public Tensor relu() {
        BackendArray out = backend().binary(BinaryOp.MAXIMUM, data(), constant(0.0).data());
        return result(out, "Relu", g -> new Tensor[] {g.mul(this.gt(0.0))}, this);
    }

    /**
     * Returns {@code 1 / (1 + e^-this)}; the gradient is {@code s (1 - s)}, stated directly because
     * the composite's own chain rule gives NaN where {@code e^-x} overflows.
     */
    public Tensor sigmoid() {
        Backend be = backend();
        BackendArray negated = be.unary(UnaryOp.NEG, data());
        BackendArray exp = be.unary(UnaryOp.EXP, negated);
        negated.close();
        BackendArray one = be.full(Shapes.scalar(), 1.0, dtype());
        BackendArray denominator = be.binary(BinaryOp.ADD, exp, one);
        exp.close();
        BackendArray out = be.binary(BinaryOp.DIV, one, denominator);
        one.close();
        denominator.close();
        Tensor[] self = new Tensor[1];
        self[0] = result(out, "Sigmoid", g -> {
            Tensor s = self[0].detachedView();
            return new Tensor[] {g.mul(s.mul(s.rsub(1.0)))};
        }, this);
        return self[0];
    }

    /**
     * Returns {@code this} clamped to {@code [min, max]}; the gradient passes where
     * {@code min <= this <= max} (PyTorch's convention at the bounds).
     */
    public Tensor clamp(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        BackendArray lo = backend().binary(BinaryOp.MAXIMUM, data(), constant(min).data());
        BackendArray out = backend().binary(BinaryOp.MINIMUM, lo, constant(max).data());
        lo.close();
        return result(out, "Clamp", g -> new Tensor[] {g.mul(this.ge(min).mul(this.le(max)))}, this);
    }

    /** Returns a tensor sharing this tensor's array, with no graph; used by backward rules that reuse an output. */
    private Tensor detachedView() {
        Tensor t = new Tensor(data(), engine);
        TensorScope.escape(t);
        return t;
    }

    // ================================================================ reductions

    /** Returns the sum of all elements as a 0-d tensor. */
    public Tensor sum() {
        return sum(Shapes.allAxes(rank()), false);
    }

    /** Returns the sum over {@code axes} (negative counts from the end). */
    public Tensor sum(int[] axes, boolean keepDims) {
        return reduce(ReduceOp.SUM, axes, keepDims, "Sum");
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
        return reduce(ReduceOp.MEAN, axes, keepDims, "Mean");
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
        return reduce(ReduceOp.MAX, axes, keepDims, "Max");
    }

    /** Returns the maximum over one axis. */
    public Tensor max(int axis, boolean keepDims) {
        return max(new int[] {axis}, keepDims);
    }

    private Tensor reduce(ReduceOp op, int[] axes, boolean keepDims, String name) {
        int[] shape = data().shape();
        int[] norm = normalizeAxes(axes, shape.length, name.toLowerCase(java.util.Locale.ROOT));
        for (int a : norm) {
            if (op == ReduceOp.MAX && shape[a] == 0) {
                throw new IllegalArgumentException("max: cannot reduce over axis " + a + " of size 0 in shape "
                        + Shapes.toString(shape));
            }
        }
        BackendArray out = backend().reduce(op, data(), norm, keepDims);
        int[] kept = Shapes.reduced(shape, norm, true);
        // A gradient reduced over leading axes only (or all axes) broadcasts back without a reshape.
        boolean leadingAxes = norm.length == 0 || norm[norm.length - 1] == norm.length - 1;
        return result(out, name, g -> {
            Tensor gk = keepDims || leadingAxes ? g : g.reshape(kept);
            switch (op) {
                case SUM:
                    return new Tensor[] {gk.broadcastTo(shape)};
                case MEAN: {
                    long count = 1;
                    for (int a : norm) {
                        count *= shape[a];
                    }
                    return new Tensor[] {gk.div((double) count).broadcastTo(shape)};
                }
                default: {
                    Tensor x = this.detachedView();
                    Tensor mask = x.eq(x.max(norm, true));
                    Tensor count = mask.sum(norm, true);
                    return new Tensor[] {mask.mul(gk).div(count)};
                }
            }
        }, this);
    }

    // ================================================================ matmul

    /**
     * Returns the matrix product with PyTorch's rules: 1-d·1-d is a dot product, a 1-d operand is
     * promoted to a matrix and the added dimension removed afterwards, and leading (batch) dimensions
     * broadcast.
     */
    public Tensor matmul(Tensor other) {
        checkSameBackend(other, "matmul");
        int[] sa = data().shape();
        int[] sb = other.data().shape();
        if (sa.length == 0 || sb.length == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Shapes.toString(sa) + " and " + Shapes.toString(sb));
        }
        Tensor a = sa.length == 1 ? reshape(1, sa[0]) : this;
        Tensor b = sb.length == 1 ? other.reshape(sb[0], 1) : other;
        if (a.dtype() != b.dtype()) {
            a = a.to(DType.FLOAT64);
            b = b.to(DType.FLOAT64);
        }
        int[] as = a.data().shape();
        int[] bs = b.data().shape();
        int k = as[as.length - 1];
        if (k != bs[bs.length - 2]) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.toString(sa) + " and " + Shapes.toString(sb)
                    + " cannot be multiplied (" + as[as.length - 2] + "x" + k + " and " + bs[bs.length - 2] + "x"
                    + bs[bs.length - 1] + ")");
        }
        int[] batchA = Arrays.copyOf(as, as.length - 2);
        int[] batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shapes.broadcast(batchA, batchB);
        if (batch == null) {
            throw new IllegalArgumentException("matmul: batch dimensions " + Shapes.toString(batchA) + " and "
                    + Shapes.toString(batchB) + " cannot be broadcast together");
        }
        Tensor ea = a.broadcastTo(concatDims(batch, as[as.length - 2], k));
        Tensor eb = b.broadcastTo(concatDims(batch, k, bs[bs.length - 1]));
        Tensor out = ea.matmul2(eb);
        if (sa.length == 1 && sb.length == 1) {
            return out.reshape();
        }
        if (sa.length == 1) {
            int[] os = out.data().shape();
            int[] squeezed = new int[os.length - 1];
            System.arraycopy(os, 0, squeezed, 0, os.length - 2);
            squeezed[squeezed.length - 1] = os[os.length - 1];
            return out.reshape(squeezed);
        }
        if (sb.length == 1) {
            int[] os = out.data().shape();
            return out.reshape(Arrays.copyOf(os, os.length - 1));
        }
        return out;
    }

    private static int[] concatDims(int[] batch, int m, int n) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = m;
        s[batch.length + 1] = n;
        return s;
    }

    /** Matmul of operands with equal batch dimensions, recorded as one node. */
    private Tensor matmul2(Tensor other) {
        return matmulT(this, false, other, false);
    }

    /**
     * Returns {@code op(a) · op(b)}, {@code op} being the transpose of the last two axes where asked,
     * for operands with equal batch dimensions, without materialising the transposes. The gradients
     * are products of the same kind: for {@code C = A·Bᵀ}, {@code dA = G·B} and {@code dB = Gᵀ·A}.
     */
    private static Tensor matmulT(Tensor a, boolean ta, Tensor b, boolean tb) {
        BackendArray out = a.backend().matmul(a.data(), ta, b.data(), tb);
        return a.result(out, "Mm", g -> {
            Tensor ga = null;
            Tensor gb = null;
            if (a.requiresGrad) {
                ga = ta ? matmulT(b, tb, g, true) : matmulT(g, false, b, !tb);
            }
            if (b.requiresGrad) {
                gb = tb ? matmulT(g, true, a, ta) : matmulT(a, !ta, g, false);
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

    /**
     * Returns the matrix product of this tensor or its transpose with {@code other} or its transpose
     * (transposing the last two axes), as BLAS does, without copying the transposed operand:
     * {@code x.matmul(w, false, true)} is {@code x · wᵀ}, the product of a linear layer. Both operands
     * need at least 2 dimensions; leading (batch) dimensions broadcast as in {@link #matmul(Tensor)}.
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        checkSameBackend(other, "matmul");
        int[] sa = data().shape();
        int[] sb = other.data().shape();
        if (sa.length < 2 || sb.length < 2) {
            throw new IllegalArgumentException("matmul with transposes: both arguments need at least 2 dimensions, "
                    + "got shapes " + Shapes.toString(sa) + " and " + Shapes.toString(sb));
        }
        Tensor a = this;
        Tensor b = other;
        if (a.dtype() != b.dtype()) {
            a = a.to(DType.FLOAT64);
            b = b.to(DType.FLOAT64);
        }
        int m = sa[sa.length - (transposeThis ? 1 : 2)];
        int k = sa[sa.length - (transposeThis ? 2 : 1)];
        int kb = sb[sb.length - (transposeOther ? 1 : 2)];
        int n = sb[sb.length - (transposeOther ? 2 : 1)];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.toString(sa) + (transposeThis ? "ᵀ" : "")
                    + " and " + Shapes.toString(sb) + (transposeOther ? "ᵀ" : "") + " cannot be multiplied (" + m
                    + "x" + k + " and " + kb + "x" + n + ")");
        }
        int[] batchA = Arrays.copyOf(sa, sa.length - 2);
        int[] batchB = Arrays.copyOf(sb, sb.length - 2);
        int[] batch = Shapes.broadcast(batchA, batchB);
        if (batch == null) {
            throw new IllegalArgumentException("matmul: batch dimensions " + Shapes.toString(batchA) + " and "
                    + Shapes.toString(batchB) + " cannot be broadcast together");
        }
        Tensor ea = a.broadcastTo(concatDims(batch, sa[sa.length - 2], sa[sa.length - 1]));
        Tensor eb = b.broadcastTo(concatDims(batch, sb[sb.length - 2], sb[sb.length - 1]));
        return matmulT(ea, transposeThis, eb, transposeOther);
    }

    // ================================================================ shape ops

    /** Returns the same elements with a new shape; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] shape = data().shape();
        int[] target = inferShape(newShape, Shapes.size(shape));
        if (Arrays.equals(target, shape)) {
            return result(backend().reshape(data(), target), "Reshape", g -> new Tensor[] {g}, this);
        }
        return result(backend().reshape(data(), target), "Reshape", g -> new Tensor[] {g.reshape(shape)}, this);
    }

    private int[] inferShape(int[] newShape, int size) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be -1, got "
                            + Shapes.toString(newShape));
                }
                infer = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid shape " + Shapes.toString(newShape));
            } else {
                known *= newShape[i];
            }
        }
        int[] target = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape: shape " + Shapes.toString(newShape)
                        + " is invalid for input of size " + size);
            }
            target[infer] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException("reshape: shape " + Shapes.toString(newShape)
                    + " is invalid for input of shape " + Shapes.toString(data().shape()) + " (size " + size + ")");
        }
        return target;
    }

    /** Returns a 2-d tensor transposed; for other ranks use {@link #transpose(int, int)}. */
    public Tensor transpose() {
        if (rank() != 2) {
            throw new IllegalArgumentException("transpose(): expects a 2-d tensor, got shape "
                    + Shapes.toString(data().shape()) + "; use transpose(dim0, dim1)");
        }
        return transpose(0, 1);
    }

    /** Returns the tensor with two axes swapped (negative axes count from the end). */
    public Tensor transpose(int axis0, int axis1) {
        int r = rank();
        int a0 = normalizeAxis(axis0, r, "transpose");
        int a1 = normalizeAxis(axis1, r, "transpose");
        int[] perm = Shapes.allAxes(r);
        perm[a0] = a1;
        perm[a1] = a0;
        return permute(perm);
    }

    /** Returns the tensor with axes reordered: result axis {@code i} is axis {@code axes[i]} of this tensor. */
    public Tensor permute(int... axes) {
        int r = rank();
        if (axes.length != r) {
            throw new IllegalArgumentException("permute: got " + axes.length + " axes " + Arrays.toString(axes)
                    + " for a tensor of rank " + r);
        }
        int[] perm = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            perm[i] = normalizeAxis(axes[i], r, "permute");
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: axis repeated in " + Arrays.toString(axes));
            }
            seen[perm[i]] = true;
        }
        int[] inverse = new int[r];
        for (int i = 0; i < r; i++) {
            inverse[perm[i]] = i;
        }
        return result(backend().permute(data(), perm), "Permute", g -> new Tensor[] {g.permute(inverse)}, this);
    }

    /** Returns the tensor broadcast (NumPy rules) to {@code shape}; the gradient is summed back. */
    public Tensor broadcastTo(int... shape) {
        int[] mine = data().shape();
        int[] b = Shapes.broadcast(mine, shape);
        if (b == null || !Arrays.equals(b, shape)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Shapes.toString(mine)
                    + " cannot be broadcast to " + Shapes.toString(shape));
        }
        if (Arrays.equals(mine, shape)) {
            return this;
        }
        return result(backend().broadcastTo(data(), shape.clone()), "Expand",
                g -> new Tensor[] {unbroadcast(g, mine)}, this);
    }

    /** Returns elements {@code [start, end)} along {@code axis}; negative indices count from the end. */
    public Tensor slice(int axis, int start, int end) {
        int[] shape = data().shape();
        int ax = normalizeAxis(axis, shape.length, "slice");
        int n = shape[ax];
        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : end;
        if (s < 0 || e > n || s > e) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is out of bounds for axis "
                    + axis + " of size " + n + " in shape " + Shapes.toString(shape));
        }
        final int fs = s;
        final int fe = e;
        return result(backend().slice(data(), ax, s, e), "Slice", g -> {
            List<Tensor> parts = new ArrayList<>(3);
            if (fs > 0) {
                int[] before = shape.clone();
                before[ax] = fs;
                parts.add(engine.zeros(g.dtype(), before));
            }
            parts.add(g);
            if (fe < n) {
                int[] after = shape.clone();
                after[ax] = n - fe;
                parts.add(engine.zeros(g.dtype(), after));
            }
            return new Tensor[] {parts.size() == 1 ? g : concat(parts, ax)};
        }, this);
    }

    /** Returns index {@code i} along {@code axis}, removing that axis. */
    public Tensor index(int axis, int i) {
        int[] shape = data().shape();
        int ax = normalizeAxis(axis, shape.length, "index");
        int idx = i < 0 ? i + shape[ax] : i;
        if (idx < 0 || idx >= shape[ax]) {
            throw new IllegalArgumentException("index: " + i + " is out of bounds for axis " + axis + " of size "
                    + shape[ax]);
        }
        int[] out = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k != ax) {
                out[j++] = shape[k];
            }
        }
        return slice(ax, idx, idx + 1).reshape(out);
    }

    /** Returns the tensors joined along {@code axis}; dtypes are promoted, other dimensions must match. */
    public static Tensor concat(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        Tensor first = tensors.get(0);
        int rank = first.rank();
        int ax = normalizeAxis(axis, rank, "concat");
        DType dtype = first.dtype();
        for (Tensor t : tensors) {
            first.checkSameBackend(t, "concat");
            dtype = DType.promote(dtype, t.dtype());
            int[] s = t.data().shape();
            boolean ok = s.length == rank;
            for (int i = 0; ok && i < rank; i++) {
                ok = i == ax || s[i] == first.data().shape()[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: shape " + Shapes.toString(s) + " does not match "
                        + Shapes.toString(first.data().shape()) + " except along axis " + ax);
            }
        }
        Tensor[] inputs = new Tensor[tensors.size()];
        BackendArray[] arrays = new BackendArray[inputs.length];
        int[] offsets = new int[inputs.length + 1];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = tensors.get(i);
            inputs[i] = t.dtype() == dtype ? t : t.to(dtype);
            arrays[i] = inputs[i].data();
            offsets[i + 1] = offsets[i] + arrays[i].shape()[ax];
        }
        BackendArray out = first.backend().concat(arrays, ax);
        return first.result(out, "Cat", g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                grads[i] = inputs[i].requiresGrad ? g.slice(ax, offsets[i], offsets[i + 1]) : null;
            }
            return grads;
        }, inputs);
    }

    /** Returns this tensor converted to {@code dtype} (this tensor itself if it already has it). */
    public Tensor to(DType target) {
        DType source = dtype();
        if (source == target) {
            return this;
        }
        return result(backend().cast(data(), target), "To", g -> new Tensor[] {g.to(source)}, this);
    }

    /**
     * Returns a copy of this tensor's values on another engine (for instance another backend), as a new
     * leaf that does not require a gradient.
     */
    public Tensor toEngine(Engine target) {
        if (dtype() == DType.FLOAT32) {
            return target.wrap(target.backend().fromFloats(toFloatArray(), shape()));
        }
        return target.wrap(target.backend().fromDoubles(toDoubleArray(), shape(), DType.FLOAT64));
    }

    static int normalizeAxis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1) || (rank == 0)) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    private static int[] normalizeAxes(int[] axes, int rank, String op) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = normalizeAxis(axes[i], rank, op);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " repeated in " + Arrays.toString(axes));
            }
        }
        return out;
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
        if (!NoGrad.isGradEnabled()) {
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

    /** Swaps in a new array and releases the old one. */
    void replaceData(BackendArray next) {
        BackendArray old = data;
        data = next;
        if (old != next) {
            old.close();
        }
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
        TensorFormat.append(sb, toDoubleArray(), data.shape(), "tensor(".length());
        if (dtype() == DType.FLOAT64) {
            sb.append(", dtype=").append(dtype());
        }
        if (node != null && NoGrad.isGradEnabled()) {
            sb.append(", grad_fn=<").append(gradFn()).append('>');
        } else if (requiresGrad) {
            sb.append(", requires_grad=True");
        }
        return sb.append(')').toString();
    }
}
