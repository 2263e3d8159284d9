package io.polygrad.io;

import static io.polygrad.Checks.notNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerState;
import io.polygrad.optim.lr.StatefulScheduler;
import io.polygrad.spi.Shapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file holding a training run's state: the model's parameters and buffers (its state dict), the optimizer's state, the learning-rate
 * schedule's state and the step, as PyTorch users save
 * {@code {'model': model.state_dict(), 'optimizer': opt.state_dict(), 'scheduler': sched.state_dict(), 'step': k}}.
 * It is a safetensors file ({@link SafeTensors}): tensors {@code model.<name>} and
 * {@code optimizer.state.<index>.<buffer>}, and in {@code __metadata__} the {@code format}
 * ({@value #FORMAT}), the {@code step}, and the optimizer's and schedule's other state as JSON.
 *
 * <pre>{@code
 * jshell> Checkpoint.save(Path.of("run/ckpt.safetensors"), model, optimizer, scheduler, step);
 * // ... a new process: the same model, optimizer and schedule, made the same way
 * jshell> long step = Checkpoint.load(Path.of("run/ckpt.safetensors"), model, optimizer, scheduler);
 * }</pre>
 *
 * <p>Resuming after step k continues the trajectory an uninterrupted run takes, bit for bit: parameters and
 * buffers are stored exactly, counts and rates as exact JSON numbers. The file is written atomically (a
 * temporary file moved into place; on any error nothing is left half-written), and loading checks everything
 * first: a checkpoint of another model (names, shapes, dtypes), of another optimizer (class, groups, buffer
 * shapes) or schedule fails with a {@link SafeTensorsException} naming the file and the problem, and leaves
 * the model, optimizer and schedule unchanged. The optimizer or the schedule may be {@code null} (not saved,
 * or not restored).
 */
public final class Checkpoint {

    /** The {@code format} metadata of a checkpoint file. */
    public static final String FORMAT = "polygrad-checkpoint/1";

    private static final String MODEL = "model.";
    private static final String OPTIMIZER = "optimizer.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    /**
     * Writes the model's state dict (parameters and buffers), the optimizer's and the schedule's state, and {@code step} to {@code file},
     * atomically.
     *
     * @param optimizer may be {@code null}: no optimizer state is saved
     * @param scheduler may be {@code null}: no schedule state is saved
     * @throws SafeTensorsException naming {@code file} if it cannot be written
     */
    public static void save(Path file, Module model, Optimizer optimizer, StatefulScheduler scheduler, long step)
            throws IOException {
        notNull(file, "Checkpoint.save", "file");
        notNull(model, "Checkpoint.save", "model");
        laidOut(model, optimizer, scheduler, step, Map.of(), (tensors, meta) -> {
            SafeTensors.save(tensors, meta, file);
            return null;
        });
    }

    /**
     * Returns the bytes of the file {@link #save} writes, with {@code extraMetadata} added after the
     * layout's own entries (for a writer that stores the file elsewhere, e.g. on a Hadoop file system, and
     * records more about the run); {@link #load} reads it.
     *
     * @throws IllegalArgumentException if {@code extraMetadata} names one of the layout's own keys
     */
    public static byte[] toBytes(Module model, Optimizer optimizer, StatefulScheduler scheduler, long step,
            Map<String, String> extraMetadata) {
        notNull(model, "Checkpoint.toBytes", "model");
        notNull(extraMetadata, "Checkpoint.toBytes", "extraMetadata");
        try {
            return laidOut(model, optimizer, scheduler, step, extraMetadata, SafeTensors::toBytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // toBytes writes to memory only
        }
    }

    /** What is done with a checkpoint's tensors and metadata once laid out. */
    @FunctionalInterface
    private interface Writer<T> {
        T write(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException;
    }

    /**
     * Lays out the checkpoint of {@code model} (and {@code optimizer}, {@code scheduler} when not null) after
     * {@code step}, hands it to {@code writer} and closes the optimizer state's copies after.
     */
    private static <T> T laidOut(Module model, Optimizer optimizer, StatefulScheduler scheduler, long step,
            Map<String, String> extraMetadata, Writer<T> writer) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> tensors.put(MODEL + name, t));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("step", Long.toString(step));
        meta.put("model", json(model.typeName()));
        extraMetadata.forEach((key, value) -> {
            if (meta.putIfAbsent(key, value) != null || key.equals("optimizer") || key.equals("scheduler")) {
                throw new IllegalArgumentException("Checkpoint metadata '" + key + "' is the layout's own");
            }
        });
        OptimizerState state = optimizer == null ? null : optimizer.stateDict();
        try {
            if (state != null) {
                state.tensors().forEach((name, t) -> tensors.put(OPTIMIZER + name, t));
                meta.put("optimizer", json(state.toJson()));
            }
            if (scheduler != null) {
                meta.put("scheduler", json(scheduler.stateDict()));
            }
            return writer.write(tensors, meta);
        } finally {
            if (state != null) {
                state.tensors().values().forEach(Tensor::close);
            }
        }
    }

    /**
     * Restores the model's state dict (parameters and buffers), the optimizer's and the schedule's state from {@code file} and returns the
     * step saved with them. Everything is checked before anything changes.
     *
     * @param optimizer may be {@code null}: the file's optimizer state is not restored
     * @param scheduler may be {@code null}: the file's schedule state is not restored
     * @throws SafeTensorsException naming the file and the problem: not a checkpoint, another model, another
     *     optimizer or schedule, or no optimizer or schedule state where one is to be restored
     */
    public static long load(Path file, Module model, Optimizer optimizer, StatefulScheduler scheduler)
            throws IOException {
        notNull(file, "Checkpoint.load", "file");
        notNull(model, "Checkpoint.load", "model");
        Map<String, String> meta = SafeTensors.metadata(file);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new SafeTensorsException(file, null, "is not a polygrad checkpoint (format " + meta.get("format")
                    + ", expected " + FORMAT + "); for a file of parameters only use SafeTensors.load");
        }
        long step;
        try {
            step = Long.parseLong(meta.get("step"));
        } catch (NumberFormatException e) {
            throw new SafeTensorsException(file, null, "has a malformed step: " + meta.get("step"), e);
        }
        Map<String, Tensor> params = model.stateDict();
        if (params.isEmpty()) {
            throw new SafeTensorsException(file, null, "cannot be loaded into a model without parameters");
        }
        Engine engine = params.values().iterator().next().engine();
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            Map<String, Tensor> all = SafeTensors.read(file, engine);
            Map<String, Tensor> modelTensors = new LinkedHashMap<>();
            Map<String, Tensor> optimizerTensors = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : all.entrySet()) {
                if (e.getKey().startsWith(MODEL)) {
                    modelTensors.put(e.getKey().substring(MODEL.length()), e.getValue());
                } else if (e.getKey().startsWith(OPTIMIZER)) {
                    optimizerTensors.put(e.getKey().substring(OPTIMIZER.length()), e.getValue());
                } else {
                    throw new SafeTensorsException(file, e.getKey(), "is neither a model nor an optimizer tensor");
                }
            }
            checkModel(file, model, params, modelTensors);
            OptimizerState optimizerState = null;
            if (optimizer != null) {
                String json = required(file, meta, "optimizer");
                try {
                    optimizerState = OptimizerState.fromJson(parse(file, json), optimizerTensors);
                } catch (IllegalArgumentException e) {
                    throw new SafeTensorsException(file, null, "has a malformed optimizer state: " + e.getMessage(), e);
                }
            }
            Map<String, Object> schedulerState = scheduler == null ? null
                    : parse(file, required(file, meta, "scheduler"));
            OptimizerState optimizerBefore = optimizer == null ? null : optimizer.stateDict();
            try {
                if (optimizer != null) {
                    optimizer.loadStateDict(optimizerState);
                }
                if (scheduler != null) {
                    scheduler.loadStateDict(schedulerState);
                }
            } catch (IllegalArgumentException e) {
                if (optimizer != null) {
                    optimizer.loadStateDict(optimizerBefore);
                }
                throw new SafeTensorsException(file, null, "does not fit the " + (optimizer == null ? "" : "optimizer "
                        + optimizer.name() + " or the ") + "schedule given: " + e.getMessage(), e);
            }
            // through loadStateDict, so that modules mirroring a buffer in a field (batch norm's
            // num_batches_tracked) refresh it
            model.loadStateDict(modelTensors);
            if (optimizerBefore != null) {
                optimizerBefore.tensors().values().forEach(Tensor::close);
            }
        }
        return step;
    }

    /** Checks that the file's model tensors are exactly the model's state (parameters and buffers): names, shapes, dtypes. */
    private static void checkModel(Path file, Module model, Map<String, Tensor> params, Map<String, Tensor> saved)
            throws SafeTensorsException {
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Tensor t = saved.get(p.getKey());
            if (t == null) {
                throw new SafeTensorsException(file, MODEL + p.getKey(), "missing: the checkpoint is of another model "
                        + "(it holds " + saved.keySet() + ", this " + model.typeName() + " has " + params.keySet() + ")");
            }
            if (!Arrays.equals(t.shape(), p.getValue().shape())) {
                throw new SafeTensorsException(file, MODEL + p.getKey(), "shape " + Shapes.toString(t.shape())
                        + " in the checkpoint but " + Shapes.toString(p.getValue().shape()) + " in the model");
            }
            if (t.dtype() != p.getValue().dtype()) {
                throw new SafeTensorsException(file, MODEL + p.getKey(), "dtype " + t.dtype() + " in the checkpoint but "
                        + p.getValue().dtype() + " in the model");
            }
        }
        for (String name : saved.keySet()) {
            if (!params.containsKey(name)) {
                throw new SafeTensorsException(file, MODEL + name, "not in the model's state dict, whose tensors are "
                        + params.keySet());
            }
        }
    }

    private static String required(Path file, Map<String, String> meta, String key) throws SafeTensorsException {
        String v = meta.get(key);
        if (v == null) {
            throw new SafeTensorsException(file, null, "holds no " + key + " state, but one was given to restore");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Path file, String json) throws SafeTensorsException {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, null, "has malformed JSON metadata: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write checkpoint metadata", e);
        }
    }
}
