package io.polygrad.conformance;

import static io.polygrad.conformance.Expect.equal;
import static io.polygrad.conformance.Expect.isFalse;
import static io.polygrad.conformance.Expect.isNull;
import static io.polygrad.conformance.Expect.isTrue;
import static io.polygrad.conformance.Expect.notNull;
import static io.polygrad.conformance.Expect.throwsA;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.Check.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The autograd semantics every backend must give (PyTorch's), as entries of the suite's list:
 * accumulation until {@code zeroGrad()}, no-grad scopes, leaves, {@code detach()}, in-place rules,
 * kinks, ties, broadcast gradients, dtype promotion, NaN/Inf, long chains and {@link TensorScope}.
 *
 * <p>Each check's id is {@code autograd/<name>} (the names of the former JUnit methods, so exclusions
 * keep working). The semantics use float32 and float64 together, so a check applies only to a backend
 * that declares both.
 */
public final class AutogradChecks {

    private static final List<Check> CHECKS = build();

    private AutogradChecks() {
    }

    /** Returns the autograd checks, in a fixed order. */
    public static List<Check> checks() {
        return CHECKS;
    }

    /** The engines one autograd check runs on: float64 by default, and float32. */
    private static final class Env {
        final Engine engine;
        final Engine engine32;

        Env(BackendUnderTest backend) {
            engine = backend.engine(DType.FLOAT64);
            engine32 = backend.engine(DType.FLOAT32);
        }

        Tensor leaf(double... values) {
            return engine.tensor(values).requiresGrad(true);
        }
    }

