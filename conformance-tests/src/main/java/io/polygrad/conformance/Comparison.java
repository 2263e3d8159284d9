package io.polygrad.conformance;

import java.util.Locale;

/**
 * The measured difference between two arrays of values and whether it is within tolerance:
 * what the suite reports instead of a bare pass/fail.
 *
 * @param maxAbs          the largest absolute difference
 * @param maxRel          the largest relative difference ({@code |a-e| / |e|}, over non-zero expected values)
 * @param worstIndex      the element where the tolerance was exceeded most (or -1 when all match)
 * @param withinTolerance whether every element matched
 * @param toleranceUsed   the largest share of the tolerance any element used,
 *                        {@code |a-e| / (atol + rtol·|e|)}: at most 1 when all match
 */
public record Comparison(double maxAbs, double maxRel, int worstIndex, boolean withinTolerance, double toleranceUsed) {

    /** Creates a comparison without a measured share of the tolerance (NaN). */
    public Comparison(double maxAbs, double maxRel, int worstIndex, boolean withinTolerance) {
        this(maxAbs, maxRel, worstIndex, withinTolerance, Double.NaN);
    }

    /** Returns whether {@code x} and {@code y} are the same double bit for bit, any NaN matching any NaN. */
    static boolean sameBits(double x, double y) {
        return Double.isNaN(x) ? Double.isNaN(y) : Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
    }

    /** Returns the comparison of two identical arrays: no difference at all. */
    public static Comparison exact() {
        return new Comparison(0, 0, -1, true, 0);
    }

    /** Returns the comparison of {@code actual} with {@code expected} under {@code tol}. */
    public static Comparison of(double[] actual, double[] expected, Tolerances tol) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + " differs from expected " + expected.length);
        }
        double maxAbs = 0;
        double maxRel = 0;
        double worstExcess = 0;
        double used = 0;
        int worst = -1;
        boolean ok = true;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i];
            double e = expected[i];
            used = Math.max(used, tol.excess(a, e));
            if (!tol.matches(a, e)) {
                ok = false;
                double excess = Double.isFinite(a - e) ? Math.abs(a - e) - (tol.atol() + tol.rtol() * Math.abs(e))
                        : Double.POSITIVE_INFINITY;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
            if (Double.isFinite(a) && Double.isFinite(e)) {
                double d = Math.abs(a - e);
                maxAbs = Math.max(maxAbs, d);
                if (e != 0) {
                    maxRel = Math.max(maxRel, d / Math.abs(e));
                }
            }
        }
        return new Comparison(maxAbs, maxRel, worst, ok, used);
    }

    /** Returns the larger of two comparisons: the larger differences, and within tolerance only if both are. */
    public Comparison merge(Comparison other) {
        double used = Double.isNaN(toleranceUsed) ? other.toleranceUsed
                : Double.isNaN(other.toleranceUsed) ? toleranceUsed : Math.max(toleranceUsed, other.toleranceUsed);
        int worst = !withinTolerance ? worstIndex : other.worstIndex;
        return new Comparison(Math.max(maxAbs, other.maxAbs), Math.max(maxRel, other.maxRel), worst,
                withinTolerance && other.withinTolerance, used);
    }

    /** Returns e.g. {@code max abs 1.2e-07, max rel 3.4e-08}. */
    public String describe() {
        return String.format(Locale.ROOT, "max abs %.3e, max rel %.3e", maxAbs, maxRel);
    }
}
