package io.polygrad;

import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.CompiledProgram;
import io.polygrad.spi.KernelProgram;
import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A training step recorded once and replayed: {@link #capture} runs an ordinary eager step (zero the
 * gradients, forward, loss, {@code backward()}, optimizer step) while watching which backend kernels it
 * issues and which tensors it reads and changes, and {@link #run()} then issues the same kernels again
 * through the backend's {@link Backend#compile compiled} form of them, without building tensors, graph
 * nodes or closures, and leaves every tensor as the eager step would have: parameters, their
 * gradients, the optimizer's state and the returned tensor. Autograd is the eager one; the replay only
 * repeats what it did. A backend may plan buffers once and reuse them (scratch does), which is where
 * a small step gets fast.
 *
 * <pre>{@code
 * CapturedStep step = CapturedStep.capture(() -> {
 *     optimizer.zeroGrad();
 *     Tensor loss = Losses.mae(model.forward(x), y);
 *     loss.backward();
 *     optimizer.step();
 *     return loss;
 * });
 * for (int i = 0; i < 1000; i++) {
 *     double loss = step.run().item();
 * }
 * }</pre>
 *
 * <p><b>What a replay sees.</b> The replay reads the current array of every tensor the step read and
 * had before it started (parameters, inputs, optimizer state), so {@code x.assign(nextBatch)} between
 * runs feeds a new batch of the same shape and dtype; a different shape is an error naming the input.
 * What the step computed in Java is fixed at capture: a learning rate changed afterwards, a schedule,
 * a step counter, a random draw. Like CUDA graphs in PyTorch, a captured step must issue the same
 * kernels with the same arguments every time. {@code capture} checks what it can: it runs the step
 * three times (one warm-up, two recorded) and refuses, naming the first difference, when the two
 * recordings differ (Adam's bias correction, dropout masks, a changing shape) or when the step reads
 * values back to Java ({@code item()}); the three steps have then run eagerly and nothing is lost.
 *
 * <p><b>Threads and memory.</b> Capture and run on one thread. The tensors the replay changes are the
 * ones the eager step changed, and their old arrays are released as in place updates release them.
 * The tensor {@link #run()} returns is the same object every time, holding the latest value.
 */
public final class CapturedStep {

    private final CompiledProgram program;
    private final KernelProgram kernels;
    private final Tensor[] inputSources;
    private final BackendArray[] constants;
    private final Tensor[] bound;
    private final int[] boundOutput;
    private final Tensor[] gradOwners;
    private final Tensor[] grads;
    private final Tensor result;
    private final int[][] inputShapes;
    private final io.polygrad.DType[] inputDTypes;
    /** The constant inputs (arrays no tensor holds), which a run never releases. */
    private final BackendArray[] liveConstants;

    CapturedStep(Recording r, Tensor result) {
        this.kernels = r.program;
        this.inputSources = r.inputSources;
        this.constants = r.constants;
        this.bound = r.bound;
        this.boundOutput = r.boundOutput;
        this.gradOwners = r.gradOwners;
        this.grads = r.grads;
        this.result = result;
        this.inputShapes = new int[inputSources.length][];
        this.inputDTypes = new io.polygrad.DType[inputSources.length];
        for (int i = 0; i < inputSources.length; i++) {
            inputShapes[i] = kernels.shape(i);
            inputDTypes[i] = kernels.dtype(i);
        }
        this.liveConstants = Arrays.stream(constants).filter(Objects::nonNull).toArray(BackendArray[]::new);
        Backend backend = r.backend();
        this.program = backend == null ? kernels.interpreted() : backend.compile(kernels);
    }

    /**
     * Runs {@code step} three times as an eager step (each in its own {@link TensorScope}), recording the
     * second and third, and returns the replayable step. {@code step} must not open a scope around what
     * it returns and returns the tensor {@link #run()} is to give back, usually the loss.
     *
     * @throws IllegalStateException when the step cannot be replayed, with the reason (after the three
     *     eager steps, which have changed the model as three steps do)
     */
    public static CapturedStep capture(Supplier<Tensor> step) {
        StepCapture capture = new StepCapture(step);
        while (!capture.isDone()) {
            capture.step();
        }
        return capture.result();
    }

    /**
     * Runs the captured kernels once on the current parameters, inputs and optimizer state, updates
     * every tensor the step changes, and returns the step's tensor (the same object each run).
     *
     * @throws IllegalStateException when an input has been released or now has another shape or dtype
     *     than at capture, naming it; nothing has changed then
     */
    public Tensor run() {
        if (StepRecorder.active != null) {
            throw new IllegalStateException("CapturedStep.run: called while a step is being captured; a captured "
                    + "step cannot be part of another");
        }
        BackendArray[] in = new BackendArray[inputSources.length];
        for (int i = 0; i < in.length; i++) {
            BackendArray a = inputSources[i] != null ? inputSources[i].currentData() : constants[i];
            if (a.isClosed() || a.dtype() != inputDTypes[i] || !sameShape(a.shape(), inputShapes[i])) {
                throw changedInput(i, a);
            }
            in[i] = a;
        }
        BackendArray[] out = program.run(in);
        BackendArray[] old = new BackendArray[bound.length];
        for (int j = 0; j < bound.length; j++) {
            old[j] = bound[j].swapData(out[boundOutput[j]]);
        }
        for (int j = 0; j < gradOwners.length; j++) {
            if (gradOwners[j].grad != grads[j]) {
                gradOwners[j].grad = grads[j];
            }
        }
        for (BackendArray a : old) {
            if (!a.isClosed() && !isAmong(a, out) && !isAmong(a, liveConstants)) {
                a.close();
            }
        }
        return result;
    }

    private static boolean sameShape(int[] shape, int[] expected) {
        if (shape == expected) {
            return true;
        }
        if (shape.length != expected.length) {
            return false;
        }
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] != expected[k]) {
                return false;
            }
        }
        return true;
    }

    private IllegalStateException changedInput(int i, BackendArray a) {
        String what = inputSources[i] != null ? "input " + i + " (a tensor the step read"
                + (inputSources[i].requiresGrad() ? ", a parameter" : "") + ")" : "constant input " + i;
        String now = a.isClosed() ? "has been released" : "is now " + Shapes.toString(a.shape()) + " " + a.dtype();
        return new IllegalStateException("CapturedStep.run: " + what + " was " + Shapes.toString(kernels.shape(i))
                + " " + kernels.dtype(i) + " at capture and " + now + "; capture the step again for new shapes");
    }

    private static boolean isAmong(BackendArray a, BackendArray[] arrays) {
        for (BackendArray b : arrays) {
            if (b == a) {
                return true;
            }
        }
        return false;
    }

    /** Returns the recorded program (inputs, calls, outputs), for backend authors and tests. */
    public KernelProgram program() {
        return kernels;
    }

    /** Returns the number of backend calls one run replays. */
    public int callCount() {
        return kernels.calls().size();
    }

    /** Returns the recorded program: its inputs, calls and outputs, one call per line. */
    @Override
    public String toString() {
        return "CapturedStep[" + kernels + "]";
    }

    /** One recorded step, turned into slots: inputs first, then each call's results. */
    static final class Recording {

        final String problem;
        final Tensor result;
        /** Whether the step made {@link #result} (else it returned a tensor it was given). */
        final boolean madeResult;
        KernelProgram program;
        Tensor[] inputSources;
        BackendArray[] constants;
        Tensor[] bound;
        int[] boundOutput;
        Tensor[] gradOwners;
        Tensor[] grads;
        final List<Object> targets = new ArrayList<>();

        Recording(StepRecorder r, Tensor result, boolean madeResult) {
            this.result = result;
            this.madeResult = madeResult;
            String why = r.problem;
            int ids = r.arrays.size();
            int[] slotOf = new int[ids];
            int inputs = 0;
            for (int id = 0; id < ids; id++) {
                if (!r.made.get(id)) {
                    slotOf[id] = inputs++;
                }
            }
            int next = inputs;
            for (int id = 0; id < ids; id++) {
                if (r.made.get(id)) {
                    slotOf[id] = next++;
                }
            }
            int[][] shapes = new int[ids][];
            io.polygrad.DType[] dtypes = new io.polygrad.DType[ids];
            inputSources = new Tensor[inputs];
            constants = new BackendArray[inputs];
            for (int id = 0; id < ids; id++) {
                int slot = slotOf[id];
                shapes[slot] = r.shapes.get(id);
                dtypes[slot] = r.dtypes.get(id);
                if (!r.made.get(id)) {
                    BackendArray a = r.arrays.get(id);
                    Tensor source = r.readThrough.get(a);
                    if (source != null && !r.touched.get(source)) {
                        inputSources[slot] = source;
                    } else {
                        constants[slot] = a;
                    }
                }
            }
            List<KernelProgram.Call> calls = new ArrayList<>();
            for (KernelProgram.Call c : r.calls) {
                Object[] args = c.arguments().clone();
                for (int i = 0; i < args.length; i++) {
                    if (args[i] instanceof KernelProgram.Slot s) {
                        args[i] = new KernelProgram.Slot(slotOf[s.index()]);
                    } else if (args[i] instanceof KernelProgram.Slot[] many) {
                        KernelProgram.Slot[] renumbered = new KernelProgram.Slot[many.length];
                        for (int j = 0; j < many.length; j++) {
                            renumbered[j] = new KernelProgram.Slot(slotOf[many[j].index()]);
                        }
                        args[i] = renumbered;
                    }
                }
                int[] results = c.results().clone();
                for (int j = 0; j < results.length; j++) {
                    results[j] = slotOf[results[j]];
                }
                calls.add(new KernelProgram.Call(c.target(), c.method(), args, results));
                if (!targets.contains(c.target())) {
                    targets.add(c.target());
                }
            }
            List<Tensor> boundTensors = new ArrayList<>();
            List<Integer> boundSlots = new ArrayList<>();
            List<Integer> outputs = new ArrayList<>();
            List<Tensor> owners = new ArrayList<>();
            List<Tensor> gradValues = new ArrayList<>();
            for (Tensor t : r.touchedInOrder) {
                BackendArray d = t.currentData();
                int id = r.knownId(d);
                if (!d.isClosed() && id >= 0 && r.made.get(id)) {
                    int slot = slotOf[id];
                    int out = outputs.indexOf(slot);
                    if (out < 0) {
                        out = outputs.size();
                        outputs.add(slot);
                    }
                    boundTensors.add(t);
                    boundSlots.add(out);
                }
                if (!r.touched.get(t) && t.grad != r.gradAtFirstTouch.get(t)) {
                    owners.add(t);
                    gradValues.add(t.grad);
                }
            }
            int resultId = r.knownId(result.currentData());
            if (why == null && (!madeResult || resultId < 0 || !r.made.get(resultId))) {
                why = "the tensor it returns was not computed by the step (return the loss, not an input or a "
                        + "parameter)";
            }
            this.problem = why;
            bound = boundTensors.toArray(new Tensor[0]);
            boundOutput = boundSlots.stream().mapToInt(Integer::intValue).toArray();
            gradOwners = owners.toArray(new Tensor[0]);
            grads = gradValues.toArray(new Tensor[0]);
            program = new KernelProgram(inputs, calls, outputs.stream().mapToInt(Integer::intValue).toArray(),
                    shapes, dtypes);
        }

        /** Returns the one backend every call went to (or whose kernel family it used), or {@code null}. */
        Backend backend() {
            Backend found = null;
            for (Object t : targets) {
                if (t instanceof Backend b) {
                    if (found != null && found != b) {
                        return null;
                    }
                    found = b;
                }
            }
            return found;
        }

        /** Returns how this recording differs from {@code other}, the step recorded before it, or {@code null}. */
        String differenceFrom(Recording other) {
            List<KernelProgram.Call> mine = program.calls();
            List<KernelProgram.Call> theirs = other.program.calls();
            for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
                KernelProgram.Call a = mine.get(i);
                KernelProgram.Call b = theirs.get(i);
                if (a.target() != b.target() || !a.method().equals(b.method())
                        || !Arrays.deepEquals(normalize(a.arguments()), normalize(b.arguments()))
                        || !Arrays.equals(a.results(), b.results())) {
                    return "backend call " + (i + 1) + " differs between two steps: " + b + " then " + a
                            + " (a value computed in Java that changes each step, such as Adam's bias correction, a"
                            + " learning-rate schedule or a random draw, or a shape that changes)";
                }
            }
            if (mine.size() != theirs.size()) {
                return "the step issued " + theirs.size() + " backend calls, then " + mine.size();
            }
            if (inputSources.length != other.inputSources.length) {
                return "the step read " + other.inputSources.length + " inputs, then " + inputSources.length;
            }
            for (int i = 0; i < inputSources.length; i++) {
                boolean same = inputSources[i] != null ? inputSources[i] == other.inputSources[i]
                        : other.inputSources[i] == null && constants[i] == other.constants[i];
                if (!same || !Arrays.equals(program.shape(i), other.program.shape(i))) {
                    return "input " + i + " (" + Shapes.toString(program.shape(i)) + " " + program.dtype(i)
                            + ") is read from a different tensor or array each step: the step replaces a tensor it"
                            + " keeps (such as an optimizer's state) instead of changing it in place, or reads an "
                            + "array it made in an earlier step";
                }
            }
            if (!Arrays.equals(program.outputs(), other.program.outputs()) || bound.length != other.bound.length) {
                return "the step leaves different tensors changed each time";
            }
            return null;
        }

        private static Object[] normalize(Object[] args) {
            Object[] out = args.clone();
            for (int i = 0; i < out.length; i++) {
                if (out[i] instanceof KernelProgram.Slot[] many) {
                    out[i] = Arrays.asList(many);
                }
            }
            return out;
        }
    }
}
