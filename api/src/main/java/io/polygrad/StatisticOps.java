package io.polygrad;

import static io.polygrad.Autograd.SAVES_IN0;
import static io.polygrad.Autograd.SAVES_NONE;
import static io.polygrad.Autograd.SAVES_OUTPUT;
import static io.polygrad.Autograd.record;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;

/**
 * The reductions and scans added for porting PyTorch code (issue 14): {@code prod}, {@code var} and
 * {@code std} with a {@code correction}, the vector {@code norm} of any order, and {@code cumsum}, each
 * forward followed by PyTorch's backward rule ({@code prod_backward}, {@code var_backward},
 * {@code std_backward}, {@code norm_backward}, {@code cumsum_backward}). ({@code min} is in
 * {@link ReductionOps}, next to {@code max}.)
 */
final class StatisticOps {

    private StatisticOps() {
    }

    /** Returns the number of elements over the (normalised) {@code axes} of {@code shape}. */
    private static long count(int[] shape, int[] axes) {
        long n = 1;
        for (int a : axes) {
            n *= shape[a];
        }
        return n;
    }

    /** Returns {@code g} reshaped to keep-dims form when the reduction dropped axes that are not leading. */
    private static Tensor kept(Tensor g, int[] shape, int[] axes, boolean keepDims) {
        return keepDims ? g : g.reshape(Shapes.reduced(shape, axes, true));
    }

    // ================================================================ prod

    static Tensor prod(Tensor x, int[] axes, boolean keepDims) {
        int[] shape = x.data().shape();
        int[] norm = ReductionOps.normalizeAxes(axes, shape.length, "prod");
        BackendArray values = x.backend().reduce(ReduceOp.PROD, x.data(), norm, keepDims);
        return record(x.engine(), values, "Prod", SAVES_IN0 | SAVES_OUTPUT, (g, out, in) -> {
            if (norm.length == 0) {
                return new Tensor[] {g};
            }
            // d prod / d x_i is the product of the others: out / x_i when the slice has no zero; with
            // one zero, the product of the non-zeros at the zero and 0 elsewhere; with two or more, 0.
            Tensor a = in[0];
            Tensor gk = kept(g, shape, norm, keepDims);
            Tensor ok = kept(out, shape, norm, keepDims);
            Tensor isZero = a.eq(0.0);
            Tensor zeros = isZero.sum(norm, true);
            Tensor others = ok.div(a);
            Tensor nonZeroProd = Tensor.where(isZero, a.onesLike(), a).prod(norm, true);
            Tensor oneZero = Tensor.where(isZero, nonZeroProd.broadcastTo(shape), a.zerosLike());
            Tensor d = Tensor.where(zeros.eq(0.0), others, Tensor.where(zeros.eq(1.0), oneZero, a.zerosLike()));
            return new Tensor[] {gk.mul(d)};
        }, x);
    }

    // ================================================================ var and std

    static Tensor var(Tensor x, int[] axes, double correction, boolean keepDims) {
        return moments(x, axes, correction, keepDims, false);
    }

    static Tensor std(Tensor x, int[] axes, double correction, boolean keepDims) {
        return moments(x, axes, correction, keepDims, true);
    }

    /**
     * Returns the variance {@code Σ(x - mean)² / max(0, n - correction)} over {@code axes} (its square
     * root with {@code sqrt}), as PyTorch's {@code var}/{@code std}: {@code n <= correction} divides by 0,
     * giving inf (NaN where every element equals the mean). The gradient is PyTorch's
     * {@code (2 / (n - correction)) · g · (x - mean)}, for std with {@code g / (2·std)}, 0 where the
     * std is 0.
     */
    private static Tensor moments(Tensor x, int[] axes, double correction, boolean keepDims, boolean sqrt) {
        String name = sqrt ? "std" : "var";
        if (!Double.isFinite(correction)) {
            throw new IllegalArgumentException(name + ": correction must be finite, got " + correction);
        }
        int[] shape = x.data().shape();
        int[] norm = ReductionOps.normalizeAxes(axes, shape.length, name);
        long n = count(shape, norm);
        double dof = n - correction;
        BackendArray values;
        try (KernelChain k = new KernelChain(x)) {
            BackendArray mean = k.reduce(ReduceOp.MEAN, x.data(), norm, true);
            BackendArray c = k.binary(BinaryOp.SUB, x.data(), mean);
            BackendArray s = k.reduce(ReduceOp.SUM, k.binary(BinaryOp.MUL, c, c), norm, keepDims);
            BackendArray v = k.binary(BinaryOp.DIV, s, Math.max(0.0, dof));
            values = k.result(sqrt ? k.unary(UnaryOp.SQRT, v) : v);
        }
        return record(x.engine(), values, sqrt ? "Std" : "Var", SAVES_IN0 | (sqrt ? SAVES_OUTPUT : 0),
                (g, out, in) -> {
                    Tensor gk = kept(g, shape, norm, keepDims);
                    if (sqrt) {
                        Tensor ok = kept(out, shape, norm, keepDims);
                        gk = Tensor.where(ok.eq(0.0), gk.zerosLike(), gk.div(ok.mul(2.0)));
                    }
                    Tensor centred = in[0].sub(in[0].mean(norm, true));
                    return new Tensor[] {gk.mul(2.0 / dof).mul(centred)};
                }, x);
    }

    // ================================================================ norm

