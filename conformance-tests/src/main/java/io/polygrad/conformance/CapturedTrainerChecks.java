package io.polygrad.conformance;

import io.polygrad.CapturedStep;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.StepCapture;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.Check.Part;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Conv2d;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Linear;
import io.polygrad.nn.MaxPool2d;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.SGD;
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
 *
 * <p>Two checks of {@link CapturedStep} itself go with them: {@code captured/step/cnn/<dtype>} replays a
 * convolutional step (whose first convolution computes no input gradient, so a kernel returns a null
 * result) on two batches fed in turn with {@code assign}, bit for bit like the eager step, and a replay
 * on a label out of range fails naming it and changes nothing; and
 * {@code captured/step/returns-parameter/<dtype>} captures a step that returns a parameter, which must
 * be refused with its reason while the parameter stays open and three ordinary steps ahead.
 */
public final class CapturedTrainerChecks {

    /** The steps each setting runs, eager and captured: a few captures' worth, kept short for native backends. */
    public static final int STEPS = 40;

    private CapturedTrainerChecks() {
    }

    /** The replays after the capture's three eager steps in {@code captured/step/cnn}. */
    public static final int CNN_REPLAYS = 5;

    /** Returns the checks of {@code dtype}. */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>();
        out.add(Check.of("captured/step/cnn/" + Check.id(dtype), Part.DIFFERENTIAL, "captured/cnn", dtype,
                "a captured convolutional step with fed batches gives the eager step's losses and parameters bit for bit",
                s -> compareCnn(s.backend().engine(dtype), s.backend().name() + " " + dtype)));
        out.add(Check.of("captured/step/returns-parameter/" + Check.id(dtype), Part.DIFFERENTIAL, "captured/refusal",
                dtype, "capturing a step that returns a parameter is refused and leaves the parameter open",
                s -> refuseParameterResult(s.backend().engine(dtype), s.backend().name() + " " + dtype)));
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
            if (!Comparison.sameBits(eager.losses().get(i), captured.losses().get(i))) {
                throw new AssertionError(what + ": step " + (i + 1) + " loss " + captured.losses().get(i)
                        + " captured, " + eager.losses().get(i) + " eager");
            }
        }
        sameParameters(what + " after the captured steps", capturedModel, eagerModel);
    }

    /** A small CNN, SGD with momentum, and two batches of 4 images 1x8x8 with integer labels. */
    private static final class CnnStep {
        final Module net;
        final Optimizer sgd;
        final Tensor[] xs = new Tensor[2];
        final Tensor[] ys = new Tensor[2];
        final Tensor x;
        final Tensor y;

        CnnStep(Engine engine) {
            engine.manualSeed(2024);
            net = new Sequential(new Conv2d(engine, 1, 3, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                    new Linear(engine, 48, 5));
            sgd = SGD.builder(net.parameters()).lr(0.05).momentum(0.9).build();
            for (int b = 0; b < 2; b++) {
                xs[b] = TensorScope.escape(engine.randn(4, 1, 8, 8));
                ys[b] = TensorScope.escape(engine.tensor(new long[] {b, 1 + b, 2 + b, 4 - b}, 4));
            }
            x = TensorScope.escape(engine.zeros(4, 1, 8, 8));
            y = TensorScope.escape(engine.tensor(new long[4], 4));
        }

        /** Feeds batch {@code i % 2} into {@link #x} and {@link #y}. */
        void feed(int i) {
            x.assign(xs[i % 2]);
            y.assign(ys[i % 2]);
        }

        Tensor step() {
            sgd.zeroGrad();
            Tensor loss = Losses.crossEntropy(net.forward(x), y);
            loss.backward();
            sgd.step();
            return loss;
        }
    }

    private static void compareCnn(Engine engine, String what) {
        int steps = StepCapture.STEPS + CNN_REPLAYS;
        CnnStep eager = new CnnStep(engine);
        double[] eagerLosses = new double[steps];
        for (int i = 0; i < steps; i++) {
            eager.feed(i);
            try (TensorScope scope = TensorScope.open()) {
                eagerLosses[i] = eager.step().item();
            }
        }
        CnnStep captured = new CnnStep(engine);
        double[] capturedLosses = new double[steps];
        StepCapture capture = new StepCapture(captured::step);
        int i = 0;
        while (!capture.isDone()) {
            captured.feed(i);
            capturedLosses[i++] = capture.step().item();
        }
        CapturedStep replay = capture.result();
        for (; i < steps; i++) {
            captured.feed(i);
            capturedLosses[i] = replay.run().item();
        }
        for (int k = 0; k < steps; k++) {
            if (!Comparison.sameBits(eagerLosses[k], capturedLosses[k])) {
                throw new AssertionError(what + " captured CNN: step " + (k + 1) + " loss " + capturedLosses[k]
                        + " captured, " + eagerLosses[k] + " eager");
            }
        }
        sameParameters(what + " captured CNN", captured.net, eager.net);
        captured.y.assign(engine.tensor(new long[] {0, 1, 7, 2}, 4));
        try {
            replay.run();
            throw new AssertionError(what + " captured CNN: a replay on label 7 of 5 classes ran; it must fail");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || !e.getMessage().contains("target 7 at position [2] is outside [0, 5)")) {
                throw new AssertionError(what + " captured CNN: a replay on label 7 failed without naming it: "
                        + e.getMessage(), e);
            }
        }
        sameParameters(what + " captured CNN after a replay refused its labels", captured.net, eager.net);
    }

    private static void refuseParameterResult(Engine engine, String what) {
        engine.manualSeed(7);
        Linear eagerModel = new Linear(engine, 3, 1);
        engine.manualSeed(7);
        Linear model = new Linear(engine, 3, 1);
        Tensor x = TensorScope.escape(engine.randn(5, 3));
        Tensor weight = model.parameters().get(0);
        Optimizer eagerSgd = SGD.builder(eagerModel.parameters()).lr(0.1).build();
        Optimizer sgd = SGD.builder(model.parameters()).lr(0.1).build();
        for (int i = 0; i < StepCapture.STEPS; i++) {
            try (TensorScope scope = TensorScope.open()) {
                eagerSgd.zeroGrad();
                eagerModel.forward(x).square().mean().backward();
                eagerSgd.step();
            }
        }
        try {
            CapturedStep.capture(() -> {
                sgd.zeroGrad();
                model.forward(x).square().mean().backward();
                sgd.step();
                return weight;
            });
            throw new AssertionError(what + ": a step returning a parameter was captured; it must be refused");
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().contains("not computed by the step")) {
                throw new AssertionError(what + ": refused for another reason than the returned parameter: "
                        + e.getMessage(), e);
            }
        }
        if (weight.isReleased()) {
            throw new AssertionError(what + ": the capture released the parameter its step returned");
        }
        sameParameters(what + " after a refused capture", model, eagerModel);
    }

    private static void sameParameters(String what, Module mine, Module theirs) {
        List<Tensor> a = mine.parameters();
        List<Tensor> b = theirs.parameters();
        for (int p = 0; p < a.size(); p++) {
            double[] u = a.get(p).toDoubleArray();
            double[] v = b.get(p).toDoubleArray();
            for (int i = 0; i < u.length; i++) {
                if (!Comparison.sameBits(u[i], v[i])) {
                    throw new AssertionError(what + ": parameter " + p + " element " + i + " is " + u[i]
                            + ", the eager steps' " + v[i]);
                }
            }
        }
    }
}
