package io.polygrad.spark;

import io.polygrad.io.SafeTensors;
import io.polygrad.nn.Module;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The per-epoch checkpoints of a {@link SparkTrainer}: the model's parameters in the safetensors format
 * ({@link SafeTensors}), named {@code epoch-NNNN.safetensors} (0-based epoch), with metadata
 * {@code step} (steps taken so far), {@code epoch} and {@code format} = {@code pt}. Load one into a
 * model built by the same factory with {@link SafeTensors#load}. Task 0 writes them through Hadoop's
 * file-system API, so the directory may be local, HDFS or an object store.
 */
public final class Checkpoints {

    private Checkpoints() {
    }

    /** Returns the file name of the checkpoint after {@code epoch}, e.g. {@code epoch-0003.safetensors}. */
    public static String fileName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d.safetensors", epoch);
    }

    /** Writes {@code model}'s parameters after {@code step} steps of {@code epoch} into {@code directory}. */
    static void write(String directory, int epoch, int step, Module model) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("epoch", Integer.toString(epoch));
        metadata.put("step", Integer.toString(step));
        byte[] bytes = SafeTensors.toBytes(model.namedParameters(), metadata);
        Path dir = new Path(directory);
        Path target = new Path(dir, fileName(epoch));
        Path tmp = new Path(dir, "." + fileName(epoch) + ".tmp");
        try {
            FileSystem fs = dir.getFileSystem(new Configuration());
            fs.setWriteChecksum(false);
            fs.mkdirs(dir);
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write checkpoint " + target, e);
        }
    }
}
