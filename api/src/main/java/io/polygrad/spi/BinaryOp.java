package io.polygrad.spi;

/**
 * The elementwise binary primitives every backend implements, with NumPy broadcasting.
 *
 * <p>Both operands reach the backend with the same dtype (api promotes first). Comparisons return
 * {@code 1.0} where the relation holds and {@code 0.0} elsewhere, in that same dtype; any comparison
 * with NaN is false except {@link #NOT_EQUAL}.
 */
public enum BinaryOp {
    /** {@code a + b} */
    ADD,
    /** {@code a - b} */
    SUB,
    /** {@code a * b} */
    MUL,
    /** {@code a / b} (IEEE: {@code x/0 = ±inf}, {@code 0/0 = NaN}) */
    DIV,
    /** {@code a ^ b}, as {@link Math#pow} */
    POW,
    /** {@code max(a, b)}; NaN if either is NaN */
    MAXIMUM,
    /** {@code min(a, b)}; NaN if either is NaN */
    MINIMUM,
    /** {@code a > b} */
    GREATER,
    /** {@code a >= b} */
    GREATER_EQUAL,
    /** {@code a < b} */
    LESS,
    /** {@code a <= b} */
    LESS_EQUAL,
    /** {@code a == b} */
    EQUAL,
    /** {@code a != b} */
    NOT_EQUAL;

    /** Returns whether this op is a comparison giving 1.0/0.0. */
    public boolean isComparison() {
        return ordinal() >= GREATER.ordinal();
    }
}
