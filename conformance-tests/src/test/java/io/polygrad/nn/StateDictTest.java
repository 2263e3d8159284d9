package io.polygrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.io.SafeTensors;
import io.polygrad.scratch.ScratchModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT32);

    @TempDir
    Path dir;

    private Sequential model() {
        return new Sequential(new Linear(engine, 3, 4), new BatchNorm1d(engine, 4),
                new ModuleList(new Linear(engine, 4, 2), new LayerNorm(engine, 2)));
    }

    private void train(Module m, int steps) {
        for (int i = 0; i < steps; i++) {
            Sequential net = (Sequential) m;
            net.get(1).forward(net.get(0).forward(engine.randn(5, 3)));
        }
    }

    @Test
    void stateDict_nestedModel_namesParametersThenBuffersPerModuleAsPyTorch() {
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias"),
                List.copyOf(model().stateDict().keySet()));
    }

    @Test
    void namedBuffers_batchNorm_areNotParameters() {
        Sequential m = model();
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"),
                List.copyOf(m.namedBuffers().keySet()));
        assertFalse(m.namedParameters().containsKey("1.running_mean"));
        assertFalse(m.namedBuffers().get("1.running_var").requiresGrad());
        assertEquals(DType.INT64, m.namedBuffers().get("1.num_batches_tracked").dtype());
    }

    @Test
    void stateDict_sharedModule_isListedUnderBothNamesButParametersOnce() {
        Linear shared = new Linear(engine, 2, 2);
        Sequential m = new Sequential(shared, new Sequential(shared));
        assertEquals(List.of("0.weight", "0.bias", "1.0.weight", "1.0.bias"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(m.namedParameters().keySet()));
    }

    @Test
    void loadStateDict_trainedModel_copiesValuesInPlaceAndRestoresTheBatchCount() {
        Sequential trained = model();
        train(trained, 3);
        Sequential fresh = model();
        Tensor weight = fresh.namedParameters().get("0.weight");
        IncompatibleKeys keys = fresh.loadStateDict(trained.stateDict());
        assertTrue(keys.isEmpty());
        assertSame(weight, fresh.namedParameters().get("0.weight"), "loaded in place, optimizers keep their tensors");
        for (Map.Entry<String, Tensor> e : trained.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), fresh.stateDict().get(e.getKey()).toDoubleArray(),
                    e.getKey());
        }
        assertEquals(3, ((BatchNorm) fresh.get(1)).numBatchesTracked());
        train(fresh, 1);
        assertEquals(4, ((BatchNorm) fresh.get(1)).numBatchesTracked());
    }

    @Test
    void loadStateDict_float64State_isCastToTheModelsDType() {
        Engine f64 = engine.withDType(DType.FLOAT64);
        Linear source = new Linear(f64, 2, 1);
        Linear target = new Linear(engine, 2, 1);
        target.loadStateDict(source.stateDict());
        assertEquals(DType.FLOAT32, target.weight().dtype());
        double[] expected = source.weight().toDoubleArray();
        double[] actual = target.weight().toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals((float) expected[i], actual[i], 0.0);
        }
    }

    @Test
    void loadStateDict_strictWithMissingAndUnexpectedKeys_namesAllAndLeavesTheModuleUnchanged() {
        Sequential m = model();
        Map<String, Tensor> state = new HashMap<>(m.stateDict());
        state.remove("1.running_var");
        state.remove("2.0.bias");
        state.put("3.weight", engine.zeros(2));
        state.put("0.weight", engine.ones(4, 3));
        double[] before = m.namedParameters().get("0.weight").toDoubleArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state));
        assertTrue(e.getMessage().startsWith("Error(s) in loading state_dict for Sequential:\n"), e.getMessage());
        assertTrue(e.getMessage().contains("\tUnexpected key(s) in state_dict: \"3.weight\"."), e.getMessage());
        assertTrue(e.getMessage().contains("\tMissing key(s) in state_dict: \"1.running_var\", \"2.0.bias\"."),
                e.getMessage());
        assertArrayEquals(before, m.namedParameters().get("0.weight").toDoubleArray());
    }

    @Test
    void loadStateDict_notStrict_loadsWhatMatchesAndReturnsTheRest() {
        Linear m = new Linear(engine, 2, 1);
        IncompatibleKeys keys = m.loadStateDict(Map.of("weight", engine.ones(1, 2), "extra", engine.zeros(1)), false);
        assertEquals(List.of("bias"), keys.missingKeys());
        assertEquals(List.of("extra"), keys.unexpectedKeys());
        assertArrayEquals(new double[] {1, 1}, m.weight().toDoubleArray());
    }

    @Test
    void loadStateDict_shapeMismatch_failsEvenWhenNotStrict() {
        Linear m = new Linear(engine, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.loadStateDict(Map.of("weight", engine.ones(2, 2)), false));
        assertTrue(e.getMessage().contains("size mismatch for weight: copying a param with shape [2, 2] from"
                + " checkpoint, the shape in current model is [1, 2]."), e.getMessage());
    }

    @Test
    void buffers_createdInsideAScope_outliveIt() {
        BatchNorm1d bn;
        try (TensorScope scope = TensorScope.open()) {
            bn = new BatchNorm1d(engine, 2);
            bn.forward(engine.randn(4, 2));
        }
        assertFalse(bn.runningMean().isReleased());
        assertFalse(bn.runningVar().isReleased());
        assertEquals(1.0, bn.stateDict().get("num_batches_tracked").item());
    }

    @Test
    void safeTensors_roundTrip_includesBuffersAndTheBatchCount() throws IOException {
        Sequential trained = model();
        train(trained, 2);
        Path file = dir.resolve("m.safetensors");
        SafeTensors.save(trained, file);
        Sequential fresh = model();
        SafeTensors.load(fresh, file);
        assertArrayEquals(trained.stateDict().get("1.running_var").toDoubleArray(),
                fresh.stateDict().get("1.running_var").toDoubleArray());
        assertEquals(2, ((BatchNorm) fresh.get(1)).numBatchesTracked());
    }
}
