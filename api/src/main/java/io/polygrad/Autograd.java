package io.polygrad;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The autograd engine: the graph node a recorded op leaves on its result, the per-thread no-grad
 * state, and {@link #backward}, which walks the graph from an output to its leaves and adds up the
 * gradients. The ops and their backward rules live with the ops ({@code ElementwiseOps},
 * {@code ReductionOps}, {@code MatmulOps}, {@code ShapeOps}); this file only runs them.
 */
final class Autograd {

    /**
     * A backward rule, like a formula of PyTorch's {@code derivatives.yaml}: given the gradient of
     * the op's output, the output itself and the op's inputs, returns the gradient for each input
     * ({@code null} where an input needs none). Rules run inside {@link NoGrad}. {@code output} is the
     * result tensor itself, read as it is when backward runs (a released one fails with the released
     * error), so a rule that reuses it needs no copy and captures nothing.
     */
    @FunctionalInterface
    interface Rule {
        Tensor[] apply(Tensor grad, Tensor output, Tensor[] inputs);
    }

    /** {@code saves}: the rule reads no tensor beyond shapes (add, sum, reshape, ...). */
    static final int SAVES_NONE = 0;
    /** {@code saves} bit: the rule reads input 0 ({@code in[0]}) beyond its shape. */
    static final int SAVES_IN0 = 1;
    /** {@code saves} bit: the rule reads input 1 ({@code in[1]}) beyond its shape. */
    static final int SAVES_IN1 = 1 << 1;
    /** {@code saves} bit: the rule reads input 2 ({@code in[2]}, e.g. where's condition). */
    static final int SAVES_IN2 = 1 << 2;
    /** {@code saves} bit: the rule reads the op's output. */
    static final int SAVES_OUTPUT = 1 << 31;

    /**
     * Returns the {@code saves} mask of a product-like binary op (mul, mm), as PyTorch's generated code
     * saves it: {@code in[1]} only when {@code in[0]} needs a gradient, and {@code in[0]} only when
     * {@code in[1]} does.
     */
    static int savesCrossed(Tensor a, Tensor b) {
        return (a.requiresGrad ? SAVES_IN1 : 0) | (b.requiresGrad ? SAVES_IN0 : 0);
    }

    /**
     * The graph node of a non-leaf tensor: the op's name, its inputs, its backward rule, and which of
     * the inputs (and whether the output) the rule <em>saves</em>, that is reads beyond their shape, as
     * PyTorch's {@code derivatives.yaml} saves them: a bit per input in {@code saves} (bit {@code k} for
     * input {@code k}, {@link #SAVES_OUTPUT} for the output) and, for each saved input, its version when
     * the op ran. {@code backward()} compares them before running the rule; a saved output is a tensor
     * made by this op, so its expected version is 0 and needs no slot. After a walk without
     * {@code retainGraph} the node is freed: inputs, rule and versions are dropped.
     */
    static final class Node {
        final String name;
        Tensor[] inputs;
        Rule rule;
        final int saves;
        /** The versions of the saved inputs, in input order; {@code null} when no input is saved. */
        int[] savedVersions;

        Node(String name, Tensor[] inputs, Rule rule, int saves) {
            this.name = name;
            this.inputs = inputs;
            this.rule = rule;
            this.saves = saves;
            int inputBits = saves & ~SAVES_OUTPUT;
            if (inputBits != 0) {
                int[] v = new int[Integer.bitCount(inputBits)];
                for (int k = 0, j = 0; k < inputs.length && j < v.length; k++) {
                    if ((inputBits & (1 << k)) != 0) {
                        v[j++] = inputs[k].version;
                    }
                }
                savedVersions = v;
            }
        }

        /** Returns whether {@code backward()} freed this node (without {@code retainGraph}). */
        boolean isFreed() {
            return inputs == null;
        }

        /** Drops the references to inputs, saved tensors and the rule (and what the rule captured). */
        void free() {
            inputs = null;
            rule = null;
            savedVersions = null;
        }
    }

    /** PyTorch's message for a walk through a freed graph, with polygrad's names. */
    static final String FREED_GRAPH_MESSAGE = "Trying to backward through the graph a second time (or directly "
            + "access saved tensors after they have already been freed). Saved intermediate values of the graph "
            + "are freed when you call backward(). Specify retainGraph = true (backward(true) or "
            + "backward(gradient, true)) if you need to backward through the graph a second time or if you need "
            + "to access saved tensors after calling backward.";

    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static final AtomicLong VISIT_EPOCH = new AtomicLong();
    private static final Tensor[] NO_INPUTS = new Tensor[0];

    private Autograd() {
    }

    // ================================================================ no-grad state

    /** Returns this thread's count of open {@link NoGrad} scopes, as a mutable one-element array. */
    static int[] noGradDepth() {
        return NO_GRAD_DEPTH.get();
    }

    /** Returns whether operations on this thread are recorded now (no {@link NoGrad} scope is open). */
    static boolean isGradEnabled() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    // ================================================================ recording

    /**
     * Creates the result of an op, with a graph node when recording is on and any input requires a
     * gradient. {@code saves} declares what {@code rule} reads beyond shapes ({@link #SAVES_IN0},
     * {@link #SAVES_IN1}, {@link #SAVES_OUTPUT}, or {@link #SAVES_NONE}), so that {@code backward()}
     * can refuse to run it on a tensor changed in place since.
     */
    static Tensor record(Engine engine, BackendArray out, String name, int saves, Rule rule, Tensor... inputs) {
        // An int64 result (a cast to int64, argmax, an integer op) is never differentiable, as in PyTorch.
        if (isGradEnabled() && out.dtype().isFloatingPoint()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad) {
                    return new Tensor(out, engine, new Node(name, inputs, rule, saves));
                }
            }
        }
        return new Tensor(out, engine);
    }

    // ================================================================ backward

    /**
     * Back-propagates {@code gradient} (already checked to have the shape of {@code root}) through the
     * graph below {@code root}, adding the result into the {@code grad} of every leaf (and of every
     * non-leaf that asked for {@code retainGrad()}). Each tensor's rule runs once, after all of its
     * consumers have contributed to its gradient, and only after checking that the tensors it saved
     * have not been changed in place since the op ran.
     *
     * <p>The walk keeps its per-pass state on the graph's non-leaf tensors and on the stack, never on
     * a leaf: the leaves' gradients are collected here and added into each leaf at the end, under the
     * leaf's lock, so that two threads may run {@code backward()} through two graphs that share leaves
     * (parameters). The walk's temporaries (the gradients passed between rules and the rules'
     * intermediates) are made in a {@link TensorScope} of its own and released when it ends, except what
     * becomes a {@code grad}. Unless {@code retainGraph}, every node walked is then freed
     * ({@link Node#free}), so the graph's saved tensors can be released by their scope or the garbage
     * collector, and a second walk fails with {@link #FREED_GRAPH_MESSAGE}.
     */
    @SuppressWarnings("try") // the scopes are opened for their effect only
    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        // Gradients a tensor may take over instead of copying: fresh tensors made by backward rules,
        // each taken at most once. The caller's gradient is never taken (the caller still holds it).
        Set<Tensor> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        taken.add(gradient);
        if (root.node == null) {
            synchronized (root) {
                accumulate(root, gradient, taken);
            }
            return;
        }
        List<Tensor> order = topologicalOrder(root);
        List<Tensor> leaves = new ArrayList<>();
        IdentityHashMap<Tensor, Tensor> leafGrads = new IdentityHashMap<>();
        boolean completed = false;
        try (TensorScope temporaries = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            root.pendingGrad = gradient.dtype() == root.dtype() ? gradient : gradient.to(root.dtype());
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = t.pendingGrad;
                t.pendingGrad = null;
                if (g == null) {
                    continue;
                }
                if (t.retainGrad) {
                    synchronized (t) {
                        accumulate(t, g, taken);
                    }
                }
                Node node = t.node;
                if (node.saves != SAVES_NONE) {
                    checkSavedVersions(t, node);
                }
                Tensor[] inputs = node.inputs;
                Tensor[] grads = node.rule.apply(g, t, inputs);
                for (int k = 0; k < grads.length; k++) {
                    Tensor in = inputs[k];
                    if (grads[k] == null || !in.requiresGrad) {
                        continue;
                    }
                    if (in.node == null) {
                        Tensor before = leafGrads.get(in);
                        if (before == null) {
                            leaves.add(in);
                        }
                        leafGrads.put(in, before == null ? grads[k] : before.add(grads[k]));
                    } else {
                        in.pendingGrad = in.pendingGrad == null ? grads[k] : in.pendingGrad.add(grads[k]);
                    }
                }
            }
            for (Tensor leaf : leaves) {
                synchronized (leaf) {
                    accumulate(leaf, leafGrads.get(leaf), taken);
                }
            }
            completed = true;
        } finally {
            for (Tensor t : order) {
                t.pendingGrad = null;
                if (completed && !retainGraph) {
                    t.node.free();
                }
            }
        }
    }

    /**
     * Fails, with PyTorch's message, when a tensor that {@code node}'s rule saved has been changed in
     * place since the op ran.
     */
    private static void checkSavedVersions(Tensor t, Node node) {
        int saves = node.saves;
        if ((saves & SAVES_OUTPUT) != 0 && t.version != 0) {
            throw modifiedInPlace(node, t, 0, "the output of " + node.name + "Backward");
        }
        int[] expected = node.savedVersions;
        if (expected == null) {
            return;
        }
        Tensor[] inputs = node.inputs;
        for (int k = 0, j = 0; k < inputs.length && j < expected.length; k++) {
            if ((saves & (1 << k)) != 0) {
                if (inputs[k].version != expected[j]) {
                    throw modifiedInPlace(node, inputs[k], expected[j], "input " + k + " of " + node.name + "Backward");
                }
                j++;
            }
        }
    }

    private static IllegalStateException modifiedInPlace(Node node, Tensor saved, int expected, String which) {
        return new IllegalStateException("one of the variables needed for gradient computation has been modified "
                + "by an inplace operation: [" + node.name + "Backward, shape " + Shapes.toString(saved.shape())
                + "] is at version " + saved.version + "; expected version " + expected + " instead. Hint: "
                + which + " was changed in place (subi, addi, muli, divi, assign, fill or an optimizer step) "
                + "after the op saved it for backward; change it after backward(), or compute with a copy "
                + "(detach()) or an out-of-place op");
    }

    /**
     * Adds {@code g} into {@code t}'s gradient; the caller holds {@code t}'s lock. A first gradient is
     * taken over when no other tensor can hold it ({@code taken} records what was handed out or must
     * not be), else copied: later accumulation and {@code zeroGrad()} change the gradient tensor,
     * which must not be shared.
     */
    private static void accumulate(Tensor t, Tensor g, Set<Tensor> taken) {
        Tensor grad = t.grad;
        if (grad == null) {
            if (g.dtype() == t.dtype() && taken.add(g)) {
                t.grad = TensorScope.escape(g);
            } else {
                t.grad = TensorScope.escape(new Tensor(t.backend().cast(g.data(), t.dtype()), t.engine()));
            }
            return;
        }
        BackendArray incoming = g.dtype() == t.dtype() ? g.data() : t.backend().cast(g.data(), t.dtype());
        BackendArray sum = t.backend().binary(BinaryOp.ADD, grad.data(), incoming);
        if (incoming != g.data()) {
            incoming.close();
        }
        grad.replaceData(sum);
    }

    /**
     * Returns the non-leaf tensors of the graph below {@code root}, inputs before outputs; leaves are
     * left out (the walk collects their gradients apart). Iterative depth-first search: a recursive one
     * overflows the stack on long graphs. Fails with {@link #FREED_GRAPH_MESSAGE} on a freed node.
     */
    private static List<Tensor> topologicalOrder(Tensor root) {
        long mark = VISIT_EPOCH.incrementAndGet();
        List<Tensor> order = new ArrayList<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        int[] next = new int[16];
        checkNotFreed(root);
        stack.add(root);
        root.visitMark = mark;
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            Tensor[] inputs = t.node.inputs;
            int i = next[top];
            while (i < inputs.length && (inputs[i].node == null || inputs[i].visitMark == mark)) {
                i++;
            }
            if (i < inputs.length) {
                next[top] = i + 1;
                Tensor child = inputs[i];
                checkNotFreed(child);
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

    private static void checkNotFreed(Tensor t) {
        if (t.node.isFreed()) {
            throw new IllegalStateException(FREED_GRAPH_MESSAGE + " (reached " + t.node.name + "Backward, whose "
                    + "graph a backward() without retainGraph has freed)");
        }
    }
}
