package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Returns the autograd semantics every backend must give (PyTorch's): accumulation, no-grad scopes,
 * leaves, detach, in-place rules, kinks, broadcasting, promotion, NaN/Inf, scopes. Subclass it and
 * name the backend, as with {@link TensorOpsConformance}.
 *
 * <p>The semantics are specified in float32 and float64, so a backend that does not declare both
 * sees these tests aborted with that reason. Check ids: {@code autograd/<test method name>}.
 */
@ExtendWith(AutogradConformance.ExclusionInterceptor.class)
public abstract class AutogradConformance {

    private Engine engine;
    private Engine engine32;

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    @BeforeEach
    void createEngines() {
        JUnitChecks.requireDType(backend(), DType.FLOAT32);
        JUnitChecks.requireDType(backend(), DType.FLOAT64);
        engine = backend().engine(DType.FLOAT64);
        engine32 = backend().engine(DType.FLOAT32);
    }

    private Tensor leaf(double... values) {
        return engine.tensor(values).requiresGrad(true);
    }

    @Test
    @DisplayName("backward() called twice adds the gradient twice until zeroGrad()")
    void backward_calledTwice_accumulatesIntoGrad() {
        Tensor w = leaf(1.5, -2);
        Tensor loss = w.mul(w).sum();
        loss.backward();
        assertArrayEquals(new double[] {3, -4}, w.grad().toDoubleArray(), 0);
        loss.backward();
        assertArrayEquals(new double[] {6, -8}, w.grad().toDoubleArray(), 0);
        w.mul(3).sum().backward();
        assertArrayEquals(new double[] {9, -5}, w.grad().toDoubleArray(), 0);
        w.zeroGrad();
        assertNull(w.grad());
        w.mul(3).sum().backward();
        assertArrayEquals(new double[] {3, 3}, w.grad().toDoubleArray(), 0);
    }

    @Test
    @DisplayName("leaves that receive the same gradient keep independent grads through accumulation and zeroGrad")
    void backward_sharedPassThroughGradient_leavesStayIndependent() {
        Tensor a = leaf(1, 2);
        Tensor b = leaf(3, 4);
        Tensor c = leaf(5, 6);
        a.add(b.add(c)).sum().backward();
        a.mul(3).sum().backward();
        assertArrayEquals(new double[] {4, 4}, a.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1}, b.grad().toDoubleArray(), 0);
        b.zeroGrad();
        assertArrayEquals(new double[] {1, 1}, c.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {4, 4}, a.grad().toDoubleArray(), 0);
        Tensor upstream = engine.tensor(new double[] {0.5, -1});
        Tensor d = leaf(7, 8);
        d.mul(1).backward(upstream);
        d.mul(1).backward(upstream);
        assertArrayEquals(new double[] {0.5, -1}, upstream.toDoubleArray(), 0, "the caller's gradient is untouched");
        assertArrayEquals(new double[] {1, -2}, d.grad().toDoubleArray(), 0);
    }

    @Test
    @DisplayName("a value used twice gets both contributions")
    void backward_valueUsedTwice_sumsBothPaths() {
        Tensor x = leaf(3);
        x.mul(x).add(x).sum().backward();
        assertEquals(7, x.grad().item(), 0);
    }

    @Test
    @DisplayName("inside NoGrad nothing is recorded")
    void noGrad_scope_recordsNothing() {
        Tensor w = leaf(1, 2);
        Tensor y;
        try (NoGrad ignored = NoGrad.enter()) {
            assertFalse(NoGrad.isGradEnabled());
            y = w.mul(2).exp();
        }
        assertTrue(NoGrad.isGradEnabled());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        assertTrue(y.isLeaf());
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    @Test
    @DisplayName("an in-place update of a leaf requiring grad fails outside NoGrad, with PyTorch's message")
    void subi_leafRequiringGradOutsideNoGrad_fails() {
        Tensor w = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.subi(engine.scalar(1)));
        assertTrue(e.getMessage().contains("a leaf Tensor that requires grad is being used in an in-place operation"),
                e.getMessage());
        assertArrayEquals(new double[] {1, 2}, w.toDoubleArray(), 0);
    }

    @Test
    @DisplayName("an in-place update under NoGrad changes the leaf and keeps it a leaf")
    void subi_underNoGrad_updatesLeafWithoutGraph() {
        Tensor w = leaf(1, 2);
        w.mul(w).sum().backward();
        try (NoGrad ignored = NoGrad.enter()) {
            w.subi(w.grad().mul(0.5));
        }
        assertArrayEquals(new double[] {0, 0}, w.toDoubleArray(), 0);
        assertTrue(w.isLeaf());
        assertTrue(w.requiresGrad());
    }

    @Test
    @DisplayName("detach() gives a new leaf through which no gradient flows")
    void detach_result_isLeafWithoutGradient() {
        Tensor w = leaf(2);
        Tensor d = w.mul(3).detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        w.mul(d).sum().backward();
        assertEquals(6, w.grad().item(), 0);
    }

    @Test
    @DisplayName("non-leaf tensors keep a gradient only after retainGrad()")
    void backward_nonLeaf_keepsGradOnlyWhenRetained() {
        Tensor w = leaf(2);
        Tensor h = w.mul(3);
        Tensor k = w.mul(4).retainGrad();
        assertFalse(h.isLeaf());
        assertEquals("MulBackward", h.gradFn());
        h.mul(k).sum().backward();
        assertNull(h.grad());
        assertEquals(6, k.grad().item(), 0);
        assertEquals(2 * 3 * 4 * 2, w.grad().item(), 0);
    }

    @Test
    @DisplayName("backward() on a non-scalar needs an explicit gradient; with one it computes a vector-Jacobian product")
    void backward_nonScalar_needsExplicitGradient() {
        Tensor w = leaf(1, 2, 3);
        Tensor y = w.mul(w);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("only for scalar outputs"), e.getMessage());
        y.backward(engine.tensor(new double[] {1, 0.5, -1}));
        assertArrayEquals(new double[] {2, 2, -6}, w.grad().toDoubleArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> y.backward(engine.tensor(new double[] {1, 2})));
    }

    @Test
    @DisplayName("backward() on a tensor that does not require grad fails clearly")
    void backward_withoutRequiresGrad_fails() {
        Tensor x = engine.tensor(new double[] {1, 2});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    @DisplayName("requiresGrad can only be changed on leaves")
    void requiresGrad_onNonLeaf_fails() {
        Tensor y = leaf(1).mul(2);
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    }

    @Test
    @DisplayName("derivatives at kinks follow PyTorch: relu'(0) = 0, abs'(0) = 0, sign' = 0")
    void backward_atKinks_matchesPyTorchConventions() {
        Tensor x = leaf(0, 0, 0);
        x.index(0, 0).relu().add(x.index(0, 1).abs()).add(x.index(0, 2).sign()).backward();
        assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    @DisplayName("maximum, minimum and max share the gradient equally between ties")
    void backward_ties_splitGradientEqually() {
        Tensor a = leaf(1, 2);
        Tensor b = leaf(1, 3);
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {0.5, 0}, a.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0.5, 1}, b.grad().toDoubleArray(), 0);
        Tensor c = leaf(4, 1, 4);
        c.max().backward();
        assertArrayEquals(new double[] {0.5, 0, 0.5}, c.grad().toDoubleArray(), 0);
        Tensor d = leaf(2);
        d.clamp(0, 2).sum().backward();
        assertEquals(1, d.grad().item(), 0, "clamp passes the gradient at its upper bound");
    }

    @Test
    @DisplayName("the gradient of a broadcast input is summed back to its shape")
    void backward_broadcastInput_gradientSummedToItsShape() {
        Tensor x = engine.tensor(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor bias = engine.tensor(new double[] {0, 0, 0}).requiresGrad(true);
        Tensor scale = engine.tensor(new double[] {1, 1}, 2, 1).requiresGrad(true);
        x.add(bias).mul(scale).sum().backward();
        assertArrayEquals(new int[] {3}, bias.grad().shape());
        assertArrayEquals(new double[] {2, 2, 2}, bias.grad().toDoubleArray(), 0);
        assertArrayEquals(new int[] {2, 1}, scale.grad().shape());
        assertArrayEquals(new double[] {6, 15}, scale.grad().toDoubleArray(), 0);
    }

    @Test
    @DisplayName("float32 with float64 promotes to float64; each leaf's gradient keeps the leaf's dtype")
    void binary_mixedDTypes_promotesToFloat64() {
        Tensor a = engine32.tensor(new float[] {1.5f, 2}).requiresGrad(true);
        Tensor b = engine.tensor(new double[] {0.1, 0.2}, DType.FLOAT64).requiresGrad(true);
        Tensor y = a.mul(b);
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertEquals(DType.FLOAT64, b.grad().dtype());
        assertArrayEquals(new double[] {0.1f, 0.2f}, a.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {1.5, 2}, b.grad().toDoubleArray(), 0);
    }

    @Test
    @DisplayName("float32 results stay float32 and are rounded to float")
    void ops_float32Inputs_produceFloat32Values() {
        Tensor x = engine32.tensor(new float[] {0.1f, 0.7f});
        Tensor y = x.mul(x).add(x.exp()).sum();
        assertEquals(DType.FLOAT32, y.dtype());
        double v = y.item();
        assertEquals((float) v, v, 0, "a float32 value must be representable as float");
    }

    @Test
    @DisplayName("NaN and infinity flow through as values, without exceptions")
    void ops_nanAndInfinity_flowThrough() {
        Tensor x = engine.tensor(new double[] {-1, 0, Double.NaN});
        double[] log = x.log().toDoubleArray();
        assertTrue(Double.isNaN(log[0]));
        assertEquals(Double.NEGATIVE_INFINITY, log[1]);
        assertTrue(Double.isNaN(log[2]));
        double[] inv = x.rdiv(1).toDoubleArray();
        assertEquals(Double.POSITIVE_INFINITY, inv[1]);
        assertTrue(Double.isNaN(x.max().item()), "max with a NaN is NaN");
        assertTrue(Double.isNaN(x.sum().item()));
    }

    @Test
    @DisplayName("shape mismatches name the op and both shapes")
    void add_incompatibleShapes_namesOpAndShapes() {
        Tensor a = engine.zeros(2, 3);
        Tensor b = engine.zeros(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("Add") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4]"), e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> a.matmul(engine.zeros(2, 3)));
        assertTrue(m.getMessage().contains("matmul") && m.getMessage().contains("[2, 3]"), m.getMessage());
    }

    @Test
    @DisplayName("a long chain of ops back-propagates without overflowing the stack")
    void backward_longChain_doesNotOverflowStack() {
        Tensor w = leaf(1);
        Tensor y = w;
        for (int i = 0; i < 50_000; i++) {
            y = y.mul(1.0);
        }
        y.sum().backward();
        assertEquals(1, w.grad().item(), 0);
    }

    @Test
    @DisplayName("a TensorScope releases intermediates but keeps kept tensors, parameters and gradients")
    void tensorScope_close_releasesOnlyIntermediates() {
        Tensor w = leaf(1, 2);
        Tensor kept;
        Tensor intermediate;
        try (TensorScope scope = TensorScope.open()) {
            intermediate = w.mul(2);
            Tensor loss = intermediate.sum();
            kept = scope.keep(loss.mul(1));
            loss.backward();
        }
        assertTrue(intermediate.isReleased());
        IllegalStateException e = assertThrows(IllegalStateException.class, intermediate::toDoubleArray);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertEquals(6, kept.item(), 0);
        assertArrayEquals(new double[] {1, 2}, w.toDoubleArray(), 0);
        assertNotNull(w.grad());
        assertArrayEquals(new double[] {2, 2}, w.grad().toDoubleArray(), 0);
    }

    @Test
    @DisplayName("the same seed gives initial values bit-identical to scratch's, in both dtypes")
    void randn_sameSeed_bitIdenticalToScratch() {
        JUnitChecks.check(backend(), "init/float32", () -> InitChecks.initialValuesBitIdentical(backend(), DType.FLOAT32, 7));
        JUnitChecks.check(backend(), "init/float64", () -> InitChecks.initialValuesBitIdentical(backend(), DType.FLOAT64, 7));
    }

    /** Runs each test as the check {@code autograd/<method name>}, applying the backend's exclusions. */
    static final class ExclusionInterceptor implements InvocationInterceptor {
        @Override
        public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                ExtensionContext extensionContext) {
            AutogradConformance test = (AutogradConformance) context.getTarget().orElseThrow();
            JUnitChecks.check(test.backend(), "autograd/" + context.getExecutable().getName(), () -> {
                try {
                    invocation.proceed();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            });
        }
    }
}
