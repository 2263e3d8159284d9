package io.polygrad.cli;

import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.cli.progress.StepProgress;
import io.polygrad.config.PolygradConfig;
import io.polygrad.data.DataLoader;
import io.polygrad.data.LabelledImages;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.spark.EpochEvent;
import io.polygrad.spark.ModelFactory;
import io.polygrad.spark.Sample;
import io.polygrad.spark.SparkFitResult;
import io.polygrad.spark.SparkTrainer;
import io.polygrad.spark.SparkTrainingException;
import io.polygrad.train.Evaluation;
import io.polygrad.train.StepEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code polygrad train … --spark MASTER}: the same classifier trained data-parallel on Spark by
 * {@link SparkTrainer}, with the loss of every step and the test accuracy of every epoch reported on the
 * driver while the job runs. This class is the only one of the CLI that names Spark; it is loaded only
 * when {@code --spark} is given, and {@code ./polygrad} puts Spark's jars on the classpath only then.
 */
final class SparkTraining {

    /** How often a step's loss is printed when no progress bar is drawn. */
    private static final int PRINT_EVERY = 50;

    /** What to train, as parsed by {@link TrainCommand}. */
    record Options(String master, int tasks, int localSgd, int batchSize, int epochs, double lr, String checkpoints,
            String resume) {
    }

    /** The train command's MLP, 784-256-128-10 with ReLU, built on each replica's engine. */
    static final ModelFactory MLP = engine -> new Sequential(new Flatten(), new Linear(engine, 784, 256), new ReLU(),
            new Linear(engine, 256, 128), new ReLU(), new Linear(engine, 128, 10));

    private SparkTraining() {
    }

    /** Trains {@code factory}'s model on {@code train} on Spark, prints progress to {@code out}; returns the exit code. */
    static int run(Options o, PolygradConfig config, ModelFactory factory, LabelledImages train, LabelledImages test,
            int[] inputShape, PrintWriter out, PrintWriter err) {
        SparkConf conf = new SparkConf().setMaster(o.master()).setAppName("polygrad train")
                .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        if (o.master().startsWith("local")) {
            conf.set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1");
        }
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            err.println("polygrad train: cannot start Spark with master '" + o.master() + "': " + e.getMessage());
            err.flush();
            return PolygradCli.EXIT_USAGE;
        }
        sc.setLogLevel("WARN");
        try {
            Engine engine = Polygrad.createEngine(config);
            Module evaluated = factory.create(engine);
            DataLoader testLoader = DataLoader.of(test, engine).batchSize(Math.max(o.batchSize(), 500)).build();
            int stepsPerEpoch = (train.size() + o.batchSize() - 1) / o.batchSize();
            boolean interactive = StepProgress.isInteractive();
            StepProgress[] bar = {StepProgress.silent()};
            long[] epochStart = {System.nanoTime()};
            Evaluation[] last = {null};
            SparkTrainer.Builder builder = SparkTrainer.builder().model(factory).loss(Losses::crossEntropy)
                    .optimizer(OptimizerSpec.of("adam").with("lr", o.lr())).config(config).inputShape(inputShape)
                    .batchSize(o.batchSize()).epochs(o.epochs()).shuffle(true)
                    .listener(step -> {
                        int inEpoch = (step.step() - 1) % stepsPerEpoch + 1;
                        if (inEpoch == 1) {
                            bar[0] = StepProgress.create("epoch " + (step.epoch() + 1) + "/" + o.epochs(),
                                    stepsPerEpoch, interactive);
                        }
                        bar[0].step(step.loss());
                        if (!interactive && (inEpoch % PRINT_EVERY == 0 || inEpoch == stepsPerEpoch)) {
                            printStep(out, step, inEpoch, stepsPerEpoch);
                        }
                    })
                    .epochListener(epoch -> {
                        bar[0].close();
                        epoch.copyInto(evaluated);
                        last[0] = Evaluation.of(evaluated, Losses::crossEntropy, testLoader, 10);
                        double seconds = (System.nanoTime() - epochStart[0]) / 1e9;
                        epochStart[0] = System.nanoTime();
                        printEpoch(out, epoch, last[0], seconds);
                    });
            if (o.tasks() > 0) {
                builder.numTasks(o.tasks());
            }
            if (o.localSgd() > 0) {
                builder.mode(SparkTrainer.Mode.LOCAL_SGD).averageEvery(o.localSgd());
            }
            if (o.checkpoints() != null) {
                builder.checkpointDirectory(o.checkpoints());
            }
            if (o.resume() != null) {
                builder.resumeFrom(o.resume());
            }
            List<Sample> samples = new ArrayList<>(train.size());
            int features = train.pixelsPerImage();
            for (int i = 0; i < train.size(); i++) {
                float[] x = new float[features];
                train.copyInput(i, x, 0);
                samples.add(new Sample(x, train.label(i)));
            }
            int tasks = o.tasks() > 0 ? o.tasks() : sc.defaultParallelism();
            out.printf("  spark     master %s, %s, data in %d partitions%n", o.master(),
                    o.localSgd() > 0 ? "local SGD averaging every " + o.localSgd() + " steps" : "synchronous SGD",
                    tasks);
            if (o.resume() != null) {
                out.printf("  resume    from %s%n", o.resume());
            }
            out.println();
            out.println("epoch  train loss  test loss  test acc     time");
            out.flush();
            SparkFitResult result = builder.build().fit(sc.parallelize(samples, tasks));
            out.println();
            if (last[0] != null) {
                out.printf(Locale.ROOT, "Test accuracy: %.4f after %d epochs (%d test images)%n", last[0].accuracy(),
                        o.epochs(), last[0].samples());
            }
            out.printf(Locale.ROOT, "Spark: %d task%s, %d steps, %.0f samples/s in the training loop (%.1f s; job %.1f s), "
                    + "%d exchanges of %,d bytes per task%n", result.tasks(), result.tasks() == 1 ? "" : "s",
                    result.steps(), result.samplesPerSecond(),
                    result.trainingSeconds(), result.wallSeconds(), result.exchanges(), result.bytesPerExchange());
            out.flush();
            return 0;
        } catch (SparkTrainingException e) {
            err.println("polygrad train: " + e.getMessage());
            err.flush();
            return PolygradCli.EXIT_USAGE;
        } finally {
            sc.stop();
        }
    }

    private static void printStep(PrintWriter out, StepEvent step, int inEpoch, int stepsPerEpoch) {
        out.printf(Locale.ROOT, "  epoch %d step %d/%d (step %d)  loss %.4f%n", step.epoch() + 1, inEpoch,
                stepsPerEpoch, step.step(), step.loss());
        out.flush();
    }

    private static void printEpoch(PrintWriter out, EpochEvent epoch, Evaluation test, double seconds) {
        out.printf(Locale.ROOT, "%5d  %10.4f  %9.4f  %8.4f  %6.1f s%n", epoch.epoch() + 1, epoch.meanLoss(),
                test.meanLoss(), test.accuracy(), seconds);
        out.flush();
    }

    /** Returns the data set's shape of one image, channel first: {@code [1, rows, columns]}. */
    static int[] imageShape(LabelledImages images) {
        return new int[] {1, images.rows(), images.columns()};
    }
}
