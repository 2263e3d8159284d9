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
        int[] shape = b.inputShape != null ? b.inputShape : new int[] {data.first().input().length};
        int features = 1;
        for (int d : shape) {
            features = Math.multiplyExact(features, d);
        }
        final int expected = features;
        JavaPairRDD<Sample, Long> indexed = data.zipWithIndex();
        List<Tuple2<Sample, Long>> bad = indexed
                .filter(t -> t._1().input().length != expected || t._1().label() < 0)
                .take(1);
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

        PolygradConfig c = b.config;
        ReplicaTask.Plan plan = new ReplicaTask.Plan(b.factory, b.loss, b.optimizer.name(),
                new LinkedHashMap<>(b.optimizer.hyperParameters()), c.backend(), c.device().type().name(),
                c.device().index(), c.dtype().name(), c.seed(), shape.clone(), n, b.batchSize, stepsPerEpoch, total,
                b.mode, b.averageEvery, b.transport, b.timeoutMillis, b.checkpointDirectory);

        JavaPairRDD<Long, Sample> sharded = indexed
                .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .partitionBy(new ModuloPartitioner(tasks));
        ClassTag<TaskResult> tag = ClassTag$.MODULE$.apply(TaskResult.class);
        RDD<TaskResult> trained = sharded.rdd().barrier().mapPartitions(new ReplicaTask(plan), false, tag);
        long start = System.nanoTime();
        List<TaskResult> results;
        try {
            results = new ArrayList<>(trained.toJavaRDD().collect());
        } catch (Exception e) {
            throw translate(e);
        }
        long wall = System.nanoTime() - start;
        results.sort((x, y) -> Integer.compare(x.rank(), y.rank()));
        TaskResult first = results.get(0);
        for (TaskResult r : results) {
            if (!r.checksum().equals(first.checksum())) {
                throw new SparkTrainingException("The replicas differ after training (task 0: " + first.checksum()
                        + ", task " + r.rank() + ": " + r.checksum() + "); the model's forward pass or loss is not "
                        + "deterministic across tasks");
            }
        }
        SparkFitResult result = new SparkFitResult(first.names(), first.shapes(), first.values(),
                DType.valueOf(plan.dtype()), first.losses(), tasks, first.samples(), first.trainingNanos(), wall,
                first.bytesSentPerExchange(), first.exchanges());
        if (b.listener != null) {
            for (int i = 0; i < first.losses().length; i++) {
                b.listener.onStep(new StepEvent(i + 1, first.epochs()[i], first.losses()[i], first.lrs()[i]));
            }
        }
        return result;
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

        private Builder() {
        }

        /**
         * Saves the model's parameters at the end of every epoch (and after the last step) as
         * {@code epoch-NNNN.safetensors} in {@code directory}, a Hadoop file-system URI or path that task 0's
         * executor can write ({@code file:/…}, {@code hdfs://…}, {@code s3a://…}), with the step and epoch in
         * the file's metadata; see {@link Checkpoints}. Optimizer state is not saved (polygrad's api does not
         * expose it), so resuming with momentum or Adam does not continue the same trajectory.
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

        /** Sets the listener that receives every step's loss on the driver. */
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
            return c;
        }
    }
}
