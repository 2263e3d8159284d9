package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.data.LabelledImages;
import io.polygrad.nn.BatchNorm1d;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.OptimizerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests that buffers (batch norm's running statistics) are merged across replicas, returned and resumed. */
class BuffersTest {

    private static final PolygradConfig FLOAT64 = PolygradConfig.defaults().withDType(DType.FLOAT64).withSeed(5);
    private static final int SAMPLES = 40;
    private static final int BATCH = 8;
    private static final int STEPS = 10;   // 2 epochs of 5

    /** Batch norm on the raw input (its statistics depend on the data alone), and one on a hidden layer. */
    private static final ModelFactory BN = engine -> new Sequential(new BatchNorm1d(engine, SparkFixture.PIXELS),
            new Linear(engine, SparkFixture.PIXELS, 16), new ReLU(), new BatchNorm1d(engine, 16),
            new Linear(engine, 16, 10));

    private static JavaSparkContext sc;
    private static LabelledImages images;
    private static JavaRDD<Sample> data;

    @BeforeAll
    static void start() {
        sc = SparkFixture.localContext();
        images = SparkFixture.images(SAMPLES);
        data = sc.parallelize(SparkFixture.samples(images), 2);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static SparkTrainer.Builder trainer() {
        return SparkTrainer.builder().model(BN).config(FLOAT64).inputShape(SparkFixture.PIXELS).batchSize(BATCH)
                .numTasks(2).epochs(2).optimizer(OptimizerSpec.of("sgd").with("lr", 0.05).with("momentum", 0.9));
    }

    @Test
    @DisplayName("Each replica's batch norm statistics of its shard are averaged, weighted by shard size, after every step: the running mean is the one-machine running mean of the global batches, the replicas end identical, and the result and epoch reports carry the buffers")
    void fit_batchNormModel_averagesRunningStatisticsAcrossReplicas() {
        List<EpochEvent> epochs = new ArrayList<>();

        SparkFitResult result = trainer().epochListener(epochs::add).build().fit(data);

        assertEquals(List.of("0.running_mean", "0.running_var", "0.num_batches_tracked", "3.running_mean",
                "3.running_var", "3.num_batches_tracked"), List.copyOf(result.buffers().keySet()));
        assertArrayEquals(new double[] {STEPS}, result.buffers().get("0.num_batches_tracked"));
        assertArrayEquals(new double[] {STEPS}, result.buffers().get("3.num_batches_tracked"));
        double[][] expected = expectedInputStatistics();
        double meanGap = relativeGap(result.buffers().get("0.running_mean"), expected[0]);
        double varGap = relativeGap(result.buffers().get("0.running_var"), expected[1]);
        System.out.printf("batch norm on the input, 2 tasks, %d steps: running_mean gap %.1e, running_var gap %.1e "
                + "(against the shard-size-weighted averages computed from the data)%n", STEPS, meanGap, varGap);
        assertTrue(meanGap <= 1e-12, "running_mean gap " + meanGap);
        assertTrue(varGap <= 1e-12, "running_var gap " + varGap);

        Module local = BN.create(Polygrad.createEngine(FLOAT64));
        result.copyInto(local);
        BatchNorm1d first = (BatchNorm1d) ((Sequential) local).get(0);
        assertArrayEquals(result.buffers().get("0.running_mean"), first.runningMean().toDoubleArray());
        assertEquals(STEPS, first.numBatchesTracked(), "the layer's counter follows the copied buffer");
        EpochEvent last = epochs.get(epochs.size() - 1);
        for (Map.Entry<String, double[]> b : result.buffers().entrySet()) {
            assertArrayEquals(b.getValue(), last.buffers().get(b.getKey()), b.getKey());
        }
    }

    @Test
    @DisplayName("A batch norm model resumed from its epoch-0 checkpoint continues exactly: parameters, running statistics and num_batches_tracked")
    void resumeFrom_batchNormCheckpoint_continuesParametersAndBuffers(@TempDir Path dir) {
        SparkFitResult whole = trainer().checkpointDirectory(dir.toString()).build().fit(data);

        SparkFitResult resumed = trainer().resumeFrom(dir.resolve(Checkpoints.fileName(0)).toString()).build()
                .fit(data);

        assertEquals(0.0, SparkFixture.maxRelativeGap(resumed.parameters(), whole.parameters()));
        assertEquals(whole.buffers().keySet(), resumed.buffers().keySet());
        for (Map.Entry<String, double[]> b : whole.buffers().entrySet()) {
            assertArrayEquals(b.getValue(), resumed.buffers().get(b.getKey()), b.getKey());
        }
    }

    /**
     * Returns the first layer's expected running mean and variance after {@link #STEPS} steps: at each
     * step, with momentum 0.1, {@code r ← 0.9·r + 0.1·Σ n_k·s_k / n} over the two tasks' shards (positions
     * of parity k in the batch), where {@code s_k} is the shard's mean (for the variance, its unbiased
     * variance). For the mean that equals the global batch's mean.
     */
    private static double[][] expectedInputStatistics() {
        int features = SparkFixture.PIXELS;
        double[] mean = new double[features];
        double[] var = new double[features];
        java.util.Arrays.fill(var, 1);
        int perEpoch = SAMPLES / BATCH;
        for (int step = 0; step < STEPS; step++) {
            int from = (step % perEpoch) * BATCH;
            double[] batchMean = new double[features];
            double[] batchVar = new double[features];
            for (int task = 0; task < 2; task++) {
                List<float[]> shard = new ArrayList<>();
                for (int p = from; p < from + BATCH; p++) {
                    if (p % 2 == task) {
                        float[] row = new float[features];
                        images.copyInput(p, row, 0);
                        shard.add(row);
                    }
                }
                int n = shard.size();
                for (int j = 0; j < features; j++) {
                    double m = 0;
                    for (float[] row : shard) {
                        m += row[j];
                    }
                    m /= n;
                    double v = 0;
                    for (float[] row : shard) {
                        v += (row[j] - m) * (row[j] - m);
                    }
                    v /= n - 1;
                    batchMean[j] += n * m / BATCH;
                    batchVar[j] += n * v / BATCH;
                }
            }
            for (int j = 0; j < features; j++) {
                mean[j] = 0.9 * mean[j] + 0.1 * batchMean[j];
                var[j] = 0.9 * var[j] + 0.1 * batchVar[j];
            }
        }
        return new double[][] {mean, var};
    }

    /** Returns max |a − b| / max |b|. */
    private static double relativeGap(double[] actual, double[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
