package io.polygrad.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.conformance.FitTargets;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.nn.Module;
import io.polygrad.scratch.ScratchModule;
import io.polygrad.train.Batch;
import io.polygrad.train.FitResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference problems fit on the scratch backend, in float32 and float64, with their classic settings. */
class ProblemFitTest {

    private static Engine engine(DType dtype) {
        return BackendUnderTest.of("scratch", new ScratchModule()).engine(dtype);
    }

    private static double param(Module m, String name) {
        return m.namedParameters().get(name).item();
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void line_adamAndSgd_recoverTwoAndMinusThree(DType dtype) {
        Engine e = engine(dtype);
        Batch data = Problems.LINE.data(e);
        double[] ls = FitTargets.leastSquaresLine(data.x().toDoubleArray(), data.y().toDoubleArray());
        // With 100 points and noise σ = 0.1, the least-squares estimates have standard errors
        // σ/√Σ(x-x̄)² ≈ 0.1/√33 ≈ 0.017 for w and σ/√n = 0.01 for b; 4σ bounds: 0.07 and 0.04.
        assertEquals(2.0, ls[0], 0.07);
        assertEquals(-3.0, ls[1], 0.04);
        for (Setting s : Problems.LINE.settings()) {
            Module m = Problems.LINE.model(e);
            FitResult r = Problems.LINE.fit(m, data, s, ev -> { });
            // the optimizer must reach the least-squares solution of this data (to 1e-3, which also
            // covers float32 rounding), and so 2 and -3 within the noise bounds above
            assertEquals(ls[0], param(m, "w"), 1e-3, s.name() + " w");
            assertEquals(ls[1], param(m, "b"), 1e-3, s.name() + " b");
            assertEquals(2.0, param(m, "w"), 0.07 + 1e-3);
            assertEquals(-3.0, param(m, "b"), 0.04 + 1e-3);
            assertEquals(s.steps(), r.steps());
            // the final MSE is the noise variance, about 0.01
            assertTrue(r.finalLoss() < 0.02, s.name() + " final loss " + r.finalLoss());
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void quadratic_zeroGradLoop_reachesTheL1OptimumNearThreeTwoOne(DType dtype) {
        Engine e = engine(dtype);
        double[][] pts = Problems.noisyQuadraticPoints();
        double[] x = pts[0];
        double[] y = pts[1];
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double baseline = 0;
        for (double v : y) {
            baseline += Math.abs(v - mean) / y.length;
        }
        double[] opt = FitTargets.l1Optimum(x, y);
        Module m = Problems.QUADRATIC.model(e);
        FitResult r = Problems.QUADRATIC.fit(m, Problems.QUADRATIC.data(e), Problems.QUADRATIC.setting("zero-grad"),
                ev -> { });
        double[] abc = {param(m, "a"), param(m, "b"), param(m, "c")};
        // far below predicting the mean (MAE ≈ 3.42), and within 0.005 of the best any quadratic can do (≈ 0.4963)
        assertTrue(r.finalLoss() < baseline / 5, "final " + r.finalLoss() + " baseline " + baseline);
        assertEquals(FitTargets.mae(opt, x, y), r.finalLoss(), 5e-3);
        // SGD at lr 0.01 on MAE ends within a few steps of size lr·|g| ≤ 0.01·4 of the optimum
        assertEquals(opt[0], abc[0], 0.03, "a");
        assertEquals(opt[1], abc[1], 0.03, "b");
        assertEquals(opt[2], abc[2], 0.03, "c");
        // The generating function is 3x² + 2x + 1, but twenty points with 15% multiplicative and 0.5
        // additive noise pin it down only loosely: this data's L1 optimum is a ≈ 2.69, b ≈ 1.35, c ≈ 0.86.
        assertEquals(3.0, abc[0], 0.4, "a");
        assertEquals(2.0, abc[1], 0.7, "b");
        assertEquals(1.0, abc[2], 0.2, "c");
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void quadratic_literalLoopWithoutZeroGrad_takesGrowingSteps(DType dtype) {
        Engine e = engine(dtype);
        Module literal = Problems.QUADRATIC.model(e);
        Batch data = Problems.QUADRATIC.data(e);
        Setting s = Problems.QUADRATIC.setting("literal");
        List<Double> a = new ArrayList<>();
        a.add(param(literal, "a"));
        FitResult r = Problems.QUADRATIC.fit(literal, data, s, ev -> a.add(param(literal, "a")));
        assertEquals(10, r.steps());
        // gradients accumulate: the k-th step moves a by k times the (nearly constant) per-step gradient
        double first = a.get(1) - a.get(0);
        for (int k = 1; k < 10; k++) {
            double step = a.get(k + 1) - a.get(k);
            assertTrue(Math.abs(step) > Math.abs(a.get(k) - a.get(k - 1)), "step " + (k + 1) + " must be larger");
        }
        assertEquals(2 * first, a.get(2) - a.get(1), 1e-6);
        // the correct loop's steps stay the same size over these ten steps
        Module correct = Problems.QUADRATIC.model(e);
        List<Double> ac = new ArrayList<>();
        ac.add(param(correct, "a"));
        Problems.QUADRATIC.fit(correct, data, Problems.QUADRATIC.setting("zero-grad").withSteps(10),
                ev -> ac.add(param(correct, "a")));
        assertEquals(first, ac.get(10) - ac.get(9), 1e-6);
        assertEquals(first, ac.get(1) - ac.get(0), 0);
        // the first loss is the same (MAE of 1.1x² + 1.1x + 1.1), the losses of the literal loop then fall faster
        double[][] pts = Problems.noisyQuadraticPoints();
        assertEquals(FitTargets.mae(new double[] {1.1, 1.1, 1.1}, pts[0], pts[1]), r.losses().get(0), 1e-5);
        assertTrue(r.losses().get(9) < 1.5, "literal loss after 10 steps " + r.losses().get(9));
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void relu_networkFitsTheQuadraticDataBelowOneMse(DType dtype) {
        Engine e = engine(dtype);
        Batch data = Problems.RELU.data(e);
        for (Setting s : Problems.RELU.settings()) {
            Module m = Problems.RELU.model(e);
            FitResult r = Problems.RELU.fit(m, data, s, ev -> { });
            assertTrue(r.finalLoss() < 1.0, s.name() + " final MSE " + r.finalLoss());
            assertTrue(r.losses().get(0) > 10, s.name() + " starts far off: " + r.losses().get(0));
            Tensor pred = m.forward(data.x());
            assertEquals(r.finalLoss(), io.polygrad.loss.Losses.mse(pred, data.y()).item(), 0.05);
        }
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    void doubleRelu_fitsTheQuadraticDataAsAV(DType dtype) {
        Engine e = engine(dtype);
        Module m = Problems.DOUBLE_RELU.model(e);
        FitResult r = Problems.DOUBLE_RELU.fit(m, Problems.DOUBLE_RELU.data(e), Problems.DOUBLE_RELU.defaultSetting(),
                ev -> { });
        // the variance of y is about 16; two hinges bring the MSE below 1
        assertTrue(r.finalLoss() < 1.0, "final MSE " + r.finalLoss());
        Map<String, Tensor> p = m.namedParameters();
        assertTrue(p.get("m1").item() * p.get("m2").item() < 0, "one hinge per side of the parabola");
    }
}
