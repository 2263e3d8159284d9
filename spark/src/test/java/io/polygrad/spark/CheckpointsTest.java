package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.io.Checkpoint;
import io.polygrad.io.SafeTensors;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests the per-epoch safetensors checkpoints of a {@link SparkTrainer} and resuming from them. */
class CheckpointsTest {

    private static final PolygradConfig FLOAT64 = PolygradConfig.defaults().withDType(DType.FLOAT64).withSeed(3);

    private static JavaSparkContext sc;
    private static List<Sample> samples;

    @BeforeAll
    static void start() {
        sc = SparkFixture.localContext();
        samples = SparkFixture.samples(SparkFixture.images(40));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    @DisplayName("Checkpoints are written after every epoch in polygrad's Checkpoint format with the step in their metadata, the epochs are reported with the same parameters, and the last holds the result")
    void fit_withCheckpointDirectory_writesOneCheckpointPerEpoch(@TempDir Path dir) throws Exception {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);   // 40 samples, batch 8: 5 steps an epoch

        List<EpochEvent> epochs = new java.util.ArrayList<>();
        SparkFitResult result = SparkTrainer.builder().model(SparkFixture.MLP)
                .optimizer(OptimizerSpec.of("sgd").with("lr", 0.1)).config(FLOAT64).inputShape(SparkFixture.PIXELS)
                .batchSize(8).numTasks(2).epochs(3).epochListener(epochs::add)
                .checkpointDirectory(dir.toUri().toString()).build().fit(data);

        assertEquals(3, epochs.size(), "every epoch is reported on the driver");
        for (int epoch = 0; epoch < 3; epoch++) {
            EpochEvent e = epochs.get(epoch);
            assertEquals(epoch, e.epoch());
            assertEquals(5 * (epoch + 1), e.step());
            double mean = 0;
            for (int step = 5 * epoch; step < 5 * (epoch + 1); step++) {
                mean += result.losses()[step] / 5;
            }
            assertEquals(mean, e.meanLoss(), 1e-12 * mean);
            Module atEpoch = SparkFixture.MLP.create(Polygrad.createEngine(FLOAT64));
            assertEquals(5 * (epoch + 1), Checkpoint.load(dir.resolve(Checkpoints.fileName(epoch)), atEpoch, null, null));
            for (Map.Entry<String, double[]> p : e.parameters().entrySet()) {
                assertArrayEquals(atEpoch.namedParameters().get(p.getKey()).toDoubleArray(), p.getValue(), p.getKey());
            }
        }

        for (int epoch = 0; epoch < 3; epoch++) {
            Map<String, String> metadata = SafeTensors.metadata(dir.resolve(Checkpoints.fileName(epoch)));
            assertEquals(Checkpoint.FORMAT, metadata.get("format"));
            assertEquals(Integer.toString(5 * (epoch + 1)), metadata.get("step"));
            assertEquals(Integer.toString(epoch), metadata.get("epoch"));
            assertEquals("2", metadata.get("tasks"));
            assertEquals("0", metadata.get("replica_optimizers"), "synchronous mode: one optimizer state for all");
        }
        Engine engine = Polygrad.createEngine(FLOAT64);
        Module restored = SparkFixture.MLP.create(engine);
        Optimizer optimizer = OptimizerSpec.of("sgd").with("lr", 0.5).create(restored.parameters());
        Checkpoint.load(dir.resolve(Checkpoints.fileName(2)), restored, optimizer, null);
        assertEquals(0.1, optimizer.lr(), "the optimizer's options come back from the checkpoint");
        for (Map.Entry<String, double[]> e : result.parameters().entrySet()) {
            assertArrayEquals(e.getValue(), restored.namedParameters().get(e.getKey()).toDoubleArray(), e.getKey());
        }
        try (var listing = Files.list(dir)) {
            assertEquals(3, listing.count(), "no temporary or checksum files are left");
        }
    }

    private static final OptimizerSpec SGD = OptimizerSpec.of("sgd").with("lr", 0.1);
    private static final OptimizerSpec ADAM = OptimizerSpec.of("adam").with("lr", 0.01);

