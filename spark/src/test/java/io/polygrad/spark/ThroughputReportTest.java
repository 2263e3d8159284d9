package io.polygrad.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.polygrad.config.PolygradConfig;
import io.polygrad.data.LabelledImages;
import io.polygrad.nn.Linear;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.OptimizerSpec;
import java.util.ArrayList;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a check: samples per second of synchronous training on 1 and 2 local tasks, and
 * the bytes each task sends per step. Runs only with {@code -Dpolygrad.spark.throughput=true}.
 */
class ThroughputReportTest {

    private static final ModelFactory MLP_128 = engine -> new Sequential(
            new Linear(engine, SparkFixture.PIXELS, 128), new ReLU(), new Linear(engine, 128, 10));

    @Test
    @DisplayName("Throughput of synchronous SGD on 1 and 2 local tasks (a report)")
    void fit_oneAndTwoTasks_reportsThroughput() {
        assumeTrue(Boolean.getBoolean("polygrad.spark.throughput"), "set -Dpolygrad.spark.throughput=true");
        int batch = 256;
        int steps = 80;
        LabelledImages images = SparkFixture.images(2000);
        PolygradConfig config = PolygradConfig.defaults().withSeed(1);
        OptimizerSpec sgd = OptimizerSpec.of("sgd").with("lr", 0.05);

        SparkFixture.singleMachine(config, MLP_128, sgd, images, batch, steps, new ArrayList<>());   // warm-up
        long t0 = System.nanoTime();
        SparkFixture.singleMachine(config, MLP_128, sgd, images, batch, steps, new ArrayList<>());
        double single = (double) batch * steps / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("one machine, no Spark: %.0f samples/s, %.1f ms/step%n", single, 1000.0 * batch / single);

        JavaSparkContext sc = SparkFixture.localContext();
        try {
            JavaRDD<Sample> data = sc.parallelize(SparkFixture.samples(images), 2).cache();
            data.count();
            for (SparkTrainer.Transport transport : SparkTrainer.Transport.values()) {
                for (int tasks = 1; tasks <= 2; tasks++) {
                    int n = transport == SparkTrainer.Transport.SOCKETS ? steps : 5;
                    SparkFitResult r = SparkTrainer.builder().model(MLP_128).optimizer(sgd).config(config)
                            .inputShape(SparkFixture.PIXELS).batchSize(batch).epochs(10).maxSteps(n)
                            .numTasks(tasks).transport(transport).build().fit(data);
                    System.out.printf("%s, %d task(s), batch %d: %.0f samples/s, %.1f ms/step, %d bytes/task/step, "
                            + "job %.1f s%n", transport, tasks, batch, r.samplesPerSecond(),
                            1000 * r.trainingSeconds() / r.steps(), r.bytesPerExchange(), r.wallSeconds());
                }
            }
        } finally {
            sc.stop();
        }
    }
}
