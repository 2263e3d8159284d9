package io.polygrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DTypeAndDeviceTest {

    @Test
    void promote_float32WithFloat64_givesFloat64() {
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT32, DType.FLOAT32));
    }

    @Test
    void promote_int64_givesTheFloatDTypeAsPyTorch() {
        assertEquals(DType.FLOAT32, DType.promote(DType.INT64, DType.FLOAT32));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT64, DType.INT64));
        assertEquals(DType.INT64, DType.promote(DType.INT64, DType.INT64));
    }

    @Test
    void int64_parsesAndIsNotFloatingPoint() {
        assertEquals(DType.INT64, DType.parse("long"));
        assertEquals(DType.INT64, DType.parse("I64"));
        assertEquals("int64", DType.INT64.toString());
        assertEquals(8, DType.INT64.byteSize());
        assertEquals(java.util.List.of(DType.FLOAT32, DType.FLOAT64), DType.floatingPoint());
        assertEquals(false, DType.INT64.isFloatingPoint());
        assertEquals(DType.FLOAT64, DType.parseFloatingPoint("f64"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.parseFloatingPoint("i64"));
        assertEquals("dtype 'i64' is not a floating-point dtype: expected float32 (f32) or float64 (f64)", e.getMessage());
    }

    @Test
    void parse_knownSpellings_giveDTypeAndDevice() {
        assertEquals(DType.FLOAT64, DType.parse("F64"));
        assertEquals(DType.FLOAT32, DType.parse("float"));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(3), Device.parse("cuda:3"));
        assertEquals("cuda:3", Device.cuda(3).toString());
        assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x"));
    }

    @Test
    void generator_sameSeed_sameSequenceAndDifferentSeedsDiffer() {
        Generator a = new Generator(1);
        Generator b = new Generator(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        assertEquals(new Generator(5).nextGaussian(), new Generator(5).nextGaussian());
        org.junit.jupiter.api.Assertions.assertNotEquals(new Generator(1).nextLong(), new Generator(2).nextLong());
    }

    @Test
    void generator_uniform_staysInRangeWithMeanNearHalf() {
        Generator g = new Generator(42);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            double u = g.nextDouble();
            if (u < 0 || u >= 1) {
                throw new AssertionError("out of [0,1): " + u);
            }
            sum += u;
        }
        assertEquals(0.5, sum / 100_000, 0.01);
    }
}
