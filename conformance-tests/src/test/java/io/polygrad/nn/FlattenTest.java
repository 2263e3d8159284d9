package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.scratch.ScratchBackend;
import org.junit.jupiter.api.Test;

class FlattenTest {

    static final Engine E = new Engine(new ScratchBackend(), new PolygradConfig("scratch", Device.CPU, DType.FLOAT64, 1));

    @Test
    void forward_byDefault_keepsTheBatchDimension() {
        assertArrayEquals(new int[] {2, 12}, new Flatten().forward(E.zeros(2, 1, 3, 4)).shape());
    }

    @Test
    void forward_withARange_mergesOnlyThoseDimensions() {
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(E.zeros(2, 3, 4, 5)).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).forward(E.zeros(2, 3, 4, 5)).shape());
    }

    @Test
    void forward_gradientFlowsBackInTheInputsShape() {
        Tensor x = E.zeros(2, 3, 2).requiresGrad(true);
        new Flatten().forward(x).mul(E.tensor(new double[] {1, 2, 3, 4, 5, 6})).sum().backward();
        assertArrayEquals(new int[] {2, 3, 2}, x.grad().shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, x.grad().toDoubleArray());
    }

    @Test
    void forward_rangeOutsideTheInput_namesTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Flatten(1, -1).forward(E.zeros(4)));
        assertTrue(e.getMessage().contains("Flatten(1, -1): dimensions out of range for an input of shape [4]"),
                e.getMessage());
    }
}
