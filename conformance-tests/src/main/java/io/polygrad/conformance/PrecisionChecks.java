package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * The check that float64 kernels really compute in double precision. The op samples use
 * float32-exact inputs, on which a kernel that rounds through float32 can stay inside float64's
 * tolerance; here the inputs (like 1/3) carry more than float32's 24 bits and results must match
 * Java's double arithmetic to {@link #RTOL}, a million times tighter than float32 rounding.
 */
public final class PrecisionChecks {

    /** Relative tolerance for float64 kernels on full-precision inputs (a few ulps of libm variation). */
    public static final double RTOL = 1e-13;

    private static final double[] X = {1.0 / 3, 0.7071067811865476, 2.0 / 7, 1.1, 0.1};
    private static final double[] Y = {0.1, 1.0 / 7, 0.3, 2.0 / 3, 1e-3 + 1.0 / 9};

    private PrecisionChecks() {
    }

    /** Returns the check {@code ops/precision/float64}: {@link #float64KeepsFullPrecision}. */
    public static Check check() {
        return Check.of("ops/precision/float64", Part.PRECISION, "precision", DType.FLOAT64,
                "float64 kernels keep double precision on full-precision inputs",
                s -> float64KeepsFullPrecision(s.backend()));
    }

    /** Throws an {@link AssertionError} naming the op if any float64 kernel loses precision. */
    public static void float64KeepsFullPrecision(BackendUnderTest backend) {
        Engine e = backend.engine(DType.FLOAT64);
        unary(backend, e, "neg", Tensor::neg, v -> -v);
        unary(backend, e, "exp", Tensor::exp, Math::exp);
        unary(backend, e, "log", Tensor::log, Math::log);
        unary(backend, e, "sqrt", Tensor::sqrt, Math::sqrt);
        unary(backend, e, "tanh", Tensor::tanh, Math::tanh);
        binary(backend, e, "add", Tensor::add, Double::sum);
        binary(backend, e, "sub", Tensor::sub, (a, b) -> a - b);
        binary(backend, e, "mul", Tensor::mul, (a, b) -> a * b);
        binary(backend, e, "div", Tensor::div, (a, b) -> a / b);
        binary(backend, e, "pow", Tensor::pow, Math::pow);
        binary(backend, e, "matmul (dot)", Tensor::matmul, null);
        Tensor sum = e.tensor(X, DType.FLOAT64).sum();
        double expected = 0;
        for (double x : X) {
            expected += x;
        }
        require(backend, "sum", new double[] {sum.item()}, new double[] {expected});
    }

    private static void unary(BackendUnderTest b, Engine e, String name, Function<Tensor, Tensor> op,
            DoubleUnaryOperator ref) {
        double[] got = op.apply(e.tensor(X, DType.FLOAT64)).toDoubleArray();
        double[] want = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            want[i] = ref.applyAsDouble(X[i]);
        }
        require(b, name, got, want);
    }

    private static void binary(BackendUnderTest b, Engine e, String name, java.util.function.BinaryOperator<Tensor> op,
            DoubleBinaryOperator ref) {
        double[] got = op.apply(e.tensor(X, DType.FLOAT64), e.tensor(Y, DType.FLOAT64)).toDoubleArray();
        double[] want;
        if (ref == null) {
            double dot = 0;
            for (int i = 0; i < X.length; i++) {
                dot += X[i] * Y[i];
            }
            want = new double[] {dot};
        } else {
            want = new double[X.length];
            for (int i = 0; i < X.length; i++) {
                want[i] = ref.applyAsDouble(X[i], Y[i]);
            }
        }
        require(b, name, got, want);
    }

    private static void require(BackendUnderTest b, String name, double[] got, double[] want) {
        Comparison c = Comparison.of(got, want, new Tolerances(RTOL, 0));
        if (!c.withinTolerance()) {
            throw new AssertionError(b.name() + " " + name + " in float64 lost precision: " + got[c.worstIndex()]
                    + " vs Java's " + want[c.worstIndex()] + " (" + c.describe() + ", tolerance rtol " + RTOL
                    + "); a float64 kernel must not compute in float32");
        }
    }
}
