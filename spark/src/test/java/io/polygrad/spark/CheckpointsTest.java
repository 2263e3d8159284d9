package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.io.SafeTensors;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.OptimizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
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
    @DisplayName("Checkpoints are written after every epoch with the step in their metadata, the epochs are reported with the same parameters, and the last holds the result")
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
            SafeTensors.load(atEpoch, dir.resolve(Checkpoints.fileName(epoch)));
            for (Map.Entry<String, double[]> p : e.parameters().entrySet()) {
                assertArrayEquals(atEpoch.namedParameters().get(p.getKey()).toDoubleArray(), p.getValue(), p.getKey());
            }
        }

        for (int epoch = 0; epoch < 3; epoch++) {
            Path file = dir.resolve(Checkpoints.fileName(epoch));
            assertTrue(Files.exists(file), file.toString());
            assertEquals(Integer.toString(5 * (epoch + 1)), SafeTensors.metadata(file).get("step"));
            assertEquals(Integer.toString(epoch), SafeTensors.metadata(file).get("epoch"));
        }
        Module restored = SparkFixture.MLP.create(Polygrad.createEngine(FLOAT64));
        SafeTensors.load(restored, dir.resolve(Checkpoints.fileName(2)));
        for (Map.Entry<String, double[]> e : result.parameters().entrySet()) {
            assertArrayEquals(e.getValue(), restored.namedParameters().get(e.getKey()).toDoubleArray(), e.getKey());
        }
        try (var listing = Files.list(dir)) {
            assertEquals(3, listing.count(), "no temporary or checksum files are left");
        }
        assertEquals("none", SafeTensors.metadata(dir.resolve(Checkpoints.fileName(0))).get("optimizer_state"));
    }

    private static final OptimizerSpec SGD = OptimizerSpec.of("sgd").with("lr", 0.1);

    /** 40 samples, batch 8 (5 steps an epoch), 2 tasks, shuffled every epoch. */
    private static SparkTrainer.Builder trainer(OptimizerSpec optimizer) {
        return SparkTrainer.builder().model(SparkFixture.MLP).optimizer(optimizer).config(FLOAT64)
                .inputShape(SparkFixture.PIXELS).batchSize(8).numTasks(2).shuffle(true);
    }

    /** A slot that saves the learning rate as the optimizer's state and restores it. */
    private static final OptimizerCheckpoint LR_STATE = OptimizerCheckpoint.of(
            opt -> Map.of("lr", opt.parameters().get(0).engine().tensor(new double[] {opt.lr()}, DType.FLOAT64, 1)),
            (opt, state) -> opt.setLr(state.get("lr").item()));

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
    @DisplayName("Optimizer state goes through the checkpoint slot: the restored state, not the resumed job's spec, drives the steps")
    void resumeFrom_withOptimizerCheckpoint_restoresTheState(@TempDir Path dir) throws Exception {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        SparkFitResult whole = trainer(SGD).epochs(2).build().fit(data);
        trainer(SGD).epochs(1).optimizerCheckpoint(LR_STATE).checkpointDirectory(dir.toUri().toString()).build()
                .fit(data);
        Path checkpoint = dir.resolve(Checkpoints.fileName(0));
        assertEquals(Checkpoints.optimizerFileName(0), SafeTensors.metadata(checkpoint).get("optimizer_state"));
        assertTrue(Files.exists(dir.resolve(Checkpoints.optimizerFileName(0))));

        SparkFitResult resumed = trainer(OptimizerSpec.of("sgd").with("lr", 0.5)).epochs(2)
                .optimizerCheckpoint(LR_STATE).resumeFrom(checkpoint.toString()).build().fit(data);

        assertEquals(0.0, SparkFixture.maxRelativeGap(resumed.parameters(), whole.parameters()));
    }

    @Test
    @DisplayName("Resuming Adam from a checkpoint without optimizer state fails, saying what to save")
    void resumeFrom_statefulOptimizerWithoutState_fails(@TempDir Path dir) {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        OptimizerSpec adam = OptimizerSpec.of("adam");
        trainer(adam).epochs(1).checkpointDirectory(dir.toString()).build().fit(data);

        SparkTrainingException e = assertThrows(SparkTrainingException.class, () -> trainer(adam).epochs(2)
                .resumeFrom(dir.resolve(Checkpoints.fileName(0)).toString()).build().fit(data));
        assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
        assertTrue(e.getMessage().contains("optimizerCheckpoint("), e.getMessage());
    }

    @Test
    @DisplayName("A checkpoint of another model, another batch size, or a truncated one is refused before training")
    void resumeFrom_checkpointThatDoesNotFit_failsNamingTheDifference(@TempDir Path dir) throws Exception {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        trainer(SGD).epochs(1).checkpointDirectory(dir.toString()).build().fit(data);
        String checkpoint = dir.resolve(Checkpoints.fileName(0)).toString();
        ModelFactory wider = engine -> new Sequential(new Linear(engine, SparkFixture.PIXELS, 32), new ReLU(),
                new Linear(engine, 32, 10));

        SparkTrainingException other = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).model(wider).epochs(2).resumeFrom(checkpoint).build().fit(data));
        assertTrue(other.getMessage().contains("cannot be loaded into this model"), other.getMessage());
        assertTrue(other.getMessage().contains("[16, 784]") && other.getMessage().contains("[32, 784]"),
                other.getMessage());

        SparkTrainingException batch = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).batchSize(10).epochs(2).resumeFrom(checkpoint).build().fit(data));
        assertTrue(batch.getMessage().contains("batch_size = 8, but this job has batch_size = 10"), batch.getMessage());

        Path truncated = dir.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(Path.of(checkpoint));
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        SparkTrainingException partial = assertThrows(SparkTrainingException.class,
                () -> trainer(SGD).epochs(2).resumeFrom(truncated.toString()).build().fit(data));
        assertTrue(partial.getMessage().contains("The checkpoint " + truncated + " cannot be loaded"), partial.getMessage());
        assertTrue(partial.getMessage().contains("out of range"), partial.getMessage());
    }
}
