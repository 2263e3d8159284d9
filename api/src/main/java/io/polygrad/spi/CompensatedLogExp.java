package io.polygrad.spi;

import io.polygrad.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * Accurate {@code log1p} and {@code expm1} from a backend's own {@code log}, {@code exp} and arithmetic,
 * for a library whose kernels for them are missing (DJL's JNI) or are the naive {@code log(1 + x)} and
 * {@code exp(x) - 1} (libnd4j 1.0.0-M2.1, 8e-8 relative error at {@code x = 1e-10}, all digits lost at
 * {@code 1e-16}, in float64 too).
 *
 * <p>W. Kahan's compensated formulas (D. Goldberg, "What every computer scientist should know about
 * floating-point arithmetic", ACM Computing Surveys 23, 1991, theorem 4; N. J. Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., section 1.14.1): with {@code u = 1 + x},
 * {@code log1p(x) = u == 1 ? x : log(u) · x / (u - 1)}, and with {@code u = e^x},
 * {@code expm1(x) = u == 1 ? x : u - 1 == -1 ? -1 : (u - 1) · x / log(u)}; the rounding error of
 * {@code u} cancels in the quotient, leaving a few ulps. Where {@code u} is {@code +inf} the result is
 * {@code +inf}. float32 inputs are computed in float64 and rounded once.
 */
public final class CompensatedLogExp {

    private CompensatedLogExp() {
    }

    /** Returns {@code log(1 + x)} computed on {@code backend}; a new array of {@code x}'s dtype. */
    public static BackendArray log1p(Backend backend, BackendArray x) {
        return compute(backend, x, true);
    }

    /** Returns {@code e^x - 1} computed on {@code backend}; a new array of {@code x}'s dtype. */
    public static BackendArray expm1(Backend backend, BackendArray x) {
        return compute(backend, x, false);
    }

    private static BackendArray compute(Backend be, BackendArray in, boolean log1p) {
        List<BackendArray> temps = new ArrayList<>();
        try {
            BackendArray x = in.dtype() == DType.FLOAT64 ? in : keep(temps, be.cast(in, DType.FLOAT64));
            BackendArray one = keep(temps, be.full(Shapes.scalar(), 1.0, DType.FLOAT64));
            BackendArray r;
            BackendArray u;
            if (log1p) {
                u = keep(temps, be.binary(BinaryOp.ADD, x, one));
                BackendArray um1 = keep(temps, be.binary(BinaryOp.SUB, u, one));
                BackendArray product = keep(temps, be.binary(BinaryOp.MUL, keep(temps, be.unary(UnaryOp.LOG, u)), x));
                BackendArray q = keep(temps, be.binary(BinaryOp.DIV, product, um1));
                r = keep(temps, be.where(keep(temps, be.binary(BinaryOp.EQUAL, u, one)), x, q));
            } else {
                u = keep(temps, be.unary(UnaryOp.EXP, x));
                BackendArray um1 = keep(temps, be.binary(BinaryOp.SUB, u, one));
                BackendArray product = keep(temps, be.binary(BinaryOp.MUL, um1, x));
                BackendArray q = keep(temps, be.binary(BinaryOp.DIV, product, keep(temps, be.unary(UnaryOp.LOG, u))));
                BackendArray minusOne = keep(temps, be.full(Shapes.scalar(), -1.0, DType.FLOAT64));
                BackendArray saturated = keep(temps, be.binary(BinaryOp.EQUAL, um1, minusOne));
                BackendArray r1 = keep(temps, be.where(saturated, minusOne, q));
                r = keep(temps, be.where(keep(temps, be.binary(BinaryOp.EQUAL, u, one)), x, r1));
            }
            BackendArray inf = keep(temps, be.full(Shapes.scalar(), Double.POSITIVE_INFINITY, DType.FLOAT64));
            r = keep(temps, be.where(keep(temps, be.binary(BinaryOp.EQUAL, u, inf)), inf, r));
            return be.cast(r, in.dtype());
        } finally {
            for (BackendArray t : temps) {
                t.close();
            }
        }
    }

    private static BackendArray keep(List<BackendArray> temps, BackendArray a) {
        temps.add(a);
        return a;
    }
}
