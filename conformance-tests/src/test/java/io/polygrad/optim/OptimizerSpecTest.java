package io.polygrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Optimizer specs: names and keys checked up front, defaults equal to the builders', the same steps as a builder. */
class OptimizerSpecTest {

    private static List<Tensor> params() {
        return List.of(Steps.engine().tensor(Steps.P0).requiresGrad(true));
    }

    @Test
    void sgd_withoutLr_failsNamingLr_asPyTorchsSgdHasNoDefault() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("sgd").lr())
                .getMessage().contains("'lr'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("sgd").create(params()))
                .getMessage().contains("lr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SGD.builder(params()).momentum(0.9).build())
                .getMessage().contains("requires a learning rate"));
    }

    @Test
    void defaults_areTheBuildersDefaults() {
        assertEquals(List.of("sgd", "adam", "adamw", "rmsprop", "adagrad", "adamax", "nadam", "radam"),
                OptimizerSpec.names());
        SGD sgd = assertInstanceOf(SGD.class, OptimizerSpec.of("sgd").with("lr", 0.5).create(params()));
        OptimizerSpec s = OptimizerSpec.of("sgd").with("lr", 0.5);
        assertEquals(List.of(sgd.lr(), sgd.momentum(), sgd.dampening(), sgd.weightDecay(), sgd.nesterov() ? 1.0 : 0),
                List.of(s.lr(), s.value("momentum"), s.value("dampening"), s.value("weightDecay"), s.value("nesterov")));
        for (String name : List.of("adam", "adamw")) {
            AdaptiveMoments a = (AdaptiveMoments) OptimizerSpec.of(name).create(params());
            OptimizerSpec spec = OptimizerSpec.of(name);
            assertEquals(List.of(a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.amsgrad() ? 1.0 : 0),
                    List.of(spec.lr(), spec.value("beta1"), spec.value("beta2"), spec.value("eps"),
                            spec.value("weightDecay"), spec.value("amsgrad")), name);
        }
        assertInstanceOf(Adam.class, OptimizerSpec.of("adam").create(params()));
        assertInstanceOf(AdamW.class, OptimizerSpec.of("adamw").create(params()));
        RMSprop rms = assertInstanceOf(RMSprop.class, OptimizerSpec.of("rmsprop").create(params()));
        OptimizerSpec r = OptimizerSpec.of("rmsprop");
        assertEquals(List.of(rms.lr(), rms.alpha(), rms.eps(), rms.weightDecay(), rms.momentum(),
                rms.centered() ? 1.0 : 0), List.of(r.lr(), r.value("alpha"), r.value("eps"), r.value("weightDecay"),
                        r.value("momentum"), r.value("centered")));
    }

    @Test
    void create_everyKeySet_reachesTheBuilder() {
        SGD sgd = (SGD) new OptimizerSpec("sgd", Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.0,
                "weightDecay", 0.01, "nesterov", 1.0)).create(params());
        assertEquals(List.of(0.1, 0.9, 0.0, 0.01), List.of(sgd.lr(), sgd.momentum(), sgd.dampening(), sgd.weightDecay()));
        assertTrue(sgd.nesterov());
        Adam adam = (Adam) new OptimizerSpec("adam", Map.of("lr", 0.01, "beta1", 0.8, "eps", 1e-6, "weightDecay",
                0.1, "amsgrad", 1.0)).create(params());
        assertEquals(List.of(0.01, 0.8, 0.999, 1e-6, 0.1),
                List.of(adam.lr(), adam.beta1(), adam.beta2(), adam.eps(), adam.weightDecay()));
        assertTrue(adam.amsgrad());
        AdamW adamw = (AdamW) OptimizerSpec.of("adamw").with("beta2", 0.99).with("weightDecay", 0.0).create(params());
        assertEquals(List.of(0.9, 0.99, 0.0), List.of(adamw.beta1(), adamw.beta2(), adamw.weightDecay()));
        RMSprop rms = (RMSprop) new OptimizerSpec("rmsprop", Map.of("lr", 0.02, "alpha", 0.9, "eps", 1e-6,
                "weightDecay", 0.1, "momentum", 0.5, "centered", 1.0)).create(params());
        assertEquals(List.of(0.02, 0.9, 1e-6, 0.1, 0.5),
                List.of(rms.lr(), rms.alpha(), rms.eps(), rms.weightDecay(), rms.momentum()));
        assertTrue(rms.centered());
    }

    @Test
    void create_takesTheStepsOfTheSameBuilder() {
        OptimizerSpec sgd = OptimizerSpec.of("sgd").with("lr", 0.1).with("momentum", 0.9).with("nesterov", 1);
        assertArrayEquals(Steps.run(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).nesterov(true).build(), 3),
                Steps.run(sgd::create, 3));
        OptimizerSpec adam = OptimizerSpec.of("adam").with("lr", 0.1).with("beta1", 0.5);
        assertArrayEquals(Steps.run(ps -> Adam.builder(ps).lr(0.1).betas(0.5, 0.999).build(), 3),
                Steps.run(adam::create, 3));
    }

    @Test
    void hyperParameters_keepTheirOrder_andWithReplacesInPlace() {
        Map<String, Double> given = new LinkedHashMap<>();
        given.put("weightDecay", 0.1);
        given.put("lr", 0.5);
        given.put("momentum", 0.9);
        OptimizerSpec s = new OptimizerSpec("sgd", given);
        assertEquals(List.of("weightDecay", "lr", "momentum"), List.copyOf(s.hyperParameters().keySet()));
        OptimizerSpec t = s.with("lr", 0.2).with("dampening", 0.1);
        assertEquals(List.of("weightDecay", "lr", "momentum", "dampening"), List.copyOf(t.hyperParameters().keySet()));
        assertEquals(0.2, t.lr());
        assertEquals(0.5, s.lr(), "with returns a copy");
        given.put("lr", 9.0);
        assertEquals(0.5, s.lr(), "the spec copied the map");
        assertThrows(UnsupportedOperationException.class, () -> s.hyperParameters().put("lr", 1.0));
        assertEquals(OptimizerSpec.of("sgd").with("lr", 0.01), OptimizerSpec.of("sgd").with("lr", 0.01));
        assertFalse(OptimizerSpec.of("sgd").equals(OptimizerSpec.of("sgd").with("lr", 0.01)));
    }

    @Test
    void unknownNamesKeysAndFlags_failWithTheKnownOnes() {
        assertEquals("Unknown optimizer 'lbfgs'; known optimizers: sgd, adam, adamw, rmsprop, adagrad, adamax, nadam, "
                + "radam",
                assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("lbfgs")).getMessage());
        assertEquals("Unknown hyper-parameter 'beta1' for optimizer 'sgd'; known hyper-parameters: lr, momentum, "
                + "dampening, weightDecay, nesterov, maximize",
                assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("sgd").with("beta1", 0.9))
                        .getMessage());
        assertEquals("Unknown hyper-parameter 'momentum' for optimizer 'adam'; known hyper-parameters: lr, beta1, "
                + "beta2, eps, weightDecay, amsgrad, maximize",
                assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("adam").value("momentum"))
                        .getMessage());
        assertEquals("Hyper-parameter 'nesterov' of optimizer 'sgd' is a flag, 1 (on) or 0 (off); got 0.5",
                assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("sgd").with("nesterov", 0.5))
                        .getMessage());
        Map<String, Double> withNull = new LinkedHashMap<>();
        withNull.put("lr", null);
        assertThrows(NullPointerException.class, () -> new OptimizerSpec("sgd", withNull));
    }

    @Test
    void create_outOfRangeValue_failsWithTheBuildersMessage() {
        OptimizerSpec negative = OptimizerSpec.of("sgd").with("lr", -1);
        assertEquals("Invalid learning rate: -1.0",
                assertThrows(IllegalArgumentException.class, () -> negative.create(params())).getMessage());
    }
}
