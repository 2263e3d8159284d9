package io.polygrad.spark;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one barrier task: it builds a replica, checks that all replicas are identical, then
 * trains on its shard of every global batch, exchanging gradients (synchronous mode) or parameters
 * (local SGD) with the other tasks through an {@link Exchange}.
 *
 * <p>Every task runs the same schedule and calls {@code allGather} the same number of times, also when
 * its shard of a step is empty; messages come back ordered by task, and every task reduces them in
 * that order, so all replicas compute bit-identical updates.
 */
final class ReplicaTask extends AbstractFunction1<scala.collection.Iterator<Tuple2<Long, Sample>>,
        scala.collection.Iterator<TaskResult>> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Everything a task needs, as serializable values. */
    record Plan(
            ModelFactory factory,
            SerializableLoss loss,
            String optimizer,
            LinkedHashMap<String, Double> hyperParameters,
            String backend,
            String deviceType,
            int deviceIndex,
            String dtype,
            long seed,
            int[] inputShape,
            int sampleCount,
            int batchSize,
            int stepsPerEpoch,
            int totalSteps,
            int tasks,
            SparkTrainer.Mode mode,
            int averageEvery,
            SparkTrainer.Transport transport,
            int timeoutMillis,
            String checkpointDirectory,
            boolean shuffle,
            long shuffleSeed,
            int startStep,
            String resumeFrom,
            Progress.Address progress) implements Serializable {

        /** Returns the checkpoint metadata that the trajectory depends on ({@link Checkpoints#TRAJECTORY}). */
        LinkedHashMap<String, String> trajectory() {
            LinkedHashMap<String, String> m = new LinkedHashMap<>();
            m.put("batch_size", Integer.toString(batchSize));
            m.put("samples", Integer.toString(sampleCount));
            m.put("shuffle", Boolean.toString(shuffle));
            m.put("shuffle_seed", shuffle ? Long.toString(shuffleSeed) : "none");
            m.put("mode", mode.name());
            m.put("average_every", mode == SparkTrainer.Mode.LOCAL_SGD ? Integer.toString(averageEvery) : "none");
            m.put("optimizer_name", optimizer);
            return m;
        }
    }

    private final Plan plan;

    ReplicaTask(Plan plan) {
        this.plan = plan;
    }

    @Override
    public scala.collection.Iterator<TaskResult> apply(scala.collection.Iterator<Tuple2<Long, Sample>> rows) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        int tasks = ctx.getTaskInfos().length;
        List<Tuple2<Long, Sample>> local = new ArrayList<>();
        CollectionConverters.asJava(rows).forEachRemaining(local::add);
        local.sort((a, b) -> Long.compare(a._1(), b._1()));
        for (int k = 0; k < local.size(); k++) {
            if (local.get(k)._1() != rank + (long) k * tasks) {
                throw new SparkTrainingException("Task " + rank + " of " + tasks + " holds sample " + local.get(k)._1()
                        + " at local position " + k + "; the data were not sharded by position modulo the task count");
            }
        }
        TaskResult result = new Replica(plan, ctx, rank, tasks, local).train();
        return CollectionConverters.asScala(List.of(result).iterator());
    }

    /** One task's replica, optimizer and shard. */
    private static final class Replica {
        private final Plan plan;
        private final BarrierTaskContext ctx;
        private final int rank;
        private final int tasks;
        private final List<Tuple2<Long, Sample>> local;
        private final Engine engine;
        private final Module model;
        private final List<Map.Entry<String, Tensor>> params;
        /** Every buffer, in the model's order. */
        private final List<Map.Entry<String, Tensor>> buffers;
        /** The floating-point buffers (running statistics), exchanged with the gradients or parameters. */
        private final List<Map.Entry<String, Tensor>> floatBuffers;
        /** The other buffers (counters such as {@code num_batches_tracked}), exchanged in the header. */
        private final List<Map.Entry<String, Tensor>> intBuffers;
        private final int floatBufferValues;
        private final int intBufferValues;
        private final boolean asFloat;
        private Exchange exchange;
        private int orderEpoch = -1;
        private int[] orderLocals;
        private int[] orderPositions;
        private long payloadBytes;
        private int exchanges;

        Replica(Plan plan, BarrierTaskContext ctx, int rank, int tasks, List<Tuple2<Long, Sample>> local) {
            this.plan = plan;
            this.ctx = ctx;
            this.rank = rank;
            this.tasks = tasks;
            this.local = local;
            PolygradConfig config = new PolygradConfig(plan.backend(),
                    new Device(Device.Type.valueOf(plan.deviceType()), plan.deviceIndex()),
                    DType.valueOf(plan.dtype()), plan.seed());
            this.engine = Polygrad.createEngine(config);
            this.model = plan.factory().create(engine);
            if (model == null) {
                throw new SparkTrainingException("The model factory returned null on task " + rank);
            }
            model.train();
            this.params = new ArrayList<>(model.namedParameters().entrySet());
            this.buffers = new ArrayList<>(model.namedBuffers().entrySet());
            this.floatBuffers = new ArrayList<>();
            this.intBuffers = new ArrayList<>();
            for (Map.Entry<String, Tensor> b : buffers) {
                (b.getValue().dtype().isFloatingPoint() ? floatBuffers : intBuffers).add(b);
            }
            this.floatBufferValues = floatBuffers.stream().mapToInt(b -> b.getValue().numel()).sum();
            this.intBufferValues = intBuffers.stream().mapToInt(b -> b.getValue().numel()).sum();
            this.asFloat = params.stream().allMatch(e -> e.getValue().dtype() == DType.FLOAT32)
                    && floatBuffers.stream().allMatch(e -> e.getValue().dtype() == DType.FLOAT32);
        }

        TaskResult train() {
            try (Exchange opened = Exchange.open(plan.transport(), ctx, plan.timeoutMillis())) {
                this.exchange = opened;
                return trainWithExchange();
            }
        }

        private TaskResult trainWithExchange() {
            Optimizer optimizer = new OptimizerSpec(plan.optimizer(), plan.hyperParameters()).create(model.parameters());
            if (plan.resumeFrom() != null) {
                try (Checkpoints.Local checkpoint = Checkpoints.Local.fetch(plan.resumeFrom())) {
                    checkpoint.restore(model, optimizer, rank);
                }
            }
            checkIdenticalReplicas();
            try (Progress.Client progress = rank == 0 ? Progress.Client.connect(plan.progress(), plan.timeoutMillis())
                    : Progress.Client.connect(null, 0)) {
                return trainSteps(optimizer, progress);
            }
        }

        private TaskResult trainSteps(Optimizer optimizer, Progress.Client progress) {
            int first = plan.startStep();
            int total = plan.totalSteps();
            double[] losses = new double[total - first];
            int[] epochs = new int[total - first];
            double[] lrs = new double[total - first];
            long samples = 0;
            long start = System.nanoTime();
            // local SGD: the samples each replica has stepped on since the last average, and the steps' losses
            double weight = 0;
            List<double[]> pendingLosses = new ArrayList<>();
            int pendingFrom = first;
            int reported = first;
            for (int step = first; step < total; step++) {
                int epoch = step / plan.stepsPerEpoch();
                int from = (step % plan.stepsPerEpoch()) * plan.batchSize();
                int to = Math.min(from + plan.batchSize(), plan.sampleCount());
                int globalCount = to - from;
                int[] shard = shard(epoch, from, to);
                boolean epochEnd = (step + 1) % plan.stepsPerEpoch() == 0 || step == total - 1;
                epochs[step - first] = epoch;
                lrs[step - first] = optimizer.lr();
                samples += globalCount;
                try {
                    model.zeroGrad();
                    if (plan.mode() == SparkTrainer.Mode.SYNCHRONOUS) {
                        double lossSum = shard.length == 0 ? 0 : backward(shard, shard.length / (double) globalCount);
                        double[] sum = exchangeGradients(lossSum, shard.length);
                        losses[step - first] = sum[0] / globalCount;
                        optimizer.step();
                    } else {
                        double lossSum = 0;
                        if (shard.length > 0) {
                            lossSum = backward(shard, 1.0);
                            optimizer.step();
                        }
                        weight += shard.length;
                        pendingLosses.add(new double[] {lossSum, globalCount});
                        if ((step + 1 - pendingFrom) == plan.averageEvery() || epochEnd) {
                            double[] stepLosses = averageParameters(weight, pendingLosses);
                            System.arraycopy(stepLosses, 0, losses, pendingFrom - first, stepLosses.length);
                            weight = 0;
                            pendingLosses.clear();
                            pendingFrom = step + 1;
                        }
                    }
                    int known = plan.mode() == SparkTrainer.Mode.SYNCHRONOUS ? step + 1 : pendingFrom;
                    for (; reported < known; reported++) {
                        progress.step(reported + 1, epochs[reported - first], losses[reported - first],
                                lrs[reported - first]);
                    }
                    if (epochEnd) {
                        List<byte[]> replicas = gatherReplicaStates(optimizer, step + 1);
                        if (rank == 0) {
                            endEpoch(optimizer, replicas, progress, epoch, step + 1, losses, first);
                        }
                    }
                } catch (SparkTrainingException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new SparkTrainingException("Task " + rank + " of " + tasks + " failed at step " + (step + 1)
                            + " (epoch " + epoch + ", its shard of samples [" + from + ", " + to + ")): " + e, e);
                }
            }
            long nanos = System.nanoTime() - start;
            String checksum = checksum();
            if (rank != 0) {
                return new TaskResult(rank, checksum, null, null, null, null, null, samples, nanos, payloadBytes,
                        exchanges);
            }
            return new TaskResult(rank, checksum, TaskResult.Tensors.of(params), TaskResult.Tensors.of(buffers),
                    losses, epochs, lrs, samples, nanos, payloadBytes, exchanges);
        }

        /**
         * In local SGD mode with checkpoints, at an epoch's end: sends this replica's optimizer state to
         * task 0 and returns there those of tasks 1 … N−1 (their own state is in each replica alone);
         * otherwise, and on the other tasks, an empty list.
         */
        private List<byte[]> gatherReplicaStates(Optimizer optimizer, int steps) {
            if (plan.checkpointDirectory() == null || plan.mode() != SparkTrainer.Mode.LOCAL_SGD || tasks == 1) {
                return List.of();
            }
            byte[] mine = rank == 0 ? new byte[0] : Checkpoints.replicaBytes(optimizer, steps, rank);
            byte[][] all = exchange.gather(mine);
            return all == null ? List.of() : Arrays.asList(all).subList(1, all.length);
        }

        /** On task 0 after an epoch's last step: writes the checkpoint and reports the epoch to the driver. */
        private void endEpoch(Optimizer optimizer, List<byte[]> replicas, Progress.Client progress, int epoch,
                int steps, double[] losses, int first) {
            if (plan.checkpointDirectory() != null) {
                Checkpoints.write(plan.checkpointDirectory(), epoch, steps, model, optimizer, plan.trajectory(), tasks,
                        replicas);
            }
            if (progress.wantsEpochs(plan.progress())) {
                int from = Math.max(first, epoch * plan.stepsPerEpoch());
                double mean = 0;
                for (int s = from; s < steps; s++) {
                    mean += losses[s - first];
                }
                progress.epoch(epoch, steps, mean / (steps - from), TaskResult.Tensors.of(params),
                        TaskResult.Tensors.of(buffers));
            }
        }

        /**
         * Returns the local indices of this task's samples in the global batch of positions
         * {@code [from, to)} of {@code epoch}: the samples at positions {@code p} with {@code p mod N} equal
         * to this task's rank, or, when shuffling, the samples {@code order[p]} that this task holds, where
         * {@code order} is the epoch's {@link EpochOrder#permutation}.
         */
        private int[] shard(int epoch, int from, int to) {
            if (!plan.shuffle()) {
                int k0 = Math.max(0, ceilDiv(from - rank, tasks));
                int k1 = Math.max(0, ceilDiv(to - rank, tasks));
                int[] out = new int[Math.max(0, k1 - k0)];
                for (int i = 0; i < out.length; i++) {
                    out[i] = k0 + i;
                }
                return out;
            }
            if (epoch != orderEpoch) {
                int[] order = EpochOrder.permutation(plan.shuffleSeed(), epoch, plan.sampleCount());
                int count = 0;
                for (int sample : order) {
                    count += sample % tasks == rank ? 1 : 0;
                }
                orderLocals = new int[count];
                orderPositions = new int[count];
                int at = 0;
                for (int p = 0; p < order.length; p++) {
                    if (order[p] % tasks == rank) {
                        orderLocals[at] = order[p] / tasks;
                        orderPositions[at++] = p;
                    }
                }
                orderEpoch = epoch;
            }
            int lo = lowerBound(orderPositions, from);
            int hi = lowerBound(orderPositions, to);
            return Arrays.copyOfRange(orderLocals, lo, hi);
        }

        private static int lowerBound(int[] sorted, int key) {
            int i = Arrays.binarySearch(sorted, key);
            return i >= 0 ? i : -i - 1;
        }

        /**
         * Runs forward and backward on the local samples {@code locals} with the loss scaled by
         * {@code scale}, leaves a gradient on every parameter, and returns the unscaled loss times their count.
         */
        private double backward(int[] locals, double scale) {
            int count = locals.length;
            int features = 1;
            for (int d : plan.inputShape()) {
                features *= d;
            }
            double[] x = new double[count * features];
            long[] y = new long[count];
            for (int i = 0; i < count; i++) {
                Sample s = local.get(locals[i])._2();
                float[] in = s.input();
                for (int j = 0; j < features; j++) {
                    x[i * features + j] = in[j];
                }
                y[i] = s.label();
            }
            int[] shape = new int[plan.inputShape().length + 1];
            shape[0] = count;
            System.arraycopy(plan.inputShape(), 0, shape, 1, plan.inputShape().length);
            Tensor input = engine.tensor(x, engine.dtype(), shape);
            Tensor loss = plan.loss().apply(model.forward(input), labelTensor(y));
            double value = loss.item();
            (scale == 1.0 ? loss : loss.mul(scale)).backward();
            return value * count;
        }

        /**
         * Returns the class labels of a shard as a tensor: the one place the trainer makes label tensors;
         * int64 class indices, as {@code DataLoader} gives them.
         */
        private Tensor labelTensor(long[] labels) {
            return engine.tensor(labels, labels.length);
        }

        /** Gives every parameter without a gradient a zero one, so that all take part in the exchange. */
        private void ensureGradients() {
            Tensor zero = null;
            for (Map.Entry<String, Tensor> e : params) {
                Tensor p = e.getValue();
                if (p.grad() == null) {
                    Tensor term = p.sum().mul(0.0);
                    zero = zero == null ? term : zero.add(term);
                }
            }
            if (zero != null) {
                zero.backward();
            }
        }

        /** All-gathers the gradients, sets every parameter's gradient to their sum; returns the summed header. */
        private double[] exchangeGradients(double lossSum, int shard) {
            ensureGradients();
            double[] flat = flatten(params, p -> p.grad().toDoubleArray());
            int total = flat.length;
            Wire.Message[] all = gather(withIntBuffers(new double[] {lossSum, shard}), withFloatBuffers(flat));
            double[] header = new double[2];
            double[] sum = new double[total];
            double[] weights = new double[all.length];
            for (int r = 0; r < all.length; r++) {
                Wire.Message m = all[r];
                header[0] += m.header()[0];
                header[1] += m.header()[1];
                weights[r] = m.header()[1];
                double[] g = m.payload();
                for (int i = 0; i < total; i++) {
                    sum[i] += g[i];
                }
            }
            mergeBuffers(all, weights, 2, total);
            int at = 0;
            try (NoGrad ignored = NoGrad.enter()) {
                for (Map.Entry<String, Tensor> e : params) {
                    Tensor p = e.getValue();
                    int n = p.numel();
                    p.grad().assign(engine.tensor(Arrays.copyOfRange(sum, at, at + n), p.dtype(), p.shape()));
                    at += n;
                }
            }
            return header;
        }

        /**
         * All-gathers the parameters and replaces each replica's by their average weighted by the samples
         * each stepped on; returns the global mean loss of each pending step.
         */
        private double[] averageParameters(double weight, List<double[]> pendingLosses) {
            double[] header = new double[1 + pendingLosses.size()];
            header[0] = weight;
            for (int i = 0; i < pendingLosses.size(); i++) {
                header[1 + i] = pendingLosses.get(i)[0];
            }
            double[] flat = flatten(params, Tensor::toDoubleArray);
            Wire.Message[] all = gather(withIntBuffers(header), withFloatBuffers(flat));
            double[] weights = new double[all.length];
            for (int r = 0; r < all.length; r++) {
                weights[r] = all[r].header()[0];
            }
            mergeBuffers(all, weights, header.length, flat.length);
            double totalWeight = 0;
            double[] stepLosses = new double[pendingLosses.size()];
            for (Wire.Message m : all) {
                totalWeight += m.header()[0];
                for (int i = 0; i < stepLosses.length; i++) {
                    stepLosses[i] += m.header()[1 + i];
                }
            }
            for (int i = 0; i < stepLosses.length; i++) {
                stepLosses[i] /= pendingLosses.get(i)[1];
            }
            if (totalWeight == 0) {
                return stepLosses;
            }
            double[] avg = new double[flat.length];
            for (Wire.Message m : all) {
                double w = m.header()[0] / totalWeight;
                if (w == 0) {
                    continue;
                }
                double[] p = m.payload();
                for (int i = 0; i < flat.length; i++) {
                    avg[i] += w * p[i];
                }
            }
            int at = 0;
            try (NoGrad ignored = NoGrad.enter()) {
                for (Map.Entry<String, Tensor> e : params) {
                    Tensor p = e.getValue();
                    int n = p.numel();
                    p.assign(engine.tensor(Arrays.copyOfRange(avg, at, at + n), p.dtype(), p.shape()));
                    at += n;
                }
            }
            return stepLosses;
        }

        /** Returns {@code header} followed by the values of the integral buffers. */
        private double[] withIntBuffers(double[] header) {
            if (intBuffers.isEmpty()) {
                return header;
            }
            double[] out = Arrays.copyOf(header, header.length + intBufferValues);
            int at = header.length;
            for (Map.Entry<String, Tensor> b : intBuffers) {
                for (long v : b.getValue().toLongArray()) {
                    out[at++] = v;
                }
            }
            return out;
        }

        /** Returns {@code payload} followed by the values of the floating-point buffers. */
        private double[] withFloatBuffers(double[] payload) {
            if (floatBuffers.isEmpty()) {
                return payload;
            }
            double[] values = flatten(floatBuffers, Tensor::toDoubleArray);
            double[] out = Arrays.copyOf(payload, payload.length + values.length);
            System.arraycopy(values, 0, out, payload.length, values.length);
            return out;
        }

        /**
         * Makes every replica's buffers the same after an exchange: each floating-point buffer becomes the
         * average of the replicas' values weighted by {@code weights} (the samples each ran forward on since
         * the last exchange; a buffer that all of them hold bit for bit is kept as it is), and each integral
         * buffer (a counter) is taken from the lowest-ranked task of positive weight. The floating-point
         * values follow the first {@code payloadAt} values of each message's payload, the integral ones the
         * first {@code headerAt} of its header. Every replica computes the same in task order, so all end
         * bit-identical.
         */
        private void mergeBuffers(Wire.Message[] all, double[] weights, int headerAt, int payloadAt) {
            if (floatBuffers.isEmpty() && intBuffers.isEmpty()) {
                return;
            }
            int first = -1;
            double totalWeight = 0;
            for (int r = 0; r < all.length; r++) {
                if (weights[r] > 0) {
                    first = first < 0 ? r : first;
                    totalWeight += weights[r];
                }
            }
            if (first < 0) {
                return;
            }
            Map<String, Tensor> changed = new LinkedHashMap<>();
            int at = payloadAt;
            for (Map.Entry<String, Tensor> b : floatBuffers) {
                Tensor own = b.getValue();
                int n = own.numel();
                double[] merged = Arrays.copyOfRange(all[first].payload(), at, at + n);
                boolean same = true;
                for (int r = first + 1; r < all.length && same; r++) {
                    same = weights[r] <= 0 || Arrays.equals(all[r].payload(), at, at + n, merged, 0, n);
                }
                if (!same) {
                    Arrays.fill(merged, 0);
                    for (int r = 0; r < all.length; r++) {
                        if (weights[r] > 0) {
                            double[] p = all[r].payload();
                            for (int i = 0; i < n; i++) {
                                merged[i] += weights[r] * p[at + i];
                            }
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        merged[i] /= totalWeight;
                    }
                }
                if (!Arrays.equals(merged, 0, n, all[rank].payload(), at, at + n)) {
                    changed.put(b.getKey(), SparkFitResult.tensor(engine, merged, own.dtype(), own.shape()));
                }
                at += n;
            }
            at = headerAt;
            for (Map.Entry<String, Tensor> b : intBuffers) {
                Tensor own = b.getValue();
                int n = own.numel();
                double[] merged = Arrays.copyOfRange(all[first].header(), at, at + n);
                if (!Arrays.equals(merged, 0, n, all[rank].header(), at, at + n)) {
                    changed.put(b.getKey(), SparkFitResult.tensor(engine, merged, own.dtype(), own.shape()));
                }
                at += n;
            }
            if (!changed.isEmpty()) {
                // through loadStateDict, so that a module mirroring a buffer in a field (batch norm's
                // num_batches_tracked) sees the new value
                model.loadStateDict(changed, false);
            }
        }

        /** Returns {@code values} of every tensor of {@code tensors}, concatenated in order. */
        private static double[] flatten(List<Map.Entry<String, Tensor>> tensors,
                java.util.function.Function<Tensor, double[]> values) {
            List<double[]> parts = new ArrayList<>();
            int total = 0;
            for (Map.Entry<String, Tensor> e : tensors) {
                double[] v = values.apply(e.getValue());
                parts.add(v);
                total += v.length;
            }
            double[] flat = new double[total];
            int at = 0;
            for (double[] v : parts) {
                System.arraycopy(v, 0, flat, at, v.length);
                at += v.length;
            }
            return flat;
        }

        private Wire.Message[] gather(double[] header, double[] payload) {
            byte[] message = Wire.bytes(header, payload, asFloat);
            payloadBytes = message.length;
            exchanges++;
            byte[][] all = exchange.allGather(message);
            Wire.Message[] decoded = new Wire.Message[all.length];
            for (int i = 0; i < all.length; i++) {
                decoded[i] = Wire.fromBytes(all[i]);
                if (decoded[i].payload().length != payload.length || decoded[i].header().length != header.length) {
                    throw new SparkTrainingException("Task " + i + " sent " + decoded[i].header().length + " + "
                            + decoded[i].payload().length + " values but task " + rank + " has " + header.length + " + "
                            + payload.length + " (header + parameters and buffers)");
                }
            }
            return decoded;
        }

        /** Fails on every task if the replicas' checksums of parameters and buffers differ. */
        private void checkIdenticalReplicas() {
            String mine = checksum();
            byte[][] gathered = exchange.allGather(mine.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String[] all = new String[gathered.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = new String(gathered[i], java.nio.charset.StandardCharsets.UTF_8);
            }
            for (String other : all) {
                if (!other.equals(mine)) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < all.length; i++) {
                        sb.append(i == 0 ? "" : ", ").append("task ").append(i).append(": ").append(all[i]);
                    }
                    throw new SparkTrainingException("The model factory did not produce identical replicas: the "
                            + "checksums of parameters and buffers differ across tasks before the first step (" + sb
                            + "). Create "
                            + "every parameter on the Engine passed to the factory (its generator is seeded by the "
                            + "trainer's config), not from another random source, the clock or shared state");
                }
            }
        }

        /** Returns a 64-bit FNV-1a hash of the parameters' and buffers' names, shapes and values, with their count. */
        private String checksum() {
            long h = 0xcbf29ce484222325L;
            long count = 0;
            List<Map.Entry<String, Tensor>> all = new ArrayList<>(params);
            all.addAll(buffers);
            for (Map.Entry<String, Tensor> e : all) {
                for (char c : e.getKey().toCharArray()) {
                    h = (h ^ c) * 0x100000001b3L;
                }
                for (int d : e.getValue().shape()) {
                    h = (h ^ d) * 0x100000001b3L;
                }
                for (double v : e.getValue().toDoubleArray()) {
                    h = (h ^ Double.doubleToLongBits(v)) * 0x100000001b3L;
                    count++;
                }
            }
            return all.size() + " tensors/" + count + " values/" + String.format("%016x", h);
        }

        private static int ceilDiv(int a, int b) {
            return -Math.floorDiv(-a, b);
        }
    }
}
