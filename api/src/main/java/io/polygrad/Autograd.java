package io.polygrad;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
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

    /** The graph node of a non-leaf tensor: the op's name, its inputs and its backward rule. */
    static final class Node {
        final String name;
        final Tensor[] inputs;
        final Rule rule;

        Node(String name, Tensor[] inputs, Rule rule) {
            this.name = name;
            this.inputs = inputs;
            this.rule = rule;
        }
    }

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

    /** Creates the result of an op, with a graph node when recording is on and any input requires a gradient. */
    static Tensor record(Engine engine, BackendArray out, String name, Rule rule, Tensor... inputs) {
        if (isGradEnabled()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad) {
                    return new Tensor(out, engine, new Node(name, inputs, rule));
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
     * consumers have contributed to its gradient.
     */
    static void backward(Tensor root, Tensor gradient) {
        List<Tensor> order = topologicalOrder(root);
        root.pendingGrad = gradient.dtype() == root.dtype() ? gradient : gradient.to(root.dtype());
        // Gradients a tensor may take over instead of copying: fresh tensors made by backward rules,
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
                Node node = t.node;
                if (node == null || t.retainGrad) {
                    accumulate(t, g, taken);
                }
                if (node == null) {
                    continue;
                }
                Tensor[] inputs = node.inputs;
                Tensor[] grads = node.rule.apply(g, t, inputs);
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
     * Adds {@code g} into {@code t}'s gradient. A first gradient is taken over when no other tensor
     * can hold it ({@code taken} records what was handed out or must not be), else copied: later
     * accumulation and {@code zeroGrad()} change the gradient tensor, which must not be shared.
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
     * Returns the tensors of the graph below {@code root} that require a gradient, inputs before
     * outputs. Iterative depth-first search: a recursive one overflows the stack on long graphs.
     */
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
}
