package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64);

    /** The quadratic of the javadoc: a user-defined model in a few lines. */
    private Module quadratic() {
        return new Module("Quadratic") {
            final Tensor a = registerParameter("a", engine.scalar(1.1));
            final Tensor b = registerParameter("b", engine.scalar(1.1));
            final Tensor c = registerParameter("c", engine.scalar(1.1));

            @Override
            public Tensor forward(Tensor x) {
                return a.mul(x.square()).add(b.mul(x)).add(c);
            }
        };
    }

    private Sequential mlp() {
        return new Sequential(new Linear(engine, 1, 8), new ReLU(), new Linear(engine, 8, 1));
    }

    @Test
    void namedParameters_sequential_areIndexedHierarchicallyInRegistrationOrder() {
        Sequential net = mlp();
        Map<String, Tensor> named = net.namedParameters();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(named.keySet()));
        assertSame(((Linear) net.get(0)).weight(), named.get("0.weight"));
        assertSame(((Linear) net.get(2)).bias(), named.get("2.bias"));
        assertEquals(List.copyOf(named.values()), net.parameters());
    }

    @Test
    void namedParameters_nestedModules_joinNamesWithDots() {
        Module outer = new Module("Outer") {
            final Tensor scale = registerParameter("scale", engine.scalar(2.0));
            final Sequential body = registerModule("body", new Sequential(new Linear(engine, 2, 3),
                    new Sequential(new Tanh(), new Linear(engine, 3, 1))));

            @Override
            public Tensor forward(Tensor x) {
                return body.forward(x).mul(scale);
            }
        };
        assertEquals(List.of("scale", "body.0.weight", "body.0.bias", "body.1.1.weight", "body.1.1.bias"),
                List.copyOf(outer.namedParameters().keySet()));
        assertEquals(1 + 6 + 3 + 3 + 1, outer.parameterCount());
    }

    @Test
    void namedParameters_sharedModule_isListedOnceUnderItsFirstName() {
        Linear shared = new Linear(engine, 2, 2);
        Sequential tied = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(tied.namedParameters().keySet()));
        assertEquals(6, tied.parameterCount());
    }

    @Test
    void customModule_quadratic_computesAxSquaredPlusBxPlusC() {
        Module q = quadratic();
        Tensor y = q.forward(engine.tensor(new double[] {-1, 0, 2}));
        assertArrayEquals(new double[] {1.1, 1.1, 1.1 * 4 + 1.1 * 2 + 1.1}, y.toDoubleArray(), 1e-12);
        assertEquals(List.of("a", "b", "c"), List.copyOf(q.namedParameters().keySet()));
        for (Tensor p : q.parameters()) {
            assertTrue(p.requiresGrad());
            assertTrue(p.isLeaf());
        }
    }

    @Test
    void registerParameter_insideClosedScope_parameterSurvives() {
        Sequential net;
        try (TensorScope scope = TensorScope.open()) {
            net = mlp();
            net.forward(engine.ones(4, 1));
        }
        double[] w = net.namedParameters().get("0.weight").toDoubleArray();
        assertEquals(8, w.length);
        assertEquals(4, net.forward(engine.ones(4, 1)).numel());
    }

    @Test
    void registerParameter_badNames_areRejected() {
        IllegalArgumentException dot = assertThrows(IllegalArgumentException.class, () -> new Module("M") {
            final Tensor p = registerParameter("a.b", engine.scalar(1));

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(dot.getMessage().contains("'a.b'"), dot.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new Module("M") {
            final Tensor p = registerParameter("w", engine.scalar(1));
            final Tensor q = registerParameter("w", engine.scalar(2));

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());
    }

    @Test
    void registerParameter_nonLeaf_isRejectedWithAHint() {
        Tensor leaf = engine.scalar(1).requiresGrad(true);
        Tensor made = leaf.mul(2.0);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new Module("M") {
            final Tensor p = registerParameter("w", made);

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(ex.getMessage().contains("leaf") && ex.getMessage().contains("detach"), ex.getMessage());
    }

    @Test
    void zeroGrad_afterBackward_clearsEveryGradient() {
        Sequential net = mlp();
        net.forward(engine.ones(3, 1)).sum().backward();
        for (Tensor p : net.parameters()) {
            assertNotNull(p.grad());
        }
        net.zeroGrad();
        for (Tensor p : net.parameters()) {
            assertNull(p.grad());
        }
    }

    @Test
    void trainAndEval_propagateToChildren() {
        Sequential net = mlp();
        assertTrue(net.isTraining());
        net.eval();
        assertFalse(net.isTraining());
        assertFalse(net.get(0).isTraining());
        assertFalse(net.get(1).isTraining());
        net.train();
        assertTrue(net.get(2).isTraining());
    }

    @Test
    void toString_sequential_printsLikePyTorchRepr() {
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=1, out_features=8, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Linear(in_features=8, out_features=1, bias=True)\n"
                + ")", mlp().toString());
    }

    @Test
    void toString_nested_indentsChildrenByTwoSpacesPerLevel() {
        Sequential net = new Sequential(new Sequential(new Sigmoid(), new Linear(engine, 2, 2, false, DType.FLOAT64)),
                new Lambda("Square", Tensor::square));
        assertEquals("Sequential(\n"
                + "  (0): Sequential(\n"
                + "    (0): Sigmoid()\n"
                + "    (1): Linear(in_features=2, out_features=2, bias=False)\n"
                + "  )\n"
                + "  (1): Square()\n"
                + ")", net.toString());
        assertEquals("Quadratic()", quadratic().toString());
    }

    @Test
    void summary_listsEveryParameterWithShapeDtypeAndCount() {
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=1, out_features=8, bias=True)\n"
                + "  (1): ReLU()\n"
                + "  (2): Linear(in_features=8, out_features=1, bias=True)\n"
                + ")\n"
                + "name      shape   dtype    params\n"
                + "0.weight  [8, 1]  float64       8\n"
                + "0.bias    [8]     float64       8\n"
                + "2.weight  [1, 8]  float64       8\n"
                + "2.bias    [1]     float64       1\n"
                + "Total parameters: 25 (trainable: 25)", mlp().summary());
    }

    @Test
    void summary_frozenParameter_isCountedButNotTrainable() {
        Module q = quadratic();
        q.namedParameters().get("c").requiresGrad(false);
        assertTrue(q.summary().endsWith("Total parameters: 3 (trainable: 2)"), q.summary());
    }

    @Test
    void activations_forward_matchTheirDefinitions() {
        Tensor x = engine.tensor(new double[] {-2, 0, 0.5});
        assertArrayEquals(new double[] {0, 0, 0.5}, new ReLU().forward(x).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-0.5))},
                new Sigmoid().forward(x).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {Math.tanh(-2), 0, Math.tanh(0.5)}, new Tanh().forward(x).toDoubleArray(),
                1e-15);
        assertArrayEquals(new double[] {4, 0, 0.25}, new Lambda("Square", Tensor::square).forward(x).toDoubleArray(),
                0);
    }

    @Test
    void sequential_empty_isTheIdentity() {
        Tensor x = engine.tensor(new double[] {1, 2});
        assertSame(x, new Sequential().forward(x));
        assertEquals("Sequential()", new Sequential().toString());
        assertEquals(0, new Sequential().parameterCount());
    }
}