    private static List<Check> build() {
        List<Check> out = new ArrayList<>();
        Adder add = (name, title, body) -> out.add(Check.of("autograd/" + name, Part.AUTOGRAD, name, null, title,
                s -> body.accept(new Env(s.backend()))));

        add.check("backward_calledTwice_accumulatesIntoGrad",
                "backward(true) keeps the graph: called twice it adds the gradient twice until zeroGrad()", e -> {
                    Tensor w = e.leaf(1.5, -2);
                    Tensor loss = w.mul(w).sum();
                    loss.backward(true);
                    equal(new double[] {3, -4}, w.grad().toDoubleArray(), 0, null);
                    loss.backward();
                    equal(new double[] {6, -8}, w.grad().toDoubleArray(), 0, null);
                    w.mul(3).sum().backward();
                    equal(new double[] {9, -5}, w.grad().toDoubleArray(), 0, null);
                    w.zeroGrad();
                    isNull(w.grad(), null);
                    w.mul(3).sum().backward();
                    equal(new double[] {3, 3}, w.grad().toDoubleArray(), 0, null);
                });

        add.check("backward_sharedPassThroughGradient_leavesStayIndependent",
                "leaves that receive the same gradient keep independent grads through accumulation and zeroGrad",
                e -> {
                    Tensor a = e.leaf(1, 2);
                    Tensor b = e.leaf(3, 4);
                    Tensor c = e.leaf(5, 6);
                    a.add(b.add(c)).sum().backward();
                    a.mul(3).sum().backward();
                    equal(new double[] {4, 4}, a.grad().toDoubleArray(), 0, null);
                    equal(new double[] {1, 1}, b.grad().toDoubleArray(), 0, null);
                    b.zeroGrad();
                    equal(new double[] {1, 1}, c.grad().toDoubleArray(), 0, null);
                    equal(new double[] {4, 4}, a.grad().toDoubleArray(), 0, null);
                    Tensor upstream = e.engine.tensor(new double[] {0.5, -1});
                    Tensor d = e.leaf(7, 8);
                    d.mul(1).backward(upstream);
                    d.mul(1).backward(upstream);
                    equal(new double[] {0.5, -1}, upstream.toDoubleArray(), 0, "the caller's gradient is untouched");
                    equal(new double[] {1, -2}, d.grad().toDoubleArray(), 0, null);
                });

        add.check("backward_savedTensorChangedInPlace_failsNamingOpAndVersions",
                "a tensor saved for backward and then changed in place makes backward() fail with PyTorch's "
                + "message, naming the op, the shape and both versions, before any leaf's gradient changes", e -> {
                    Tensor c = e.engine.tensor(new double[] {1, 2, 3});
                    Tensor w = e.leaf(1, 1, 1);
                    Tensor y = w.mul(c);
                    equal(0, c.version(), 0, null);
                    c.muli(e.engine.scalar(2));
                    equal(1, c.version(), 0, "muli bumps the version");
                    IllegalStateException x = throwsA(IllegalStateException.class, () -> y.sum().backward());
                    isTrue(x.getMessage().startsWith("one of the variables needed for gradient computation has "
                            + "been modified by an inplace operation: [MulBackward, shape [3]] is at version 1; "
                            + "expected version 0 instead"), x.getMessage());
                    isNull(w.grad(), "no leaf gradient changes when backward() fails");
                    // The output of exp is saved; changing it under NoGrad is caught too.
                    Tensor v = e.leaf(0, 1);
                    Tensor ex = v.exp();
                    try (NoGrad ignored = NoGrad.enter()) {
                        ex.fill(5);
                    }
                    IllegalStateException o = throwsA(IllegalStateException.class, () -> ex.sum().backward());
                    isTrue(o.getMessage().contains("[ExpBackward, shape [2]] is at version 1; expected version 0"),
                            o.getMessage());
                    // relu saves its result, as PyTorch's threshold_backward(grad, result, 0).
                    Tensor r = v.relu();
                    try (NoGrad ignored = NoGrad.enter()) {
                        r.fill(1);
                    }
                    IllegalStateException re = throwsA(IllegalStateException.class, () -> r.sum().backward());
                    isTrue(re.getMessage().contains("[ReluBackward, shape [2]] is at version 1; expected version 0"),
                            re.getMessage());
                    // where saves its condition.
                    Tensor cond = e.engine.tensor(new double[] {1, 0});
                    Tensor picked = Tensor.where(cond, v, v.zerosLike());
                    cond.assign(e.engine.scalar(1));
                    IllegalStateException wh = throwsA(IllegalStateException.class, () -> picked.sum().backward());
                    isTrue(wh.getMessage().contains("[WhereBackward, shape [2]]"), wh.getMessage());
                    // A parameter changed (an optimizer step) between forward and backward, where it is saved.
                    Tensor p = e.leaf(3);
                    Tensor sq = p.mul(p);
                    try (NoGrad ignored = NoGrad.enter()) {
                        p.subi(e.engine.scalar(1));
                    }
                    IllegalStateException st = throwsA(IllegalStateException.class, () -> sq.backward());
                    isTrue(st.getMessage().contains("[MulBackward, shape [1]] is at version 1"), st.getMessage());
                });

        add.check("backward_unsavedTensorChangedInPlace_passesAsInPyTorch",
                "ops that save nothing (add, sub, sum, reshape), mul's operand that no gradient needs and relu's "
                + "input (relu saves its result) do not block backward() after an in-place change, as in PyTorch",
                e -> {
                    Tensor c = e.engine.tensor(new double[] {1, 2, 3});
                    Tensor w = e.leaf(1, 1, 1);
                    Tensor y = w.add(c).sub(c).reshape(3, 1).sum();
                    c.muli(e.engine.scalar(2));
                    y.backward();
                    equal(new double[] {1, 1, 1}, w.grad().toDoubleArray(), 0, null);
                    // w * c saves w only if c needs a gradient: it does not, so changing w is allowed.
                    Tensor z = w.mul(c);
                    try (NoGrad ignored = NoGrad.enter()) {
                        w.muli(e.engine.scalar(2));
                    }
                    w.zeroGrad();
                    z.sum().backward();
                    equal(new double[] {2, 4, 6}, w.grad().toDoubleArray(), 0, null);
                    // relu saves its result, not its input: the mask is the forward's, whatever the input became.
                    Tensor u = e.leaf(-1, 2);
                    Tensor r = u.relu();
                    try (NoGrad ignored = NoGrad.enter()) {
                        u.muli(e.engine.scalar(-1));
                    }
                    r.sum().backward();
                    equal(new double[] {0, 1}, u.grad().toDoubleArray(), 0, null);
                });

        add.check("backward_trainingLoop_updatesAfterBackwardPass",
                "the normal loop (forward, backward, in-place step, zeroGrad) is never blocked by versions", e -> {
                    Tensor w = e.leaf(0.5, -1);
                    Tensor x = e.engine.tensor(new double[] {1, 2});
                    for (int step = 0; step < 5; step++) {
                        Tensor loss = w.mul(x).sub(1).mul(w.mul(x).sub(1)).mean();
                        loss.backward();
                        try (NoGrad ignored = NoGrad.enter()) {
                            w.subi(w.grad().mul(0.1));
                        }
                        w.zeroGrad();
                    }
                    equal(5, w.version(), 0, "each step bumps the parameter's version once");
                });

        add.check("backward_secondTime_failsWithPyTorchMessage",
                "backward() frees the graph: a second backward() through it fails with PyTorch's message "
                + "and leaves the gradients as they were", e -> {
                    Tensor w = e.leaf(1.5, -2);
                    Tensor loss = w.mul(w).sum();
                    loss.backward();
                    IllegalStateException x = throwsA(IllegalStateException.class, loss::backward);
                    isTrue(x.getMessage().startsWith("Trying to backward through the graph a second time (or "
                            + "directly access saved tensors after they have already been freed)."), x.getMessage());
                    isTrue(x.getMessage().contains("retainGraph"), x.getMessage());
                    equal(new double[] {3, -4}, w.grad().toDoubleArray(), 0, null);
                    Tensor h = w.mul(2);
                    h.sum().backward();
                    throwsA(IllegalStateException.class, () -> h.mul(h).sum().backward());
                    equal("MulBackward", h.gradFn(), "a freed node keeps its name");
                    w.mul(w).sum().backward();
                    equal(new double[] {8, -6}, w.grad().toDoubleArray(), 0,
                            "[3, -4] + [2, 2] + [3, -4]: new graphs from the same leaves work");
                });

        add.check("backward_retainGraph_allowsSecondPassAndDoublesGrad",
                "backward(true) and backward(gradient, true) keep the graph: the second pass doubles the "
                + "gradient, and the pass without retainGraph frees it", e -> {
                    Tensor w = e.leaf(1, 2);
                    Tensor loss = w.mul(w).exp().sum();
                    loss.backward(true);
                    double[] once = w.grad().toDoubleArray();
                    loss.backward(e.engine.scalar(1), true);
                    loss.backward();
                    double[] thrice = w.grad().toDoubleArray();
                    for (int i = 0; i < once.length; i++) {
                        equal(3 * once[i], thrice[i], 1e-12 * Math.abs(once[i]), null);
                    }
                    throwsA(IllegalStateException.class, loss::backward);
                });

        add.check("noGrad_results_neverBlockBackward",
                "tensors made inside NoGrad record nothing, so changing them (or what they were made from) in "
                + "place never blocks a backward pass", e -> {
                    Tensor w = e.leaf(1, 2);
                    Tensor c = e.engine.tensor(new double[] {3, 4});
                    Tensor made;
                    try (NoGrad ignored = NoGrad.enter()) {
                        made = w.mul(c).exp();
                    }
                    Tensor loss = w.add(made).sum();
                    c.muli(e.engine.scalar(2));
                    made.fill(0);
                    loss.backward();
                    equal(new double[] {1, 1}, w.grad().toDoubleArray(), 0, null);
                });

        add.check("backward_concurrentIntoSharedLeaf_sumsAsSequential",
                "two threads running backward() through their own graphs into one shared leaf add up to the "
                + "sequential result (PyTorch allows concurrent backward)", e -> {
                    Tensor w = e.leaf(0.5, -1.5, 2);
                    Tensor x = e.engine.tensor(new double[] {1, 2, 3});
                    int n = 40;
                    Runnable worker = () -> {
                        for (int i = 0; i < n; i++) {
                            w.mul(x).mul(w).sum().backward();
                        }
                    };
                    Thread[] threads = {new Thread(worker, "backward-1"), new Thread(worker, "backward-2")};
                    Throwable[] failure = new Throwable[1];
                    for (Thread t : threads) {
                        t.setUncaughtExceptionHandler((th, ex) -> failure[0] = ex);
                        t.start();
                    }
                    for (Thread t : threads) {
                        try {
                            t.join();
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(ie);
                        }
                    }
                    if (failure[0] != null) {
                        throw new IllegalStateException("a backward thread failed", failure[0]);
                    }
                    double[] got = w.grad().toDoubleArray();
                    double[] wv = w.toDoubleArray();
                    double[] xv = x.toDoubleArray();
                    for (int k = 0; k < got.length; k++) {
                        double expected = 2.0 * n * 2 * wv[k] * xv[k];
                        equal(expected, got[k], 1e-9 * Math.abs(expected), "element " + k);
                    }
                });

        add.check("publicApi_nullArguments_failNamingOpAndArgument",
                "null tensor, shape, dtype and list arguments fail with a NullPointerException naming the op "
                + "and the argument", e -> {
                    Tensor a = e.leaf(1, 2);
                    NullPointerException plus = throwsA(NullPointerException.class, () -> a.add((Tensor) null));
                    equal("add: other is null", plus.getMessage(), null);
                    NullPointerException bw = throwsA(NullPointerException.class, () -> a.mul(2).backward(null));
                    equal("backward: gradient is null", bw.getMessage(), null);
                    NullPointerException rs = throwsA(NullPointerException.class, () -> a.reshape((int[]) null));
                    equal("reshape: newShape is null", rs.getMessage(), null);
                    NullPointerException to = throwsA(NullPointerException.class, () -> a.to(null));
                    equal("to: target is null", to.getMessage(), null);
                    NullPointerException cat = throwsA(NullPointerException.class,
                            () -> Tensor.concat(java.util.Arrays.asList(a, null), 0));
                    equal("concat: tensors[1] is null", cat.getMessage(), null);
                    NullPointerException wh = throwsA(NullPointerException.class, () -> Tensor.where(null, a, a));
                    equal("where: condition is null", wh.getMessage(), null);
                    NullPointerException in = throwsA(NullPointerException.class, () -> {
                        try (NoGrad ignored = NoGrad.enter()) {
                            a.subi((Tensor) null);
                        }
                    });
                    equal("subi: other is null", in.getMessage(), null);
                    NullPointerException sum = throwsA(NullPointerException.class, () -> a.sum((int[]) null, false));
                    equal("sum: axes is null", sum.getMessage(), null);
                });

        add.check("backward_valueUsedTwice_sumsBothPaths", "a value used twice gets both contributions", e -> {
            Tensor x = e.leaf(3);
            x.mul(x).add(x).sum().backward();
            equal(7, x.grad().item(), 0, null);
        });

        add.check("noGrad_scope_recordsNothing", "inside NoGrad nothing is recorded", e -> {
            Tensor w = e.leaf(1, 2);
            Tensor y;
            try (NoGrad ignored = NoGrad.enter()) {
                isFalse(NoGrad.isGradEnabled(), null);
                y = w.mul(2).exp();
            }
            isTrue(NoGrad.isGradEnabled(), null);
            isFalse(y.requiresGrad(), null);
            isNull(y.gradFn(), null);
            isTrue(y.isLeaf(), null);
            throwsA(IllegalStateException.class, () -> y.sum().backward());
        });

        add.check("subi_leafRequiringGradOutsideNoGrad_fails",
                "an in-place update of a leaf requiring grad fails outside NoGrad, with PyTorch's message", e -> {
                    Tensor w = e.leaf(1, 2);
                    IllegalStateException x = throwsA(IllegalStateException.class, () -> w.subi(e.engine.scalar(1)));
                    isTrue(x.getMessage().contains(
                            "a leaf Tensor that requires grad is being used in an in-place operation"), x.getMessage());
                    equal(new double[] {1, 2}, w.toDoubleArray(), 0, null);
                });

        add.check("subi_underNoGrad_updatesLeafWithoutGraph",
                "an in-place update under NoGrad changes the leaf and keeps it a leaf", e -> {
                    Tensor w = e.leaf(1, 2);
                    w.mul(w).sum().backward();
                    try (NoGrad ignored = NoGrad.enter()) {
                        w.subi(w.grad().mul(0.5));
                    }
                    equal(new double[] {0, 0}, w.toDoubleArray(), 0, null);
                    isTrue(w.isLeaf(), null);
                    isTrue(w.requiresGrad(), null);
                });

        add.check("detach_result_isLeafWithoutGradient", "detach() gives a new leaf through which no gradient flows",
                e -> {
                    Tensor w = e.leaf(2);
                    Tensor d = w.mul(3).detach();
                    isTrue(d.isLeaf(), null);
                    isFalse(d.requiresGrad(), null);
                    w.mul(d).sum().backward();
                    equal(6, w.grad().item(), 0, null);
                });

        add.check("backward_nonLeaf_keepsGradOnlyWhenRetained",
                "non-leaf tensors keep a gradient only after retainGrad()", e -> {
                    Tensor w = e.leaf(2);
                    Tensor h = w.mul(3);
                    Tensor k = w.mul(4).retainGrad();
                    isFalse(h.isLeaf(), null);
                    equal("MulBackward", h.gradFn(), null);
                    h.mul(k).sum().backward();
                    isNull(h.grad(), null);
                    equal(6, k.grad().item(), 0, null);
                    equal(2 * 3 * 4 * 2, w.grad().item(), 0, null);
                });

        add.check("backward_nonScalar_needsExplicitGradient",
                "backward() on a non-scalar needs an explicit gradient; with one it computes a vector-Jacobian "
                + "product", e -> {
                    Tensor w = e.leaf(1, 2, 3);
                    Tensor y = w.mul(w);
                    IllegalStateException x = throwsA(IllegalStateException.class, y::backward);
                    isTrue(x.getMessage().contains("only for scalar outputs"), x.getMessage());
                    y.backward(e.engine.tensor(new double[] {1, 0.5, -1}));
                    equal(new double[] {2, 2, -6}, w.grad().toDoubleArray(), 0, null);
                    throwsA(IllegalArgumentException.class, () -> y.backward(e.engine.tensor(new double[] {1, 2})));
                });

        add.check("backward_withoutRequiresGrad_fails", "backward() on a tensor that does not require grad fails "
                + "clearly", e -> {
                    Tensor x = e.engine.tensor(new double[] {1, 2});
                    IllegalStateException t = throwsA(IllegalStateException.class, () -> x.sum().backward());
                    isTrue(t.getMessage().contains("does not require grad"), t.getMessage());
                });

        add.check("requiresGrad_onNonLeaf_fails", "requiresGrad can only be changed on leaves", e -> {
            Tensor y = e.leaf(1).mul(2);
            throwsA(IllegalStateException.class, () -> y.requiresGrad(false));
        });

        add.check("backward_atKinks_matchesPyTorchConventions",
                "derivatives at kinks follow PyTorch: relu'(0) = 0, abs'(0) = 0, sign' = 0", e -> {
                    Tensor x = e.leaf(0, 0, 0);
                    x.index(0, 0).relu().add(x.index(0, 1).abs()).add(x.index(0, 2).sign()).backward();
                    equal(new double[] {0, 0, 0}, x.grad().toDoubleArray(), 0, null);
                });

        add.check("backward_ties_splitGradientEqually",
                "maximum, minimum and max share the gradient equally between ties", e -> {
                    Tensor a = e.leaf(1, 2);
                    Tensor b = e.leaf(1, 3);
                    a.maximum(b).sum().backward();
                    equal(new double[] {0.5, 0}, a.grad().toDoubleArray(), 0, null);
                    equal(new double[] {0.5, 1}, b.grad().toDoubleArray(), 0, null);
                    Tensor c = e.leaf(4, 1, 4);
                    c.max().backward();
                    equal(new double[] {0.5, 0, 0.5}, c.grad().toDoubleArray(), 0, null);
                    Tensor d = e.leaf(2);
                    d.clamp(0, 2).sum().backward();
                    equal(1, d.grad().item(), 0, "clamp passes the gradient at its upper bound");
                });

        add.check("backward_broadcastInput_gradientSummedToItsShape",
                "the gradient of a broadcast input is summed back to its shape", e -> {
                    Tensor x = e.engine.tensor(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
                    Tensor bias = e.engine.tensor(new double[] {0, 0, 0}).requiresGrad(true);
                    Tensor scale = e.engine.tensor(new double[] {1, 1}, 2, 1).requiresGrad(true);
                    x.add(bias).mul(scale).sum().backward();
                    equal(new int[] {3}, bias.grad().shape(), null);
                    equal(new double[] {2, 2, 2}, bias.grad().toDoubleArray(), 0, null);
                    equal(new int[] {2, 1}, scale.grad().shape(), null);
                    equal(new double[] {6, 15}, scale.grad().toDoubleArray(), 0, null);
                });

        add.check("binary_mixedDTypes_promotesToFloat64",
                "float32 with float64 promotes to float64; each leaf's gradient keeps the leaf's dtype", e -> {
                    Tensor a = e.engine32.tensor(new float[] {1.5f, 2}).requiresGrad(true);
                    Tensor b = e.engine.tensor(new double[] {0.1, 0.2}, DType.FLOAT64).requiresGrad(true);
                    Tensor y = a.mul(b);
                    equal(DType.FLOAT64, y.dtype(), null);
                    y.sum().backward();
                    equal(DType.FLOAT32, a.grad().dtype(), null);
                    equal(DType.FLOAT64, b.grad().dtype(), null);
                    equal(new double[] {0.1f, 0.2f}, a.grad().toDoubleArray(), 0, null);
                    equal(new double[] {1.5, 2}, b.grad().toDoubleArray(), 0, null);
                });

        add.check("ops_float32Inputs_produceFloat32Values", "float32 results stay float32 and are rounded to float",
                e -> {
                    Tensor x = e.engine32.tensor(new float[] {0.1f, 0.7f});
                    Tensor y = x.mul(x).add(x.exp()).sum();
                    equal(DType.FLOAT32, y.dtype(), null);
                    double v = y.item();
                    equal((float) v, v, 0, "a float32 value must be representable as float");
                });

        add.check("ops_nanAndInfinity_flowThrough", "NaN and infinity flow through as values, without exceptions",
                e -> {
                    Tensor x = e.engine.tensor(new double[] {-1, 0, Double.NaN});
                    double[] log = x.log().toDoubleArray();
                    isTrue(Double.isNaN(log[0]), null);
                    equal(Double.NEGATIVE_INFINITY, log[1], 0, null);
                    isTrue(Double.isNaN(log[2]), null);
                    double[] inv = x.rdiv(1).toDoubleArray();
                    equal(Double.POSITIVE_INFINITY, inv[1], 0, null);
                    isTrue(Double.isNaN(x.max().item()), "max with a NaN is NaN");
                    isTrue(Double.isNaN(x.sum().item()), null);
                });

        add.check("add_incompatibleShapes_namesOpAndShapes", "shape mismatches name the op and both shapes", e -> {
            Tensor a = e.engine.zeros(2, 3);
            Tensor b = e.engine.zeros(4);
            IllegalArgumentException x = throwsA(IllegalArgumentException.class, () -> a.add(b));
            isTrue(x.getMessage().contains("Add") && x.getMessage().contains("[2, 3]")
                    && x.getMessage().contains("[4]"), x.getMessage());
            IllegalArgumentException m = throwsA(IllegalArgumentException.class,
                    () -> a.matmul(e.engine.zeros(2, 3)));
            isTrue(m.getMessage().contains("matmul") && m.getMessage().contains("[2, 3]"), m.getMessage());
        });

        add.check("backward_longChain_doesNotOverflowStack",
                "a long chain of ops back-propagates without overflowing the stack", e -> {
                    Tensor w = e.leaf(1);
                    Tensor y = w;
                    for (int i = 0; i < 50_000; i++) {
                        y = y.mul(1.0);
                    }
                    y.sum().backward();
                    equal(1, w.grad().item(), 0, null);
                });

        add.check("tensorScope_close_releasesOnlyIntermediates",
                "a TensorScope releases intermediates but keeps kept tensors, parameters and gradients", e -> {
                    Tensor w = e.leaf(1, 2);
                    Tensor kept;
                    Tensor intermediate;
                    try (TensorScope scope = TensorScope.open()) {
                        intermediate = w.mul(2);
                        Tensor loss = intermediate.sum();
                        kept = scope.keep(loss.mul(1));
                        loss.backward();
                    }
                    isTrue(intermediate.isReleased(), null);
                    IllegalStateException x = throwsA(IllegalStateException.class, intermediate::toDoubleArray);
                    isTrue(x.getMessage().contains("released"), x.getMessage());
                    equal(6, kept.item(), 0, null);
                    equal(new double[] {1, 2}, w.toDoubleArray(), 0, null);
                    notNull(w.grad(), null);
                    equal(new double[] {2, 2}, w.grad().toDoubleArray(), 0, null);
                });
        return List.copyOf(out);
    }

    @FunctionalInterface
    private interface Adder {
        void check(String name, String title, Consumer<Env> body);
    }
}
