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
    TANH,

    // ---- added for the PyTorch-porting ops (issue 14): accurate kernels, not composites

    /** {@code log(1 + x)}, accurate for small {@code |x|}; {@code log1p(-1) = -inf}, {@code log1p(x<-1) = NaN} */
    LOG1P,
    /** {@code e^x - 1}, accurate for small {@code |x|}; {@code expm1(-inf) = -1} */
    EXPM1,
    /** sine (radians); {@code sin(±inf) = NaN} */
    SIN,
    /** cosine (radians); {@code cos(±inf) = NaN} */
    COS,
    /** the error function {@code 2/sqrt(pi) * integral of e^-t^2 from 0 to x}; {@code erf(±inf) = ±1} */
    ERF
}
