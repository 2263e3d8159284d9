package io.polygrad;

import static io.polygrad.Autograd.SAVES_IN0;
import static io.polygrad.Autograd.SAVES_IN1;
import static io.polygrad.Autograd.SAVES_IN2;
import static io.polygrad.Autograd.SAVES_NONE;
import static io.polygrad.Autograd.SAVES_OUTPUT;
import static io.polygrad.Autograd.record;
import static io.polygrad.Autograd.savesCrossed;
import static io.polygrad.ShapeOps.unbroadcast;

import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.util.Optional;

/**
 * The elementwise ops behind {@link Tensor}: binary arithmetic with broadcasting, comparisons,
 * {@code where} and the unary functions, each forward followed by its backward rule. Binary rules
 * get the dtype-promoted operands as {@code in[0]} and {@code in[1]}; a broadcast operand's
 * gradient is summed back to its shape with {@link ShapeOps#unbroadcast}.
 */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    // ================================================================ binary arithmetic

    static Tensor add(Tensor x, Tensor y) {
        return binary(BinaryOp.ADD, x, y, "Add", SAVES_NONE, (g, out, in) -> new Tensor[] {
            in[0].requiresGrad() ? unbroadcast(g, in[0].data().shape()) : null,
            in[1].requiresGrad() ? unbroadcast(g, in[1].data().shape()) : null});
    }

    static Tensor sub(Tensor x, Tensor y) {
        return binary(BinaryOp.SUB, x, y, "Sub", SAVES_NONE, (g, out, in) -> new Tensor[] {
            in[0].requiresGrad() ? unbroadcast(g, in[0].data().shape()) : null,
            in[1].requiresGrad() ? unbroadcast(g.neg(), in[1].data().shape()) : null});
    }

    static Tensor mul(Tensor x, Tensor y) {
        return binary(BinaryOp.MUL, x, y, "Mul", savesCrossed(x, y), (g, out, in) -> new Tensor[] {
            in[0].requiresGrad() ? unbroadcast(g.mul(in[1]), in[0].data().shape()) : null,
            in[1].requiresGrad() ? unbroadcast(g.mul(in[0]), in[1].data().shape()) : null});
    }

    static Tensor div(Tensor x, Tensor y) {
        return binary(BinaryOp.DIV, x, y, "Div", divSaves(x, y), (g, out, in) -> new Tensor[] {
            in[0].requiresGrad() ? unbroadcast(g.div(in[1]), in[0].data().shape()) : null,
            in[1].requiresGrad()
                    ? unbroadcast(g.neg().mul(in[0]).div(in[1].mul(in[1])), in[1].data().shape()) : null});
    }

    static Tensor pow(Tensor x, Tensor y) {
        return binary(BinaryOp.POW, x, y, "Pow", SAVES_IN0 | SAVES_IN1, true, (g, out, in) -> {
            Tensor a = in[0];
            Tensor b = in[1];
            Tensor ga = null;
            Tensor gb = null;
            if (a.requiresGrad()) {
                Tensor d = b.mul(a.pow(b.sub(1.0)));
                ga = unbroadcast(g.mul(maskZeroExponent(d, b)), a.data().shape());
            }
            if (b.requiresGrad()) {
                Tensor d = a.pow(b).mul(a.log());
                Tensor zeroBase = a.eq(0.0).mul(b.ge(0.0));
                d = where(zeroBase, a.zerosLike(), d);
                gb = unbroadcast(g.mul(d), b.data().shape());
            }
            return new Tensor[] {ga, gb};
        });
    }

    /** Returns {@code d} with 0 where the exponent is 0: d/dx x^0 = 0, also at x = 0 where 0 · x^-1 is NaN. */
    private static Tensor maskZeroExponent(Tensor d, Tensor b) {
        return where(b.eq(0.0), d.zerosLike(), d);
    }

    static Tensor pow(Tensor x, double exponent) {
        if (!x.dtype().isFloatingPoint()) {
            x = x.to(x.engine().dtype());
        }
        BackendArray values = x.backend().binary(BinaryOp.POW, x.data(), x.constant(exponent).data());
        if (Double.isNaN(exponent) || Double.isInfinite(exponent)) {
            values = powUnitBase(x.backend(), x.data(), x.constant(exponent).data(), values);
        }
        return record(x.engine(), values, "Pow", SAVES_IN0, (g, out, in) -> new Tensor[] {
            exponent == 0.0 ? g.zerosLike() : g.mul(in[0].pow(exponent - 1.0).mul(exponent))}, x);
    }

    static Tensor maximum(Tensor x, Tensor y) {
        return binary(BinaryOp.MAXIMUM, x, y, "Maximum", SAVES_IN0 | SAVES_IN1,
                (g, out, in) -> tieSplit(g, in[0].lt(in[1]), in[0].gt(in[1]), in[0], in[1]));
    }

    static Tensor minimum(Tensor x, Tensor y) {
        return binary(BinaryOp.MINIMUM, x, y, "Minimum", SAVES_IN0 | SAVES_IN1,
                (g, out, in) -> tieSplit(g, in[0].gt(in[1]), in[0].lt(in[1]), in[0], in[1]));
    }

    /**
     * Returns the gradients of maximum/minimum as PyTorch's rule states them: each input gets the whole
     * gradient unless it loses ({@code aLoses}, {@code bLoses}), half where they tie. Where either is
     * NaN neither loses (every comparison is false), so both get the whole gradient, as in PyTorch.
     */
    private static Tensor[] tieSplit(Tensor g, Tensor aLoses, Tensor bLoses, Tensor a, Tensor b) {
        Tensor half = a.eq(b).mul(0.5).rsub(1.0);
        return new Tensor[] {
            a.requiresGrad() ? unbroadcast(g.mul(half.sub(aLoses)), a.data().shape()) : null,
            b.requiresGrad() ? unbroadcast(g.mul(half.sub(bLoses)), b.data().shape()) : null};
    }

    /** Returns the 0/1 result of a comparison, in the promoted dtype, never recorded. */
    static Tensor compare(BinaryOp op, Tensor x, Tensor y, String name) {
        return binary(op, x, y, name, SAVES_NONE, null);
    }

    /**
     * Returns {@code values} (the POW kernel's result, which it closes) with C99's and IEEE 754's
     * {@code pow(1, y) = 1} for every {@code y}, NaN included, and {@code pow(-1, ±inf) = 1}, as PyTorch
     * gives; Java's {@code Math.pow} (and so a kernel built on it) gives NaN for both.
     */
    private static BackendArray powUnitBase(Backend be, BackendArray base, BackendArray exponent, BackendArray values) {
        BackendArray one = be.full(Shapes.scalar(), 1.0, values.dtype());
        BackendArray isOne = be.binary(BinaryOp.EQUAL, base, one);
        BackendArray absBase = be.unary(UnaryOp.ABS, base);
        BackendArray unitAbs = be.binary(BinaryOp.EQUAL, absBase, one);
        BackendArray absExp = be.unary(UnaryOp.ABS, exponent);
        BackendArray inf = be.full(Shapes.scalar(), Double.POSITIVE_INFINITY, values.dtype());
        BackendArray infExp = be.binary(BinaryOp.EQUAL, absExp, inf);
        BackendArray minusOneInf = be.binary(BinaryOp.MUL, unitAbs, infExp);
        BackendArray patch = be.binary(BinaryOp.MAXIMUM, isOne, minusOneInf);
        BackendArray out = be.where(patch, one, values);
        for (BackendArray a : new BackendArray[] {isOne, absBase, unitAbs, absExp, inf, infExp, minusOneInf, patch,
            values, one}) {
            a.close();
        }
        return out;
    }

    /** Div's saves: {@code in[1]} for either gradient, {@code in[0]} for the divisor's (PyTorch's). */
    private static int divSaves(Tensor x, Tensor y) {
        return x.requiresGrad || y.requiresGrad ? SAVES_IN1 | (y.requiresGrad ? SAVES_IN0 : 0) : SAVES_NONE;
    }

    /**
     * Checks and promotes the operands, runs the kernel and records {@code rule} (none when null),
     * which saves what {@code saves} declares ({@link Autograd#record}).
     */
    private static Tensor binary(BinaryOp op, Tensor x, Tensor y, String name, int saves, Autograd.Rule rule) {
        return binary(op, x, y, name, saves, false, rule);
    }

    /** As {@link #binary(BinaryOp, Tensor, Tensor, String, int, Autograd.Rule)}, with pow's unit-base fix when {@code unitBase}. */
    private static Tensor binary(BinaryOp op, Tensor x, Tensor y, String name, int saves, boolean unitBase,
            Autograd.Rule rule) {
        x.checkSameBackend(y, name);
        Tensor.broadcastShape(x, y, name);
        DType common = DType.promote(x.dtype(), y.dtype());
        if (common == DType.INT64 && (op == BinaryOp.DIV || op == BinaryOp.POW)) {
            // PyTorch's true division and integer pow promote to the default float dtype (here the engine's).
            common = x.engine().dtype();
        }
        Tensor a = x.to(common);
        Tensor b = y.to(common);
        BackendArray values = x.backend().binary(op, a.data(), b.data());
        if (unitBase) {
            values = powUnitBase(x.backend(), a.data(), b.data(), values);
        }
        if (rule == null) {
            return new Tensor(values, x.engine());
        }
        return record(x.engine(), values, name, saves, rule, a, b);
    }

    static Tensor where(Tensor condition, Tensor a, Tensor b) {
        a.checkSameBackend(b, "where");
        a.checkSameBackend(condition, "where");
        int[] ab = Tensor.broadcastShape(a, b, "where");
        if (Shapes.broadcast(ab, condition.data().shape()) == null) {
            throw new IllegalArgumentException("where: condition shape " + Shapes.toString(condition.data().shape())
                    + " cannot be broadcast with " + Shapes.toString(ab));
        }
        DType common = DType.promote(a.dtype(), b.dtype());
        Tensor x = a.to(common);
        Tensor y = b.to(common);
        // The condition is saved (PyTorch's where saves it) as a third input that gets no gradient; one
        // that requires a gradient is detached (copied) so that it cannot make the result require one.
        Tensor c = condition.dtype() == x.dtype() && !condition.requiresGrad ? condition
                : condition.dtype().isFloatingPoint() && !x.dtype().isFloatingPoint()
                        ? condition.detach().ne(0.0).to(x.dtype()) // 0.5 stays true when cast to int64
                        : condition.detach().to(x.dtype());
        BackendArray values = x.backend().where(c.data(), x.data(), y.data());
        return record(x.engine(), values, "Where", SAVES_IN2, (g, out, in) -> {
            Tensor zero = g.zerosLike();
            return new Tensor[] {
                in[0].requiresGrad() ? unbroadcast(where(c, g, zero), in[0].data().shape()) : null,
                in[1].requiresGrad() ? unbroadcast(where(c, zero, g), in[1].data().shape()) : null};
        }, x, y, c);
    }

    // ================================================================ unary

    private static Tensor unary(UnaryOp op, Tensor x, String name, int saves, Autograd.Rule rule) {
        if (!x.dtype().isFloatingPoint() && op != UnaryOp.NEG && op != UnaryOp.ABS && op != UnaryOp.SIGN) {
            // exp, log, sqrt, tanh of an int64 tensor are float in PyTorch (the default float dtype).
            x = x.to(x.engine().dtype());
        }
        return record(x.engine(), x.backend().unary(op, x.data()), name, saves, rule, x);
    }

    static Tensor neg(Tensor x) {
        return unary(UnaryOp.NEG, x, "Neg", SAVES_NONE, (g, out, in) -> new Tensor[] {g.neg()});
    }

    static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, x, "Exp", SAVES_OUTPUT, (g, out, in) -> new Tensor[] {g.mul(out)});
    }

    static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, x, "Log", SAVES_IN0, (g, out, in) -> new Tensor[] {g.div(in[0])});
    }

    static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, x, "Sqrt", SAVES_OUTPUT, (g, out, in) -> new Tensor[] {g.div(out.mul(2.0))});
    }

    static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, x, "Abs", SAVES_IN0, (g, out, in) -> new Tensor[] {g.mul(in[0].sign())});
    }

    static Tensor sign(Tensor x) {
        return unary(UnaryOp.SIGN, x, "Sign", SAVES_NONE, (g, out, in) -> new Tensor[] {g.zerosLike()});
    }

    static Tensor tanh(Tensor x) {
        return unary(UnaryOp.TANH, x, "Tanh", SAVES_OUTPUT, (g, out, in) -> new Tensor[] {g.mul(out.mul(out).rsub(1.0))});
    }

    /**
     * relu, through the backend's {@link ActivationKernels} when it has them (one native pass each way,
     * the backward from the result as PyTorch's {@code ReluBackward0}), else {@code maximum(x, 0)} with
     * the gradient {@code g · (out ≠ 0)}. Both save the result, so changing it in place before
     * {@code backward()} is the usual version error, as in PyTorch.
     */
    static Tensor relu(Tensor x) {
        // relu saves its result, as PyTorch does: threshold_backward(grad, result, 0) masks the gradient where
        // the result is 0 (x <= 0, so relu'(0) = 0) and passes it where it is not (x > 0, and NaN, whose result
        // is NaN, so relu'(NaN) = 1). Changing the result in place makes backward() fail; changing x does not.
        Optional<ActivationKernels> fast = CompositePath.isActive() || !x.dtype().isFloatingPoint() ? Optional.empty()
                : x.backend().activationKernels();
        if (fast.isEmpty()) {
            BackendArray values = x.backend().binary(BinaryOp.MAXIMUM, x.data(), x.constant(0.0).data());
            return record(x.engine(), values, "Relu", SAVES_OUTPUT, (g, out, in) -> new Tensor[] {reluGradient(g, out)},
                    x);
        }
        ActivationKernels k = fast.get();
        BackendArray values = Autograd.isGradEnabled() && x.requiresGrad() ? k.reluForBackward(x.data())
                : k.relu(x.data());
        return record(x.engine(), values, "Relu", SAVES_OUTPUT, (g, out, in) -> new Tensor[] {
            new Tensor(k.reluBackward(g.data(), out.data()), g.engine())}, x);
    }

    /** PyTorch's threshold_backward on relu's result: one mask, {@code out != 0}. */
    private static Tensor reluGradient(Tensor g, Tensor out) {
        return g.mul(out.ne(0.0));
    }

    static Tensor sigmoid(Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            x = x.to(x.engine().dtype());
        }
        Backend be = x.backend();
        BackendArray negated = be.unary(UnaryOp.NEG, x.data());
        BackendArray exp = be.unary(UnaryOp.EXP, negated);
        negated.close();
        BackendArray one = be.full(Shapes.scalar(), 1.0, x.dtype());
        BackendArray denominator = be.binary(BinaryOp.ADD, exp, one);
        exp.close();
        BackendArray values = be.binary(BinaryOp.DIV, one, denominator);
        one.close();
        denominator.close();
        return record(x.engine(), values, "Sigmoid", SAVES_OUTPUT, (g, s, in) -> new Tensor[] {g.mul(s.mul(s.rsub(1.0)))}, x);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        if (!x.dtype().isFloatingPoint() && (min != Math.rint(min) || max != Math.rint(max))) {
            x = x.to(x.engine().dtype());
        }
        BackendArray lo = x.backend().binary(BinaryOp.MAXIMUM, x.data(), x.constant(min).data());
        BackendArray values = x.backend().binary(BinaryOp.MINIMUM, lo, x.constant(max).data());
        lo.close();
        return record(x.engine(), values, "Clamp", SAVES_IN0,
                (g, out, in) -> new Tensor[] {g.mul(in[0].ge(min).mul(in[0].le(max)))}, x);
    }
}
