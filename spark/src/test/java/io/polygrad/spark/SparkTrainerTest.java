package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.config.PolygradConfig;
import io.polygrad.data.LabelledImages;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.train.StepEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tests that data-parallel training on two local Spark tasks takes the steps of one machine. */
class SparkTrainerTest {

    private static final int SAMPLES = 300;
    private static final int BATCH = 30;
    private static final int STEPS = 100;
    private static final OptimizerSpec SGD = OptimizerSpec.of("sgd").with("lr", 0.1);
    private static final PolygradConfig FLOAT64 = PolygradConfig.defaults().withDType(DType.FLOAT64).withSeed(7);
    private static final PolygradConfig FLOAT32 = PolygradConfig.defaults().withSeed(7);

    private static JavaSparkContext sc;
    private static LabelledImages images;
    private static JavaRDD<Sample> data;

    @BeforeAll
    static void start() {
        sc = SparkFixture.localContext();
        images = SparkFixture.images(SAMPLES);
        data = sc.parallelize(SparkFixture.samples(images), 3);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static SparkTrainer.Builder trainer(PolygradConfig config, OptimizerSpec optimizer) {
        return SparkTrainer.builder()
                .model(SparkFixture.MLP)
                .optimizer(optimizer)
                .config(config)
                .inputShape(SparkFixture.PIXELS)
                .batchSize(BATCH)
                .epochs(100)
                .maxSteps(STEPS)
                .numTasks(2);
    }

    /**
     * Trains with {@code config} and {@code optimizer} for {@code steps} steps on 2 tasks and on one machine;
     * asserts the losses agree within {@code tolerance} and returns the parameters' max relative gap.
     */
    private static double gapToSingleMachine(PolygradConfig config, OptimizerSpec optimizer, int steps,
            double tolerance) {
        List<Double> expectedLosses = new ArrayList<>();
        Map<String, double[]> expected = SparkFixture.singleMachine(config, SparkFixture.MLP, optimizer, images,
                BATCH, steps, expectedLosses);
        SparkFitResult result = trainer(config, optimizer).maxSteps(steps).build().fit(data);

        assertEquals(steps, result.steps());
        assertEquals(2, result.tasks());
        assertEquals(config.dtype(), result.dtype());
        for (int i = 0; i < steps; i++) {
            assertEquals(expectedLosses.get(i), result.losses()[i], tolerance * Math.abs(expectedLosses.get(i)));
        }
        assertTrue(result.losses()[steps - 1] < result.losses()[0], "the loss falls");
        double gap = SparkFixture.maxRelativeGap(result.parameters(), expected);
        System.out.printf("%s %s, 2 tasks, %d steps: max relative parameter gap %.3e%n", config.dtype(),
                optimizer.name(), steps, gap);
        return gap;
    }

    @Test
    @DisplayName("Synchronous SGD on 2 tasks in float64 gives the single-machine parameters after 100 steps within 1e-12")
    void fit_synchronousFloat64_matchesSingleMachine() {
        double gap = gapToSingleMachine(FLOAT64, SGD, STEPS, 1e-12);
        assertTrue(gap <= 1e-12, "relative gap " + gap);
    }

    @Test
    @DisplayName("Synchronous SGD on 2 tasks in float32 stays within 1e-4 relative of the single-machine run after 100 steps")
    void fit_synchronousFloat32_matchesSingleMachineWithinRounding() {
        double gap = gapToSingleMachine(FLOAT32, SGD, STEPS, 1e-5);
        assertTrue(gap <= 1e-4, "relative gap " + gap);
    }

    @Test
    @DisplayName("Synchronous Adam keeps identical optimizer state on every replica and matches one machine in float64")
    void fit_synchronousAdam_matchesSingleMachine() {
        double gap = gapToSingleMachine(FLOAT64, OptimizerSpec.of("adam").with("lr", 0.01), 30, 1e-12);
        assertTrue(gap <= 1e-12, "relative gap " + gap);
    }

    @Test
    @DisplayName("With shuffling, every epoch visits a new order derived from the seed; 2 tasks match one machine in that order")
    void fit_shuffled_matchesSingleMachineInTheEpochOrder() {
        int steps = 30;   // 3 epochs of 10 batches
        List<Double> expectedLosses = new ArrayList<>();
        Map<String, double[]> expected = SparkFixture.singleMachineInOrder(FLOAT64, SparkFixture.MLP, SGD, images,
                BATCH, steps, epoch -> EpochOrder.permutation(7, epoch, SAMPLES), expectedLosses);
        SparkFitResult result = trainer(FLOAT64, SGD).maxSteps(steps).shuffle(true).build().fit(data);

        assertFalse(Arrays.equals(EpochOrder.permutation(7, 0, SAMPLES), EpochOrder.permutation(7, 1, SAMPLES)));
        assertArrayEquals(EpochOrder.permutation(7, 2, SAMPLES), EpochOrder.permutation(7, 2, SAMPLES));
        for (int i = 0; i < steps; i++) {
            assertEquals(expectedLosses.get(i), result.losses()[i], 1e-12 * expectedLosses.get(i), "step " + (i + 1));
        }
        double gap = SparkFixture.maxRelativeGap(result.parameters(), expected);
        System.out.printf("float64 sgd, shuffled, 2 tasks, %d steps: max relative parameter gap %.3e%n", steps, gap);
        assertTrue(gap <= 1e-12, "relative gap " + gap);
        SparkFitResult unshuffled = trainer(FLOAT64, SGD).maxSteps(steps).build().fit(data);
        assertTrue(SparkFixture.maxRelativeGap(unshuffled.parameters(), expected) > 1e-6, "the order matters");
    }

    @Test
    @DisplayName("Local SGD averaging every step with plain SGD equals the synchronous mode")
    void fit_localSgdAveragingEveryStep_equalsSynchronous() {
        SparkFitResult sync = trainer(FLOAT64, SGD).maxSteps(40).build().fit(data);
        SparkFitResult local = trainer(FLOAT64, SGD).maxSteps(40)
                .mode(SparkTrainer.Mode.LOCAL_SGD).averageEvery(1).build().fit(data);

        double gap = SparkFixture.maxRelativeGap(local.parameters(), sync.parameters());
        System.out.printf("local SGD k=1 vs synchronous, float64, 40 steps: max relative gap %.3e%n", gap);
        assertTrue(gap <= 1e-12, "relative gap " + gap);
        assertEquals(40, local.exchanges());
        for (int i = 0; i < 40; i++) {
            assertEquals(sync.losses()[i], local.losses()[i], 1e-12 * Math.abs(sync.losses()[i]));
        }
    }

    @Test
    @DisplayName("Local SGD averaging every 5 steps trains, exchanges 5 times less often and ends with one model")
    void fit_localSgdAveragingEveryFiveSteps_trains() {
        SparkFitResult local = trainer(FLOAT32, SGD).maxSteps(50)
                .mode(SparkTrainer.Mode.LOCAL_SGD).averageEvery(5).build().fit(data);

        assertEquals(50, local.steps());
        assertEquals(10, local.exchanges());
        double[] losses = local.losses();
        assertTrue(losses[49] < losses[0], "loss " + losses[0] + " -> " + losses[49]);
    }

    @Test
    @DisplayName("The listener receives every step's loss on the driver, in order, and the result copies into a model")
    void fit_withListener_reportsEveryStep() {
        List<StepEvent> events = new ArrayList<>();
        SparkFitResult result = trainer(FLOAT32, SGD).maxSteps(15).listener(events::add).build().fit(data);

        assertEquals(15, events.size());
        for (int i = 0; i < 15; i++) {
            assertEquals(i + 1, events.get(i).step());
            assertEquals(i / 10, events.get(i).epoch());
            assertEquals(result.losses()[i], events.get(i).loss());
            assertEquals(0.1, events.get(i).lr(), 1e-15);
        }
        io.polygrad.nn.Module copy = SparkFixture.MLP.create(io.polygrad.Polygrad.createEngine(FLOAT32));
        result.copyInto(copy);
        assertArrayEquals(result.parameters().get("0.weight"),
                copy.namedParameters().get("0.weight").toDoubleArray());
    }
}
