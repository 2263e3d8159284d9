package io.polygrad.spi;

/** The elementwise unary primitives every backend implements; the result keeps the input dtype. */
public enum UnaryOp {
    /** {@code -x} */
    NEG,
    /** {@code e^x} */
    EXP,
    /** natural logarithm; {@code log(0) = -inf}, {@code log(x<0) = NaN} */
    LOG,
    /** square root; {@code sqrt(x<0) = NaN} */
    SQRT,
    /** {@code |x|} */
    ABS,
    /** {@code -1, 0, +1}; {@code sign(0) = 0}, {@code sign(NaN) = NaN} */
    SIGN,
    /** hyperbolic tangent */
    TANH
}