    /** 40 samples, batch 8 (5 steps an epoch), 2 tasks, shuffled every epoch. */
    private static SparkTrainer.Builder trainer(OptimizerSpec optimizer) {
        return SparkTrainer.builder().model(SparkFixture.MLP).optimizer(optimizer).config(FLOAT64)
                .inputShape(SparkFixture.PIXELS).batchSize(8).numTasks(2).shuffle(true);
    }

    @Test
    @DisplayName("A job resumed from its epoch-0 checkpoint takes the same steps as the uninterrupted job, bit for bit")
    void resumeFrom_checkpointAfterEpoch0_continuesTheSameTrajectory(@TempDir Path dir) {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        SparkFitResult whole = trainer(SGD).epochs(3).build().fit(data);
        trainer(SGD).epochs(1).checkpointDirectory(dir.toUri().toString()).build().fit(data);

        SparkFitResult resumed = trainer(SGD).epochs(3)
                .resumeFrom(dir.resolve(Checkpoints.fileName(0)).toUri().toString()).build().fit(data);

        assertEquals(5, resumed.firstStep());
        assertEquals(10, resumed.steps());
        assertEquals(0.0, SparkFixture.maxRelativeGap(resumed.parameters(), whole.parameters()));
        for (int i = 0; i < 10; i++) {
            assertEquals(whole.losses()[5 + i], resumed.losses()[i], "loss of step " + (6 + i));
        }
    }

    @Test
    @DisplayName("Adam resumed from the checkpoint after epoch 0 continues the uninterrupted run exactly: the same parameters, losses and epoch-1 checkpoint, moments and step counts included")
    void resumeFrom_adamCheckpoint_continuesTheSameTrajectory(@TempDir Path dir) throws Exception {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        Path wholeDir = dir.resolve("whole");
        Path resumedDir = dir.resolve("resumed");
        SparkFitResult whole = trainer(ADAM).epochs(2).checkpointDirectory(wholeDir.toString()).build().fit(data);
        Path checkpoint = wholeDir.resolve(Checkpoints.fileName(0));
        assertTrue(SafeTensors.metadata(checkpoint).get("optimizer").contains("Adam"));

        SparkFitResult resumed = trainer(ADAM).epochs(2).resumeFrom(checkpoint.toString())
                .checkpointDirectory(resumedDir.toString()).build().fit(data);

        double gap = SparkFixture.maxRelativeGap(resumed.parameters(), whole.parameters());
        System.out.printf("Adam resumed from epoch 0 vs uninterrupted, float64, 5 + 5 steps: max relative gap %.1e%n",
                gap);
        assertEquals(0.0, gap);
        assertArrayEquals(Arrays.copyOfRange(whole.losses(), 5, 10), resumed.losses());
        assertArrayEquals(Files.readAllBytes(wholeDir.resolve(Checkpoints.fileName(1))),
                Files.readAllBytes(resumedDir.resolve(Checkpoints.fileName(1))),
                "the epoch-1 checkpoints (model, Adam's moments and step counts, metadata) are identical");
    }

    @Test
    @DisplayName("The optimizer's options are restored from the checkpoint, as PyTorch's load_state_dict does: a resumed job configured with another rate still continues the trajectory")
    void resumeFrom_jobWithAnotherRate_takesTheCheckpointsRate(@TempDir Path dir) {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        OptimizerSpec momentum = OptimizerSpec.of("sgd").with("lr", 0.1).with("momentum", 0.9);
        SparkFitResult whole = trainer(momentum).epochs(2).checkpointDirectory(dir.toString()).build().fit(data);

        SparkFitResult resumed = trainer(OptimizerSpec.of("sgd").with("lr", 0.5).with("momentum", 0.9)).epochs(2)
                .resumeFrom(dir.resolve(Checkpoints.fileName(0)).toString()).build().fit(data);

        assertEquals(0.0, SparkFixture.maxRelativeGap(resumed.parameters(), whole.parameters()));
    }

