package io.polygrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * The small problem every optimizer test uses: minimise {@code f(p) = Σ p²} (gradient {@code 2p}) from
 * {@code p = [1, -2]}, three steps, each inside its own {@link TensorScope} as a training loop does (so
 * optimizer state that did not escape the scope would fail the next step).
 */
final class Steps {

    static final double[] P0 = {1.0, -2.0};

    private Steps() {
    }

    static Engine engine() {
        return BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64);
    }

    /** Returns the parameter after each of {@code steps} steps: {@code result[t][i]}. */
    static double[][] run(Function<List<Tensor>, Optimizer> make, int steps) {
        return run(engine(), make, steps);
    }

    static double[][] run(Engine engine, Function<List<Tensor>, Optimizer> make, int steps) {
        Tensor p = engine.tensor(P0).requiresGrad(true);
        Optimizer opt = make.apply(List.of(p));
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            try (TensorScope scope = TensorScope.open()) {
                opt.zeroGrad();
                p.square().sum().backward();
                opt.step();
            }
            out[t] = p.toDoubleArray();
        }
        return out;
    }

    /**
     * Asserts that the trajectory equals {@code byHand} applied to each element's start value; the
     * reference returns the three values of one element after steps 1, 2 and 3.
     */
    static void assertTrajectory(double[][] actual, Function<Double, double[]> byHand) {
        for (int i = 0; i < P0.length; i++) {
            double[] expected = byHand.apply(P0[i]);
            for (int t = 0; t < expected.length; t++) {
                assertEquals(expected[t], actual[t][i], 1e-12 * Math.max(1, Math.abs(expected[t])),
                        "element " + i + " (p0 = " + P0[i] + ") after step " + (t + 1));
            }
        }
    }

    /** Asserts the element starting at 1.0 took the literal values given. */
    static void assertFirstElement(double[][] actual, double... expected) {
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], actual[t][0], 1e-12, "after step " + (t + 1));
        }
    }

    /** The gradient of p² at p. */
    static final DoubleUnaryOperator GRAD = p -> 2 * p;

    /** PyTorch's lerp(self, end, w): self + w·(end - self) for |w| < 0.5, else end - (end - self)·(1 - w). */
    static double lerp(double self, double end, double w) {
        return Math.abs(w) < 0.5 ? self + w * (end - self) : end - (end - self) * (1 - w);
    }
}
