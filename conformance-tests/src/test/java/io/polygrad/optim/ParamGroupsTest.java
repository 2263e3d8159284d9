package io.polygrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter groups, addParamGroup, per-parameter state and stateDict/loadStateDict of the optimizers. */
class ParamGroupsTest {

    private static Tensor param(double... v) {
        return Steps.engine().tensor(v, v.length).requiresGrad(true);
    }

    /** Sets the gradient of every parameter to 2p (loss Σ p²). */
    private static void grad(List<Tensor> ps) {
        for (Tensor p : ps) {
            p.zeroGrad();
            p.square().sum().backward();
        }
    }

    @Test
    void groups_takeTheBuildersOptionsExceptTheirOwn() {
        Tensor a = param(1.0);
        Tensor b = param(1.0);
        SGD sgd = SGD.builder().lr(0.1).momentum(0.9).group(List.of(a)).group(List.of(b), g -> g.lr(0.01)).build();
        assertEquals(2, sgd.paramGroups().size());
        assertEquals(0.1, sgd.paramGroups().get(0).lr());
        assertEquals(0.01, sgd.paramGroups().get(1).lr());
        assertEquals(0.9, sgd.paramGroups().get(1).get("momentum"));
        grad(List.of(a, b));
        sgd.step();
        // p ← p - lr·2p at the first step (the momentum buffer starts as the gradient)
        assertEquals(0.8, a.item(), 1e-15);
        assertEquals(0.98, b.item(), 1e-15);
        assertEquals(List.of(a, b), sgd.parameters());
    }

    @Test
    void changingAGroupsOption_changesTheNextStep() {
        Tensor a = param(1.0);
        SGD sgd = SGD.builder(List.of(a)).lr(0.1).build();
        sgd.paramGroups().get(0).set("weightDecay", 1.0);
        grad(List.of(a));
        sgd.step();
        assertEquals(1 - 0.1 * 3, a.item(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.paramGroups().get(0).get("beta1"));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sgd.paramGroups().get(0).setLr(-1));
        assertThrows(IllegalArgumentException.class, () -> sgd.paramGroups().get(0).set("momentum", Double.NaN));
    }

    @Test
    void addParamGroup_usesTheDefaultsAndRejectsDuplicatesAndUnknownOptions() {
        Tensor a = param(1.0);
        Tensor b = param(1.0);
        Adam adam = Adam.builder(List.of(a)).lr(0.01).build();
        adam.addParamGroup(List.of(b), Map.of("lr", 0.5, "amsgrad", 1.0));
        assertEquals(0.5, adam.paramGroups().get(1).lr());
        assertTrue(adam.paramGroups().get(1).flag("amsgrad"));
        assertEquals(0.9, adam.paramGroups().get(1).get("beta1"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> adam.addParamGroup(List.of(a)));
        assertTrue(twice.getMessage().contains("more than one parameter group"), twice.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> adam.addParamGroup(List.of(param(2.0)), Map.of("momentum", 0.9)));
        assertTrue(unknown.getMessage().contains("momentum") && unknown.getMessage().contains("beta1"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> adam.addParamGroup(List.of()));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> adam.addParamGroup(List.of(param(2.0)), Map.of("beta2", 1.0)));
        assertTrue(range.getMessage().contains("Invalid beta parameter at index 1"), range.getMessage());
        assertEquals(2, adam.paramGroups().size());
    }

    @Test
    void builder_badGroups_failNamingTheProblem() {
        Tensor a = param(1.0);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Adam.builder().build());
        assertTrue(none.getMessage().contains("no parameters"), none.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> SGD.builder().lr(0.1).group(List.of(a)).group(List.of(a)).build());
        assertTrue(dup.getMessage().contains("more than one parameter group"), dup.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> SGD.builder().lr(0.1).group(List.of(a), g -> g.momentum(-1)).build());
        assertEquals("Invalid momentum value: -1.0", bad.getMessage());
        // SGD: a group's own lr satisfies the required lr, as in PyTorch
        SGD sgd = SGD.builder().group(List.of(a), g -> g.lr(0.3)).build();
        assertEquals(0.3, sgd.lr());
        assertThrows(IllegalStateException.class,
                () -> SGD.builder().group(List.of(a), g -> g.group(List.of(param(1.0)))));
        assertThrows(NullPointerException.class, () -> SGD.builder().group(null));
    }

    @Test
    void stateDict_roundTrip_continuesTheSameSteps() {
        Tensor a = param(1.0, -2.0);
        Tensor b = param(0.5);
        Adam one = Adam.builder().lr(0.1).amsgrad(true).group(List.of(a)).group(List.of(b), g -> g.lr(0.05)).build();
        for (int i = 0; i < 3; i++) {
            grad(List.of(a, b));
            one.step();
        }
        OptimizerState state = one.stateDict();
        assertEquals("Adam", state.optimizer());
        assertEquals(List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq", "state.1.exp_avg",
                "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"), List.copyOf(state.tensors().keySet()));
        assertEquals(3, state.state().get(0).step());
        assertNotSame(one.state(a).tensor("exp_avg"), state.state().get(0).tensors().get("exp_avg"));

