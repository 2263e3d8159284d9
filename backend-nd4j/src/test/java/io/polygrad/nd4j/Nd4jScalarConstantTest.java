package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Nd4jScalarConstantTest {

    private final Nd4jBackend backend = Fixtures.BACKEND;

    @Test
    @DisplayName("cached 0-d constants are independent handles: closing one leaves the others readable")
    void full_scalarTwice_closingOneHandleKeepsTheOther() {
        BackendArray a = backend.full(new int[0], 0.5, DType.FLOAT32);
        BackendArray b = backend.full(new int[0], 0.5, DType.FLOAT32);
        a.close();
        assertTrue(a.isClosed());
        assertFalse(b.isClosed());
        assertArrayEquals(new float[] {0.5f}, backend.toFloatArray(b));
        BackendArray c = backend.full(new int[0], 0.5, DType.FLOAT32);
        assertArrayEquals(new float[] {0.5f}, backend.toFloatArray(c));
    }

    @Test
    @DisplayName("constants of equal value but different dtype stay apart")
    void full_sameValueOtherDType_keepsItsDType() {
        BackendArray f = backend.full(new int[0], 0.1, DType.FLOAT32);
        BackendArray d = backend.full(new int[0], 0.1, DType.FLOAT64);
        assertEquals(DType.FLOAT32, f.dtype());
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(0.1, backend.toDoubleArray(d)[0], 0);
        assertEquals((double) 0.1f, backend.toDoubleArray(f)[0], 0);
    }
}
