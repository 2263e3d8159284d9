package io.polygrad.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import java.util.function.Function;

/**
 * Checks a scalar function's autograd gradient against central finite differences in float64, with
 * the suite's tolerances: eps 1e-6, |analytic - numeric| <= atol + rtol·|numeric| with atol 1e-5 and
 * rtol 1e-3.
 */
final class GradCheck {

    static final double EPS = 1e-6;
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-3;

    private GradCheck() {
    }

    /** Asserts that the gradient of {@code f} at {@code x} (shape {@code shape}) matches finite differences. */
    static void check(Engine engine, double[] x, int[] shape, Function<Tensor, Tensor> f) {
        Tensor input = engine.tensor(x, DType.FLOAT64, shape).requiresGrad(true);
        f.apply(input).backward();
        double[] analytic = input.grad().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += EPS;
            minus[i] -= EPS;
            double fp = f.apply(engine.tensor(plus, DType.FLOAT64, shape)).item();
            double fm = f.apply(engine.tensor(minus, DType.FLOAT64, shape)).item();
            double numeric = (fp - fm) / (2 * EPS);
            assertEquals(numeric, analytic[i], ATOL + RTOL * Math.abs(numeric),
                    "d/dx[" + i + "] at x = " + x[i]);
        }
    }
}
