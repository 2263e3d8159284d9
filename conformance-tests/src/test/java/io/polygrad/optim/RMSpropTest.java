package io.polygrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.polygrad.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * torch.optim.RMSprop on loss Σ p² (g = 2p) from p = [1, -2]. Per step:
 * <pre>
 * g ← g + wd·p;  v ← α·v + (1 - α)·g·g
 * centered: ḡ ← lerp(ḡ, g, 1 - α); avg = √(v - ḡ·ḡ) + eps     else avg = √v + eps
 * momentum &gt; 0: b ← μ·b + g/avg; p ← p - lr·b                 else p ← p - lr·g/avg
 * </pre>
 */
class RMSpropTest {

    /** Three steps written out from the equations above. */
    private static double[] byHand(double p0, double lr, double alpha, double eps, double wd, double mu,
            boolean centered) {
        double p = p0;
        double v = 0;
        double gAvg = 0;
        double b = 0;
        double[] out = new double[3];
        for (int t = 1; t <= 3; t++) {
            double g = 2 * p + wd * p;
            v = alpha * v + (1 - alpha) * g * g;
            double avg;
            if (centered) {
                gAvg = Steps.lerp(gAvg, g, 1 - alpha);
                avg = Math.sqrt(v + (-1 * gAvg) * gAvg) + eps;
            } else {
                avg = Math.sqrt(v) + eps;
            }
            if (mu > 0) {
                b = mu * b + g / avg;
                p = p - lr * b;
            } else {
                p = p - lr * g / avg;
            }
            out[t - 1] = p;
        }
        return out;
    }

    @Test
    void plain_firstStepDividesByTheRootMeanSquare() {
        double[][] r = Steps.run(ps -> RMSprop.builder(ps).lr(0.01).build(), 3);
        // t1: g = 2, v = 0.01·4 = 0.04, avg = 0.2 + 1e-8, p = 1 - 0.01·2/(0.2 + 1e-8) ≈ 0.9
        assertEquals(1 - 0.02 / (0.2 + 1e-8), r[0][0], 1e-15);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.01, 0.99, 1e-8, 0, 0, false));
    }

    @Test
    void alphaAndEps_enterAsInPyTorch() {
        double[][] r = Steps.run(ps -> RMSprop.builder(ps).lr(0.05).alpha(0.5).eps(0.1).build(), 3);
        // t1: v = 0.5·4 = 2, avg = √2 + 0.1, p = 1 - 0.05·2/(√2 + 0.1)
        assertEquals(1 - 0.1 / (Math.sqrt(2) + 0.1), r[0][0], 1e-15);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.05, 0.5, 0.1, 0, 0, false));
    }

    @Test
    void momentum_accumulatesNormalisedGradients() {
        double[][] r = Steps.run(ps -> RMSprop.builder(ps).lr(0.01).momentum(0.9).build(), 3);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.01, 0.99, 1e-8, 0, 0.9, false));
    }

    @Test
    void centered_subtractsTheSquaredMeanGradient() {
        double[][] r = Steps.run(ps -> RMSprop.builder(ps).lr(0.01).alpha(0.9).centered(true).build(), 3);
        // t1: g = 2, v = 0.1·4 = 0.4, ḡ = 0.1·2 = 0.2, avg = √(0.4 - 0.04) + 1e-8 = 0.6 + 1e-8
        assertEquals(1 - 0.01 * 2 / (Math.sqrt(0.4 - 0.2 * 0.2) + 1e-8), r[0][0], 1e-15);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.01, 0.9, 1e-8, 0, 0, true));
        double[][] plain = Steps.run(ps -> RMSprop.builder(ps).lr(0.01).alpha(0.9).build(), 3);
        assertNotEquals(plain[0][0], r[0][0]);
    }

    @Test
    void centeredWithMomentumAndWeightDecay_combine() {
        double[][] r = Steps.run(ps -> RMSprop.builder(ps).lr(0.02).alpha(0.8).momentum(0.5).centered(true)
                .weightDecay(0.1).build(), 3);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.02, 0.8, 1e-8, 0.1, 0.5, true));
    }

    @Test
    void weightDecay_isAddedToTheGradient() {
        double[][] r = Steps.run(ps -> RMSprop.builder(ps).lr(0.01).weightDecay(0.3).build(), 3);
        Steps.assertTrajectory(r, p0 -> byHand(p0, 0.01, 0.99, 1e-8, 0.3, 0, false));
    }

    @Test
    void defaults_matchPyTorch() {
        RMSprop r = RMSprop.builder(List.of(Steps.engine().scalar(1).requiresGrad(true))).build();
        assertEquals(1e-2, r.lr());
        assertEquals(0.99, r.alpha());
        assertEquals(1e-8, r.eps());
        assertEquals(0, r.weightDecay());
        assertEquals(0, r.momentum());
        assertEquals(false, r.centered());
    }

    @Test
    void invalidSettings_areRejected() {
        List<Tensor> ps = List.of(Steps.engine().scalar(1).requiresGrad(true));
        assertThrows(IllegalArgumentException.class, () -> RMSprop.builder(ps).alpha(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> RMSprop.builder(ps).eps(-1).build());
        assertThrows(IllegalArgumentException.class, () -> RMSprop.builder(ps).momentum(-1).build());
        assertThrows(IllegalArgumentException.class, () -> RMSprop.builder(ps).lr(Double.NaN).build());
    }
}
