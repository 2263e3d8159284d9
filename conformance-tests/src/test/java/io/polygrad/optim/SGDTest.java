package io.polygrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.Engine;
import io.polygrad.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * torch.optim.SGD: g ← g + wd·p; with momentum, b ← g at step 1, else b ← μ·b + (1 - τ)·g; g ← g + μ·b
 * (nesterov) or g ← b; p ← p - lr·g. Loss Σ p², so g = 2p; p starts at [1, -2].
 */
class SGDTest {

    /** Three steps of SGD on p² from p0, written out from the equations above. */
    private static double[] byHand(double p0, double lr, double mu, double tau, double wd, boolean nesterov) {
        double p = p0;
        double b = 0;
        double[] out = new double[3];
        for (int t = 1; t <= 3; t++) {
            double g = 2 * p + wd * p;
            if (mu != 0) {
                b = t == 1 ? g : mu * b + (1 - tau) * g;
                g = nesterov ? g + mu * b : b;
            }
            p = p - lr * g;
            out[t - 1] = p;
        }
        return out;
    }

    @Test
    void maximize_climbsTheObjective_asMinimizingItsNegative() {
        double[][] r = Steps.run(ps -> SGD.builder(ps).lr(0.1).maximize(true).build(), 3);
        // p ← p + 0.1·2p = 1.2·p
        Steps.assertFirstElement(r, 1.2, 1.44, 1.728);
        double[][] adam = Steps.run(ps -> Adam.builder(ps).lr(0.1).maximize(true).build(), 1);
        assertArrayEquals(new double[] {1.1, -2.1}, adam[0], 1e-7);
        double[][] rms = Steps.run(ps -> RMSprop.builder(ps).lr(0.01).maximize(true).build(), 1);
        assertArrayEquals(new double[] {1.1, -2.1}, rms[0], 1e-6);
    }

    @Test
    void plain_threeSteps_multiplyByOneMinusTwoLr() {
        double[][] r = Steps.run(ps -> SGD.builder(ps).lr(0.1).build(), 3);
        // p ← p - 0.1·2p = 0.8·p
        Steps.assertFirstElement(r, 0.8, 0.64, 0.512);
        assertArrayEquals(new double[] {-1.024}, new double[] {r[2][1]}, 1e-12);
    }