        Tensor a2 = Steps.engine().tensor(a.toDoubleArray(), 2).requiresGrad(true);
        Tensor b2 = Steps.engine().tensor(b.toDoubleArray(), 1).requiresGrad(true);
        Adam two = Adam.builder().group(List.of(a2)).group(List.of(b2)).build();
        two.loadStateDict(OptimizerState.fromJson(state.toJson(), state.tensors()));
        assertEquals(0.05, two.paramGroups().get(1).lr());
        assertTrue(two.paramGroups().get(0).flag("amsgrad"));
        for (int i = 0; i < 3; i++) {
            grad(List.of(a, b, a2, b2));
            one.step();
            two.step();
        }
        assertArrayEquals(a.toDoubleArray(), a2.toDoubleArray(), 0);
        assertArrayEquals(b.toDoubleArray(), b2.toDoubleArray(), 0);
        assertEquals(6, two.state(a2).step());
    }

    @Test
    void loadStateDict_ofAnotherOptimizerOrShape_failsAndChangesNothing() {
        Tensor a = param(1.0, -2.0);
        Adam adam = Adam.builder(List.of(a)).build();
        grad(List.of(a));
        adam.step();
        OptimizerState state = adam.stateDict();

        SGD sgd = SGD.builder(List.of(param(1.0, 2.0))).lr(0.1).build();
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(state));
        assertTrue(other.getMessage().contains("Adam") && other.getMessage().contains("SGD"), other.getMessage());

        Tensor c = param(1.0, 2.0, 3.0);
        Adam wrongShape = Adam.builder(List.of(c)).lr(0.5).build();
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> wrongShape.loadStateDict(state));
        assertTrue(shape.getMessage().contains("[2]") && shape.getMessage().contains("[3]"), shape.getMessage());
        assertEquals(0.5, wrongShape.lr());
        assertTrue(wrongShape.state(c).isEmpty());

        Adam twoGroups = Adam.builder().group(List.of(param(1.0, 2.0))).group(List.of(param(1.0))).build();
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> twoGroups.loadStateDict(state));
        assertTrue(groups.getMessage().contains("parameter groups"), groups.getMessage());
        assertThrows(IllegalArgumentException.class, () -> adam.state(c));
    }

    @Test
    void newOptimizers_validateAsPyTorch() {
        List<Tensor> ps = List.of(param(1.0));
        assertEquals("Invalid lr_decay value: -1.0", assertThrows(IllegalArgumentException.class,
                () -> Adagrad.builder(ps).lrDecay(-1).build()).getMessage());
        assertEquals("Invalid initial_accumulator_value value: -1.0", assertThrows(IllegalArgumentException.class,
                () -> Adagrad.builder(ps).initialAccumulatorValue(-1).build()).getMessage());
        assertEquals("Invalid beta parameter at index 0: 1.0", assertThrows(IllegalArgumentException.class,
                () -> Adamax.builder(ps).betas(1.0, 0.9).build()).getMessage());
        assertEquals("Invalid momentum_decay value: -0.1", assertThrows(IllegalArgumentException.class,
                () -> NAdam.builder(ps).momentumDecay(-0.1).build()).getMessage());
        assertEquals("Invalid epsilon value: -1.0", assertThrows(IllegalArgumentException.class,
                () -> RAdam.builder(ps).eps(-1).build()).getMessage());
        IllegalArgumentException noMaximize = assertThrows(IllegalArgumentException.class,
                () -> NAdam.builder(ps).option("maximize", 1));
        assertTrue(noMaximize.getMessage().contains("maximize"), noMaximize.getMessage());
    }

    @Test
    void adagrad_fillsItsSumAtConstruction_andNAdamKeepsAFloat32MuProduct() {
        Tensor a = param(1.0);
        Adagrad ada = Adagrad.builder(List.of(a)).initialAccumulatorValue(0.25).build();
        assertEquals(0.25, ada.state(a).tensor("sum").item());
        assertEquals(0, ada.state(a).step());
        assertFalse(ada.state(a).isEmpty());

        NAdam nadam = NAdam.builder(List.of(a)).build();
        assertNull(nadam.state(a).tensor("exp_avg"));
        grad(List.of(a));
        nadam.step();
        double mu = 0.9 * (1. - 0.5 * Math.pow(0.96, 1 * 4e-3));
        assertEquals((double) (float) mu, nadam.state(a).scalar("mu_product", Double.NaN), 0);
    }

    @Test
    void engineOfStateCopies_isTheParametersEngine() {
        Tensor a = param(1.0);
        SGD sgd = SGD.builder(List.of(a)).lr(0.1).momentum(0.9).build();
        grad(List.of(a));
        sgd.step();
        OptimizerState s = sgd.stateDict();
        assertEquals(a.engine(), s.state().get(0).tensors().get("momentum_buffer").engine());
        assertEquals(0, s.state().get(0).step());
        assertEquals(List.of("momentum_buffer"), List.copyOf(s.state().get(0).tensors().keySet()));
    }
}
