package io.polygrad.spark;

import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.io.SafeTensors;
import io.polygrad.io.SafeTensorsException;
import io.polygrad.nn.Module;
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
 * API (so the directory may be local, HDFS or an object store):
 * <ul>
 *   <li>{@code epoch-NNNN.safetensors} (0-based epoch): the model's parameters in the safetensors
 *       format ({@link SafeTensors}; load one into a model built by the same factory with
 *       {@link SafeTensors#load}), with metadata {@code step} (steps taken so far), {@code epoch},
 *       {@code format} = {@code pt}, and what the trajectory depends on: {@code batch_size},
 *       {@code samples}, {@code shuffle}, {@code shuffle_seed}, {@code mode}, {@code average_every},
 *       {@code optimizer}, and {@code optimizer_state} (the optimizer file's name, or {@code none});</li>
 *   <li>{@code epoch-NNNN.optimizer.safetensors}: the optimizer's state as the trainer's
 *       {@link OptimizerCheckpoint} gave it, when it gave any.</li>
 * </ul>
 * Each file is written to a hidden temporary name and renamed into place, the optimizer's first, so a
 * parameters file is never partial and, once it exists, the optimizer state it names is complete.
 * {@link SparkTrainer.Builder#resumeFrom} continues a job from one.
 */
public final class Checkpoints {

    /** The metadata key of the steps taken when the checkpoint was written. */
    static final String STEP = "step";
    /** The metadata key of the optimizer state's file name, or {@code none}. */
    static final String OPTIMIZER_STATE = "optimizer_state";
    /** The metadata keys that must equal the resuming job's for the trajectory to continue. */
    static final List<String> TRAJECTORY = List.of("batch_size", "samples", "shuffle", "shuffle_seed", "mode",
            "average_every", "optimizer");

    private Checkpoints() {
    }

    /** Returns the file name of the checkpoint after {@code epoch}, e.g. {@code epoch-0003.safetensors}. */
    public static String fileName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d.safetensors", epoch);
    }

    /** Returns the file name of the optimizer state after {@code epoch}, e.g. {@code epoch-0003.optimizer.safetensors}. */
    public static String optimizerFileName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d.optimizer.safetensors", epoch);
    }

    /**
     * Writes {@code model}'s parameters after {@code step} steps of {@code epoch} into {@code directory},
     * with {@code trajectory} (the {@link #TRAJECTORY} values) in the metadata, and the optimizer's
     * {@code state} first if it is not {@code null}.
     */
    static void write(String directory, int epoch, int step, Module model, Map<String, String> trajectory,
            Map<String, Tensor> state) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("epoch", Integer.toString(epoch));
        metadata.put(STEP, Integer.toString(step));
        metadata.putAll(trajectory);
        metadata.put(OPTIMIZER_STATE, state == null ? "none" : optimizerFileName(epoch));
        Path dir = new Path(directory);
        try {
            FileSystem fs = dir.getFileSystem(new Configuration());
            fs.setWriteChecksum(false);
            fs.mkdirs(dir);
            if (state != null) {
                Map<String, String> stateMetadata = Map.of(STEP, Integer.toString(step));
                writeAtomically(fs, new Path(dir, optimizerFileName(epoch)), SafeTensors.toBytes(state, stateMetadata));
            }
            writeAtomically(fs, new Path(dir, fileName(epoch)), SafeTensors.toBytes(model.namedParameters(), metadata));
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

    /**
     * A checkpoint copied from its file system to local temporary files: the parameters file, its
     * metadata, and the optimizer state's file if it names one. {@link #close} deletes the copies.
     */
    static final class Local implements AutoCloseable {
        final String uri;
        final java.nio.file.Path parameters;
        final java.nio.file.Path optimizer;
        final Map<String, String> metadata;

        private Local(String uri, java.nio.file.Path parameters, java.nio.file.Path optimizer,
                Map<String, String> metadata) {
            this.uri = uri;
            this.parameters = parameters;
            this.optimizer = optimizer;
            this.metadata = metadata;
        }

        /**
         * Copies the checkpoint at {@code uri} and the optimizer state it names.
         *
         * @throws SparkTrainingException if a file is missing or unreadable, or is no trainer checkpoint
         */
        static Local fetch(String uri) {
            java.nio.file.Path parameters = null;
            java.nio.file.Path optimizer = null;
            try {
                Path file = new Path(uri);
                FileSystem fs = file.getFileSystem(new Configuration());
                parameters = copy(fs, file);
                Map<String, String> metadata = SafeTensors.metadata(parameters);
                if (!metadata.containsKey(STEP) || !metadata.containsKey(OPTIMIZER_STATE)) {
                    throw new SparkTrainingException("The checkpoint " + uri + " is not a SparkTrainer checkpoint: its "
                            + "metadata " + metadata + " has no '" + STEP + "' and '" + OPTIMIZER_STATE + "'");
                }
                String state = metadata.get(OPTIMIZER_STATE);
                if (!state.equals("none")) {
                    Path stateFile = new Path(file.getParent(), state);
                    if (!fs.exists(stateFile)) {
                        throw new SparkTrainingException("The checkpoint " + uri + " names the optimizer state "
                                + stateFile + ", which does not exist");
                    }
                    optimizer = copy(fs, stateFile);
                    String stateStep = SafeTensors.metadata(optimizer).get(STEP);
                    if (!metadata.get(STEP).equals(stateStep)) {
                        throw new SparkTrainingException("The optimizer state " + stateFile + " is of step " + stateStep
                                + " but the checkpoint " + uri + " of step " + metadata.get(STEP));
                    }
                }
                return new Local(uri, parameters, optimizer, metadata);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(parameters);
                deleteQuietly(optimizer);
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

        /**
         * Loads the parameters into {@code model} and, if saved, the optimizer state through {@code slot}.
         *
         * @throws SparkTrainingException if the checkpoint is not of this model (a name, shape or dtype
         *     differs) or is malformed
         */
        void restore(Module model, Engine engine, io.polygrad.optim.Optimizer opt, OptimizerCheckpoint slot) {
            try {
                SafeTensors.load(model, parameters);
                if (optimizer != null && opt != null) {
                    slot.restore(opt, SafeTensors.read(optimizer, engine));
                }
            } catch (SafeTensorsException e) {
                throw new SparkTrainingException("The checkpoint " + uri + " cannot be loaded into this model: "
                        + e.getMessage().replace(parameters.toString(), uri)
                                .replace(String.valueOf(optimizer), uri + "'s optimizer state"), e);
            } catch (IOException e) {
                throw new SparkTrainingException("Cannot read the checkpoint " + uri + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            deleteQuietly(parameters);
            deleteQuietly(optimizer);
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
