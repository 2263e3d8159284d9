package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The djl backend's native relu and its gradient, against PyTorch's values written out by hand. */
class DjlActivationTest {

    private static final DjlBackend B = DjlTesting.backend();
    private static final ActivationKernels K = B.activationKernels().orElseThrow();
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("relu keeps NaN and zeroes negatives; its gradient passes where the result is not 0 (relu'(0) = 0, "
            + "relu'(NaN) = 1), through the kept graph, then by the re-run, then from a plain forward")
    void reluBackward_everyPath_givesThresholdBackward(DType dtype) {
        int before = B.managedArrayCount();
        try (BackendArray x = DjlTesting.array(dtype, new int[] {2, 4}, -2, -0.0, 0, 0.5, NAN, INF, -INF, 3);
             BackendArray g = DjlTesting.array(dtype, new int[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
             BackendArray kept = K.reluForBackward(x);
             BackendArray plain = K.relu(x)) {
            DjlTesting.assertExact(K.relu(x), dtype, x.shape(), 0, 0, 0, 0.5, NAN, INF, 0, 3);
            for (BackendArray out : new BackendArray[] {kept, kept, plain}) {
                DjlTesting.assertExact(K.reluBackward(g, out), dtype, x.shape(), 0, 0, 0, 4, 5, 6, 0, 8);
            }
        }
        assertEquals(before, B.managedArrayCount(), "tensors left in the backend's NDManager");
    }

    @Test
    @DisplayName("reluForBackward leaves libtorch's grad mode as it found it")
    void reluForBackward_restoresGradMode() {
        boolean mode = JniUtils.isGradMode();
        try (BackendArray x = DjlTesting.array(DType.FLOAT32, new int[] {3}, -1, 0, 1);
             BackendArray y = K.reluForBackward(x)) {
            assertEquals(mode, JniUtils.isGradMode());
            DjlTesting.assertExact(K.reluBackward(x, y), DType.FLOAT32, x.shape(), 0, 0, 1);
        }
        assertEquals(mode, JniUtils.isGradMode());
    }
}
