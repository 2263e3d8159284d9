package io.polygrad.spark;

import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.data.DataLoader;
import io.polygrad.data.FashionMnist;
import io.polygrad.data.LabelledImages;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.train.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The shared pieces of the Spark tests: a local context, the data, the model and the single-machine reference. */
final class SparkFixture {

    /** The committed Fashion-MNIST subset, relative to this module's directory (Surefire's working directory). */
    static final Path FASHION_MNIST =
            Path.of("..", "conformance-tests", "src", "main", "resources", "io", "polygrad", "conformance",
                    "fashion-mnist-subset");

    static final int PIXELS = FashionMnist.SIDE * FashionMnist.SIDE;

    /** A small MLP: 784 → 16 → ReLU → 10. */
    static final ModelFactory MLP = engine -> new Sequential(
            new Linear(engine, PIXELS, 16), new ReLU(), new Linear(engine, 16, 10));

    private SparkFixture() {
    }

    /** Returns a Spark context on two local cores, bound to the loopback address, without its UI. */
    static JavaSparkContext localContext() {
        return localContext("local[2]");
    }

    /** Returns a Spark context on {@code master} (e.g. {@code local[2,3]}: 2 cores, 3 tries a task), on the loopback address. */
    static JavaSparkContext localContext(String master) {
        SparkConf conf = new SparkConf()
                .setMaster(master)
                .setAppName("polygrad-spark-tests")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        return new JavaSparkContext(conf);
    }

    /** Returns the first {@code n} training images of the subset, normalised like PyTorch's tutorial. */
    static LabelledImages images(int n) {
        try {
            return FashionMnist.load(FASHION_MNIST).train().slice(0, n).normalized(0.2860f, 0.3530f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the samples of {@code images}, in order, with flat inputs. */
    static List<Sample> samples(LabelledImages images) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            float[] x = new float[PIXELS];
            images.copyInput(i, x, 0);
            out.add(new Sample(x, images.label(i)));
        }
        return out;
    }

    /**
     * Trains {@code factory}'s model on one machine, with polygrad's DataLoader (no shuffling, last batch
     * kept) and the mean cross-entropy, for {@code steps} steps; returns the parameters by name.
     */
    static Map<String, double[]> singleMachine(PolygradConfig config, ModelFactory factory, OptimizerSpec spec,
            LabelledImages data, int batchSize, int steps, List<Double> losses) {
        Engine engine = Polygrad.createEngine(config);
        Module model = factory.create(engine);
        Optimizer optimizer = spec.create(model.parameters());
        DataLoader loader = DataLoader.of(data, engine).batchSize(batchSize).build();
        int step = 0;
        while (step < steps) {
            for (Batch batch : loader) {
                if (step == steps) {
                    break;
                }
                Tensor x = batch.x().reshape(batch.x().size(0), PIXELS);
                Tensor loss = Losses.crossEntropy(model.forward(x), batch.y());
                losses.add(loss.item());
                model.zeroGrad();
                loss.backward();
                optimizer.step();
                step++;
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, t) -> out.put(name, t.toDoubleArray()));
        return out;
    }

    /**
     * Trains {@code factory}'s model on one machine for {@code steps} steps over global batches of
     * consecutive positions of {@code order.apply(epoch)} (the last batch of an epoch kept), with the mean
     * cross-entropy; returns the parameters by name.
     */
    static Map<String, double[]> singleMachineInOrder(PolygradConfig config, ModelFactory factory, OptimizerSpec spec,
            LabelledImages data, int batchSize, int steps, java.util.function.IntFunction<int[]> order,
            List<Double> losses) {
        Engine engine = Polygrad.createEngine(config);
        Module model = factory.create(engine);
        Optimizer optimizer = spec.create(model.parameters());
        int perEpoch = (data.size() + batchSize - 1) / batchSize;
        int[] epochOrder = null;
        for (int step = 0; step < steps; step++) {
            if (step % perEpoch == 0) {
                epochOrder = order.apply(step / perEpoch);
            }
            int from = (step % perEpoch) * batchSize;
            int count = Math.min(batchSize, data.size() - from);
            float[] x = new float[count * PIXELS];
            long[] y = new long[count];
            for (int i = 0; i < count; i++) {
                data.copyInput(epochOrder[from + i], x, i * PIXELS);
                y[i] = data.label(epochOrder[from + i]);
            }
            Tensor input = engine.tensor(x, count, PIXELS).to(engine.dtype());
            Tensor loss = Losses.crossEntropy(model.forward(input), engine.tensor(y, count));
            losses.add(loss.item());
            model.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, t) -> out.put(name, t.toDoubleArray()));
        return out;
    }

    /** Returns the largest relative gap over the tensors: max |a - b| / max |b| of each tensor, maximised. */
    static double maxRelativeGap(Map<String, double[]> actual, Map<String, double[]> expected) {
        if (!actual.keySet().equals(expected.keySet())) {
            throw new AssertionError("parameter names differ: " + actual.keySet() + " vs " + expected.keySet());
        }
        double worst = 0;
        for (Map.Entry<String, double[]> e : expected.entrySet()) {
            double[] b = e.getValue();
            double[] a = actual.get(e.getKey());
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < b.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                scale = Math.max(scale, Math.abs(b[i]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }
}
