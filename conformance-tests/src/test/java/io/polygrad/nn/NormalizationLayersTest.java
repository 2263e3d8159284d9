package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.scratch.ScratchModule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationLayersTest {

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64);

    private Tensor batch() {
        return engine.tensor(new double[][] {{1, 10}, {3, 30}, {5, 50}});
    }

    @Test
    void batchNorm_defaults_matchPyTorch() {
        BatchNorm1d bn = new BatchNorm1d(engine, 2);
        assertEquals(1e-5, bn.eps());
        assertEquals(0.1, bn.momentum());
        assertTrue(bn.affine());
        assertTrue(bn.trackRunningStats());
        assertArrayEquals(new double[] {1, 1}, bn.weight().toDoubleArray());
        assertArrayEquals(new double[] {0, 0}, bn.bias().toDoubleArray());
        assertArrayEquals(new double[] {0, 0}, bn.runningMean().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, bn.runningVar().toDoubleArray());
        assertEquals("BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
    }

    @Test
    void batchNorm_evalMode_usesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm1d bn = new BatchNorm1d(engine, 2);
        bn.forward(batch());
        double[] mean = bn.runningMean().toDoubleArray();
        assertArrayEquals(new double[] {0.3, 3.0}, mean, 1e-12);
        // unbiased variances 4 and 400: 0.9 + 0.1·4, 0.9 + 0.1·400
        assertArrayEquals(new double[] {1.3, 40.9}, bn.runningVar().toDoubleArray(), 1e-12);
        bn.eval();
        Tensor out = bn.forward(engine.tensor(new double[][] {{0.3, 3}}));
        assertArrayEquals(new double[] {0, 0}, out.toDoubleArray(), 1e-12);
        assertArrayEquals(mean, bn.runningMean().toDoubleArray());
        assertEquals(1, bn.numBatchesTracked());
    }

    @Test
    void batchNorm_oneSampleInEvalMode_isAllowed() {
        BatchNorm1d bn = new BatchNorm1d(engine, 2);
        bn.eval();
        assertArrayEquals(new double[] {1, 2}, bn.forward(engine.tensor(new double[][] {{1, 2}})).toDoubleArray(), 1e-4);
    }

    @Test
    void batchNorm_withoutRunningStatistics_usesBatchStatisticsInEvalModeToo() {
        BatchNorm1d bn = new BatchNorm1d(engine, 2, 1e-5, 0.1, false, false);
        assertNull(bn.runningMean());
        assertNull(bn.weight());
        assertTrue(bn.stateDict().isEmpty());
        bn.eval();
        double[] out = bn.forward(batch()).toDoubleArray();
        double s = Math.sqrt(8.0 / 3 + 1e-5);
        assertEquals(-2 / s, out[0], 1e-12);
        assertEquals(0, bn.numBatchesTracked());
    }

    @Test
    void batchNorm_trainAndEval_areRecursiveThroughSequential() {
        BatchNorm1d bn = new BatchNorm1d(engine, 2);
        Sequential net = new Sequential(new Linear(engine, 2, 2), new ModuleList(bn));
        net.eval();
        assertFalse(bn.isTraining());
        net.train();
        assertTrue(bn.isTraining());
    }

    @Test
    void batchNorm_gradient_reachesWeightBiasAndInput() {
        BatchNorm2d bn = new BatchNorm2d(engine, 2);
        Tensor x = engine.randn(2, 2, 2, 2).requiresGrad(true);
        bn.forward(x).mul(engine.randn(2, 2, 2, 2)).sum().backward();
        assertEquals(2, bn.weight().grad().numel());
        assertEquals(2, bn.bias().grad().numel());
        assertEquals(16, x.grad().numel());
        assertNull(bn.runningMean().grad());
    }

    @Test
    void batchNorm_resetRunningStats_restoresInitialValues() {
        BatchNorm1d bn = new BatchNorm1d(engine, 2);
        bn.forward(batch());
        bn.resetRunningStats();
        assertArrayEquals(new double[] {0, 0}, bn.runningMean().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, bn.runningVar().toDoubleArray());
        assertEquals(0, bn.numBatchesTracked());
        assertEquals(0.0, bn.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void layerNorm_defaultsAndRepr_matchPyTorch() {
        LayerNorm ln = new LayerNorm(engine, 4);
        assertEquals("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", ln.toString());
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        assertEquals("LayerNorm((2, 3), eps=0.001, elementwise_affine=False)",
                new LayerNorm(engine, new int[] {2, 3}, 1e-3, false).toString());
    }

    @Test
    void layerNorm_sameInTrainingAndEvalMode() {
        LayerNorm ln = new LayerNorm(engine, 2);
        double[] train = ln.forward(batch()).toDoubleArray();
        ln.eval();
        assertArrayEquals(train, ln.forward(batch()).toDoubleArray());
    }

    @Test
    void identity_returnsTheSameTensor() {
        Tensor x = batch();
        assertSame(x, new Identity().forward(x));
        assertEquals("Identity()", new Identity().toString());
    }

    @Test
    void moduleList_indexingIterationAndNames() {
        ReLU a = new ReLU();
        Tanh b = new Tanh();
        ModuleList list = new ModuleList(a).add(b);
        assertEquals(2, list.size());
        assertSame(b, list.get(1));
        assertSame(a, list.get(-2));
        List<Module> seen = new ArrayList<>();
        list.forEach(seen::add);
        assertEquals(List.of(a, b), seen);
        assertEquals(List.of("0", "1"), List.copyOf(list.children().keySet()));
    }

    @Test
    void pyRepr_floats_readAsPython() {
        assertEquals("1e-05", PyRepr.of(1e-5));
        assertEquals("0.1", PyRepr.of(0.1));
        assertEquals("0.0001", PyRepr.of(1e-4));
        assertEquals("1.0", PyRepr.of(1));
        assertEquals("2.5e-07", PyRepr.of(2.5e-7));
        assertEquals("1e+16", PyRepr.of(1e16));
        assertEquals("123456.0", PyRepr.of(123456));
        assertEquals("-0.5", PyRepr.of(-0.5));
    }
}
