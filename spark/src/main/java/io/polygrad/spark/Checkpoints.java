package io.polygrad.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polygrad.Tensor;
import io.polygrad.io.Checkpoint;
import io.polygrad.io.SafeTensors;
import io.polygrad.io.SafeTensorsException;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The per-epoch checkpoints of a {@link SparkTrainer}, written by task 0 through Hadoop's file-system
 * API (so the directory may be local, HDFS or an object store).
 *
 * <p>{@code epoch-NNNN.safetensors} (0-based epoch) is a polygrad {@link Checkpoint} file, so
 * {@code Checkpoint.load(file, model, optimizer, null)} continues it on one machine (and
 * {@code Checkpoint.load(file, model, null, null)} loads the model alone):
 * <ul>
 *   <li>tensors {@code model.<name>}: the model's whole {@link Module#stateDict()}, parameters and buffers
 *       (a batch norm's running statistics and {@code num_batches_tracked}), identical on every replica;</li>
 *   <li>tensors {@code optimizer.state.<index>.<buffer>} and metadata {@code optimizer}: the optimizer's
 *       {@link Optimizer#stateDict()} (Adam's moments and step counts, momentum buffers, every group's
 *       options) as {@link OptimizerState#tensors()} and {@link OptimizerState#toJson()} give them; the
 *       replicas' states are identical in synchronous mode, and this is task 0's in local SGD mode;</li>
 *   <li>metadata {@code format} ({@value Checkpoint#FORMAT}), {@code step} (steps taken so far),
 *       {@code model}, {@code epoch}, {@code tasks}, {@code replica_optimizers}, and what the trajectory
 *       depends on: {@code batch_size}, {@code samples}, {@code shuffle}, {@code shuffle_seed},
 *       {@code mode}, {@code average_every}, {@code optimizer_name}.</li>
 * </ul>
 * In {@link SparkTrainer.Mode#LOCAL_SGD} mode every replica keeps its own optimizer state, so tasks 1 … N−1
 * send theirs to task 0, which writes them first, as {@code epoch-NNNN.optimizer-R.safetensors} (same
 * tensor names and {@code optimizer} metadata, with {@code step} and {@code rank}); {@code replica_optimizers}
 * counts them (0 in synchronous mode).
 *
 * <p>Every file is written to a hidden temporary name and renamed into place, the main file last, so a
 * main file is never partial and, once it exists, every file it names is complete.
 * {@link SparkTrainer.Builder#resumeFrom} continues a job from one.
 */
public final class Checkpoints {

    /** The metadata key of the steps taken when the checkpoint was written. */
    static final String STEP = "step";
    /** The metadata key of the number of tasks that wrote the checkpoint. */
    static final String TASKS = "tasks";
    /** The metadata key of the number of per-replica optimizer files (tasks 1 … N−1 in local SGD mode; else 0). */
    static final String REPLICAS = "replica_optimizers";
    /** The metadata keys that must equal the resuming job's for the trajectory to continue. */
    static final List<String> TRAJECTORY = List.of("batch_size", "samples", "shuffle", "shuffle_seed", "mode",
            "average_every", "optimizer_name");

    /** The tensor name prefix of optimizer state in a {@link Checkpoint} file (its documented layout). */
    static final String OPTIMIZER = "optimizer.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /** Returns the file name of the checkpoint after {@code epoch}, e.g. {@code epoch-0003.safetensors}. */
    public static String fileName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d.safetensors", epoch);
    }

    /**
     * Returns the file name of task {@code rank}'s optimizer state after {@code epoch} in local SGD mode,
     * e.g. {@code epoch-0003.optimizer-1.safetensors}.
     */
    public static String replicaFileName(int epoch, int rank) {
        return String.format(Locale.ROOT, "epoch-%04d.optimizer-%d.safetensors", epoch, rank);
    }

    /**
     * Returns the bytes of a replica's optimizer-state file: {@code optimizer}'s state after {@code step}
     * steps on task {@code rank}.
     */
    static byte[] replicaBytes(Optimizer optimizer, int step, int rank) {
        OptimizerState state = optimizer.stateDict();
        try {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            state.tensors().forEach((name, t) -> tensors.put(OPTIMIZER + name, t));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(STEP, Integer.toString(step));
            metadata.put("rank", Integer.toString(rank));
            metadata.put("optimizer", json(state.toJson()));
            return SafeTensors.toBytes(tensors, metadata);
        } finally {
            state.tensors().values().forEach(Tensor::close);
        }
    }

    /**
     * Writes the checkpoint after {@code step} steps of {@code epoch} into {@code directory}: first the
     * files of {@code replicas} (task r's at index r − 1, as {@link #replicaBytes} made them; empty in
     * synchronous mode), then the main file of {@code model}'s state dict and {@code optimizer}'s state,
     * with {@code trajectory} (the {@link #TRAJECTORY} values) and {@code tasks} in the metadata.
     */
    static void write(String directory, int epoch, int step, Module model, Optimizer optimizer,
            Map<String, String> trajectory, int tasks, List<byte[]> replicas) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("epoch", Integer.toString(epoch));
        metadata.put(TASKS, Integer.toString(tasks));
        metadata.put(REPLICAS, Integer.toString(replicas.size()));
        metadata.putAll(trajectory);
        Path dir = new Path(directory);
        try {
            byte[] main = Checkpoint.toBytes(model, optimizer, null, step, metadata);
            FileSystem fs = dir.getFileSystem(new Configuration());
            fs.setWriteChecksum(false);
            fs.mkdirs(dir);
            for (int r = 1; r <= replicas.size(); r++) {
                writeAtomically(fs, new Path(dir, replicaFileName(epoch, r)), replicas.get(r - 1));
            }
            writeAtomically(fs, new Path(dir, fileName(epoch)), main);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write checkpoint " + new Path(dir, fileName(epoch)), e);
        }
    }

    private static void writeAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException("could not rename " + tmp + " to " + target);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write checkpoint metadata", e);
        }
    }

    /**
     * A checkpoint copied from its file system to a local temporary file, with its metadata; the
     * per-replica optimizer files are copied when {@link #restore} needs one. {@link #close} deletes the
     * copies.
     */
    static final class Local implements AutoCloseable {
        final String uri;
        final Map<String, String> metadata;
        private final Path file;
        private final java.nio.file.Path copy;
        private java.nio.file.Path replicaCopy;

        private Local(String uri, Path file, java.nio.file.Path copy, Map<String, String> metadata) {
            this.uri = uri;
            this.file = file;
            this.copy = copy;
            this.metadata = metadata;
        }

        /**
         * Copies the checkpoint at {@code uri} and reads its metadata.
         *
         * @throws SparkTrainingException if the file is missing or unreadable, or is no trainer checkpoint
         */
        static Local fetch(String uri) {
            java.nio.file.Path copy = null;
            try {
                Path file = new Path(uri);
                FileSystem fs = file.getFileSystem(new Configuration());
                copy = copy(fs, file);
                Map<String, String> metadata = SafeTensors.metadata(copy);
                if (!Checkpoint.FORMAT.equals(metadata.get("format")) || !metadata.containsKey(TASKS)
                        || !metadata.containsKey(REPLICAS)) {
                    throw new SparkTrainingException("The checkpoint " + uri + " is not a SparkTrainer checkpoint: its "
                            + "metadata has format " + metadata.get("format") + " (expected " + Checkpoint.FORMAT
                            + ") and keys " + metadata.keySet() + " (expected '" + TASKS + "' and '" + REPLICAS + "')");
                }
                for (String key : List.of(STEP, TASKS, REPLICAS)) {
                    try {
                        Integer.parseInt(metadata.get(key));
                    } catch (NumberFormatException e) {
                        throw new SparkTrainingException("The checkpoint " + uri + " has " + key + " '"
                                + metadata.get(key) + "', not a number");
                    }
                }
                return new Local(uri, file, copy, metadata);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(copy);
                if (e instanceof SparkTrainingException ste) {
                    throw ste;
                }
                throw new SparkTrainingException("Cannot read the checkpoint " + uri + ": " + e.getMessage(), e);
            }
        }

        /** Returns the step the checkpoint was written after. */
        int step() {
            return Integer.parseInt(metadata.get(STEP));
        }

        /** Returns the number of tasks of the job that wrote it. */
        int tasks() {
            return Integer.parseInt(metadata.get(TASKS));
        }

        /** Returns the number of per-replica optimizer files (tasks 1 … N−1 in local SGD mode, else 0). */
        int replicas() {
            return Integer.parseInt(metadata.get(REPLICAS));
        }

        /**
         * Loads the model's state dict into {@code model} and the optimizer state of task {@code rank} into
         * {@code optimizer}: the main file's, or in local SGD mode for {@code rank} ≥ 1 that replica's file.
         *
         * @throws SparkTrainingException naming the checkpoint and the tensor if it is not of this model or
         *     optimizer (a name, shape or dtype differs), or is malformed
         */
        void restore(Module model, Optimizer optimizer, int rank) {
            boolean own = rank > 0 && replicas() > 0;
            try {
                Checkpoint.load(copy, model, own ? null : optimizer, null);
            } catch (SafeTensorsException e) {
                throw new SparkTrainingException("The checkpoint " + uri + " cannot be restored into this model and "
                        + "optimizer: " + e.getMessage().replace(copy.toString(), uri), e);
            } catch (IOException e) {
                throw new SparkTrainingException("Cannot read the checkpoint " + uri + ": " + e.getMessage(), e);
            }
            if (own) {
                restoreReplica(optimizer, rank);
            }
        }

        /** Loads task {@code rank}'s optimizer file (local SGD mode) into {@code optimizer}. */
        void restoreReplica(Optimizer optimizer, int rank) {
            if (rank > replicas()) {
                throw new SparkTrainingException("The checkpoint " + uri + " holds the optimizer state of "
                        + (replicas() + 1) + " tasks; task " + rank + " has none");
            }
            Path replica = new Path(file.getParent(), replicaFileName(Integer.parseInt(metadata.get("epoch")), rank));
            String name = replica.toString();
            try {
                FileSystem fs = replica.getFileSystem(new Configuration());
                if (!fs.exists(replica)) {
                    throw new SparkTrainingException("The checkpoint " + uri + " names " + replicas()
                            + " per-task optimizer files, but " + replica + " does not exist");
                }
                deleteQuietly(replicaCopy);
                replicaCopy = copy(fs, replica);
                Map<String, String> meta = SafeTensors.metadata(replicaCopy);
                if (!metadata.get(STEP).equals(meta.get(STEP))) {
                    throw new SparkTrainingException("The optimizer state " + replica + " is of step " + meta.get(STEP)
                            + " but the checkpoint " + uri + " of step " + metadata.get(STEP));
                }
                Map<String, Tensor> tensors = new LinkedHashMap<>();
                SafeTensors.read(replicaCopy, optimizer.parameters().get(0).engine()).forEach((key, t) -> {
                    if (!key.startsWith(OPTIMIZER)) {
                        throw new SparkTrainingException("The optimizer state " + name + " holds tensor '" + key
                                + "', which is no optimizer tensor");
                    }
                    tensors.put(key.substring(OPTIMIZER.length()), t);
                });
                String json = meta.get("optimizer");
                if (json == null) {
                    throw new SparkTrainingException("The optimizer state " + name + " has no 'optimizer' metadata");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = JSON.readValue(json, Map.class);
                optimizer.loadStateDict(OptimizerState.fromJson(parsed, tensors));
            } catch (IllegalArgumentException e) {
                throw new SparkTrainingException("The optimizer state " + name + " cannot be loaded into this "
                        + "optimizer: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new SparkTrainingException("Cannot read the optimizer state " + name + ": "
                        + (replicaCopy == null ? e.getMessage() : e.getMessage().replace(replicaCopy.toString(), name)),
                        e);
            }
        }

        @Override
        public void close() {
            deleteQuietly(copy);
            deleteQuietly(replicaCopy);
        }

        private static java.nio.file.Path copy(FileSystem fs, Path file) throws IOException {
            java.nio.file.Path local = Files.createTempFile("polygrad-checkpoint-", ".safetensors");
            try (InputStream in = fs.open(file)) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(local);
                throw e;
            }
            return local;
        }

        private static void deleteQuietly(java.nio.file.Path p) {
            if (p != null) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary copy; nothing to report
                }
            }
        }
    }
}
