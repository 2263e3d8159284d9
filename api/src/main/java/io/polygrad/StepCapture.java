package io.polygrad;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link CapturedStep} made one eager step at a time, for a loop that needs every step's result as
 * it happens (a trainer's callbacks, early stopping): each {@link #step()} runs the step once, in its
 * own {@link TensorScope}, recording the second and third, and {@link #result()} then gives the
 * replayable step. {@link CapturedStep#capture} is three {@code step()} calls and {@code result()}.
 *
 * <pre>{@code
 * StepCapture capture = new StepCapture(body);
 * while (!capture.isDone()) {
 *     System.out.println(capture.step().item());
 * }
 * CapturedStep step = capture.result();
 * }</pre>
 *
 * A loop may stop calling {@code step()} at any point (the steps run so far are ordinary steps) and
 * start a new capture, e.g. after a learning-rate change. Use it on one thread.
 */
public final class StepCapture {

    /** The eager steps a capture takes: one warm-up (lazily made state) and two recorded. */
    public static final int STEPS = 3;

    private final Supplier<Tensor> step;
    private int taken;
    private Tensor last;
    /** Whether the step made {@link #last} (else it returned a tensor it was given, which stays open). */
    private boolean madeLast;
    private CapturedStep.Recording first;
    private CapturedStep.Recording second;

    /** Starts a capture of {@code step}, which returns the tensor {@link CapturedStep#run()} gives back. */
    public StepCapture(Supplier<Tensor> step) {
        this.step = Objects.requireNonNull(step, "StepCapture: step must not be null");
    }

    /** Returns whether the {@value #STEPS} steps have run, so that {@link #result()} may be called. */
    public boolean isDone() {
        return taken == STEPS;
    }

    /**
     * Runs the step once, eagerly (recorded on the second and third call), and returns its tensor, which
     * stays open until the next call (the third stays open: it becomes the captured step's result).
     *
     * @throws IllegalStateException after {@value #STEPS} steps, or while another step is being captured
     */
    @SuppressWarnings("try") // the scope is opened for its effect only
    public Tensor step() {
        if (isDone()) {
            throw new IllegalStateException("StepCapture.step: the " + STEPS + " steps of the capture have run; "
                    + "call result()");
        }
        if (StepRecorder.active != null) {
            throw new IllegalStateException("StepCapture.step: another step is being captured; capture one step at a "
                    + "time");
        }
        if (last != null && madeLast && taken < STEPS - 1) {
            last.close();
        }
        taken++;
        if (taken == 1) {
            last = runOnce();
            return last;
        }
        StepRecorder recorder = new StepRecorder();
        StepRecorder.active = recorder;
        Tensor out;
        try {
            out = runOnce();
        } finally {
            StepRecorder.active = null;
        }
        CapturedStep.Recording recording = new CapturedStep.Recording(recorder, out, madeLast);
        if (taken == 2) {
            first = recording;
        } else {
            second = recording;
        }
        last = out;
        return out;
    }

    /**
     * Runs the step in its own scope and returns its tensor, out of every scope when the step made it;
     * a tensor it was given (a parameter, an input) keeps its owner, and {@link #madeLast} says which.
     */
    private Tensor runOnce() {
        Tensor out;
        try (TensorScope scope = TensorScope.open()) {
            out = requireResult(step.get());
            madeLast = out.scope == scope;
            scope.keep(out);
        }
        return madeLast ? TensorScope.escape(out) : out;
    }

    /**
     * Returns the replayable step, after the {@value #STEPS} steps.
     *
     * @throws IllegalStateException before them, or when the step cannot be replayed, with the reason
     *     (the steps have run eagerly and nothing is lost)
     */
    public CapturedStep result() {
        if (!isDone()) {
            throw new IllegalStateException("StepCapture.result: " + taken + " of the " + STEPS + " steps have run; "
                    + "call step() until isDone()");
        }
        Tensor firstResult = first.result;
        if (first.madeResult && !firstResult.isReleased()) {
            firstResult.close();
        }
        String why = first.problem != null ? first.problem : second.problem;
        if (why == null) {
            why = second.differenceFrom(first);
        }
        if (why != null) {
            throw new IllegalStateException("CapturedStep.capture: the step cannot be replayed: " + why
                    + " (the " + STEPS + " steps ran eagerly)");
        }
        return new CapturedStep(second, second.result);
    }

    private static Tensor requireResult(Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException("CapturedStep.capture: the step returned null; return the tensor "
                    + "run() should give back, such as the loss");
        }
        return t;
    }
}
