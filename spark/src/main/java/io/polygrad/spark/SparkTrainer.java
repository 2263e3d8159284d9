package io.polygrad.spark;

import io.polygrad.DType;
import io.polygrad.config.PolygradConfig;
import io.polygrad.loss.Losses;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.train.StepEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A trainer of one polygrad model on an RDD of samples, data-parallel across the tasks of one Spark
 * barrier stage.
 *
 * <pre>{@code
 * SparkFitResult result = SparkTrainer.builder()
 *         .model(engine -> new Sequential(new Linear(engine, 784, 64), new ReLU(), new Linear(engine, 64, 10)))
 *         .loss(Losses::crossEntropy)
 *         .optimizer(OptimizerSpec.of("sgd").with("lr", 0.1))
 *         .config(PolygradConfig.defaults().withSeed(7))
 *         .inputShape(784).batchSize(64).epochs(3).numTasks(4)
 *         .build()
 *         .fit(samples);                       // JavaRDD<Sample>
 * result.copyInto(localModel);
 * }</pre>
 *
 * <p>The samples are numbered in the RDD's order; an epoch visits them in that order in global batches
 * of {@code batchSize} consecutive samples (the last, smaller batch is kept unless {@code dropLast}),
 * as polygrad's {@code DataLoader} does without shuffling. The sample at position {@code i} lives on
 * task {@code i mod N}, so each task's shard of a batch has {@code ⌊B/N⌋} or {@code ⌈B/N⌉} samples.
 *
 * <p>In {@link Mode#SYNCHRONOUS} mode (the default) every task scales its shard's mean loss by the
 * shard's share of the batch, so the sum of the shards' gradients is the single-machine gradient of the
 * batch's mean loss; the gradients are all-gathered, summed in task order, and every replica takes the
 * same optimizer step. In {@link Mode#LOCAL_SGD} mode each replica steps on its own shard and the
 * parameters are averaged (weighted by the samples each replica saw) every {@code averageEvery} steps
 * and at the end; optimizer state (momentum, Adam's moments) stays local to each replica.
 *
 * <p>Buffers (a batch norm's running statistics) are updated by each replica's forward pass on its own
 * shard, so they would drift apart; the trainer sends them with every exchange (gradients in
 * synchronous mode, parameters in local SGD mode) and every replica replaces each floating-point buffer
 * by the average of the replicas' values weighted by the samples each ran forward on since the last
 * exchange, and each integral buffer (a counter such as {@code num_batches_tracked}) by that of the
 * lowest-ranked task with samples. For batch norm's running mean this is the running mean of the whole
 * global batch, as on one machine; its running variance is the mean of the shards' variances, which
 * leaves out the spread between the shards' means. (PyTorch's DDP instead broadcasts rank 0's buffers
 * before every forward, which keeps rank 0's shard statistics only.) The normalisation itself uses each
 * shard's batch statistics, as DDP without {@code SyncBatchNorm} does, so a batch-norm model's steps
 * depend on the number of tasks.
 *
 * <p>Before training the trainer checks the input (no samples, rows of the wrong length, negative
 * labels) and that the cluster has a task slot for every barrier task; before the first step the tasks
 * compare their replicas' parameter checksums. Each failure is a {@link SparkTrainingException} that
 * names the problem.
 */
public final class SparkTrainer {

    /** How the replicas are kept in step. */
    public enum Mode {
        /** Gradients summed across tasks every step; every replica applies the same update. */
        SYNCHRONOUS,
        /** Each replica steps on its shard; parameters are averaged every {@code averageEvery} steps. */
        LOCAL_SGD
    }

    /** How the tasks exchange gradients or parameters each step. */
    public enum Transport {
        /**
         * A TCP hub on task 0, whose address the tasks learn once through Spark's all-gather: the other
         * tasks send their message to it and receive everyone's back (the default; milliseconds a step).
         */
        SOCKETS,
        /**
         * Spark's {@code BarrierTaskContext.allGather} every step, through the driver: nothing but Spark's
         * RPC, but Spark polls for the reply once a second, so every step waits up to a second.
         */
        SPARK_ALL_GATHER
    }

    private final Builder b;

    private SparkTrainer(Builder b) {
        this.b = b;
    }

    /** Returns a builder with the defaults: cross-entropy, {@code sgd}, polygrad's default config, one epoch. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains on {@code data} and returns the final parameters and per-step losses; the listener, if
     * any, receives every step's loss on the driver after the training stage has finished.
     *
     * @throws SparkTrainingException naming the problem if the input, the cluster or a replica is wrong,
     *     or a task fails
     */
    public SparkFitResult fit(JavaRDD<Sample> data) {
        Objects.requireNonNull(data, "data");
        return fit(data, b.inputShape);
    }

    /**
     * Trains on the rows of a Spark SQL {@code Dataset}: the {@linkplain Builder#featuresColumn features
     * column} (default {@code features}) holds each sample's input as a numeric array, nested for more
     * than one dimension ({@code array<float>}, {@code array<double>}, {@code array<array<float>>} …), and
     * the {@linkplain Builder#labelColumn label column} (default {@code label}) its class index (an
     * integral type, or float/double holding whole numbers). Rows are numbered in the Dataset's order. The
     * input shape is the builder's {@code inputShape}, else the first row's features' shape. (Named apart
     * from {@code fit} so that callers of {@link #fit(JavaRDD)} compile without {@code spark-sql}.)
     *
     * @throws SparkTrainingException naming the column if it is missing or of the wrong type, or the row
     *     and both shapes if a row's features have another shape (or its label is not a class index),
     *     and otherwise as {@link #fit(JavaRDD)}
     */
    public SparkFitResult fitRows(Dataset<Row> rows) {
        Objects.requireNonNull(rows, "rows");
        Tuple2<JavaRDD<Sample>, int[]> samples =
                RowSamples.samples(rows, new RowSamples.Columns(b.featuresColumn, b.labelColumn), b.inputShape);
        return fit(samples._1(), samples._2());
    }

    private SparkFitResult fit(JavaRDD<Sample> data, int[] inputShape) {
        SparkContext sc = data.context();
        int slots = slots(sc);
        int tasks = b.numTasks > 0 ? b.numTasks : (slots > 0 ? slots : sc.defaultParallelism());
        if (slots > 0 && tasks > slots) {
            throw new SparkTrainingException("numTasks(" + tasks + ") asks for a barrier stage of " + tasks
                    + " tasks that must all run at once, but the cluster (master " + sc.master() + ", spark.task.cpus="
                    + sc.getConf().getInt("spark.task.cpus", 1) + ") has " + slots + " task slot" + (slots == 1 ? "" : "s")
                    + "; use numTasks(" + slots + ") or fewer, or give Spark more cores (e.g. --master local["
                    + tasks + "], more executors or --executor-cores)");
        }
        long count = data.count();
        if (count == 0) {
            throw new SparkTrainingException("The data set has no samples; a trainer needs at least one");
        }
        if (count > Integer.MAX_VALUE) {
            throw new SparkTrainingException("The data set has " + count + " samples; at most "
                    + Integer.MAX_VALUE + " are supported");
        }
        int n = (int) count;
        int[] shape = inputShape != null ? inputShape : new int[] {data.first().input().length};
        int features = 1;
        for (int d : shape) {
            features = Math.multiplyExact(features, d);
        }
        final int expected = features;
        JavaPairRDD<Sample, Long> indexed = data.zipWithIndex();
        List<Tuple2<Sample, Long>> bad = indexed.filter(Positions.invalid(features)).take(1);
        if (!bad.isEmpty()) {
            Sample s = bad.get(0)._1();
            long at = bad.get(0)._2();
            if (s.input().length != expected) {
                throw new SparkTrainingException("Sample " + at + " has " + s.input().length + " input values, but "
                        + "the input shape " + Arrays.toString(shape) + " needs " + expected + " (a row of the wrong "
                        + "shape; every sample's input must have the same length)");
            }
            throw new SparkTrainingException("Sample " + at + " has label " + s.label()
                    + "; class labels must be 0 or more");
        }
        int stepsPerEpoch = b.dropLast ? n / b.batchSize : (n + b.batchSize - 1) / b.batchSize;
        if (stepsPerEpoch == 0) {
            throw new SparkTrainingException("With dropLast, " + n + " samples make no full batch of "
                    + b.batchSize + "; lower batchSize or keep the last batch");
        }
        long planned = (long) stepsPerEpoch * b.epochs;
        int total = (int) Math.min(planned, b.maxSteps > 0 ? b.maxSteps : Integer.MAX_VALUE);

        int first = 0;
        if (b.resumeFrom != null) {
            first = Resume.check(b.resumeFrom, plan(shape, n, stepsPerEpoch, total, tasks, 0, null));
            if (first >= total) {
                throw new SparkTrainingException("The checkpoint " + b.resumeFrom + " is of step " + first
                        + " and this job stops at step " + total + "; nothing is left to train (raise epochs)");
            }
        }

        JavaPairRDD<Long, Sample> sharded = indexed.mapToPair(Positions.byPosition())
                .partitionBy(new ModuloPartitioner(tasks));
        ClassTag<TaskResult> tag = ClassTag$.MODULE$.apply(TaskResult.class);
        List<TaskResult> results;
        Progress.Server server = null;
        long start = System.nanoTime();
        try {
            if (b.listener != null || b.epochListener != null) {
                server = Progress.Server.open(sc.getConf().get("spark.driver.host", "localhost"), b.listener,
                        b.epochListener, first);
            }
            ReplicaTask.Plan run = plan(shape, n, stepsPerEpoch, total, tasks, first,
                    server == null ? null : server.address(b.epochListener != null));
            RDD<TaskResult> trained = sharded.rdd().barrier().mapPartitions(new ReplicaTask(run), false, tag);
            // A shuffle after the barrier stage makes it a shuffle-map stage, which Spark retries as a whole when
            // a task fails (up to spark.stage.maxConsecutiveAttempts); a failed barrier result stage is never
            // retried ("Could not recover from a failed barrier ResultStage").
            results = new ArrayList<>(trained.toJavaRDD().repartition(1).collect());
        } catch (SparkTrainingException e) {
            throw e;
        } catch (Exception e) {
            throw translate(e);
        } finally {
            if (server != null) {
                server.finish(10_000);
            }
        }
        long wall = System.nanoTime() - start;
        results.sort((x, y) -> Integer.compare(x.rank(), y.rank()));
        TaskResult head = results.get(0);
        for (TaskResult r : results) {
            if (!r.checksum().equals(head.checksum())) {
                throw new SparkTrainingException("The replicas' parameters or buffers differ after training (task 0: "
                        + head.checksum()
                        + ", task " + r.rank() + ": " + r.checksum() + "); the model's forward pass or loss is not "
                        + "deterministic across tasks");
            }
        }
        SparkFitResult result = new SparkFitResult(head.parameters(), head.buffers(), b.config.dtype(), first, head.losses(), tasks, head.samples(), head.trainingNanos(), wall,
                head.bytesSentPerExchange(), head.exchanges());
        if (b.listener != null) {
            // the steps the live reports did not deliver (task 0 could not reach the driver, or a retry ended early)
            for (int i = server.lastStep() - first; i < head.losses().length; i++) {
                b.listener.onStep(new StepEvent(first + i + 1, head.epochs()[i], head.losses()[i], head.lrs()[i]));
            }
        }
        return result;
    }

    /** Returns the plan of a stage that trains from step {@code first} and reports to {@code progress}. */
    private ReplicaTask.Plan plan(int[] shape, int n, int stepsPerEpoch, int total, int tasks, int first,
            Progress.Address progress) {
        PolygradConfig c = b.config;
        return new ReplicaTask.Plan(b.factory, b.loss, b.optimizer.name(),
                new LinkedHashMap<>(b.optimizer.hyperParameters()), c.backend(), c.device().type().name(),
                c.device().index(), c.dtype().name(), c.seed(), shape.clone(), n, b.batchSize, stepsPerEpoch, total,
                tasks, b.mode, b.averageEvery, b.transport, b.timeoutMillis, b.checkpointDirectory, b.shuffle,
                b.shuffleSeed != null ? b.shuffleSeed : c.seed(), first, first == 0 ? null : b.resumeFrom, progress);
    }

    /** Returns the task slots of the cluster, or 0 if they cannot be known from the configuration. */
    static int slots(SparkContext sc) {
        SparkConf conf = sc.getConf();
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        String master = sc.master();
        Matcher local = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?").matcher(master);
        if (local.matches()) {
            String n = local.group(1);
            int cores = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
            return cores / taskCpus;
        }
        Matcher cluster = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*]").matcher(master);
        if (cluster.matches()) {
            return Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2)) / taskCpus;
        }
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false) || conf.contains("spark.default.parallelism")) {
            return 0;
        }
        return sc.defaultParallelism() / taskCpus;
    }

    /** Returns the polygrad error inside a failed Spark job, or one that says what Spark reported. */
    private static SparkTrainingException translate(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkTrainingException ste) {
                return new SparkTrainingException(ste.getMessage(), e);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("SPARK-24819") || message.contains("requires more slots")) {
            return new SparkTrainingException("The barrier stage needs a task slot for every task at once and the "
                    + "cluster has fewer; lower numTasks or add executors/cores. Spark said: " + message, e);
        }
        Matcher m = Pattern.compile("SparkTrainingException: ([^\\n]*)").matcher(message);
        if (m.find()) {
            return new SparkTrainingException(m.group(1), e);
        }
        return new SparkTrainingException("Training on Spark failed: " + message, e);
    }

    /** A builder of {@link SparkTrainer}s. */
    public static final class Builder {
        private ModelFactory factory;
        private SerializableLoss loss = Losses::crossEntropy;
        private OptimizerSpec optimizer = OptimizerSpec.of("sgd");
        private PolygradConfig config = PolygradConfig.defaults();
        private int[] inputShape;
        private int batchSize = 32;
        private int epochs = 1;
        private int maxSteps;
        private boolean dropLast;
        private int numTasks;
        private Mode mode = Mode.SYNCHRONOUS;
        private int averageEvery = 1;
        private StepListener listener;
        private Transport transport = Transport.SOCKETS;
        private int timeoutMillis = 600_000;
        private String checkpointDirectory;
        private boolean shuffle;
        private Long shuffleSeed;
        private String resumeFrom;
        private EpochListener epochListener;
        private String featuresColumn = "features";
        private String labelColumn = "label";

        private Builder() {
        }

        /**
         * Sets whether every epoch visits the samples in a new order (default: no, the data set's order):
         * the permutation {@link EpochOrder#permutation}{@code (shuffleSeed, epoch, n)}, which depends on
         * the seed and the epoch only, so a resumed job and a job on another number of tasks visit the
         * same global batches. A task's shard of a batch is then the batch's samples it holds, so shards
         * differ in size by a few samples (about {@code sqrt(B/N)}); the sum of their gradients is still
         * the batch's.
         */
        public Builder shuffle(boolean value) {
            this.shuffle = value;
            return this;
        }

        /** Sets the seed of the epochs' orders (default: the config's seed); see {@link #shuffle}. */
        public Builder shuffleSeed(long value) {
            this.shuffleSeed = value;
            return this;
        }

        /**
         * Continues a job from one of its checkpoints ({@code …/epoch-NNNN.safetensors}, a Hadoop
         * file-system URI or path): the replicas load its model state (parameters and buffers) and the
         * optimizer's state (moments, step counts, and every group's options, which take the place of the
         * spec's, as PyTorch's {@code load_state_dict} does) and train from the step after it, over the same
         * global batches, to the end of {@code epochs}, so the job continues the uninterrupted one's
         * trajectory; the result's losses are those of the steps this job takes. The driver checks first that
         * the checkpoint fits: the same model (names, shapes and dtypes of the state dict) and optimizer, by
         * loading both into ones built on the driver, and the same batch size, sample count, shuffling, mode
         * and optimizer name (and in local SGD mode the same number of tasks).
         */
        public Builder resumeFrom(String checkpoint) {
            this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
            return this;
        }

        /**
         * Sets the listener that receives every finished epoch with the parameters after it, on the driver
         * while training runs (task 0 sends them; in local SGD mode the epoch ends with an average).
         */
        public Builder epochListener(EpochListener value) {
            this.epochListener = Objects.requireNonNull(value, "epochListener");
            return this;
        }

        /** Sets the column of a {@code Dataset}'s rows that holds the input array (default {@code features}). */
        public Builder featuresColumn(String name) {
            this.featuresColumn = Objects.requireNonNull(name, "featuresColumn");
            return this;
        }

        /** Sets the column of a {@code Dataset}'s rows that holds the class label (default {@code label}). */
        public Builder labelColumn(String name) {
            this.labelColumn = Objects.requireNonNull(name, "labelColumn");
            return this;
        }

        /**
         * Saves a checkpoint at the end of every epoch (and after the last step) as
         * {@code epoch-NNNN.safetensors} in {@code directory}, a Hadoop file-system URI or path that task 0's
         * executor can write ({@code file:/…}, {@code hdfs://…}, {@code s3a://…}): the model's state dict
         * (parameters and buffers), the optimizer's state, the step, the epoch and what the trajectory
         * depends on, in polygrad's {@link io.polygrad.io.Checkpoint} format; see {@link Checkpoints} and
         * {@link #resumeFrom}.
         */
        public Builder checkpointDirectory(String directory) {
            this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Sets how the tasks exchange gradients or parameters (default {@link Transport#SOCKETS}). */
        public Builder transport(Transport value) {
            this.transport = Objects.requireNonNull(value, "transport");
            return this;
        }

        /** Sets how long a task waits for its peers in one exchange before failing (default 10 minutes). */
        public Builder exchangeTimeoutMillis(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("exchangeTimeoutMillis must be positive, got " + value);
            }
            this.timeoutMillis = value;
            return this;
        }

        /** Sets the factory every task builds its replica with (required). */
        public Builder model(ModelFactory value) {
            this.factory = Objects.requireNonNull(value, "model factory");
            return this;
        }

        /** Sets the mean-reduced loss (default: {@link Losses#crossEntropy(io.polygrad.Tensor, io.polygrad.Tensor)}). */
        public Builder loss(SerializableLoss value) {
            this.loss = Objects.requireNonNull(value, "loss");
            return this;
        }

        /** Sets the optimizer as data (default: {@code sgd} with PyTorch's defaults). */
        public Builder optimizer(OptimizerSpec value) {
            this.optimizer = Objects.requireNonNull(value, "optimizer");
            return this;
        }

        /** Sets the backend, dtype and seed of every replica's engine (default: {@link PolygradConfig#defaults()}). */
        public Builder config(PolygradConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** Sets the shape of one sample's input (default: 1-d, as long as the first sample's). */
        public Builder inputShape(int... shape) {
            if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
                throw new IllegalArgumentException("inputShape must have positive sizes, got " + Arrays.toString(shape));
            }
            this.inputShape = shape.clone();
            return this;
        }

        /** Sets the global batch size B, split across the tasks (default 32). */
        public Builder batchSize(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("batchSize must be positive, got " + value);
            }
            this.batchSize = value;
            return this;
        }

        /** Sets the number of passes over the data (default 1). */
        public Builder epochs(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("epochs must be positive, got " + value);
            }
            this.epochs = value;
            return this;
        }

        /** Stops after {@code value} steps even if epochs remain (default: no limit). */
        public Builder maxSteps(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxSteps must be positive, got " + value);
            }
            this.maxSteps = value;
            return this;
        }

        /** Sets whether the last, smaller batch of an epoch is dropped (default: kept). */
        public Builder dropLast(boolean value) {
            this.dropLast = value;
            return this;
        }

        /** Sets the number of barrier tasks N (default: the cluster's task slots). */
        public Builder numTasks(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("numTasks must be positive, got " + value);
            }
            this.numTasks = value;
            return this;
        }

        /** Sets how the replicas are kept in step (default {@link Mode#SYNCHRONOUS}). */
        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /** Sets how many local steps {@link Mode#LOCAL_SGD} takes between averages (default 1). */
        public Builder averageEvery(int steps) {
            if (steps <= 0) {
                throw new IllegalArgumentException("averageEvery must be positive, got " + steps);
            }
            this.averageEvery = steps;
            return this;
        }

        /**
         * Sets the listener that receives every step's loss on the driver, in order: live while training
         * runs (task 0 reports each step), and any step not reported live when the stage has finished.
         */
        public Builder listener(StepListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Returns the trainer.
         *
         * @throws IllegalStateException if no model factory was set
         */
        public SparkTrainer build() {
            if (factory == null) {
                throw new IllegalStateException("SparkTrainer needs a model factory: call model(engine -> ...)");
            }
            return new SparkTrainer(copy());
        }

        /** Returns a copy, so that changing this builder later leaves a built trainer as it was. */
        private Builder copy() {
            Builder c = new Builder();
            c.factory = factory;
            c.loss = loss;
            c.optimizer = optimizer;
            c.config = config;
            c.inputShape = inputShape == null ? null : inputShape.clone();
            c.batchSize = batchSize;
            c.epochs = epochs;
            c.maxSteps = maxSteps;
            c.dropLast = dropLast;
            c.numTasks = numTasks;
            c.mode = mode;
            c.averageEvery = averageEvery;
            c.listener = listener;
            c.transport = transport;
            c.timeoutMillis = timeoutMillis;
            c.checkpointDirectory = checkpointDirectory;
            c.shuffle = shuffle;
            c.shuffleSeed = shuffleSeed;
            c.resumeFrom = resumeFrom;
            c.epochListener = epochListener;
            c.featuresColumn = featuresColumn;
            c.labelColumn = labelColumn;
            return c;
        }
    }
}
