package io.polygrad;

import static io.polygrad.Autograd.SAVES_IN0;
import static io.polygrad.Autograd.SAVES_OUTPUT;
import static io.polygrad.Autograd.record;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.UnaryOp;

/**
 * The elementwise functions added for porting PyTorch code (issue 14): {@code log1p}, {@code expm1},
 * {@code sin}, {@code cos} and {@code erf} (backend primitives), the activations {@code leaky_relu},
 * {@code gelu} (exact and tanh), {@code silu}, {@code elu} and {@code logsigmoid}, and the one-sided
 * clamps. Each forward runs in backend kernels and records one node whose backward rule is
 * PyTorch's formula from {@code derivatives.yaml} (so NaN and infinities behave as PyTorch's, which
 * the chain rule through {@code where} would not: the unselected branch's infinite derivative times
 * a zero gradient would give NaN).
 */
final class ActivationOps {

    /** {@code 1/sqrt(2)}, C's {@code M_SQRT1_2}. */
    private static final double SQRT1_2 = 0.70710678118654752440;
    /** {@code 2/sqrt(pi)}, C's {@code M_2_SQRTPI}. */
    private static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;
    /** {@code sqrt(2/pi)}, PyTorch's {@code kBeta} of the tanh GELU ({@code M_SQRT2 * M_2_SQRTPI * 0.5}). */
    private static final double GELU_BETA = Math.sqrt(2.0) * TWO_OVER_SQRT_PI * 0.5;
    /** PyTorch's {@code kKappa} of the tanh GELU. */
    private static final double GELU_KAPPA = 0.044715;

    private ActivationOps() {
    }

    private static Tensor unary(UnaryOp op, Tensor x, String name, int saves, Autograd.Rule rule) {
        return record(x.engine(), x.backend().unary(op, x.data()), name, saves, rule, x);
    }

    // ================================================================ primitives

    static Tensor log1p(Tensor x) {
        return unary(UnaryOp.LOG1P, x, "Log1p", SAVES_IN0, (g, out, in) -> new Tensor[] {g.div(in[0].add(1.0))});
    }

    static Tensor expm1(Tensor x) {
        return unary(UnaryOp.EXPM1, x, "Expm1", SAVES_OUTPUT, (g, out, in) -> new Tensor[] {g.mul(out.add(1.0))});
    }

    static Tensor sin(Tensor x) {
        return unary(UnaryOp.SIN, x, "Sin", SAVES_IN0, (g, out, in) -> new Tensor[] {g.mul(in[0].cos())});
    }

    static Tensor cos(Tensor x) {
        return unary(UnaryOp.COS, x, "Cos", SAVES_IN0, (g, out, in) -> new Tensor[] {g.mul(in[0].sin().neg())});
    }

    static Tensor erf(Tensor x) {
        return unary(UnaryOp.ERF, x, "Erf", SAVES_IN0, (g, out, in) -> new Tensor[] {
            g.mul(in[0].square().neg().exp().mul(TWO_OVER_SQRT_PI))});
    }

    // ================================================================ activations

