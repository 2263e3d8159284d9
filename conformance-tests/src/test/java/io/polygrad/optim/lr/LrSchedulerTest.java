package io.polygrad.optim.lr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.SGD;
import io.polygrad.scratch.ScratchModule;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Each schedule's learning rates for epochs 0..n (epoch 0 is set by the constructor, as in PyTorch)
 * against PyTorch's closed forms, written out here. The schedules step by PyTorch's recursive
 * (chainable) forms, so agreement is to rounding (1e-12).
 */
class LrSchedulerTest {

    private static final double BASE = 0.1;

    private static Optimizer optimizer() {
        return SGD.builder(List.of(BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64)
                .scalar(1).requiresGrad(true))).lr(BASE).build();
    }

    /** Returns the optimizer's rate at epochs 0..epochs. */
    private static double[] rates(LrScheduler s, int epochs) {
        double[] out = new double[epochs + 1];
        out[0] = s.optimizer().lr();
        for (int e = 1; e <= epochs; e++) {
            s.step();
            out[e] = s.optimizer().lr();
            assertEquals(out[e], s.lastLr(), 0);
        }
        return out;
    }

    private static void assertSchedule(double[] actual, IntToDoubleFunction closedForm) {
        for (int e = 0; e < actual.length; e++) {
            assertEquals(closedForm.applyAsDouble(e), actual[e], 1e-12, "epoch " + e);
        }
    }

    @Test
    void stepLR_decaysByGammaEveryStepSizeEpochs() {
        StepLR s = new StepLR(optimizer(), 3, 0.5);
        double[] r = rates(s, 10);
        assertSchedule(r, e -> BASE * Math.pow(0.5, e / 3));
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025}, java.util.Arrays.copyOf(r, 7), 1e-15);
        assertEquals(BASE * Math.pow(0.5, 3), s.closedForm(9), 1e-15);
    }

    @Test
    void multiStepLR_decaysAtEachMilestoneCountingRepeats() {
        MultiStepLR s = new MultiStepLR(optimizer(), new int[] {5, 2, 8, 5}, 0.1);
        // milestones ≤ e: e<2: 0, 2..4: 1, 5..7: 3 (5 listed twice), 8+: 4
        int[] passed = {0, 0, 1, 1, 1, 3, 3, 3, 4, 4, 4};
        double[] r = rates(s, 10);
        assertSchedule(r, e -> BASE * Math.pow(0.1, passed[e]));
        assertEquals(BASE * 1e-3, s.closedForm(6), 1e-15);
    }

    @Test
    void exponentialLR_multipliesByGammaEachEpoch() {
        ExponentialLR s = new ExponentialLR(optimizer(), 0.9);
        assertSchedule(rates(s, 20), e -> BASE * Math.pow(0.9, e));
    }

    @Test
    void cosineAnnealingLR_followsTheHalfCosineAndContinuesPastTMax() {
        double etaMin = 0.001;
        CosineAnnealingLR s = new CosineAnnealingLR(optimizer(), 10, etaMin);
        double[] r = rates(s, 25);
        assertSchedule(r, e -> etaMin + (BASE - etaMin) * (1 + Math.cos(Math.PI * e / 10)) / 2);
        assertEquals(etaMin, r[10], 1e-12);
        assertEquals(BASE, r[20], 1e-12);
        assertEquals((BASE + etaMin) / 2, r[5], 1e-12);
    }

    @Test
    void linearLR_warmsUpLinearlyThenHolds() {
        LinearLR s = new LinearLR(optimizer(), 0.25, 1.0, 4);
        double[] r = rates(s, 8);
        assertSchedule(r, e -> BASE * (0.25 + 0.75 * Math.min(e, 4) / 4.0));
        assertArrayEquals(new double[] {0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1}, java.util.Arrays.copyOf(r, 6),
                1e-15);
    }

    @Test
    void linearLR_decayWithEndFactorBelowStart() {
        LinearLR s = new LinearLR(optimizer(), 1.0, 0.1, 5);
        assertSchedule(rates(s, 8), e -> BASE * (1.0 - 0.9 * Math.min(e, 5) / 5.0));
    }

    @Test
    void sequentialLR_warmUpThenCosineRestartingAtTheMilestone() {
        Optimizer opt = optimizer();
        LinearLR warmup = new LinearLR(opt, 0.1, 1.0, 3);
        CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 5, 0.0);
        SequentialLR s = new SequentialLR(opt, List.of(warmup, cosine), new int[] {3});
        double[] r = rates(s, 12);
        assertSchedule(r, e -> e < 3
                ? BASE * (0.1 + 0.9 * e / 3.0)
                : BASE * (1 + Math.cos(Math.PI * (e - 3) / 5)) / 2);
        assertEquals(0.01, r[0], 1e-15);
        assertEquals(BASE, r[3], 1e-15);
    }

    @Test
    void sequentialLR_threeStepSchedules() {
        Optimizer opt = optimizer();
        SequentialLR s = new SequentialLR(opt, List.of(new ExponentialLR(opt, 0.5), new StepLR(opt, 2, 0.1),
                new ExponentialLR(opt, 0.9)), new int[] {2, 6});
        double[] r = rates(s, 9);
        assertSchedule(r, e -> e < 2 ? BASE * Math.pow(0.5, e)
                : e < 6 ? BASE * Math.pow(0.1, (e - 2) / 2)
                : BASE * Math.pow(0.9, e - 6));
    }

    @Test
    void chainedScheduler_multipliesTheSchedulesFactors() {
        Optimizer opt = optimizer();
        ChainedScheduler s = new ChainedScheduler(List.of(new LinearLR(opt, 0.5, 1.0, 2), new ExponentialLR(opt, 0.9)));
        assertSchedule(rates(s, 8), e -> BASE * (0.5 + 0.5 * Math.min(e, 2) / 2.0) * Math.pow(0.9, e));
    }

    @Test
    void schedules_invalidArguments_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StepLR(optimizer(), 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(optimizer(), 0, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LinearLR(optimizer(), 0, 1, 5))
                .getMessage().contains("Starting multiplicative factor"));
        Optimizer opt = optimizer();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(opt, List.of(new StepLR(opt, 1, 0.5)), new int[] {3})).getMessage()
                .contains("expected 0 milestones"));
        Optimizer other = optimizer();
        assertThrows(IllegalArgumentException.class,
                () -> new ChainedScheduler(List.of(new StepLR(opt, 1, 0.5), new StepLR(other, 1, 0.5))));
    }

    // ---------------------------------------------------------------- ReduceLROnPlateau

    private static double[] plateauRates(ReduceLROnPlateau p, double... metrics) {
        double[] out = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            p.step(metrics[i]);
            out[i] = p.lastLr();
        }
        return out;
    }

    @Test
    void reduceLROnPlateau_reducesAfterPatienceThenCoolsDown() {
        Optimizer opt = SGD.builder(optimizer().parameters()).lr(1.0).build();
        ReduceLROnPlateau p = ReduceLROnPlateau.builder(opt).factor(0.5).patience(2).cooldown(1).build();
        // 10 best; 9 best; 9,9 bad 1,2; 9 bad 3 > 2: lr 0.5, cooldown 1
        // 8 best (cooldown ends); 8,8 bad 1,2; 8 bad 3: lr 0.25, cooldown 1
        // 8: bad 1 but cooldown resets it to 0; 8,8 bad 1,2; 8 bad 3: lr 0.125
        double[] r = plateauRates(p, 10, 9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8);
        assertArrayEquals(new double[] {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125}, r, 0);
        assertEquals(0.125, opt.lr());
        assertEquals(8, p.best());
    }

    @Test
    void reduceLROnPlateau_relativeThreshold_ignoresTinyImprovements() {
        Optimizer opt = SGD.builder(optimizer().parameters()).lr(1.0).build();
        ReduceLROnPlateau p = ReduceLROnPlateau.builder(opt).patience(1).build();
        // best 1.0; 0.99995 is not below 1.0·(1 - 1e-4) = 0.9999: bad 1; again: bad 2 > 1 → lr·0.1
        assertArrayEquals(new double[] {1, 1, 0.1}, plateauRates(p, 1.0, 0.99995, 0.99995), 1e-15);
    }

    @Test
    void reduceLROnPlateau_absoluteThresholdAndMaxMode() {
        Optimizer opt = SGD.builder(optimizer().parameters()).lr(1.0).build();
        ReduceLROnPlateau abs = ReduceLROnPlateau.builder(opt).patience(0)
                .threshold(0.5, ReduceLROnPlateau.ThresholdMode.ABS).factor(0.5).build();
        // best 10; 9.6 is not below 10 - 0.5: bad 1 > 0 → 0.5; 9.0 < 9.5 → best
        assertArrayEquals(new double[] {1, 0.5, 0.5}, plateauRates(abs, 10, 9.6, 9.0), 0);
        Optimizer opt2 = SGD.builder(optimizer().parameters()).lr(1.0).build();
        ReduceLROnPlateau max = ReduceLROnPlateau.builder(opt2).mode(ReduceLROnPlateau.Mode.MAX).patience(0)
                .factor(0.5).build();
        // accuracy: 0.5 best, 0.6 best, 0.6 bad → 0.5
        assertArrayEquals(new double[] {1, 1, 0.5}, plateauRates(max, 0.5, 0.6, 0.6), 0);
    }

    @Test
    void reduceLROnPlateau_neverGoesBelowMinLr() {
        Optimizer opt = SGD.builder(optimizer().parameters()).lr(1.0).build();
        ReduceLROnPlateau p = ReduceLROnPlateau.builder(opt).patience(0).minLr(0.05).build();
        // 1 → 0.1 → max(0.01, 0.05) = 0.05 → stays
        assertArrayEquals(new double[] {1, 0.1, 0.05, 0.05}, plateauRates(p, 1, 1, 1, 1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder(opt).factor(1.0).build());
    }
}
