package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MixedBackendsTest {

    private final Engine scratch = OpChecks.REFERENCE.engine(DType.FLOAT64);
    private final Engine other = new DelegatingBackend("other").underTest().engine(DType.FLOAT64);

    @Test
    @DisplayName("combining tensors of two backends fails, naming both backends and the op")
    void add_tensorsOfTwoBackends_failsNamingBoth() {
        Tensor a = scratch.tensor(new double[] {1, 2});
        Tensor b = other.tensor(new double[] {3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("scratch") && e.getMessage().contains("other")
                && e.getMessage().contains("Add"), e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> a.reshape(1, 2).matmul(b.reshape(2, 1)));
        assertTrue(m.getMessage().contains("matmul"), m.getMessage());
    }

    @Test
    @DisplayName("backward(gradient) with a gradient of another backend fails, naming backward and both backends")
    void backward_gradientOfAnotherBackend_failsNamingBoth() {
        Tensor w = scratch.tensor(new double[] {1, 2}).requiresGrad(true);
        Tensor y = w.mul(w);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backward(other.tensor(new double[] {1, 1})));
        assertTrue(e.getMessage().contains("backward") && e.getMessage().contains("scratch")
                && e.getMessage().contains("other"), e.getMessage());
        y.backward(scratch.tensor(new double[] {1, 1}));
        assertArrayEquals(new double[] {2, 4}, w.grad().toDoubleArray(), 0);
    }

    @Test
    @DisplayName("toEngine copies a tensor to another backend, after which ops combine")
    void toEngine_copy_allowsCombining() {
        Tensor a = scratch.tensor(new double[] {1, 2});
        Tensor b = other.tensor(new double[] {3, 4});
        assertArrayEquals(new double[] {4, 6}, a.toEngine(other).add(b).toDoubleArray(), 0);
    }
}
