package io.polygrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * torch.optim.Adam and AdamW, on loss Σ p² (g = 2p) from p = [1, -2]. Per step t:
 * <pre>
 * Adam:  g ← g + wd·p          AdamW:  p ← p·(1 - lr·wd)
 * m ← lerp(m, g, 1 - β₁);  v ← β₂·v + (1 - β₂)·g·g;  v̂ ← max(v̂, v) (amsgrad) else v
 * step_size = lr / (1 - β₁ᵗ);  denom = √v̂ / √(1 - β₂ᵗ) + eps;  p ← p - step_size·m / denom
 * </pre>
 */
class AdamTest {

    /** Three steps written out from the equations above. */
    private static double[] byHand(double p0, double lr, double b1, double b2, double eps, double wd, boolean amsgrad,
            boolean decoupled) {
        double p = p0;
        double m = 0;
        double v = 0;
        double vMax = 0;
        double[] out = new double[3];
        for (int t = 1; t <= 3; t++) {
            double g = 2 * p;
            if (decoupled) {
                p = p * (1 - lr * wd);
            } else {
                g = g + wd * p;
            }
            m = Steps.lerp(m, g, 1 - b1);
            v = b2 * v + (1 - b2) * g * g;
            vMax = Math.max(vMax, v);
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            double stepSize = lr / bc1;
            double denom = Math.sqrt(amsgrad ? vMax : v) / Math.sqrt(bc2) + eps;
            p = p - stepSize * m / denom;
            out[t - 1] = p;
        }
        return out;
    }

    @Test
    void adam_defaults_firstStepMovesByAboutLr() {
        double[][] r = Steps.run(ps -> Adam.builder(ps).lr(0.1).build(), 3);
        // t1: g = 2, m = 0.1·2 = 0.2, v = 0.001·4 = 0.004, step_size = 0.1/0.1 = 1,
        //     denom = √0.004/√0.001 + 1e-8 = 2 + 1e-8, p = 1 - 0.2/(2 + 1e-8) ≈ 0.9
        assertEquals(1 - 0.2 / (2 + 1e-8), r[0][0], 1e-15);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.1, 0.9, 0.999, 1e-8, 0, false, false));
    }

    @Test
    void adam_betasAndEps_enterAsInPyTorch() {
        double[][] r = Steps.run(ps -> Adam.builder(ps).lr(0.2).betas(0.5, 0.75).eps(0.1).build(), 3);
        // t1: g = 2, m = lerp(0, 2, 0.5) = 1, v = 0.25·4 = 1, step_size = 0.2/0.5 = 0.4,
        //     denom = √1/√0.25 + 0.1 = 2.1, p = 1 - 0.4·1/2.1
        assertEquals(1 - 0.4 / 2.1, r[0][0], 1e-15);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.2, 0.5, 0.75, 0.1, 0, false, false));
    }

    @Test
    void adam_weightDecay_isAddedToTheGradient() {
        double[][] r = Steps.run(ps -> Adam.builder(ps).lr(0.1).weightDecay(0.5).build(), 3);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.1, 0.9, 0.999, 1e-8, 0.5, false, false));
        double[][] plain = Steps.run(ps -> Adam.builder(ps).lr(0.1).build(), 3);
        assertNotEquals(plain[2][0], r[2][0]);
    }

    @Test
    void adam_amsgrad_usesTheLargestSecondMomentSoFar() {
        double[][] r = Steps.run(ps -> Adam.builder(ps).lr(0.5).betas(0.9, 0.5).amsgrad(true).build(), 3);
        // t1: g = 2, v = 0.5·4 = 2, p = 1 - (0.5/0.1)·0.2/(√2/√0.5 + 1e-8) = 1 - 1/2 ≈ 0.5
        // t2: g ≈ 1, v = 0.5·2 + 0.5·1 = 1.5 < 2: AMSGrad keeps v̂ = 2
        assertEquals(1 - 1.0 / (2 + 1e-8), r[0][0], 1e-15);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.5, 0.9, 0.5, 1e-8, 0, true, false));
        double[][] without = Steps.run(ps -> Adam.builder(ps).lr(0.5).betas(0.9, 0.5).build(), 3);
        assertNotEquals(without[1][0], r[1][0], "amsgrad must change step 2");
        Steps.assertTrajectory(without, p0 -> byHand(p0, 0.5, 0.9, 0.5, 1e-8, 0, false, false));
    }

    @Test
    void adamW_decouplesWeightDecayFromTheGradient() {
        double[][] r = Steps.run(ps -> AdamW.builder(ps).lr(0.1).weightDecay(0.5).build(), 3);
        // t1: p ← 1·(1 - 0.1·0.5) = 0.95, then Adam's step with g = 2 (taken before the decay): 0.95 - 0.2/(2 + 1e-8)
        assertEquals(0.95 - 0.2 / (2 + 1e-8), r[0][0], 1e-15);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.1, 0.9, 0.999, 1e-8, 0.5, false, true));
        double[][] coupled = Steps.run(ps -> Adam.builder(ps).lr(0.1).weightDecay(0.5).build(), 3);
        assertNotEquals(coupled[0][0], r[0][0]);
    }

    @Test
    void adamW_amsgradAndBetas_combine() {
        double[][] r = Steps.run(ps -> AdamW.builder(ps).lr(0.5).betas(0.8, 0.5).eps(1e-3).amsgrad(true).build(), 3);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.5, 0.8, 0.5, 1e-3, 0.01, true, true));
    }

    @Test
    void defaults_matchPyTorch() {
        List<Tensor> ps = List.of(Steps.engine().scalar(1).requiresGrad(true));
        Adam adam = Adam.builder(ps).build();
        assertEquals(1e-3, adam.lr());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.eps());
        assertEquals(0, adam.weightDecay());
        assertEquals(false, adam.amsgrad());
        assertEquals(1e-2, AdamW.builder(ps).build().weightDecay());
    }

    @Test
    void invalidSettings_areRejected() {
        List<Tensor> ps = List.of(Steps.engine().scalar(1).requiresGrad(true));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Adam.builder(ps).betas(1.0, 0.999).build())
                .getMessage().contains("Invalid beta parameter at index 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Adam.builder(ps).betas(0.9, -0.1).build())
                .getMessage().contains("Invalid beta parameter at index 1"));
        assertThrows(IllegalArgumentException.class, () -> Adam.builder(ps).eps(-1).build());
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder(ps).weightDecay(-1).build());
    }

    @Test
    void stepCount_advancesOnlyForParametersWithGradients() {
        Engine e = Steps.engine();
        Tensor used = e.scalar(1).requiresGrad(true);
        Tensor unused = e.scalar(1).requiresGrad(true);
        Adam adam = Adam.builder(List.of(used, unused)).build();
        for (int i = 0; i < 2; i++) {
            adam.zeroGrad();
            used.square().backward();
            adam.step();
        }
        assertEquals(2, adam.stepCount(0));
        assertEquals(0, adam.stepCount(1));
        assertEquals(1.0, unused.item());
    }

    @Test
    void float32_tracksTheFloat64ReferenceToSinglePrecision() {
        Engine f32 = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT32);
        double[][] r = Steps.run(f32, ps -> Adam.builder(ps).lr(0.1).amsgrad(true).weightDecay(0.1).build(), 3);
        double[] expected = byHand(-2.0, 0.1, 0.9, 0.999, 1e-8, 0.1, true, false);
        for (int t = 0; t < 3; t++) {
            assertEquals(expected[t], r[t][1], 2e-6);
        }
    }
}
