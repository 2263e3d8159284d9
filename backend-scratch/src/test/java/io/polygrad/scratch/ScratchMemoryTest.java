package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendOutOfMemoryError;
import io.polygrad.spi.UnaryOp;
import org.junit.jupiter.api.Test;

/** Allocation failures name the shape and bytes; released arrays give the released error. */
class ScratchMemoryTest {

    private final ScratchBackend backend = new ScratchBackend();

    @Test
    void anArrayJavaCannotHold_isABackendOutOfMemoryError_namingShapeDtypeAndBytes() {
        BackendOutOfMemoryError e = assertThrows(BackendOutOfMemoryError.class,
                () -> backend.full(new int[] {Integer.MAX_VALUE}, 1, DType.FLOAT64));
        assertEquals("scratch backend cannot allocate 17179869176 bytes (16.0 GiB) for a float64 array of shape "
                + "[2147483647] in full: OutOfMemoryError: Requested array size exceeds VM limit", e.getMessage());
        assertEquals(17179869176L, e.bytes());
        assertArrayEquals(new int[] {Integer.MAX_VALUE}, e.shape());
        assertEquals("scratch", e.backend());
        try (BackendArray ok = backend.full(new int[] {2}, 1, DType.FLOAT32)) {
            assertArrayEquals(new float[] {1, 1}, backend.toFloatArray(ok));
        }
    }

    @Test
    void aClosedArray_givesTheReleasedError() {
        BackendArray a = backend.full(new int[] {3}, 1, DType.FLOAT32);
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.unary(UnaryOp.EXP, a));
        assertEquals("Tensor of shape [3] has been released (by close() or by the TensorScope it was created in); "
                + "keep it with scope.keep(tensor) to use it after the scope", e.getMessage());
    }
}
