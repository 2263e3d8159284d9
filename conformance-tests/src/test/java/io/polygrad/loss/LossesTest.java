package io.polygrad.loss;

import java.util.function.Function;
import io.polygrad.conformance.GradCheck;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import org.junit.jupiter.api.Test;

class LossesTest {

    /** Checks the float64 gradient of the scalar {@code f} at {@code x} with the suite's gradcheck. */
    private static void gradcheck(Engine engine, double[] x, int[] shape, Function<Tensor, Tensor> f) {
        GradCheck.check("loss", engine, t -> f.apply(t[0]), new double[][] {x}, new int[][] {shape});
    }


    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64);

    // predictions and targets shared by the regression losses; d = x - y = {0.5, -2, 0.1, 3}
    private static final double[] X = {1.5, -1.0, 0.3, 2.0};
    private static final double[] Y = {1.0, 1.0, 0.2, -1.0};
    private static final int[] SHAPE = {2, 2};

    private Tensor t(double[] v, int... shape) {
        return engine.tensor(v, DType.FLOAT64, shape);
    }

    private Tensor y() {
        return t(Y, SHAPE);
    }

    // ---------------------------------------------------------------- mse

    @Test
    void mse_values_areSquaredDifferencesReduced() {
        Tensor x = t(X, SHAPE);
        // d² = 0.25, 4, 0.01, 9
        assertArrayEquals(new double[] {0.25, 4, 0.01, 9}, Losses.mse(x, y(), Reduction.NONE).toDoubleArray(), 1e-15);
        assertEquals(13.26, Losses.mse(x, y(), Reduction.SUM).item(), 1e-14);
        assertEquals(13.26 / 4, Losses.mse(x, y()).item(), 1e-14);
        assertArrayEquals(SHAPE, Losses.mse(x, y(), Reduction.NONE).shape());
        assertEquals(0, Losses.mse(x, y()).rank());
    }

    @Test
    void mse_gradient_matchesFiniteDifferences() {
        gradcheck(engine, X, SHAPE, x -> Losses.mse(x, y()));
        gradcheck(engine, X, SHAPE, x -> Losses.mse(x, y(), Reduction.SUM));
    }

    // ---------------------------------------------------------------- mae

    @Test
    void mae_values_areAbsoluteDifferencesReduced() {
        Tensor x = t(X, SHAPE);
        assertArrayEquals(new double[] {0.5, 2, 0.1, 3}, Losses.mae(x, y(), Reduction.NONE).toDoubleArray(), 1e-15);
        assertEquals(5.6, Losses.mae(x, y(), Reduction.SUM).item(), 1e-14);
        assertEquals(1.4, Losses.mae(x, y()).item(), 1e-14);
    }

    @Test
    void mae_gradient_matchesFiniteDifferencesAndIsZeroAtAKink() {
        gradcheck(engine, X, SHAPE, x -> Losses.mae(x, y()));
        Tensor x = t(new double[] {1.0, 2.0}).requiresGrad(true);
        Losses.mae(x, t(new double[] {1.0, 0.0})).backward();
        // PyTorch: d|d|/dd at 0 is sign(0) = 0; elsewhere sign(d) / n
        assertArrayEquals(new double[] {0, 0.5}, x.grad().toDoubleArray(), 0);
    }

    // ---------------------------------------------------------------- huber / smooth L1

    @Test
    void huber_values_followPyTorchsDefinitionWithDelta() {
        Tensor x = t(X, SHAPE);
        double delta = 1.0;
        // |d| < δ: 0.5·d²; else δ·(|d| - 0.5·δ)
        double[] expected = {0.5 * 0.25, 1.0 * (2 - 0.5), 0.5 * 0.01, 1.0 * (3 - 0.5)};
        assertArrayEquals(expected, Losses.huber(x, y(), delta, Reduction.NONE).toDoubleArray(), 1e-15);
        assertEquals((0.125 + 1.5 + 0.005 + 2.5) / 4, Losses.huber(x, y(), delta, Reduction.MEAN).item(), 1e-15);
        double delta2 = 2.5;
        double[] expected2 = {0.125, 0.5 * 4, 0.005, 2.5 * (3 - 1.25)};
        assertArrayEquals(expected2, Losses.huber(x, y(), delta2, Reduction.NONE).toDoubleArray(), 1e-15);
        assertEquals(0.125 + 2 + 0.005 + 4.375, Losses.huber(x, y(), delta2, Reduction.SUM).item(), 1e-14);
    }

    @Test
    void smoothL1_values_followPyTorchsDefinitionWithBeta() {
        Tensor x = t(X, SHAPE);
        double beta = 2.5;
        // |d| < β: 0.5·d²/β; else |d| - 0.5·β
        double[] expected = {0.5 * 0.25 / 2.5, 0.5 * 4 / 2.5, 0.5 * 0.01 / 2.5, 3 - 1.25};
        assertArrayEquals(expected, Losses.smoothL1(x, y(), beta, Reduction.NONE).toDoubleArray(), 1e-15);
        // for β > 0, smooth L1 = huber(δ = β) / β
        assertEquals(Losses.huber(x, y(), beta, Reduction.MEAN).item() / beta,
                Losses.smoothL1(x, y(), beta, Reduction.MEAN).item(), 1e-15);
        // β = 0 is the L1 loss
        assertEquals(1.4, Losses.smoothL1(x, y(), 0.0, Reduction.MEAN).item(), 1e-14);
    }

    @Test
    void huberAndSmoothL1_gradients_matchFiniteDifferences() {
        gradcheck(engine, X, SHAPE, x -> Losses.huber(x, y(), 1.0, Reduction.MEAN));
        gradcheck(engine, X, SHAPE, x -> Losses.huber(x, y(), 2.5, Reduction.SUM));
        gradcheck(engine, X, SHAPE, x -> Losses.smoothL1(x, y(), 1.0, Reduction.MEAN));
        gradcheck(engine, X, SHAPE, x -> Losses.smoothL1(x, y(), 0.3, Reduction.SUM));
    }

    @Test
    void huber_atTheThreshold_isContinuousWithGradientDeltaTimesSign() {
        Tensor x = t(new double[] {2.0, -1.0}).requiresGrad(true);
        Tensor loss = Losses.huber(x, t(new double[] {1.0, 0.0}), 1.0, Reduction.SUM);
        // |d| = 1 = δ takes the linear branch: δ(|d| - δ/2) = 0.5 = 0.5·d², same value either way
        assertEquals(1.0, loss.item(), 1e-15);
        loss.backward();
        assertArrayEquals(new double[] {1.0, -1.0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void huberAndSmoothL1_invalidParameters_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> Losses.huber(t(X, SHAPE), y(), 0, Reduction.MEAN));
        assertThrows(IllegalArgumentException.class, () -> Losses.smoothL1(t(X, SHAPE), y(), -1, Reduction.MEAN));
    }

    // ---------------------------------------------------------------- binary cross-entropy with logits

    @Test
    void bceWithLogits_values_equalTheTextbookFormula() {
        double[] logits = {-2.0, 0.0, 0.7, 3.0};
        double[] targets = {0.0, 1.0, 0.25, 1.0};
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double s = 1 / (1 + Math.exp(-logits[i]));
            expected[i] = -(targets[i] * Math.log(s) + (1 - targets[i]) * Math.log(1 - s));
        }
        Tensor x = t(logits, SHAPE);
        Tensor yt = t(targets, SHAPE);
        assertArrayEquals(expected, Losses.binaryCrossEntropyWithLogits(x, yt, Reduction.NONE).toDoubleArray(), 1e-14);
        double sum = expected[0] + expected[1] + expected[2] + expected[3];
        assertEquals(sum, Losses.binaryCrossEntropyWithLogits(x, yt, Reduction.SUM).item(), 1e-14);
        assertEquals(sum / 4, Losses.binaryCrossEntropyWithLogits(x, yt).item(), 1e-14);
        // hand check of one entry: x = 0, y = 1: log 2
        assertEquals(Math.log(2), expected[1], 1e-15);
    }

    @Test
    void bceWithLogits_extremeLogits_stayFinite() {
        Tensor x = t(new double[] {1000, -1000, 1000, -1000});
        Tensor yt = t(new double[] {1, 0, 0, 1});
        // max(x,0) - x·y + log(1 + e^-|x|): 0, 0, 1000, 1000
        assertArrayEquals(new double[] {0, 0, 1000, 1000},
                Losses.binaryCrossEntropyWithLogits(x, yt, Reduction.NONE).toDoubleArray(), 1e-12);
    }

    @Test
    void bceWithLogits_gradient_isSigmoidMinusTargetEvenAtZero() {
        double[] logits = {-2.0, 0.0, 0.7, 3.0};
        Tensor yt = t(new double[] {0.0, 1.0, 0.25, 1.0}, SHAPE);
        gradcheck(engine, logits, SHAPE, x -> Losses.binaryCrossEntropyWithLogits(x, yt, Reduction.SUM));
        Tensor x = t(logits, SHAPE).requiresGrad(true);
        Losses.binaryCrossEntropyWithLogits(x, yt, Reduction.SUM).backward();
        double[] y = yt.toDoubleArray();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(1 / (1 + Math.exp(-logits[i])) - y[i], g[i], 1e-15, "logit " + logits[i]);
        }
    }

    // ---------------------------------------------------------------- cross-entropy

    /** −log softmax(row)[k], computed directly. */
    private static double ceRow(double[] row, int k) {
        double z = 0;
        for (double v : row) {
            z += Math.exp(v);
        }
        return -(row[k] - Math.log(z));
    }

    private Tensor idx(long... labels) {
        return engine.tensor(labels);
    }

    @Test
    void crossEntropy_classIndices_isMinusLogSoftmaxOfTheTarget() {
        double[] logits = {1.0, 2.0, 0.5, -1.0, 0.0, 3.0};
        Tensor x = t(logits, 2, 3);
        Tensor target = idx(1, 2);
        double l0 = ceRow(new double[] {1.0, 2.0, 0.5}, 1);
        double l1 = ceRow(new double[] {-1.0, 0.0, 3.0}, 2);
        // hand check of l0: log(e + e² + e^0.5) - 2
        assertEquals(Math.log(Math.E + Math.exp(2) + Math.exp(0.5)) - 2, l0, 1e-15);
        assertArrayEquals(new double[] {l0, l1}, Losses.crossEntropy(x, target, Reduction.NONE).toDoubleArray(), 1e-14);
        assertEquals((l0 + l1) / 2, Losses.crossEntropy(x, target).item(), 1e-14);
        assertEquals(l0 + l1, Losses.crossEntropy(x, target, Reduction.SUM).item(), 1e-14);
    }

    @Test
    void crossEntropy_probabilities_isMinusExpectedLogSoftmax() {
        double[] logits = {1.0, 2.0, 0.5, -1.0, 0.0, 3.0};
        double[] probs = {0.2, 0.5, 0.3, 0.0, 0.0, 1.0};
        Tensor x = t(logits, 2, 3);
        double l0 = 0.2 * ceRow(new double[] {1.0, 2.0, 0.5}, 0) + 0.5 * ceRow(new double[] {1.0, 2.0, 0.5}, 1)
                + 0.3 * ceRow(new double[] {1.0, 2.0, 0.5}, 2);
        double l1 = ceRow(new double[] {-1.0, 0.0, 3.0}, 2);
        assertArrayEquals(new double[] {l0, l1}, Losses.crossEntropy(x, t(probs, 2, 3), Reduction.NONE).toDoubleArray(),
                1e-14);
        // one-hot probabilities give the same loss as the indices
        assertEquals(l1, Losses.crossEntropy(t(new double[] {-1, 0, 3}), t(new double[] {0, 0, 1})).item(), 1e-14);
    }

    @Test
    void crossEntropy_unbatchedAndSpatialShapes_putClassesOnTheRightAxis() {
        // [C] with a 0-d index target
        Tensor single = Losses.crossEntropy(t(new double[] {1.0, 2.0, 0.5}), engine.scalar(0, DType.INT64));
        assertEquals(ceRow(new double[] {1.0, 2.0, 0.5}, 0), single.item(), 1e-14);
        // [N=1, C=2, d=3]: classes along axis 1
        double[] logits = {0, 1, 2, 3, 1, 0};
        Tensor x = t(logits, 1, 2, 3);
        Tensor target = engine.tensor(new long[] {1, 0, 1}, 1, 3);
        double[] expected = {ceRow(new double[] {0, 3}, 1), ceRow(new double[] {1, 1}, 0), ceRow(new double[] {2, 0}, 1)};
        assertArrayEquals(expected, Losses.crossEntropy(x, target, Reduction.NONE).reshape(3).toDoubleArray(), 1e-14);
    }

    @Test
    void crossEntropy_hugeLogits_areStable() {
        Tensor x = t(new double[] {1000, 0, -1000}, 1, 3);
        assertEquals(0.0, Losses.crossEntropy(x, idx(0)).item(), 1e-12);
        assertEquals(1000.0, Losses.crossEntropy(x, idx(1)).item(), 1e-9);
    }

    @Test
    void crossEntropy_gradients_matchFiniteDifferences() {
        double[] logits = {1.0, 2.0, 0.5, -1.0, 0.0, 3.0};
        Tensor indices = idx(1, 2);
        Tensor probs = t(new double[] {0.2, 0.5, 0.3, 0.1, 0.6, 0.3}, 2, 3);
        gradcheck(engine, logits, new int[] {2, 3}, x -> Losses.crossEntropy(x, indices));
        gradcheck(engine, logits, new int[] {2, 3}, x -> Losses.crossEntropy(x, probs, Reduction.SUM));
        // analytically: (softmax - onehot) / N
        Tensor x = t(logits, 2, 3).requiresGrad(true);
        Losses.crossEntropy(x, indices).backward();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(0.5);
        assertEquals((Math.exp(2) / z - 1) / 2, x.grad().toDoubleArray()[1], 1e-15);
    }

    @Test
    void crossEntropy_badTargets_areRejectedWithTheReason() {
        Tensor x = t(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, idx(0, 3)));
        assertTrue(range.getMessage().contains("target 3 at position [1] is outside [0, 3)"), range.getMessage());
        IllegalArgumentException floats = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, t(new double[] {0, 1})));
        assertTrue(floats.getMessage().contains("class-index target must be int64, got float64 of shape [2]"),
                floats.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, idx(0, 1, 2)));
        assertTrue(shape.getMessage().contains("neither int64 class indices of shape [2]"), shape.getMessage());
    }

    @Test
    void crossEntropy_weightAndIgnoreIndex_meanIsWeightedOverSamplesNotIgnored() {
        Tensor x = t(new double[] {1.0, 2.0, 0.5, -1.0, 0.0, 3.0, 0.3, 0.2, 0.1}, 3, 3);
        Tensor w = t(new double[] {0.5, 2.0, 1.0});
        double l0 = ceRow(new double[] {1.0, 2.0, 0.5}, 1);
        double l2 = ceRow(new double[] {0.3, 0.2, 0.1}, 0);
        CrossEntropyOptions o = CrossEntropyOptions.builder().weight(w).ignoreIndex(2).build();
        // sample 1 has the ignored label 2: (2·l0 + 0.5·l2) / (2 + 0.5)
        assertEquals((2 * l0 + 0.5 * l2) / 2.5, Losses.crossEntropy(x, idx(1, 2, 0), o).item(), 1e-14);
        assertArrayEquals(new double[] {2 * l0, 0, 0.5 * l2}, Losses.crossEntropy(x, idx(1, 2, 0),
                CrossEntropyOptions.builder().weight(w).ignoreIndex(2).reduction(Reduction.NONE).build())
                .toDoubleArray(), 1e-14);
        // nll of the log-probabilities is the same loss
        Tensor logp = io.polygrad.nn.Functional.logSoftmax(x, 1);
        assertEquals((2 * l0 + 0.5 * l2) / 2.5, Losses.nll(logp, idx(1, 2, 0), o).item(), 1e-14);
        assertEquals(-logp.toDoubleArray()[1], Losses.nll(logp, idx(1, 2, 0), Reduction.NONE).toDoubleArray()[0],
                0);
    }

    @Test
    void crossEntropy_labelSmoothing_mixesTheUniformTarget() {
        double[] row = {1.0, 2.0, 0.5};
        double eps = 0.1;
        double nll = ceRow(row, 1);
        double smooth = ceRow(row, 0) + ceRow(row, 1) + ceRow(row, 2);
        double expected = (1 - eps) * nll + eps / 3 * smooth;
        Tensor x = t(row, 1, 3);
        assertEquals(expected, Losses.crossEntropy(x, idx(1), CrossEntropyOptions.builder().labelSmoothing(eps)
                .build()).item(), 1e-14);
        // with probabilities the same smoothing applies to the target: one-hot gives the same value
        assertEquals(expected, Losses.crossEntropy(x, t(new double[] {0, 1, 0}, 1, 3), CrossEntropyOptions.builder()
                .labelSmoothing(eps).build()).item(), 1e-14);
    }

    // ---------------------------------------------------------------- shared rules

    @Test
    void elementwiseLosses_differentShapes_areRejectedInsteadOfBroadcast() {
        Tensor column = engine.zeros(4, 1);
        Tensor row = engine.zeros(4);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Losses.mse(column, row));
        assertTrue(ex.getMessage().contains("[4, 1]") && ex.getMessage().contains("[4]"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.mae(column, row));
        assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropyWithLogits(column, row));
    }

    @Test
    void losses_float32_promoteNothingAndStayFloat32() {
        Engine f32 = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT32);
        Tensor x = f32.tensor(new double[] {1.5, -1.0});
        Tensor yt = f32.tensor(new double[] {1.0, 1.0});
        assertEquals(DType.FLOAT32, Losses.mse(x, yt).dtype());
        assertEquals((0.25 + 4) / 2, Losses.mse(x, yt).item(), 1e-6);
        assertEquals(DType.FLOAT32, Losses.crossEntropy(f32.tensor(new double[] {1, 2}, 1, 2),
                f32.tensor(new long[] {1})).dtype());
    }

    @Test
    void loss_interface_acceptsMethodReferences() {
        Loss mse = Losses::mse;
        Loss huber = (p, q) -> Losses.huber(p, q, 1.0, Reduction.MEAN);
        assertEquals(13.26 / 4, mse.apply(t(X, SHAPE), y()).item(), 1e-14);
        assertEquals((0.125 + 1.5 + 0.005 + 2.5) / 4, huber.apply(t(X, SHAPE), y()).item(), 1e-15);
    }
}