    @Test
    @DisplayName("In local SGD mode every replica's own Adam state is checkpointed (tasks 1.. in their own files) and resumed, so the resumed job continues exactly; another task count is refused")
    void resumeFrom_localSgdCheckpoint_restoresEveryReplicasOptimizer(@TempDir Path dir) {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        SparkTrainer.Builder local = trainer(ADAM).mode(SparkTrainer.Mode.LOCAL_SGD).averageEvery(2).epochs(2);
        SparkFitResult whole = local.checkpointDirectory(dir.toString()).build().fit(data);
        assertTrue(Files.exists(dir.resolve(Checkpoints.replicaFileName(0, 1))));
        assertFalse(Files.exists(dir.resolve(Checkpoints.replicaFileName(0, 2))));
        String checkpoint = dir.resolve(Checkpoints.fileName(0)).toString();

        SparkFitResult resumed = trainer(ADAM).mode(SparkTrainer.Mode.LOCAL_SGD).averageEvery(2).epochs(2)
                .resumeFrom(checkpoint).build().fit(data);

        assertEquals(0.0, SparkFixture.maxRelativeGap(resumed.parameters(), whole.parameters()));
        SparkTrainingException tasks = assertThrows(SparkTrainingException.class, () -> trainer(ADAM)
                .mode(SparkTrainer.Mode.LOCAL_SGD).averageEvery(2).epochs(2).numTasks(1).resumeFrom(checkpoint).build()
                .fit(data));
        assertTrue(tasks.getMessage().contains("local SGD job of 2 tasks, but this job has 1"), tasks.getMessage());
    }

    @Test
    @DisplayName("A checkpoint of another model (other shapes or other names), another batch size or optimizer, a single-machine Checkpoint, or a truncated file is refused before training, naming the tensor or key")
    void resumeFrom_checkpointThatDoesNotFit_failsNamingTheDifference(@TempDir Path dir) throws Exception {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        trainer(SGD).epochs(1).checkpointDirectory(dir.toString()).build().fit(data);
        String checkpoint = dir.resolve(Checkpoints.fileName(0)).toString();
        ModelFactory wider = engine -> new Sequential(new Linear(engine, SparkFixture.PIXELS, 32), new ReLU(),
                new Linear(engine, 32, 10));
        ModelFactory deeper = engine -> new Sequential(new Linear(engine, SparkFixture.PIXELS, 16), new ReLU(),
                new Linear(engine, 16, 10), new ReLU(), new Linear(engine, 10, 10));

        SparkTrainingException other = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).model(wider).epochs(2).resumeFrom(checkpoint).build().fit(data));
        assertTrue(other.getMessage().contains("The checkpoint " + checkpoint + " cannot be restored into this model"),
                other.getMessage());
        assertTrue(other.getMessage().contains("tensor 'model.0.weight': shape [16, 784] in the checkpoint but "
                + "[32, 784] in the model"), other.getMessage());
        SparkTrainingException names = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).model(deeper).epochs(2).resumeFrom(checkpoint).build().fit(data));
        assertTrue(names.getMessage().contains("tensor 'model.4.weight': missing"), names.getMessage());

        SparkTrainingException batch = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).batchSize(10).epochs(2).resumeFrom(checkpoint).build().fit(data));
        assertTrue(batch.getMessage().contains("batch_size = 8, but this job has batch_size = 10"), batch.getMessage());
        SparkTrainingException optimizer = assertThrows(SparkTrainingException.class,
                () -> trainer(ADAM).epochs(2).resumeFrom(checkpoint).build().fit(data));
        assertTrue(optimizer.getMessage().contains("optimizer_name = sgd, but this job has optimizer_name = adam"),
                optimizer.getMessage());

        Path single = dir.resolve("single-machine.safetensors");
        Module model = SparkFixture.MLP.create(Polygrad.createEngine(FLOAT64));
        Checkpoint.save(single, model, null, null, 5);
        SparkTrainingException plain = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).epochs(2).resumeFrom(single.toString()).build().fit(data));
        assertTrue(plain.getMessage().contains("is not a SparkTrainer checkpoint"), plain.getMessage());

        Path truncated = dir.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(Path.of(checkpoint));
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        SparkTrainingException partial = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).epochs(2).resumeFrom(truncated.toString()).build().fit(data));
        assertTrue(partial.getMessage().contains("The checkpoint " + truncated + " cannot be restored"),
                partial.getMessage());
        assertTrue(partial.getMessage().contains("out of range"), partial.getMessage());
    }
}
