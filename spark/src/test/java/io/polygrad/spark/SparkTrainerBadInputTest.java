package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.config.PolygradConfig;
import io.polygrad.data.LabelledImages;
import io.polygrad.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tests that bad input, a small cluster and differing replicas fail early with a clear message */
class SparkTrainerBadInputTest {

    private static final OptimizerSpec SGD = OptimizerSpec.of("sgd").with("lr", 0.1);
    private static final PolygradConfig FLOAT64 = PolygradConfig.defaults().withDType(DType.FLOAT64).withSeed(3);

    private static JavaSparkContext sc;
    private static LabelledImages images;
    private static List<Sample> samples;

    @BeforeAll
    static void start() {
        sc = SparkFixture.localContext();
        images = SparkFixture.images(40);
        samples = SparkFixture.samples(images);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static SparkTrainer.Builder trainer() {
        return SparkTrainer.builder().model(SparkFixture.MLP).optimizer(SGD).config(FLOAT64)
                .inputShape(SparkFixture.PIXELS).batchSize(8).numTasks(2);
    }

    @Test
    @DisplayName("A row of the wrong length is rejected before training, naming the sample and the lengths")
    void fit_rowOfWrongShape_failsNamingTheSample() {
        List<Sample> bad = new ArrayList<>(samples);
        bad.set(13, new Sample(new float[783], 1));
        JavaRDD<Sample> data = sc.parallelize(bad, 2);

        SparkTrainingException e = assertThrows(SparkTrainingException.class, () -> trainer().build().fit(data));
        assertTrue(e.getMessage().contains("Sample 13 has 783 input values"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 784"), e.getMessage());
    }

    @Test
    @DisplayName("A negative label is rejected before training")
    void fit_negativeLabel_failsNamingTheSample() {
        List<Sample> bad = new ArrayList<>(samples);
        bad.set(5, new Sample(new float[SparkFixture.PIXELS], -1));

        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> trainer().build().fit(sc.parallelize(bad, 2)));
        assertTrue(e.getMessage().contains("Sample 5 has label -1"), e.getMessage());
    }

    @Test
    @DisplayName("An empty data set is rejected")
    void fit_noSamples_fails() {
        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> trainer().build().fit(sc.parallelize(new ArrayList<Sample>(), 2)));
        assertTrue(e.getMessage().contains("no samples"), e.getMessage());
    }

    @Test
    @DisplayName("Empty partitions and empty shards still take part: batch 1 on 2 tasks matches one machine")
    void fit_emptyPartitionsAndShards_matchesSingleMachine() {
        LabelledImages five = images.slice(0, 5);
        JavaRDD<Sample> data = sc.parallelize(SparkFixture.samples(five), 8);   // 3 of 8 partitions empty
        assertTrue(data.glom().collect().stream().anyMatch(List::isEmpty));
        Map<String, double[]> expected = SparkFixture.singleMachine(FLOAT64, SparkFixture.MLP, SGD, five, 1, 10,
                new ArrayList<>());

        SparkFitResult result = trainer().batchSize(1).epochs(2).build().fit(data);   // every step one shard is empty

        assertEquals(10, result.steps());
        double gap = SparkFixture.maxRelativeGap(result.parameters(), expected);
        assertTrue(gap <= 1e-12, "relative gap " + gap);
    }

    @Test
    @DisplayName("More barrier tasks than task slots fail at once with what to do, not after Spark's retries")
    void fit_moreTasksThanSlots_failsEarly() {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        long start = System.nanoTime();

        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> trainer().numTasks(3).build().fit(data));
        assertTrue(e.getMessage().contains("numTasks(3)"), e.getMessage());
        assertTrue(e.getMessage().contains("has 2 task slots"), e.getMessage());
        assertTrue(e.getMessage().contains("numTasks(2) or fewer"), e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "fails without waiting for Spark");
    }

    @Test
    @DisplayName("A model factory that does not make identical replicas fails before the first step")
    void fit_factoryWithDifferentReplicas_failsBeforeFirstStep() {
        ModelFactory clockSeeded = engine -> {
            engine.manualSeed(System.nanoTime());
            return SparkFixture.MLP.create(engine);
        };
        JavaRDD<Sample> data = sc.parallelize(samples, 2);

        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> trainer().model(clockSeeded).build().fit(data));
        assertTrue(e.getMessage().contains("did not produce identical replicas"), e.getMessage());
        assertTrue(e.getMessage().contains("task 0: ") && e.getMessage().contains("task 1: "), e.getMessage());
    }

    @Test
    @DisplayName("A failure inside a task names the task, the step and the cause")
    void fit_modelThatRejectsTheInput_failsNamingTaskAndStep() {
        ModelFactory wrongWidth = engine -> new io.polygrad.nn.Linear(engine, 100, 10);
        JavaRDD<Sample> data = sc.parallelize(samples, 2);

        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> trainer().model(wrongWidth).build().fit(data));
        assertTrue(e.getMessage().contains("failed at step 1"), e.getMessage());
    }

    @Test
    @DisplayName("Spark's own all-gather transport takes the same steps as the socket hub")
    void fit_sparkAllGatherTransport_matchesSockets() {
        JavaRDD<Sample> data = sc.parallelize(samples, 2);
        SparkFitResult sockets = trainer().maxSteps(3).build().fit(data);
        SparkFitResult spark = trainer().maxSteps(3).transport(SparkTrainer.Transport.SPARK_ALL_GATHER).build().fit(data);

        assertEquals(0.0, SparkFixture.maxRelativeGap(spark.parameters(), sockets.parameters()));
    }
}
