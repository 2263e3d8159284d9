package io.polygrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.nn.Linear;
import io.polygrad.scratch.ScratchModule;
import org.junit.jupiter.api.Test;

class EngineDTypeTest {

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT32);

    @Test
    void withDType_sharesBackendAndGenerator() {
        Engine f64 = engine.withDType(DType.FLOAT64);
        assertEquals(DType.FLOAT64, f64.dtype());
        assertEquals(DType.FLOAT64, f64.config().dtype());
        assertSame(engine.backend(), f64.backend());
        assertSame(engine.generator(), f64.generator());
        assertSame(engine, engine.withDType(DType.FLOAT32));
        assertEquals(DType.FLOAT64, new Linear(f64, 2, 1).weight().dtype());
    }

    @Test
    void withDType_drawsContinueOneStream() {
        engine.manualSeed(3);
        double first = engine.rand(1).item();
        engine.manualSeed(3);
        engine.rand(1);
        Engine f64 = engine.withDType(DType.FLOAT64);
        double second = f64.rand(1).item();
        engine.manualSeed(3);
        double[] two = engine.withDType(DType.FLOAT64).rand(2).toDoubleArray();
        assertEquals((float) two[0], first, 0.0);
        assertEquals(two[1], second, 0.0);
    }

    @Test
    void toString_showsTheManualSeed() {
        assertEquals("Engine[backend=scratch, device=cpu, dtype=float32, seed=42]", engine.toString());
        engine.manualSeed(7);
        assertEquals("Engine[backend=scratch, device=cpu, dtype=float32, seed=7]", engine.toString());
        assertEquals("Engine[backend=scratch, device=cpu, dtype=float64, seed=7]",
                engine.withDType(DType.FLOAT64).toString());
    }

    @Test
    void polygradEngine_dtype_isOneInstancePerDTypeOnTheDefaultBackend() {
        Engine f64 = Polygrad.engine(DType.FLOAT64);
        assertSame(f64, Polygrad.engine(DType.FLOAT64));
        assertSame(f64, Polygrad.engine(Device.CPU, DType.FLOAT64));
        assertSame(Polygrad.engine().backend(), f64.backend());
        assertEquals(DType.FLOAT64, f64.dtype());
        assertSame(Polygrad.engine(), Polygrad.engine(Polygrad.engine().dtype()));
    }
}