    /** Returns the order {@code ord} names: "fro" is 2; fails naming any other. */
    static double order(String ord) {
        Tensor.requireArg(ord, "norm", "ord");
        if (ord.equals("fro")) {
            return 2.0;
        }
        if (ord.equals("nuc")) {
            throw new IllegalArgumentException("norm: the nuclear norm (\"nuc\") is not supported; orders are "
                    + "\"fro\" or a number (Double.POSITIVE_INFINITY and NEGATIVE_INFINITY included)");
        }
        throw new IllegalArgumentException("norm: unknown order \"" + ord + "\"; orders are \"fro\" or a number "
                + "(Double.POSITIVE_INFINITY and NEGATIVE_INFINITY included)");
    }

    /**
     * Returns the vector {@code p}-norm over {@code axes}, PyTorch's {@code linalg.vector_norm}:
     * {@code (Σ|x|^p)^(1/p)}; {@code max|x|} for {@code +inf}, {@code min|x|} for {@code -inf}, the number
     * of non-zeros for 0. The gradient is PyTorch's {@code norm_backward}: 0 where the norm is 0 (and for
     * {@code p = 0}), {@code sign(x)·g} for {@code p = 1}, shared equally among the tied extremes for
     * {@code ±inf}.
     */
    static Tensor norm(Tensor x, double p, int[] axes, boolean keepDims) {
        if (Double.isNaN(p)) {
            throw new IllegalArgumentException("norm: the order p is NaN");
        }
        int[] shape = x.data().shape();
        int[] norm = ReductionOps.normalizeAxes(axes, shape.length, "norm");
        if (Double.isInfinite(p)) {
            for (int a : norm) {
                if (shape[a] == 0) {
                    throw new IllegalArgumentException("norm: cannot take the " + (p > 0 ? "inf" : "-inf")
                            + "-norm over axis " + a + " of size 0 in shape " + Shapes.toString(shape));
                }
            }
        }
        BackendArray values;
        try (KernelChain k = new KernelChain(x)) {
            BackendArray abs = k.unary(UnaryOp.ABS, x.data());
            BackendArray r;
            if (p == Double.POSITIVE_INFINITY || p == Double.NEGATIVE_INFINITY) {
                r = k.reduce(p > 0 ? ReduceOp.MAX : ReduceOp.MIN, abs, norm, keepDims);
            } else if (p == 0.0) {
                r = k.reduce(ReduceOp.SUM, k.binary(BinaryOp.NOT_EQUAL, x.data(), 0.0), norm, keepDims);
            } else if (p == 1.0) {
                r = k.reduce(ReduceOp.SUM, abs, norm, keepDims);
            } else if (p == 2.0) {
                r = k.unary(UnaryOp.SQRT, k.reduce(ReduceOp.SUM, k.binary(BinaryOp.MUL, x.data(), x.data()), norm,
                        keepDims));
            } else {
                BackendArray s = k.reduce(ReduceOp.SUM, k.binary(BinaryOp.POW, abs, p), norm, keepDims);
                r = k.binary(BinaryOp.POW, s, 1.0 / p);
            }
            values = k.result(r);
        }
        return record(x.engine(), values, "Norm", SAVES_IN0 | SAVES_OUTPUT, (g, out, in) -> {
            Tensor a = in[0];
            if (p == 0.0) {
                return new Tensor[] {a.zerosLike()};
            }
            Tensor gk = kept(g, shape, norm, keepDims);
            Tensor nk = kept(out, shape, norm, keepDims);
            if (p == 1.0) {
                return new Tensor[] {a.sign().mul(gk)};
            }
            if (Double.isInfinite(p)) {
                Tensor abs = a.abs();
                Tensor mask = abs.eq(nk).maximum(abs.ne(abs));
                return new Tensor[] {a.sign().mul(gk.div(mask.sum(norm, true)).mul(mask))};
            }
            if (p < 1.0) {
                Tensor scaled = a.sign().mul(Tensor.where(a.eq(0.0), a.zerosLike(), a.abs().pow(p - 1.0)));
                return new Tensor[] {scaled.mul(gk).mul(nk.pow(1.0 - p))};
            }
            Tensor scale = Tensor.where(nk.eq(0.0), gk.zerosLike(), p == 2.0 ? gk.div(nk) : gk.div(nk.pow(p - 1.0)));
            if (p == 2.0) {
                return new Tensor[] {a.mul(scale)};
            }
            Tensor scaled = p < 2.0 ? a.sign().mul(a.abs().pow(p - 1.0)) : a.mul(a.abs().pow(p - 2.0));
            return new Tensor[] {scaled.mul(scale)};
        }, x);
    }

    // ================================================================ cumsum

    /**
     * Returns the cumulative sum along {@code axis} (from the end with {@code reverse}); the gradient is
     * the cumulative sum the other way, PyTorch's {@code cumsum_backward}.
     */
    static Tensor cumsum(Tensor x, int axis, boolean reverse) {
        int[] shape = x.data().shape();
        if (shape.length == 0) {
            Tensor.normalizeAxis(axis, 1, "cumsum");
            return x.reshape(1).cumsum(0).reshape();
        }
        int ax = Tensor.normalizeAxis(axis, shape.length, "cumsum");
        BackendArray values = x.backend().cumsum(x.data(), ax, reverse);
        return record(x.engine(), values, reverse ? "ReverseCumsum" : "Cumsum", SAVES_NONE,
                (g, out, in) -> new Tensor[] {cumsum(g, ax, !reverse)}, x);
    }
}
