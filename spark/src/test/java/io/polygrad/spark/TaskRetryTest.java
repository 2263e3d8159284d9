package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.config.PolygradConfig;
import io.polygrad.loss.Losses;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.train.StepEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.BarrierTaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests that a barrier task that fails once is retried by Spark and the job's result is unchanged. Spark
 * retries a barrier stage as a whole (every task starts again) when a task's failures are below
 * {@code spark.task.maxFailures}, which {@code local[2,2]} sets to 2.
 */
class TaskRetryTest {

    private static final PolygradConfig FLOAT64 = PolygradConfig.defaults().withDType(DType.FLOAT64).withSeed(5);

    private static JavaSparkContext sc;
    private static List<Sample> samples;

    @BeforeAll
    static void start() {
        sc = SparkFixture.localContext("local[2,2]");
        samples = SparkFixture.samples(SparkFixture.images(40));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** A cross-entropy that throws once, on task 1 at its third call, the first time any process sees no marker file. */
    private static SerializableLoss failingOnce(String marker) {
        int[] calls = {0};
        return (logits, target) -> {
            if (BarrierTaskContext.get().partitionId() == 1 && ++calls[0] == 3) {
                try {
                    Files.createFile(Path.of(marker));
                    throw new IllegalStateException("planted failure on task 1, step 3");
                } catch (java.nio.file.FileAlreadyExistsException again) {
                    // the retried stage: the failure has happened
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Losses.crossEntropy(logits, target);
        };
    }

    @Test
    @DisplayName("A task that fails once at step 3 is retried with its stage and the parameters and losses are unchanged")
    void fit_taskFailsOnce_retriedWithUnchangedResult(@TempDir Path dir) {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        SparkTrainer.Builder trainer = SparkTrainer.builder().model(SparkFixture.MLP)
                .optimizer(OptimizerSpec.of("sgd").with("lr", 0.1)).config(FLOAT64).inputShape(SparkFixture.PIXELS)
                .batchSize(8).numTasks(2).epochs(2).shuffle(true);
        SparkFitResult clean = trainer.build().fit(data);

        Path marker = dir.resolve("failed-once");
        List<StepEvent> events = new ArrayList<>();
        SparkFitResult retried = trainer.loss(failingOnce(marker.toString())).listener(events::add).build().fit(data);

        assertTrue(Files.exists(marker), "the planted failure happened");
        assertEquals(0.0, SparkFixture.maxRelativeGap(retried.parameters(), clean.parameters()));
        for (int i = 0; i < clean.steps(); i++) {
            assertEquals(clean.losses()[i], retried.losses()[i], "loss of step " + (i + 1));
        }
        assertEquals(clean.steps(), events.size(), "each step reported once");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).step());
            assertEquals(clean.losses()[i], events.get(i).loss());
        }
    }
}