    static Tensor leakyRelu(Tensor x, double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("leakyRelu: negativeSlope must be finite, got " + slope);
        }
        try (KernelChain k = new KernelChain(x)) {
            BackendArray positive = k.binary(BinaryOp.GREATER, x.data(), 0.0);
            BackendArray y = k.where(positive, x.data(), k.binary(BinaryOp.MUL, x.data(), slope));
            // PyTorch's leaky_relu_backward: grad where x > 0, grad * slope elsewhere (0 and NaN included).
            return record(x.engine(), k.result(y), "LeakyRelu", SAVES_IN0,
                    (g, out, in) -> new Tensor[] {Tensor.where(in[0].gt(0.0), g, g.mul(slope))}, x);
        }
    }

    static Tensor gelu(Tensor x, String approximate) {
        Tensor.requireArg(approximate, "gelu", "approximate");
        if (approximate.equals("none")) {
            try (KernelChain k = new KernelChain(x)) {
                // x * 0.5 * (1 + erf(x / sqrt 2)), PyTorch's GeluKernel
                BackendArray erf = k.unary(UnaryOp.ERF, k.binary(BinaryOp.MUL, x.data(), SQRT1_2));
                BackendArray cdf = k.binary(BinaryOp.MUL, k.binary(BinaryOp.ADD, erf, 1.0), 0.5);
                BackendArray y = k.binary(BinaryOp.MUL, x.data(), cdf);
                return record(x.engine(), k.result(y), "Gelu", SAVES_IN0, (g, out, in) -> {
                    Tensor a = in[0];
                    Tensor c = a.mul(SQRT1_2).erf().add(1.0).mul(0.5);
                    Tensor pdf = a.square().mul(-0.5).exp().mul(TWO_OVER_SQRT_PI * SQRT1_2 * 0.5);
                    return new Tensor[] {g.mul(c.add(a.mul(pdf)))};
                }, x);
            }
        }
        if (approximate.equals("tanh")) {
            try (KernelChain k = new KernelChain(x)) {
                // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x³)))
                BackendArray cube = k.binary(BinaryOp.MUL, k.binary(BinaryOp.MUL, x.data(), x.data()), x.data());
                BackendArray inner = k.binary(BinaryOp.MUL,
                        k.binary(BinaryOp.ADD, x.data(), k.binary(BinaryOp.MUL, cube, GELU_KAPPA)), GELU_BETA);
                BackendArray right = k.binary(BinaryOp.ADD, k.unary(UnaryOp.TANH, inner), 1.0);
                BackendArray y = k.binary(BinaryOp.MUL, k.binary(BinaryOp.MUL, x.data(), 0.5), right);
                return record(x.engine(), k.result(y), "Gelu", SAVES_IN0, (g, out, in) -> {
                    // PyTorch's GeluBackwardKernel with approximate='tanh'
                    Tensor a = in[0];
                    Tensor sq = a.square();
                    Tensor t = a.add(sq.mul(a).mul(GELU_KAPPA)).mul(GELU_BETA).tanh();
                    Tensor leftDerivative = t.add(1.0).mul(0.5);
                    Tensor innerDerivative = sq.mul(3.0 * GELU_KAPPA).add(1.0).mul(GELU_BETA);
                    Tensor rightDerivative = a.mul(0.5).mul(t.square().rsub(1.0)).mul(innerDerivative);
                    return new Tensor[] {g.mul(leftDerivative.add(rightDerivative))};
                }, x);
            }
        }
        throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate
                + "\"");
    }

    static Tensor silu(Tensor x) {
        try (KernelChain k = new KernelChain(x)) {
            // x / (1 + e^-x), PyTorch's silu kernel
            BackendArray denominator = k.binary(BinaryOp.ADD, k.unary(UnaryOp.EXP, k.unary(UnaryOp.NEG, x.data())), 1.0);
            BackendArray y = k.binary(BinaryOp.DIV, x.data(), denominator);
            return record(x.engine(), k.result(y), "Silu", SAVES_IN0, (g, out, in) -> {
                Tensor s = in[0].sigmoid();
                return new Tensor[] {g.mul(s.mul(in[0].mul(s.rsub(1.0)).add(1.0)))};
            }, x);
        }
    }

    static Tensor elu(Tensor x, double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("elu: alpha must be finite, got " + alpha);
        }
        try (KernelChain k = new KernelChain(x)) {
            // x <= 0 ? alpha * expm1(x) : x (NaN stays NaN), PyTorch's elu kernel
            BackendArray negative = k.binary(BinaryOp.LESS_EQUAL, x.data(), 0.0);
            BackendArray curve = k.binary(BinaryOp.MUL, k.unary(UnaryOp.EXPM1, x.data()), alpha);
            BackendArray y = k.where(negative, curve, x.data());
            return record(x.engine(), k.result(y), "Elu", SAVES_IN0, (g, out, in) -> new Tensor[] {
                Tensor.where(in[0].le(0.0), g.mul(in[0].exp().mul(alpha)), g)}, x);
        }
    }

    static Tensor logSigmoid(Tensor x) {
        try (KernelChain k = new KernelChain(x)) {
            // min(x, 0) - log1p(e^-|x|): never overflows
            BackendArray z = k.unary(UnaryOp.EXP, k.unary(UnaryOp.NEG, k.unary(UnaryOp.ABS, x.data())));
            BackendArray y = k.binary(BinaryOp.SUB, k.binary(BinaryOp.MINIMUM, x.data(), 0.0),
                    k.unary(UnaryOp.LOG1P, z));
            return record(x.engine(), k.result(y), "LogSigmoid", SAVES_IN0, (g, out, in) -> {
                // PyTorch's log_sigmoid_backward: (x < 0 ? 1 : 0) - (x < 0 ? 1 : -1) * z / (1 + z)
                Tensor e = in[0].abs().neg().exp();
                Tensor ratio = e.div(e.add(1.0));
                return new Tensor[] {g.mul(Tensor.where(in[0].lt(0.0), ratio.rsub(1.0), ratio))};
            }, x);
        }
    }

    static Tensor clampMin(Tensor x, double min) {
        BackendArray values = x.backend().binary(BinaryOp.MAXIMUM, x.data(), x.constant(min).data());
        return record(x.engine(), values, "ClampMin", SAVES_IN0, (g, out, in) -> new Tensor[] {g.mul(in[0].ge(min))},
                x);
    }

    static Tensor clampMax(Tensor x, double max) {
        BackendArray values = x.backend().binary(BinaryOp.MINIMUM, x.data(), x.constant(max).data());
        return record(x.engine(), values, "ClampMax", SAVES_IN0, (g, out, in) -> new Tensor[] {g.mul(in[0].le(max))},
                x);
    }
}
