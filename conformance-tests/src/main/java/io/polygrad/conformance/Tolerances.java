package io.polygrad.conformance;

import io.polygrad.DType;

/**
 * Returns the tolerances of the whole suite, stated once. They start from PyTorch's
 * ({@code torch.testing.assert_close} defaults and {@code torch.autograd.gradcheck}); they are never
 * widened to make a backend pass: a failure reports the measured difference instead.
 *
 * <p>A value {@code actual} matches {@code expected} when
 * {@code |actual - expected| <= atol + rtol * |expected|}.
 *
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 */
public record Tolerances(double rtol, double atol) {

    /** float32 comparisons: PyTorch's rtol 1.3e-6, atol 1e-5. */
    public static final Tolerances FLOAT32 = new Tolerances(1.3e-6, 1e-5);

    /** float64 comparisons: PyTorch's rtol 1e-7, atol 1e-7. */
    public static final Tolerances FLOAT64 = new Tolerances(1e-7, 1e-7);

    /** Gradient versus central finite differences in float64, as torch.autograd.gradcheck. */
    public static final Tolerances GRADCHECK = new Tolerances(1e-3, 1e-5);

    /**
     * float32 results of a chain of up to {@value #CHAIN_LENGTH} ops (differential testing): each op
     * may round once, so the relative tolerance is {@value #CHAIN_LENGTH} times float32's.
     */
    public static final Tolerances FLOAT32_CHAIN = new Tolerances(8 * 1.3e-6, 1e-5);

    /** The longest random program of the differential tests. */
    public static final int CHAIN_LENGTH = 8;

    /** The finite-difference step of gradcheck. */
    public static final double GRADCHECK_EPS = 1e-6;

    /** Returns the tolerance for comparing values of {@code dtype}. */
    public static Tolerances forDType(DType dtype) {
        return dtype == DType.FLOAT32 ? FLOAT32 : FLOAT64;
    }

    /** Returns whether {@code actual} matches {@code expected}; NaN matches NaN and infinities must be equal. */
    public boolean matches(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }
}
