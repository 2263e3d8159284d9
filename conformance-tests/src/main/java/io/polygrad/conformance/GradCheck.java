package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The comparison of autograd's gradients with central finite differences, in float64, like
 * {@code torch.autograd.gradcheck}.
 *
 * <p>The output is reduced to a scalar with fixed, non-uniform weights ({@code sum(out * w)}), so a
 * wrong gradient cannot hide behind a plain sum.
 */
public final class GradCheck {

    private GradCheck() {
    }

    /**
     * Checks {@code f} at {@code inputs} (float64 values with their shapes) and throws an
     * {@link AssertionError} naming the op, the input and the element when a gradient is off.
     */
    public static void check(String name, Engine engine, Function<Tensor[], Tensor> f, double[][] values,
            int[][] shapes) {
        Tensor[] leaves = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) {
            leaves[i] = OpInfo.tensor(engine, values[i], DType.FLOAT64, shapes[i]).requiresGrad(true);
        }
        Tensor out = f.apply(leaves);
        double[] weights = weights(out.numel());
        Tensor w = engine.tensor(weights, DType.FLOAT64, out.shape());
        out.mul(w).sum().backward();
        for (int i = 0; i < values.length; i++) {
            double[] analytic = leaves[i].grad() == null ? new double[values[i].length]
                    : leaves[i].grad().toDoubleArray();
            double[] numeric = numericGradient(engine, f, values, shapes, i, weights);
            Comparison c = Comparison.of(analytic, numeric, Tolerances.GRADCHECK);
            if (!c.withinTolerance()) {
                throw new AssertionError(name + ": gradient of input " + i + " (shape " + Arrays.toString(shapes[i])
                        + ") differs from finite differences at element " + c.worstIndex() + ": autograd "
                        + analytic[c.worstIndex()] + ", numeric " + numeric[c.worstIndex()] + " (" + c.describe()
                        + ", tolerance rtol " + Tolerances.GRADCHECK.rtol() + " atol " + Tolerances.GRADCHECK.atol()
                        + ")\n  autograd " + Arrays.toString(analytic) + "\n  numeric  " + Arrays.toString(numeric));
            }
        }
    }

    /** Returns {@code d sum(f(x) * w) / d x_i} by central differences. */
    static double[] numericGradient(Engine engine, Function<Tensor[], Tensor> f, double[][] values, int[][] shapes,
            int which, double[] weights) {
        double eps = Tolerances.GRADCHECK_EPS;
        double[] grad = new double[values[which].length];
        try (NoGrad ignored = NoGrad.enter()) {
            for (int e = 0; e < grad.length; e++) {
                double[][] plus = copy(values);
                double[][] minus = copy(values);
                plus[which][e] += eps;
                minus[which][e] -= eps;
                grad[e] = (weighted(engine, f, plus, shapes, weights) - weighted(engine, f, minus, shapes, weights))
                        / (2 * eps);
            }
        }
        return grad;
    }

    private static double weighted(Engine engine, Function<Tensor[], Tensor> f, double[][] values, int[][] shapes,
            double[] weights) {
        Tensor[] in = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) {
            in[i] = OpInfo.tensor(engine, values[i], DType.FLOAT64, shapes[i]);
        }
        double[] out = f.apply(in).toDoubleArray();
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += out[i] * weights[i];
        }
        return s;
    }

    /** Returns fixed weights 1.0, -0.5, 0.75, 1.25, -1.5, … so every output element counts differently. */
    static double[] weights(int n) {
        double[] w = new double[n];
        double[] cycle = {1.0, -0.5, 0.75, 1.25, -1.5, 0.3, 2.0};
        for (int i = 0; i < n; i++) {
            w[i] = cycle[i % cycle.length] + 0.01 * (i / cycle.length);
        }
        return w;
    }

    private static double[][] copy(double[][] v) {
        double[][] c = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            c[i] = v[i].clone();
        }
        return c;
    }
}
