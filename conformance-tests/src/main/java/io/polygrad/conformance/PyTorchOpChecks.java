package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import io.polygrad.loss.CrossEntropyOptions;
import io.polygrad.loss.Losses;
import io.polygrad.loss.Reduction;
import io.polygrad.nn.Functional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * PyTorch as the oracle: every case of the PyTorch fixtures ({@link PyTorchFixture}, written by real
 * PyTorch from explicit inputs by {@code tools/pytorch-fixtures/generate_ops.py}) run on the backend
 * under test, forward values, shape and dtype, and the gradient of every input, within
 * {@link Tolerances#pytorch(DType)}. PyTorch is not needed to run them.
 *
 * <p>Check ids: {@code pytorch/<family>/<case>/<dtype>}, e.g. {@code pytorch/ops/exp/edge/float32} or
 * {@code pytorch/losses/crossEntropy/masked-mean/float64}; an exclusion of {@code pytorch/ops/exp/}
 * covers every case of {@code exp}.
 */
public final class PyTorchOpChecks {

    /** The fixture families, each a pair of resources {@code pytorch/<family>-<dtype>.json}. */
    public static final List<String> FAMILIES = List.of("ops", "losses", "index", "breadth", "conv");

    private PyTorchOpChecks() {
    }

    /** Returns one check per case of every family in {@code dtype}. */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>();
        for (String family : FAMILIES) {
            for (PyTorchFixture f : PyTorchFixture.load(family, dtype)) {
                out.add(Check.measuring("pytorch/" + family + "/" + f.id() + "/" + Check.id(dtype), Part.PYTORCH,
                        "pytorch/" + family + "/" + f.id(), dtype,
                        (f.differentiable() ? "forward and gradients vs PyTorch" : "forward vs PyTorch")
                        + (f.deliberate() == null ? ""
                                : " (polygrad's deliberate difference " + f.deliberate().reason()
                                        + ", docs/PYTORCH-DIFFERENCES.md)"),
                        s -> check(s.backend(), f, dtype)));
            }
        }
        return out;
    }

    /** Runs {@code f} on {@code backend} in {@code dtype} and compares it with PyTorch's values; returns the comparison. */
    public static Comparison check(BackendUnderTest backend, PyTorchFixture f, DType dtype) {
        return check(backend, f, dtype, op(f));
    }

    /**
     * Runs {@code f} as {@code op} (a fixture family's own mapping of op names, e.g. {@link NormChecks}'s) and
     * compares it with PyTorch's values; returns the comparison.
     */
    public static Comparison check(BackendUnderTest backend, PyTorchFixture f, DType dtype, Function<Tensor[], Tensor> op) {
        Engine engine = backend.engine(dtype);
        Tensor[] leaves = new Tensor[f.inputs().size()];
        for (int i = 0; i < leaves.length; i++) {
            PyTorchFixture.Input in = f.inputs().get(i);
            leaves[i] = in.values().shape().length == 0 ? engine.scalar(in.values().values()[0], dtype)
                    : engine.tensor(in.values().values(), dtype, in.values().shape());
            if (in.grad()) {
                leaves[i].requiresGrad(true);
            }
        }
        Tensor out = op.apply(leaves);
        String where = backend.name() + " " + f.id() + " in " + dtype;
        if (!Arrays.equals(out.shape(), f.output().shape())) {
            throw new AssertionError(where + ": shape " + Arrays.toString(out.shape()) + ", PyTorch's "
                    + Arrays.toString(f.output().shape()));
        }
        if (out.dtype() != f.outputDType()) {
            throw new AssertionError(where + ": dtype " + out.dtype() + ", PyTorch's " + f.outputDType());
        }
        Tolerances tol = Tolerances.pytorch(f.outputDType());
        PyTorchFixture.Deliberate d = f.deliberate();
        String versus = d == null ? " vs PyTorch" : " vs polygrad's deliberate difference " + d.reason();
        Comparison all = require(where, "forward" + versus, out.toDoubleArray(),
                d == null ? f.output().values() : d.output(), tol);
        if (f.differentiable()) {
            Tensor up = out.rank() == 0 ? engine.scalar(f.upstream()[0], out.dtype())
                    : engine.tensor(f.upstream(), out.dtype(), out.shape());
            out.mul(up).sum().backward();
            for (int i = 0; i < leaves.length; i++) {
                double[] expected = (d == null ? f.grads() : d.grads()).get(i);
                if (expected == null) {
                    continue;
                }
                Tensor g = leaves[i].grad();
                if (g != null && g.dtype() != dtype) {
                    throw new AssertionError(where + ": gradient of input " + i + " has dtype " + g.dtype());
                }
                double[] actual = g == null ? new double[expected.length] : g.toDoubleArray();
                all = all.merge(require(where, "gradient of input " + i + versus, actual, expected,
                        Tolerances.pytorch(dtype)));
            }
        }
        return all;
    }

    /**
     * Returns the comparison of {@code actual} with PyTorch's {@code expected} under {@code tol} scaled to
     * the array ({@link Tolerances#scaledTo}), throwing when it fails.
     */
    private static Comparison require(String where, String what, double[] actual, double[] expected, Tolerances tol) {
        Tolerances scaled = tol.scaledTo(expected);
        Comparison c = Comparison.of(actual, expected, scaled);
        if (!c.withinTolerance()) {
            int i = c.worstIndex();
            throw new AssertionError(where + ", " + what + ": element " + i + " is " + actual[i]
                    + ", expected " + expected[i] + " (" + c.describe() + "; tolerance rtol " + scaled.rtol()
                    + ", atol " + scaled.atol() + ")\n  actual   " + Arrays.toString(actual) + "\n  expected "
                    + Arrays.toString(expected));
        }
        return c;
    }

    /** Returns the polygrad call a fixture's op name stands for (see generate_ops.py for PyTorch's). */
    static Function<Tensor[], Tensor> op(PyTorchFixture f) {
        switch (f.op()) {
            case "add": return t -> t[0].add(t[1]);
            case "sub": return t -> t[0].sub(t[1]);
            case "mul": return t -> t[0].mul(t[1]);
            case "div": return t -> t[0].div(t[1]);
            case "pow": return t -> t[0].pow(t[1]);
            case "maximum": return t -> t[0].maximum(t[1]);
            case "minimum": return t -> t[0].minimum(t[1]);
            case "add-scalar": return t -> t[0].add(f.number("value"));
            case "sub-scalar": return t -> t[0].sub(f.number("value"));
            case "rsub-scalar": return t -> t[0].rsub(f.number("value"));
            case "mul-scalar": return t -> t[0].mul(f.number("value"));
            case "div-scalar": return t -> t[0].div(f.number("value"));
            case "rdiv-scalar": return t -> t[0].rdiv(f.number("value"));
            case "pow-scalar": return t -> t[0].pow(f.number("value"));
            case "gt": return t -> t[0].gt(t[1]);
            case "ge": return t -> t[0].ge(t[1]);
            case "lt": return t -> t[0].lt(t[1]);
            case "le": return t -> t[0].le(t[1]);
            case "eq": return t -> t[0].eq(t[1]);
            case "ne": return t -> t[0].ne(t[1]);
            case "gt-scalar": return t -> t[0].gt(f.number("value"));
            case "ge-scalar": return t -> t[0].ge(f.number("value"));
            case "lt-scalar": return t -> t[0].lt(f.number("value"));
            case "le-scalar": return t -> t[0].le(f.number("value"));
            case "eq-scalar": return t -> t[0].eq(f.number("value"));
            case "ne-scalar": return t -> t[0].ne(f.number("value"));
            case "where": return t -> Tensor.where(t[0], t[1], t[2]);
            case "neg": return t -> t[0].neg();
            case "exp": return t -> t[0].exp();
            case "log": return t -> t[0].log();
            case "sqrt": return t -> t[0].sqrt();
            case "abs": return t -> t[0].abs();
            case "sign": return t -> t[0].sign();
            case "square": return t -> t[0].square();
            case "tanh": return t -> t[0].tanh();
            case "relu": return t -> t[0].relu();
            case "sigmoid": return t -> t[0].sigmoid();
            case "clamp": return t -> t[0].clamp(f.number("min"), f.number("max"));
            case "sum": return t -> f.has("axes") ? t[0].sum(f.ints("axes"), f.flag("keepDims")) : t[0].sum();
            case "mean": return t -> f.has("axes") ? t[0].mean(f.ints("axes"), f.flag("keepDims")) : t[0].mean();
            case "max": return t -> f.has("axes") ? t[0].max(f.ints("axes"), f.flag("keepDims")) : t[0].max();
            case "matmul": return t -> t[0].matmul(t[1]);
            case "matmul-t": return t -> t[0].matmul(t[1], f.flag("transposeThis"), f.flag("transposeOther"));
            case "reshape": return t -> t[0].reshape(f.ints("shape"));
            case "transpose": return t -> f.has("axes") ? t[0].transpose(f.ints("axes")[0], f.ints("axes")[1])
                    : t[0].transpose();
            case "permute": return t -> t[0].permute(f.ints("axes"));
            case "broadcastTo": return t -> t[0].broadcastTo(f.ints("shape"));
            case "slice": return t -> t[0].slice(f.integer("axis"), f.integer("start"), f.integer("end"));
            case "index": return t -> t[0].index(f.integer("axis"), f.integer("index"));
            case "concat": return t -> Tensor.concat(List.of(t), f.integer("axis"));
            case "subi": return t -> t[0].subi(t[1]);
            case "addi": return t -> t[0].addi(t[1]);
            case "muli": return t -> t[0].muli(t[1]);
            case "divi": return t -> t[0].divi(t[1]);
            case "assign": return t -> t[0].assign(t[1]);
            case "subi-scalar": return t -> t[0].subi(f.number("value"));
            case "muli-scalar": return t -> t[0].muli(f.number("value"));
            case "fill": return t -> t[0].fill(f.number("value"));
            case "to-float64": return t -> t[0].to(DType.FLOAT64);
            case "to-float32": return t -> t[0].to(DType.FLOAT32);
            case "softmax": return t -> Functional.softmax(t[0], f.integer("axis"));
            case "logSoftmax": return t -> Functional.logSoftmax(t[0], f.integer("axis"));
            case "logSumExp": return t -> Functional.logSumExp(t[0], f.integer("axis"), f.flag("keepDims"));
            case "softplus": return t -> Functional.softplus(t[0]);
            case "softplus-beta": return t -> Functional.softplus(t[0], f.number("beta"), f.number("threshold"));
            case "linear": return t -> Functional.linear(t[0], t[1], t[2]);
            case "linear-nobias": return t -> Functional.linear(t[0], t[1], null);
            case "mse-default": return t -> Losses.mse(t[0], t[1]);
            case "mae-default": return t -> Losses.mae(t[0], t[1]);
            case "bceWithLogits-default": return t -> Losses.binaryCrossEntropyWithLogits(t[0], t[1]);
            case "crossEntropy-default": return t -> Losses.crossEntropy(t[0], classTarget(t[0], t[1]));
            case "mse": return t -> Losses.mse(t[0], t[1], reduction(f));
            case "mae": return t -> Losses.mae(t[0], t[1], reduction(f));
            case "huber": return t -> Losses.huber(t[0], t[1], f.number("delta"), reduction(f));
            case "smoothL1": return t -> Losses.smoothL1(t[0], t[1], f.number("beta"), reduction(f));
            case "bceWithLogits": return t -> Losses.binaryCrossEntropyWithLogits(t[0], t[1], reduction(f));
            case "crossEntropy": return t -> Losses.crossEntropy(t[0], classTarget(t[0], t[1]), reduction(f));
            // ---- the index family (generate_index.py): index inputs are stored as numbers, made int64 here
            case "argmax": return t -> t[0].argmax(f.integer("axis"), f.flag("keepDim"));
            case "argmin": return t -> t[0].argmin(f.integer("axis"), f.flag("keepDim"));
            case "argmax-all": return t -> t[0].argmax();
            case "argmin-all": return t -> t[0].argmin();
            case "gather": return t -> t[0].gather(f.integer("axis"), t[1].to(DType.INT64));
            case "scatterAdd": return t -> t[0].scatterAdd(f.integer("axis"), t[1].to(DType.INT64), t[2]);
            case "indexSelect": return t -> t[0].indexSelect(f.integer("axis"), t[1].to(DType.INT64));
            case "maskedFill": return t -> t[0].maskedFill(t[1], f.number("value"));
            case "crossEntropyOptions": return t -> Losses.crossEntropy(t[0], classTarget(t[0], t[1]), options(f, t));
            case "nll": return t -> Losses.nll(t[0], t[1].to(DType.INT64), options(f, t));
            default: {
                // the ops added for porting PyTorch scripts (issue 14), family "breadth"
                Function<Tensor[], Tensor> breadth = BreadthFixtureOps.op(f);
                if (breadth != null) {
                    return breadth;
                }
                // convolution and pooling (pytorch/conv, generate_conv.py)
                Function<Tensor[], Tensor> conv = ConvolutionChecks.pytorchOp(f);
                if (conv != null) {
                    return conv;
                }
                throw new IllegalStateException("PyTorch fixture " + f.id() + ": unknown op " + f.op());
            }
        }
    }

    /**
     * Returns a cross-entropy target as PyTorch's fixture used it: class indices (stored as numbers, of
     * the logits' shape without the class axis) as int64, as {@code t.long()} made them; probabilities as they are.
     */
    static Tensor classTarget(Tensor logits, Tensor target) {
        return java.util.Arrays.equals(logits.shape(), target.shape()) ? target : target.to(DType.INT64);
    }

    /** Returns the cross-entropy/NLL options of a fixture: its reduction, ignore index, smoothing and, if weighted, t[2]. */
    private static CrossEntropyOptions options(PyTorchFixture f, Tensor[] t) {
        return CrossEntropyOptions.builder().reduction(reduction(f)).ignoreIndex(f.integer("ignoreIndex"))
                .labelSmoothing(f.number("labelSmoothing")).weight(f.flag("weighted") ? t[2] : null).build();
    }

    private static Reduction reduction(PyTorchFixture f) {
        return Reduction.valueOf(f.text("reduction"));
    }
}