    @Test
    void momentum_firstStepInitialisesTheBufferWithTheGradient() {
        double[][] r = Steps.run(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).build(), 3);
        // t1: g = 2, b = 2, p = 1 - 0.2 = 0.8
        // t2: g = 1.6, b = 0.9·2 + 1.6 = 3.4, p = 0.8 - 0.34 = 0.46
        // t3: g = 0.92, b = 0.9·3.4 + 0.92 = 3.98, p = 0.46 - 0.398 = 0.062
        Steps.assertFirstElement(r, 0.8, 0.46, 0.062);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.1, 0.9, 0, 0, false));
    }

    @Test
    void dampening_appliesFromTheSecondStepOnly() {
        double[][] r = Steps.run(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).dampening(0.5).build(), 3);
        // t1: b = g = 2 (no dampening), p = 0.8
        // t2: g = 1.6, b = 0.9·2 + 0.5·1.6 = 2.6, p = 0.8 - 0.26 = 0.54
        // t3: g = 1.08, b = 0.9·2.6 + 0.5·1.08 = 2.88, p = 0.54 - 0.288 = 0.252
        Steps.assertFirstElement(r, 0.8, 0.54, 0.252);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.1, 0.9, 0.5, 0, false));
    }

    @Test
    void nesterov_stepsAlongGradientPlusMomentumTimesBuffer() {
        double[][] r = Steps.run(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).nesterov(true).build(), 3);
        // t1: g = 2, b = 2, g' = 2 + 0.9·2 = 3.8, p = 1 - 0.38 = 0.62
        // t2: g = 1.24, b = 0.9·2 + 1.24 = 3.04, g' = 1.24 + 0.9·3.04 = 3.976, p = 0.62 - 0.3976 = 0.2224
        // t3: g = 0.4448, b = 0.9·3.04 + 0.4448 = 3.1808, g' = 0.4448 + 0.9·3.1808 = 3.30752, p = -0.108352
        Steps.assertFirstElement(r, 0.62, 0.2224, -0.108352);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.1, 0.9, 0, 0, true));
    }

    @Test
    void weightDecay_addsDecayTimesParameterToTheGradient() {
        double[][] r = Steps.run(ps -> SGD.builder(ps).lr(0.1).weightDecay(0.1).build(), 3);
        // g = 2p + 0.1p = 2.1p, p ← p - 0.21p = 0.79p
        Steps.assertFirstElement(r, 0.79, 0.6241, 0.493039);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.1, 0, 0, 0.1, false));
    }

    @Test
    void everything_momentumNesterovAndWeightDecay_combine() {
        double[][] r = Steps.run(ps -> SGD.builder(ps).lr(0.05).momentum(0.8).nesterov(true).weightDecay(0.01).build(), 3);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.05, 0.8, 0, 0.01, true));
        double[][] d = Steps.run(ps -> SGD.builder(ps).lr(0.05).momentum(0.8).dampening(0.3).weightDecay(0.2).build(), 3);
        Steps.assertTrajectory(d, p0 -> byHand(p0, 0.05, 0.8, 0.3, 0.2, false));
    }

    @Test
    void defaults_matchPyTorch() {
        List<Tensor> ps = List.of(Steps.engine().scalar(1).requiresGrad(true));
        IllegalArgumentException noLr = assertThrows(IllegalArgumentException.class, () -> SGD.builder(ps).build());
        assertTrue(noLr.getMessage().contains("lr"), noLr.getMessage());
        SGD sgd = SGD.builder(ps).lr(0.5).build();
        assertEquals(0.5, sgd.lr());
        assertEquals(0, sgd.momentum());
        assertEquals(0, sgd.dampening());
        assertEquals(0, sgd.weightDecay());
        assertEquals(false, sgd.nesterov());
    }

    @Test
    void invalidSettings_areRejectedWithPyTorchsMessages() {
        List<Tensor> ps = List.of(Steps.engine().scalar(1).requiresGrad(true));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SGD.builder(ps).nesterov(true).build())
                .getMessage().contains("Nesterov momentum requires a momentum and zero dampening"));
        assertThrows(IllegalArgumentException.class,
                () -> SGD.builder(ps).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SGD.builder(ps).lr(-1).build())
                .getMessage().contains("Invalid learning rate: -1"));
        assertThrows(IllegalArgumentException.class, () -> SGD.builder(ps).momentum(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> SGD.builder(ps).weightDecay(-0.1).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of()).build())
                .getMessage().contains("empty parameter list"));
    }

    @Test
    void parameterList_nonLeafOrDuplicate_isRejected() {
        Engine e = Steps.engine();
        Tensor leaf = e.scalar(1).requiresGrad(true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(leaf.mul(2.0))).build())
                .getMessage().contains("non-leaf"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(leaf, leaf)).build())
                .getMessage().contains("more than once"));
    }

    @Test
    void step_parameterWithoutGradient_isLeftUntouched() {
        Engine e = Steps.engine();
        Tensor used = e.tensor(new double[] {1.0}).requiresGrad(true);
        Tensor unused = e.tensor(new double[] {5.0}).requiresGrad(true);
        SGD sgd = SGD.builder(List.of(used, unused)).lr(0.1).momentum(0.9).build();
        used.square().sum().backward();
        sgd.step();
        assertEquals(0.8, used.item(), 1e-15);
        assertEquals(5.0, unused.item());
        assertNull(unused.grad());
    }

    @Test
    void step_recordsNoGraphAndKeepsParametersLeaves() {
        Engine e = Steps.engine();
        Tensor p = e.tensor(new double[] {1.0, 2.0}).requiresGrad(true);
        SGD sgd = SGD.builder(List.of(p)).lr(0.1).momentum(0.5).weightDecay(0.1).build();
        p.square().sum().backward();
        sgd.step();
        assertTrue(p.isLeaf());
        assertNull(p.gradFn());
        assertTrue(p.requiresGrad());
        sgd.zeroGrad();
        assertNull(p.grad());
    }

    @Test
    void setLr_changesTheNextStep() {
        Engine e = Steps.engine();
        Tensor p = e.tensor(new double[] {1.0}).requiresGrad(true);
        SGD sgd = SGD.builder(List.of(p)).lr(0.1).build();
        sgd.setLr(0.25);
        p.square().sum().backward();
        sgd.step();
        assertEquals(0.5, p.item(), 1e-15);
        // like PyTorch's initial_lr, the base rate is the one in force when a schedule first asks for it
        assertEquals(0.25, sgd.initialLr());
        sgd.setLr(0.01);
        assertEquals(0.25, sgd.initialLr());
    }
}
