package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.scratch.ScratchBackend;
import org.junit.jupiter.api.Test;

class DropoutTest {

    static Engine engine(DType dtype, long seed) {
        return new Engine(new ScratchBackend(), new PolygradConfig("scratch", Device.CPU, dtype, seed));
    }

    @Test
    void forward_inTraining_zeroesAboutPAndScalesTheRest() {
        Engine e = engine(DType.FLOAT64, 3);
        Tensor x = e.ones(100, 100);
        double[] y = new Dropout(0.4).forward(x).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.6, v, 1e-15);
            }
        }
        assertTrue(Math.abs(zeros - 4000) < 200, "about 40% of 10000 dropped: " + zeros);
    }

    @Test
    void forward_inEvaluationMode_isTheIdentity() {
        Engine e = engine(DType.FLOAT32, 3);
        Tensor x = e.randn(4, 5);
        Module d = new Dropout(0.5).eval();
        assertSame(x, d.forward(x));
    }

    @Test
    void forward_sameSeed_dropsTheSameUnitsInEveryDtype() {
        double[] a = new Dropout(0.3).forward(engine(DType.FLOAT32, 9).ones(50)).toDoubleArray();
        double[] b = new Dropout(0.3).forward(engine(DType.FLOAT64, 9).ones(50)).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] == 0, b[i] == 0, "unit " + i);
        }
    }

    @Test
    void forward_gradientIsTheMaskTimesTheScale() {
        Engine e = engine(DType.FLOAT64, 5);
        Tensor x = e.ones(20).requiresGrad(true);
        Tensor y = new Dropout(0.5).forward(x);
        y.sum().backward();
        assertArrayEquals(y.toDoubleArray(), x.grad().toDoubleArray());
    }

    @Test
    void forward_pOfOne_dropsEverything() {
        assertArrayEquals(new double[3], new Dropout(1).forward(engine(DType.FLOAT64, 1).ones(3)).toDoubleArray());
    }

    @Test
    void constructor_probabilityOutsideTheUnitInterval_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertTrue(e.getMessage().contains("between 0 and 1, but got 1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }
}
