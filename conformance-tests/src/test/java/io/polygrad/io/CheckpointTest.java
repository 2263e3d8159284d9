package io.polygrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.nn.BatchNorm1d;
import io.polygrad.nn.Linear;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.SGD;
import io.polygrad.optim.lr.StatefulScheduler;
import io.polygrad.optim.lr.StepLR;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint's file handling and errors (resuming bit-identically is the conformance check optim/resume/*). */
class CheckpointTest {

    @TempDir
    Path dir;

    private static Linear model() {
        return new Linear(Polygrad.engine(), 3, 2);
    }

    @Test
    void save_failingState_leavesTheOldFileAndNoTemporaryFile() throws IOException {
        Linear m = model();
        Optimizer opt = SGD.builder(m.parameters()).lr(0.1).build();
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, m, opt, new StepLR(opt, 2, 0.5), 1);
        byte[] before = Files.readAllBytes(file);
        StatefulScheduler broken = new StatefulScheduler() {
            @Override
            public Optimizer optimizer() {
                return opt;
            }

            @Override
            public List<Double> lastLrs() {
                return List.of(0.1);
            }

            @Override
            public Map<String, Object> stateDict() {
                throw new IllegalStateException("state unavailable");
            }

            @Override
            public void loadStateDict(Map<String, ?> state) {
            }
        };
        assertThrows(IllegalStateException.class, () -> Checkpoint.save(file, m, opt, broken, 2));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        assertThrows(SafeTensorsException.class, () -> Checkpoint.save(dir, m, opt, null, 2));
    }

    @Test
    void load_aParametersOnlyFile_failsNamingTheFormat() throws IOException {
        Linear m = model();
        Path file = dir.resolve("params.safetensors");
        SafeTensors.save(m, file);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(file, m, null, null));
        assertTrue(e.getMessage().contains("not a polygrad checkpoint"), e.getMessage());
    }

    @Test
    void toBytes_withExtraMetadata_isTheFileSaveWritesPlusTheExtraEntries() throws IOException {
        Linear m = model();
        Optimizer opt = SGD.builder(m.parameters()).lr(0.1).momentum(0.9).build();
        Path saved = dir.resolve("saved.safetensors");
        Checkpoint.save(saved, m, opt, null, 5);
        Path written = Files.write(dir.resolve("bytes.safetensors"), Checkpoint.toBytes(m, opt, null, 5, Map.of()));
        assertArrayEquals(Files.readAllBytes(saved), Files.readAllBytes(written));

        Path extra = Files.write(dir.resolve("extra.safetensors"),
                Checkpoint.toBytes(m, opt, null, 5, Map.of("epoch", "2")));
        assertEquals("2", SafeTensors.metadata(extra).get("epoch"));
        Linear restored = model();
        assertEquals(5, Checkpoint.load(extra, restored, SGD.builder(restored.parameters()).lr(0.1).momentum(0.9)
                .build(), null));
        assertArrayEquals(m.weight().toDoubleArray(), restored.weight().toDoubleArray());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.toBytes(m, opt, null, 5, Map.of("step", "6")));
        assertTrue(e.getMessage().contains("Checkpoint metadata 'step' is the layout's own"), e.getMessage());
    }

    @Test
    void load_withoutSavedOptimizerState_failsWhenOneIsToBeRestored() throws IOException {
        Linear m = model();
        Path file = dir.resolve("model-only.safetensors");
        Checkpoint.save(file, m, null, null, 7);
        assertEquals(7, Checkpoint.load(file, model(), null, null));
        Optimizer opt = SGD.builder(m.parameters()).lr(0.1).build();
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(file, m, opt, null));
        assertTrue(e.getMessage().contains("no optimizer state"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Checkpoint.load(null, m, opt, null));
    }

    @Test
    @DisplayName("A batch norm restored from a checkpoint counts on from the saved num_batches_tracked")
    void load_batchNorm_continuesCountingTrackedBatches() throws IOException {
        Engine engine = Polygrad.engine();
        BatchNorm1d saved = new BatchNorm1d(engine, 2);
        for (int i = 0; i < 3; i++) {
            saved.forward(engine.tensor(new double[][] {{1, 10}, {3, 30 + i}}));
        }
        Path file = dir.resolve("bn.safetensors");
        Checkpoint.save(file, saved, null, null, 3);
        BatchNorm1d restored = new BatchNorm1d(engine, 2);
        Checkpoint.load(file, restored, null, null);
        assertEquals(3, restored.numBatchesTracked());

        restored.forward(engine.tensor(new double[][] {{1, 10}, {3, 30}}));

        assertEquals(4, restored.numBatchesTracked());
        assertEquals(4, restored.stateDict().get("num_batches_tracked").toLongArray()[0]);
    }
}
