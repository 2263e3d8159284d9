package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import io.polygrad.nn.Module;
import io.polygrad.problems.Problem;
import io.polygrad.problems.Problems;
import io.polygrad.problems.Setting;
import io.polygrad.train.Batch;
import io.polygrad.train.FitResult;
import io.polygrad.train.Trainer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Trainer.Builder#captured(boolean) Trainer.captured(true)} on every problem and setting
 * ({@code captured/trainer/<problem>/<setting>/<dtype>}): the trainer that records its step and replays
 * it gives the losses and final parameters of the eager trainer bit for bit over {@link #STEPS} steps.
 * SGD steps must replay; an Adam step cannot (its bias correction is a constant that changes each step)
 * and must say so and run eagerly, with the same values.
 */
public final class CapturedTrainerChecks {

    /** The steps each setting runs, eager and captured: a few captures' worth, kept short for native backends. */
    public static final int STEPS = 40;

    private CapturedTrainerChecks() {
    }

    /** Returns the checks of {@code dtype}. */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>();
        for (Problem problem : Problems.all()) {
            for (Setting setting : problem.settings()) {
                String name = problem.name() + "/" + setting.name();
                out.add(Check.of("captured/trainer/" + name + "/" + Check.id(dtype), Part.DIFFERENTIAL, name, dtype,
                        "Trainer.captured(true) gives the eager trainer's losses and parameters bit for bit",
                        s -> compare(s.backend().engine(dtype), problem, setting.withSteps(Math.min(STEPS,
                                setting.steps())), s.backend().name(), dtype)));
            }
        }
        return out;
    }

    private static void compare(Engine engine, Problem problem, Setting setting, String backend, DType dtype) {
        String what = backend + " " + dtype + " " + problem.name() + "/" + setting.name();
        Module eagerModel = problem.model(engine);
        FitResult eager = setting.trainer(eagerModel, problem.data(engine), problem.loss()).build().fit();
        Module capturedModel = problem.model(engine);
        Batch data = problem.data(engine);
        Trainer trainer = setting.trainer(capturedModel, data, problem.loss()).captured(true).build();
        FitResult captured = trainer.fit();
        boolean adam = setting.optimizer().name().equals("adam");
        String reason = trainer.notReplayableReason();
        if (!adam && reason != null) {
            throw new AssertionError(what + ": the SGD step should replay, but: " + reason);
        }
        if (adam && (reason == null || !reason.contains("differs between two steps"))) {
            throw new AssertionError(what + ": Adam's step must be refused for its changing bias correction, but "
                    + (reason == null ? "it replayed" : "the reason was: " + reason));
        }
        if (eager.losses().size() != captured.losses().size()) {
            throw new AssertionError(what + ": " + eager.losses().size() + " eager steps, " + captured.losses().size()
                    + " captured");
        }
        for (int i = 0; i < eager.losses().size(); i++) {
            if (!sameBits(eager.losses().get(i), captured.losses().get(i))) {
                throw new AssertionError(what + ": step " + (i + 1) + " loss " + captured.losses().get(i)
                        + " captured, " + eager.losses().get(i) + " eager");
            }
        }
        List<Tensor> mine = capturedModel.parameters();
        List<Tensor> theirs = eagerModel.parameters();
        for (int p = 0; p < mine.size(); p++) {
            double[] a = mine.get(p).toDoubleArray();
            double[] b = theirs.get(p).toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                if (!sameBits(a[i], b[i])) {
                    throw new AssertionError(what + ": parameter " + p + " element " + i + " is " + a[i]
                            + " after the captured steps, " + b[i] + " after the eager ones");
                }
            }
        }
    }

    private static boolean sameBits(double x, double y) {
        return Double.isNaN(x) ? Double.isNaN(y) : Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
    }
}
