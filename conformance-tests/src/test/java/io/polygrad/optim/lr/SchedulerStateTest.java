package io.polygrad.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.optim.Adam;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedules over several groups, their state dicts, resuming with lastEpoch, and their errors. */
class SchedulerStateTest {

    private static Tensor param() {
        return Polygrad.engine().zeros(1).requiresGrad(true);
    }

    private static Optimizer sgd(double... lrs) {
        SGD.Builder b = SGD.builder().momentum(0.9);
        for (double lr : lrs) {
            b.group(List.of(param()), g -> g.lr(lr));
        }
        return b.build();
    }

    @Test
    void everyGroup_isScheduledFromItsOwnInitialRate() {
        Optimizer opt = sgd(0.1, 0.02);
        StepLR s = new StepLR(opt, 2, 0.5);
        s.step();
        s.step();
        assertEquals(List.of(0.05, 0.01), s.lastLrs());
        assertEquals(List.of(0.1, 0.02), s.baseLrs());
        assertEquals(0.01, opt.paramGroups().get(1).lr(), 0);
    }

    @Test
    void stateDict_restoresTheSchedulesPosition() {
        Optimizer opt = sgd(0.1);
        CosineAnnealingWarmRestarts s = new CosineAnnealingWarmRestarts(opt, 3, 2, 0.0);
        for (int i = 0; i < 5; i++) {
            s.step();
        }
        Map<String, Object> state = s.stateDict();
        assertEquals("CosineAnnealingWarmRestarts", state.get("scheduler"));
        Optimizer opt2 = sgd(0.1);
        CosineAnnealingWarmRestarts t = new CosineAnnealingWarmRestarts(opt2, 3, 2, 0.0);
        t.loadStateDict(state);
        opt2.paramGroups().get(0).setLr(opt.lr());
        for (int i = 0; i < 6; i++) {
            s.step();
            t.step();
            assertEquals(opt.lr(), opt2.lr(), 0, "step " + i);
        }
        assertEquals(s.tCur(), t.tCur(), 0);
    }

    @Test
    void loadStateDict_ofAnotherScheduleOrGroupCount_failsAndChangesNothing() {
        Optimizer opt = sgd(0.1);
        StepLR step = new StepLR(opt, 2, 0.5);
        Map<String, Object> state = step.stateDict();
        ExponentialLR other = new ExponentialLR(sgd(0.1), 0.9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(state));
        assertTrue(e.getMessage().contains("StepLR") && e.getMessage().contains("ExponentialLR"), e.getMessage());
        StepLR two = new StepLR(sgd(0.1, 0.2), 2, 0.5);
        two.step();
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class, () -> two.loadStateDict(state));
        assertTrue(groups.getMessage().contains("2 parameter groups"), groups.getMessage());
        assertEquals(1, two.lastEpoch());
        ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(opt).build();
        plateau.step(1.0);
        Map<String, Object> ps = plateau.stateDict();
        ReduceLROnPlateau fresh = ReduceLROnPlateau.builder(sgd(0.1)).build();
        fresh.loadStateDict(ps);
        assertEquals(1.0, fresh.best());
        assertEquals("-Infinity", ReduceLROnPlateau.builder(sgd(0.1)).mode(ReduceLROnPlateau.Mode.MAX).build()
                .stateDict().get("best"));
    }

    @Test
    void resuming_withoutInitialLr_failsNamingIt() {
        Optimizer opt = sgd(0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 2, 0.5, 4));
        assertTrue(e.getMessage().contains("initial_lr") && e.getMessage().contains("param_groups[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 2, 0.5, -2));
    }

    @Test
    void cyclicAndOneCycle_refuseWhatPyTorchRefuses() {
        Optimizer adam = Adam.builder(List.of(param())).build();
        IllegalArgumentException noMomentum = assertThrows(IllegalArgumentException.class,
                () -> CyclicLR.builder(adam, 0.001, 0.01).build());
        assertTrue(noMomentum.getMessage().contains("cycle_momentum"), noMomentum.getMessage());
        CyclicLR.builder(adam, 0.001, 0.01).cycleMomentum(false).build();
        OneCycleLR one = OneCycleLR.builder(adam, 0.01).totalSteps(2).build();
        assertEquals(0.95, adam.paramGroups().get(0).get("maxMomentum"), 0);
        assertEquals(0.01 / 25, adam.paramGroups().get(0).get("initialLr"), 0);
        one.step();
        one.step();
        IllegalStateException past = assertThrows(IllegalStateException.class, one::step);
        assertTrue(past.getMessage().contains("total steps is 2"), past.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OneCycleLR.builder(adam, 0.01).build());
        assertThrows(IllegalArgumentException.class, () -> OneCycleLR.builder(adam, 0.01).totalSteps(5).pctStart(1.5)
                .build());
        assertThrows(IllegalArgumentException.class, () -> CyclicLR.builder(sgd(0.1, 0.2), 0.01, 0.1).maxLrs(0.1));
        assertThrows(IllegalArgumentException.class, () -> new LambdaLR(sgd(0.1, 0.2), List.of(e -> 1.0)));
        assertThrows(IllegalArgumentException.class, () -> new ConstantLR(sgd(0.1), 1.5, 3));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(sgd(0.1), 0));
    }

    @Test
    void schedulesWithoutAClosedForm_sayso() {
        MultiplicativeLR m = new MultiplicativeLR(sgd(0.1), e -> 0.9);
        assertThrows(UnsupportedOperationException.class, () -> m.closedForm(3));
        PolynomialLR p = new PolynomialLR(sgd(0.1), 4, 2.0);
        assertEquals(0.1 * Math.pow(0.5, 2), p.closedForm(2), 1e-17);
        assertEquals(0, p.closedForm(10), 0);
    }
}
