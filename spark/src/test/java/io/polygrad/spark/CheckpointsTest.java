package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.io.SafeTensors;
import io.polygrad.nn.Module;
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

/** Tests the per-epoch safetensors checkpoints of a {@link SparkTrainer}. */
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
    @DisplayName("Checkpoints are written after every epoch with the step in their metadata; the last holds the result")
    void fit_withCheckpointDirectory_writesOneCheckpointPerEpoch(@TempDir Path dir) throws Exception {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);   // 40 samples, batch 8: 5 steps an epoch

        SparkFitResult result = SparkTrainer.builder().model(SparkFixture.MLP)
                .optimizer(OptimizerSpec.of("sgd").with("lr", 0.1)).config(FLOAT64).inputShape(SparkFixture.PIXELS)
                .batchSize(8).numTasks(2).epochs(3)
                .checkpointDirectory(dir.toUri().toString()).build().fit(data);

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
    }
}
