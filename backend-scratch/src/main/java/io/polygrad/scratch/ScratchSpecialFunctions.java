package io.polygrad.scratch;

import io.polygrad.spi.UnaryOp;

/**
 * The unary kernels added for the PyTorch-porting ops (issue 14): {@code log1p}, {@code expm1},
 * {@code sin} and {@code cos} through {@link Math} (within 1 ulp), and {@code erf} by W. J. Cody's
 * rational Chebyshev approximations. Float inputs are computed in double and rounded once, as the
 * other scratch kernels do.
 */
final class ScratchSpecialFunctions {

    private ScratchSpecialFunctions() {
    }

    static float[] unary(UnaryOp op, float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) apply(op, a[i]);
        }
        return out;
    }

    static double[] unary(UnaryOp op, double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = apply(op, a[i]);
        }
        return out;
    }

    private static double apply(UnaryOp op, double x) {
        switch (op) {
            case LOG1P: return Math.log1p(x);
            case EXPM1: return Math.expm1(x);
            case SIN: return Math.sin(x);
            case COS: return Math.cos(x);
            case ERF: return erf(x);
            default: throw new UnsupportedOperationException("scratch: unary op " + op);
        }
    }

    // Coefficients of W. J. Cody, "Rational Chebyshev approximations for the error function",
    // Math. Comp. 23 (1969) 631-638, as in his SPECFUN routine CALERF (netlib.org/specfun/erf,
    // public domain), which approximate erf and erfc to at least 18 significant digits.
    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
        3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
        2.84423683343917062e03};
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
        2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03,
        1.23033935479799725e03, 2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
        1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03,
        1.23033935480374942e03};
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
        1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
        6.05183413124413191e-2, 2.33520497626869185e-3};
    private static final double SQRPI = 5.6418958354775628695e-1; // 1 / sqrt(pi)
    private static final double THRESH = 0.46875;
    private static final double XSMALL = 1.11e-16;
    private static final double XBIG = 26.543;

    /**
     * Returns the error function of {@code x} by Cody's CALERF (its {@code JINT = 0} branch): a
     * rational function of {@code x²} for {@code |x| <= 0.46875}, and {@code 1 - erfc(|x|)} beyond,
     * with erfc from a rational function of {@code |x|} up to 4 and of {@code 1/x²} above, its
     * {@code e^-x²} factor split in two so that it keeps full precision. {@code erf(±0) = ±0},
     * {@code erf(±inf) = ±1}, {@code erf(NaN) = NaN}.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double y = Math.abs(x);
        if (y <= THRESH) {
            double ysq = y > XSMALL ? y * y : 0.0;
            double xnum = A[4] * ysq;
            double xden = ysq;
            for (int i = 0; i < 3; i++) {
                xnum = (xnum + A[i]) * ysq;
                xden = (xden + B[i]) * ysq;
            }
            return x * (xnum + A[3]) / (xden + B[3]);
        }
        double erfc;
        if (y <= 4.0) {
            double xnum = C[8] * y;
            double xden = y;
            for (int i = 0; i < 7; i++) {
                xnum = (xnum + C[i]) * y;
                xden = (xden + D[i]) * y;
            }
            erfc = (xnum + C[7]) / (xden + D[7]);
            double ysq = ((long) (y * 16.0)) / 16.0;
            double del = (y - ysq) * (y + ysq);
            erfc = Math.exp(-ysq * ysq) * Math.exp(-del) * erfc;
        } else if (y >= XBIG) {
            erfc = 0.0;
        } else {
            double ysq = 1.0 / (y * y);
            double xnum = P[5] * ysq;
            double xden = ysq;
            for (int i = 0; i < 4; i++) {
                xnum = (xnum + P[i]) * ysq;
                xden = (xden + Q[i]) * ysq;
            }
            erfc = ysq * (xnum + P[4]) / (xden + Q[4]);
            erfc = (SQRPI - erfc) / y;
            double ysq16 = ((long) (y * 16.0)) / 16.0;
            double del = (y - ysq16) * (y + ysq16);
            erfc = Math.exp(-ysq16 * ysq16) * Math.exp(-del) * erfc;
        }
        double r = (0.5 - erfc) + 0.5;
        return x < 0 ? -r : r;
    }
}
