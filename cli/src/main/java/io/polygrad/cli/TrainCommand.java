package io.polygrad.cli;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.cli.output.OutputFile;
import io.polygrad.cli.plot.TrainingPlot;
import io.polygrad.cli.progress.StepProgress;
import io.polygrad.cli.run.ClassifierModels;
import io.polygrad.cli.run.ClassifierTraining;
import io.polygrad.cli.run.ClassifierTraining.Epoch;
import io.polygrad.cli.run.Format;
import io.polygrad.cli.run.ProcessMemory;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.BackendUnavailableException;
import io.polygrad.config.PolygradConfig;
import io.polygrad.data.DataLoader;
import io.polygrad.data.FashionMnist;
import io.polygrad.data.LabelledImages;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Module;
import io.polygrad.optim.Adam;
import io.polygrad.optim.lr.CosineAnnealingLR;
import io.polygrad.optim.lr.LrScheduler;
import io.polygrad.optim.Optimizer;
import io.polygrad.spi.BackendProvider;
import io.polygrad.train.Evaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The train command, {@code polygrad train fashion-mnist}, which trains a classifier on
 * Fashion-MNIST on one backend with Adam and cross-entropy, shows a progress bar per epoch (loss,
 * accuracy, ETA) on a terminal, prints the per-epoch losses and accuracies, the final test accuracy
 * and the confusion matrix, and writes a PNG of the curves, the confusion matrix and a grid of test
 * images with their predicted and true labels.
 *
 * <pre>{@code
 * $ polygrad train fashion-mnist --epochs 10
 * $ polygrad train fashion-mnist --backend djl --batch-size 256 --data ~/data/fashion-mnist
 * }</pre>
 *
 * <p>Exit codes: 0 when training completes, 1 when the loss becomes NaN or infinite, 2 for bad input
 * (an unknown data set or model, data files not found or corrupt, non-positive counts).
 */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = PolygradCli.Version.class,
        description = {"Train a classifier on a data set on one backend; print the test accuracy and the confusion "
                + "matrix, and plot the run.", "Data sets: fashion-mnist. Models: mlp (784-256-128-10, ReLU), cnn (two 5x5 convolutions with max "
                + "pooling, 1024 hidden units, dropout 0.4)."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "fashion-mnist.")
    private String dataset;

    @Option(names = "--model", paramLabel = "M", description = "mlp (default) or cnn.")
    private String model = "mlp";

    @Option(names = {"-b", "--backend"}, paramLabel = "B",
            description = "Backend: scratch, nd4j, djl (default: polygrad.backend, else scratch).")
    private String backend;

    @Option(names = "--device", paramLabel = "D", converter = Converters.DeviceConverter.class,
            description = "cpu, cuda or cuda:N (default: polygrad.device, else cpu).")
    private Device device;

    @Option(names = "--dtype", paramLabel = "f32|f64", converter = Converters.DTypeConverter.class,
            description = "Floating-point precision (default: polygrad.dtype, else f32).")
    private DType dtype;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set (default: 10).")
    private int epochs = 10;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per step (default: 128).")
    private int batchSize = 128;

    @Option(names = "--lr", paramLabel = "X", converter = Converters.LearningRateConverter.class,
            description = "Adam's learning rate > 0 (default: 0.001).")
    private double lr = 1e-3;

    @Option(names = "--schedule", paramLabel = "S", converter = ScheduleConverter.class,
            description = "Learning-rate schedule over the epochs: cosine (annealed to 0 by the last epoch, "
                    + "PyTorch's CosineAnnealingLR stepped per epoch; the default) or constant.")
    private Schedule schedule = Schedule.COSINE;

    @Option(names = "--normalize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Standardise the pixels by the training images' mean and standard deviation "
                    + "(PyTorch's transforms.Normalize; on by default, --no-normalize keeps them in [0, 1]).")
    private boolean normalize;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.SeedConverter.class,
            description = "Seed of the generator behind initial weights and shuffling (default: polygrad.seed, else 42).")
    private Long seed;

    @Option(names = "--threads", paramLabel = "N", converter = Converters.ThreadsConverter.class,
            description = "Threads the backend's kernels use (default: polygrad.threads, else the available processors;"
                    + " 1 is faster on cores shared with other busy processes).")
    private Integer threads;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four IDX files (default: polygrad.data, else Debian's "
                    + FashionMnist.DEBIAN_DIRECTORY + ").")
    private Path data;

    @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only.")
    private Integer trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Test on the first N test images only.")
    private Integer testLimit;

    @Option(names = "--plot", paramLabel = "PNG", description = "Where to write the plot (default: "
            + "polygrad-<dataset>-<model>.png).")
    private Path plot;

    @Option(names = "--no-plot", description = "Do not write a plot.")
    private boolean noPlot;

    // ---- training on Apache Spark (SparkTraining; Spark is on the classpath only with --spark)
    @Option(names = "--spark", paramLabel = "MASTER", description = "Train data-parallel on Spark, e.g. local[2] or "
            + "spark://host:7077: synchronous SGD (or local SGD) in one barrier stage; no plot.")
    private String spark;

    @Option(names = "--spark-tasks", paramLabel = "N", description = "Barrier tasks (replicas) on Spark (default: "
            + "the cluster's cores).")
    private Integer sparkTasks;

    @Option(names = "--local-sgd", paramLabel = "K", description = "On Spark, average the replicas every K local "
            + "steps instead of summing gradients every step.")
    private Integer localSgd;

    @Option(names = "--checkpoints", paramLabel = "DIR", description = "On Spark, write a checkpoint after every "
            + "epoch into DIR (a Hadoop path or URI).")
    private String checkpoints;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "On Spark, continue a run from one of its "
            + "--checkpoints files (e.g. DIR/epoch-0000.safetensors): model, Adam's state and step, so the run goes "
            + "on as if never stopped; --epochs counts from the start.")
    private String resume;

    @Override
    public Integer call() throws Exception {
        if (!"fashion-mnist".equals(dataset)) {
            throw new ParameterException(spec.commandLine(), "Unknown data set '" + dataset + "'; known: fashion-mnist");
        }
        String modelName = model.trim().toLowerCase(Locale.ROOT);
        if (!ClassifierModels.isKnown(modelName)) {
            throw new ParameterException(spec.commandLine(), "Unknown model '" + model + "'; known: "
                    + String.join(", ", ClassifierModels.NAMES));
        }
        positive(epochs, "--epochs");
        positive(batchSize, "--batch-size");
        if (trainLimit != null) {
            positive(trainLimit, "--train-limit");
        }
        if (testLimit != null) {
            positive(testLimit, "--test-limit");
        }
        PolygradConfig config = config();
        BackendProvider provider;
        try {
            provider = BackendRegistry.fromClasspath().select(config);
        } catch (BackendUnavailableException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        OutputFile plotFile = Runs.plotFile(spec, plot, noPlot, "polygrad-" + dataset + "-" + modelName + ".png");
        if (spark == null) {
            requireSpark("--spark-tasks", sparkTasks);
            requireSpark("--local-sgd", localSgd);
            requireSpark("--checkpoints", checkpoints);
            requireSpark("--resume", resume);
        }
        FashionMnist fashion = load();
        LabelledImages train = limit(fashion.train(), trainLimit);
        LabelledImages test = limit(fashion.test(), testLimit);
        double mean = 0;
        double std = 1;
        if (normalize) {
            mean = train.pixelMean();
            std = train.pixelStd();
            if (!(std > 0)) {
                throw new ParameterException(spec.commandLine(), "Cannot normalise: the " + train.size()
                        + " training images have a single pixel value; use --no-normalize");
            }
            train = train.normalized((float) mean, (float) std);
            test = test.normalized((float) mean, (float) std);
        }

        if (spark != null) {
            return trainOnSpark(config, train, test);
        }
        Engine engine = Polygrad.createEngine(provider.module(), config);
        Module net = ClassifierModels.create(modelName, engine);
        Optimizer adam = Adam.builder(net.parameters()).lr(lr).build();
        LrScheduler scheduler = schedule == Schedule.COSINE ? new CosineAnnealingLR(adam, epochs, 0) : null;
        DataLoader trainLoader = DataLoader.of(train, engine).batchSize(batchSize).shuffle(true).build();
        DataLoader testLoader = DataLoader.of(test, engine).batchSize(Math.max(batchSize, 500)).build();

        PrintWriter out = spec.commandLine().getOut();
        out.printf("polygrad train %s on %s (%s, %s, seed %d)%n", dataset, engine.backend().name(), engine.device(),
                engine.dtype(), engine.config().seed());
        out.printf("  model     %s, %,d parameters%n", ClassifierModels.describe(modelName), parameterCount(net));
        out.printf("  data      %s: %d training, %d test images%n", fashion.directory(), train.size(), test.size());
        out.printf("  data      %s%n", normalize ? String.format(Locale.ROOT,
                "pixels standardised by the training images' mean %.4f and std %.4f", mean, std)
                : "pixels in [0, 1]");
        out.printf("  training  Adam lr %s%s, batch %d, %d epochs, cross-entropy%n%n", Format.number(lr),
                schedule == Schedule.COSINE ? " cosine-annealed per epoch" : "", batchSize, epochs);
        out.println("epoch  train loss  train acc  test loss  test acc     time       rss      heap");
        out.flush();

        ClassifierTraining training = new ClassifierTraining(net, Losses::crossEntropy, adam, scheduler, 10);
        boolean interactive = StepProgress.isInteractive();
        StepProgress[] bar = {StepProgress.silent()};
        int[] currentEpoch = {0};
        List<Epoch> history = training.run(trainLoader, testLoader, epochs, step -> {
            if (step.epoch() != currentEpoch[0]) {
                currentEpoch[0] = step.epoch();
                bar[0] = StepProgress.create("epoch " + step.epoch() + "/" + epochs, trainLoader.batchCount(),
                        interactive);
            }
            bar[0].step(step.loss(), step.accuracy());
        }, epoch -> {
            bar[0].close();
            out.printf("%5d  %10.4f  %9.4f  %9.4f  %8.4f  %6.1f s  %8s  %8s%n", epoch.epoch(), epoch.trainLoss(),
                    epoch.trainAccuracy(), epoch.testLoss(), epoch.testAccuracy(), epoch.seconds(),
                    ProcessMemory.residentText(), ProcessMemory.heapText());
            out.flush();
        });
        Evaluation result = training.lastTest();
        Epoch last = history.get(history.size() - 1);
        out.println();
        out.printf("Test accuracy: %.4f after %d epochs (%d test images)%n", result.accuracy(), history.size(),
                result.samples());
        out.println("Confusion matrix (rows: true class, columns: predicted class)");
        out.print(result.confusion().toTable(FashionMnist.CLASSES));
        if (plotFile != null) {
            List<TrainingPlot.Sample> samples = samples(net, engine, test);
            String subtitle = String.format(Locale.ROOT, ClassifierModels.describe(modelName) + " · %s %s · Adam lr %s%s · batch %d · %d "
                    + "training images · test accuracy %.4f", engine.backend().name(), engine.dtype(),
                    Format.number(lr), schedule == Schedule.COSINE ? " cosine" : "", batchSize, train.size(), result.accuracy());
            plotFile.write(new TrainingPlot("polygrad train " + dataset, subtitle, history, result.confusion(),
                    FashionMnist.CLASSES, samples)::writePng);
            out.printf("Plot: %s%n", plotFile.path());
        }
        out.flush();
        if (!Double.isFinite(last.trainLoss())) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("polygrad train: training stopped after epoch " + last.epoch() + ": the loss became "
                    + Format.number(last.trainLoss()) + " (try a smaller --lr)");
            err.flush();
            return PolygradCli.EXIT_FAILURE;
        }
        return 0;
    }

    /** Runs the --spark path after checking its options. */
    private int trainOnSpark(PolygradConfig config, LabelledImages train, LabelledImages test) {
        if (sparkTasks != null) {
            positive(sparkTasks, "--spark-tasks");
        }
        if (localSgd != null) {
            positive(localSgd, "--local-sgd");
        }
        if (!"mlp".equals(model.trim().toLowerCase(Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), "On Spark the train command trains the mlp only; drop "
                    + "--model " + model + " or --spark");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("polygrad train %s on Spark (%s, seed %d)%n", dataset, config.dtype(), config.seed());
        out.printf("  model     mlp 784-256-128-10 (ReLU)%n");
        out.printf("  data      %d training, %d test images, %s%n", train.size(), test.size(), normalize
                ? "pixels standardised by the training images' mean and std" : "pixels in [0, 1]");
        out.printf("  training  Adam lr %s (constant: --schedule applies to one-machine runs), global batch %d, %d "
                + "epochs, cross-entropy, shuffled every epoch%n", Format.number(lr), batchSize, epochs);
        return SparkTraining.run(new SparkTraining.Options(spark.trim(), sparkTasks == null ? 0 : sparkTasks,
                localSgd == null ? 0 : localSgd, batchSize, epochs, lr, checkpoints, resume), config, SparkTraining.MLP, train,
                test, SparkTraining.imageShape(train), out, spec.commandLine().getErr());
    }

    /** Fails with a usage error if a Spark-only option was given without {@code --spark}. */
    private void requireSpark(String option, Object value) {
        if (value != null) {
            throw new ParameterException(spec.commandLine(), "Option '" + option + "' applies to training on Spark "
                    + "only; add --spark MASTER (e.g. --spark local[2])");
        }
    }

    private void positive(int value, String option) {
        if (value <= 0) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value
                    + " (must be a positive whole number)");
        }
    }

    private PolygradConfig config() {
        PolygradConfig config = Runs.config(spec, device, dtype, seed, threads);
        return backend == null ? config : config.withBackend(backend.trim().toLowerCase(Locale.ROOT));
    }

    private FashionMnist load() {
        try {
            return data != null ? FashionMnist.load(data) : FashionMnist.load();
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Cannot read Fashion-MNIST: " + e.getMessage());
        }
    }

    private LabelledImages limit(LabelledImages images, Integer n) {
        return n == null || n >= images.size() ? images : images.slice(0, n);
    }

    private static long parameterCount(Module net) {
        long n = 0;
        for (Tensor p : net.parameters()) {
            n += p.numel();
        }
        return n;
    }

    /** Returns the first 24 test images with the model's predictions. */
    private static List<TrainingPlot.Sample> samples(Module net, Engine engine, LabelledImages test) {
        int n = Math.min(24, test.size());
        List<TrainingPlot.Sample> out = new ArrayList<>(n);
        try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
            float[] pixels = new float[n * test.pixelsPerImage()];
            for (int i = 0; i < n; i++) {
                test.copyInput(i, pixels, i * test.pixelsPerImage()); // normalised as the model was trained
            }
            Tensor x = engine.tensor(pixels, n, 1, test.rows(), test.columns());
            if (x.dtype() != engine.dtype()) {
                x = x.to(engine.dtype());
            }
            double[] logits = net.forward(x).toDoubleArray();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    if (logits[i * 10 + c] > logits[i * 10 + best]) {
                        best = c;
                    }
                }
                float[] image = new float[test.pixelsPerImage()];
                test.copyPixels(i, image, 0);
                out.add(new TrainingPlot.Sample(image, test.rows(), test.columns(), test.label(i), best));
            }
        }
        return out;
    }

    /** The learning-rate schedules of {@code --schedule}. */
    enum Schedule {
        /** Adam's learning rate throughout. */
        CONSTANT,
        /** Cosine annealing from the learning rate to 0 over the epochs, stepped after each. */
        COSINE
    }

    /** Parses {@code --schedule}, naming the choices on a wrong value. */
    static final class ScheduleConverter implements picocli.CommandLine.ITypeConverter<Schedule> {
        @Override
        public Schedule convert(String value) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "cosine":
                    return Schedule.COSINE;
                case "constant":
                    return Schedule.CONSTANT;
                default:
                    throw new picocli.CommandLine.TypeConversionException("'" + value
                            + "' is not a schedule; choose cosine or constant");
            }
        }
    }
}
