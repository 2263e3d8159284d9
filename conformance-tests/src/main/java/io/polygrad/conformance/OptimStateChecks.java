package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.Check.Part;
import io.polygrad.io.Checkpoint;
import io.polygrad.io.SafeTensorsException;
import io.polygrad.nn.Linear;
import io.polygrad.nn.utils.ClipGrad;
import io.polygrad.optim.Adagrad;
import io.polygrad.optim.Adam;
import io.polygrad.optim.AdamW;
import io.polygrad.optim.Adamax;
import io.polygrad.optim.NAdam;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.RAdam;
import io.polygrad.optim.RMSprop;
import io.polygrad.optim.SGD;
import io.polygrad.optim.lr.CosineAnnealingWarmRestarts;
import io.polygrad.optim.lr.CyclicLR;
import io.polygrad.optim.lr.ExponentialLR;
import io.polygrad.optim.lr.LambdaLR;
import io.polygrad.optim.lr.LrScheduler;
import io.polygrad.optim.lr.OneCycleLR;
import io.polygrad.optim.lr.PolynomialLR;
import io.polygrad.optim.lr.ReduceLROnPlateau;
import io.polygrad.optim.lr.StatefulScheduler;
import io.polygrad.optim.lr.StepLR;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Stopping and resuming through a {@link Checkpoint}: for every optimizer (two parameter groups with their own
 * options) with a learning-rate schedule, 12 steps of an {@link Linear} least-squares fit uninterrupted, and 5
 * steps, a checkpoint, a fresh model, optimizer and schedule made the same way, the checkpoint loaded, and 7
 * more steps: the parameters after every step and the learning rates must be bit-identical
 * ({@code optim/resume/<case>/<dtype>}). And the errors: a checkpoint loaded into another model, optimizer or
 * schedule fails naming the problem and changes nothing ({@code optim/checkpoint/mismatch}).
 */
public final class OptimStateChecks {

    private static final double[] X = {0.5, -1.0, 2.0, 1.5, 0.25, -0.5, -2.0, 1.0, 0.75, 0.0, -0.5, 1.25, 1.0, 2.0,
        -1.5, -0.75, -1.25, 0.5};
    private static final double[] Y = {1.0, -2.0, 0.5, 1.5, -1.0, 0.25, 2.0, -0.5, -1.5, 1.0, 0.75, 0.0};
    private static final double[] W0 = {0.3, -0.2, 0.1, -0.4, 0.25, 0.6};
    private static final double[] B0 = {0.05, -0.15};
    private static final int STEPS = 12;
    private static final int STOP = 5;

    /** How a case makes its optimizer and schedule from the model. */
    private record Case(String id, Function<Linear, Optimizer> optimizer,
            Function<Optimizer, StatefulScheduler> scheduler, boolean clip) {
    }

    private static List<Tensor> w(Linear m) {
        return List.of(m.namedParameters().get("weight"));
    }

    private static List<Tensor> b(Linear m) {
        return List.of(m.namedParameters().get("bias"));
    }

    private static List<Case> cases() {
        return List.of(
                new Case("sgd-nesterov-onecycle", m -> SGD.builder().lr(0.05).momentum(0.9).nesterov(true)
                        .group(w(m)).group(b(m), g -> g.lr(0.01).weightDecay(0.1)).build(),
                        o -> OneCycleLR.builder(o, 0.1).totalSteps(STEPS).build(), false),
                new Case("adam-amsgrad-warm-restarts-clip", m -> Adam.builder().lr(0.05).amsgrad(true)
                        .group(w(m)).group(b(m), g -> g.lr(0.02).betas(0.8, 0.99)).build(),
                        o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.001), true),
                new Case("adamw-step", m -> AdamW.builder().lr(0.05).group(w(m)).group(b(m), g -> g.weightDecay(0.3))
                        .build(), o -> new StepLR(o, 3, 0.5), false),
                new Case("rmsprop-centered-cyclic", m -> RMSprop.builder().lr(0.005).momentum(0.5).centered(true)
                        .group(w(m)).group(b(m), g -> g.lr(0.01)).build(),
                        o -> CyclicLR.builder(o, 0.001, 0.01).stepSizeUp(4).mode(CyclicLR.Mode.TRIANGULAR2).build(), false),
                new Case("adagrad-lambda", m -> Adagrad.builder().lr(0.1).lrDecay(0.01).group(w(m))
                        .group(b(m), g -> g.initialAccumulatorValue(0.5)).build(),
                        o -> new LambdaLR(o, e -> Math.pow(0.9, e)), false),
                new Case("adamax-exponential", m -> Adamax.builder().lr(0.05).group(w(m))
                        .group(b(m), g -> g.maximize(false).weightDecay(0.1)).build(), o -> new ExponentialLR(o, 0.9),
                        false),
                new Case("nadam-plateau", m -> NAdam.builder().lr(0.01).group(w(m)).group(b(m), g -> g.momentumDecay(0.01))
                        .build(), o -> ReduceLROnPlateau.builder(o).patience(0).factor(0.5).build(), false),
                new Case("radam-polynomial", m -> RAdam.builder().lr(0.05).group(w(m)).group(b(m), g -> g.lr(0.02))
                        .build(), o -> new PolynomialLR(o, 10, 2.0), true));
    }

    /** Returns every check of resuming and of checkpoint errors. */
    public static List<Check> checks() {
        List<Check> out = new ArrayList<>();
        for (DType dtype : DType.floatingPoint()) {
            for (Case c : cases()) {
                out.add(Check.of("optim/resume/" + c.id() + "/" + Check.id(dtype), Part.PYTORCH_OPTIM, c.id(), dtype,
                        "a checkpoint after step " + STOP + " resumes " + c.id() + " bit-identically",
                        s -> resume(s.backend(), c, dtype)));
            }
        }
        out.add(Check.of("optim/checkpoint/mismatch", Part.PYTORCH_OPTIM, "checkpoint-mismatch", DType.FLOAT64,
                "a checkpoint of another model, optimizer or schedule fails naming it and changes nothing",
                s -> mismatch(s.backend())));
        return out;
    }

    private static Linear model(Engine engine, DType dtype) {
        Linear m = new Linear(engine, 3, 2, true, dtype);
        try (NoGrad ignored = NoGrad.enter()) {
            m.namedParameters().get("weight").assign(engine.tensor(W0, dtype, 2, 3));
            m.namedParameters().get("bias").assign(engine.tensor(B0, dtype, 2));
        }
        return m;
    }

    /** Makes one step; returns the parameters after it, then every group's rate after the schedule's step. */
    private static double[] step(Linear m, Optimizer opt, StatefulScheduler sched, boolean clip, Tensor x, Tensor y) {
        double loss;
        try (TensorScope scope = TensorScope.open()) {
            opt.zeroGrad();
            Tensor l = m.forward(x).sub(y).square().mean();
            l.backward();
            if (clip) {
                ClipGrad.clipGradNorm(opt.parameters(), 0.5);
            }
            opt.step();
            loss = l.item();
        }
        if (sched instanceof ReduceLROnPlateau p) {
            p.step(loss);
        } else {
            ((LrScheduler) sched).step();
        }
        double[] out = new double[8 + opt.paramGroups().size()];
        System.arraycopy(m.namedParameters().get("weight").toDoubleArray(), 0, out, 0, 6);
        System.arraycopy(m.namedParameters().get("bias").toDoubleArray(), 0, out, 6, 2);
        for (int g = 0; g < opt.paramGroups().size(); g++) {
            out[8 + g] = opt.paramGroups().get(g).lr();
        }
        return out;
    }

    private static void resume(BackendUnderTest backend, Case c, DType dtype) {
        Engine engine = backend.engine(dtype);
        Tensor x = engine.tensor(X, dtype, 6, 3);
        Tensor y = engine.tensor(Y, dtype, 6, 2);
        Linear straight = model(engine, dtype);
        Optimizer opt = c.optimizer().apply(straight);
        StatefulScheduler sched = c.scheduler().apply(opt);
        double[][] expected = new double[STEPS][];
        for (int i = 0; i < STEPS; i++) {
            expected[i] = step(straight, opt, sched, c.clip(), x, y);
        }
        Path dir = tempDir();
        try {
            Path file = dir.resolve("ckpt.safetensors");
            Linear first = model(engine, dtype);
            Optimizer opt1 = c.optimizer().apply(first);
            StatefulScheduler sched1 = c.scheduler().apply(opt1);
            for (int i = 0; i < STOP; i++) {
                step(first, opt1, sched1, c.clip(), x, y);
            }
            Checkpoint.save(file, first, opt1, sched1, STOP);
            Linear second = new Linear(engine, 3, 2, true, dtype);
            Optimizer opt2 = c.optimizer().apply(second);
            StatefulScheduler sched2 = c.scheduler().apply(opt2);
            long step = Checkpoint.load(file, second, opt2, sched2);
            Expect.equal((long) STOP, step, "the step saved in the checkpoint");
            for (int i = STOP; i < STEPS; i++) {
                double[] got = step(second, opt2, sched2, c.clip(), x, y);
                if (!Arrays.equals(expected[i], got)) {
                    throw new AssertionError(backend.label() + " " + dtype + " " + c.id() + ": step " + (i + 1)
                            + " after resuming at step " + STOP + " differs from the uninterrupted run\n  resumed:       "
                            + Arrays.toString(got) + "\n  uninterrupted: " + Arrays.toString(expected[i]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    private static void mismatch(BackendUnderTest backend) {
        Engine engine = backend.engine(DType.FLOAT64);
        Path dir = tempDir();
        try {
            Path file = dir.resolve("ckpt.safetensors");
            Linear m = model(engine, DType.FLOAT64);
            Optimizer adam = Adam.builder(m.parameters()).lr(0.05).build();
            StepLR sched = new StepLR(adam, 2, 0.5);
            Tensor x = engine.tensor(X, DType.FLOAT64, 6, 3);
            Tensor y = engine.tensor(Y, DType.FLOAT64, 6, 2);
            step(m, adam, sched, false, x, y);
            Checkpoint.save(file, m, adam, sched, 1);

            Linear wide = new Linear(engine, 3, 4, true, DType.FLOAT64);
            double[] before = wide.namedParameters().get("weight").toDoubleArray();
            Optimizer wideOpt = Adam.builder(wide.parameters()).build();
            SafeTensorsException e = loadFails(file, wide, wideOpt, null);
            Expect.isTrue(e.getMessage().contains("shape"), "another model's shapes are named: " + e.getMessage());
            Expect.equal(before, wide.namedParameters().get("weight").toDoubleArray(), 0, "the other model is unchanged");

            Linear same = new Linear(engine, 3, 2, true, DType.FLOAT64);
            double[] sameBefore = same.namedParameters().get("weight").toDoubleArray();
            Optimizer sgd = SGD.builder(same.parameters()).lr(0.1).momentum(0.9).build();
            e = loadFails(file, same, sgd, null);
            Expect.isTrue(e.getMessage().contains("Adam") && e.getMessage().contains("SGD"),
                    "another optimizer is named: " + e.getMessage());
            Expect.equal(sameBefore, same.namedParameters().get("weight").toDoubleArray(), 0,
                    "the model is unchanged after the optimizer error");

            Optimizer adam2 = Adam.builder(same.parameters()).lr(0.05).build();
            LrScheduler other = new ExponentialLR(adam2, 0.9);
            e = loadFails(file, same, adam2, other);
            Expect.isTrue(e.getMessage().contains("StepLR") && e.getMessage().contains("ExponentialLR"),
                    "another schedule is named: " + e.getMessage());
            Expect.isTrue(adam2.state(same.parameters().get(0)).isEmpty(),
                    "the optimizer is unchanged (restored) after the schedule error");
            Expect.equal(sameBefore, same.namedParameters().get("weight").toDoubleArray(), 0,
                    "the model is unchanged after the schedule error");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } finally {
            delete(dir);
        }
    }

    /** Returns the error of loading {@code file} into the given objects, failing if there is none. */
    private static SafeTensorsException loadFails(Path file, Linear m, Optimizer o, StatefulScheduler s)
            throws IOException {
        try {
            Checkpoint.load(file, m, o, s);
        } catch (SafeTensorsException e) {
            return e;
        }
        throw new AssertionError("loading the checkpoint into a " + m + " with " + o.name() + " and " + s
                + " should have failed");
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("polygrad-ckpt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary folder is not a failure of the check
        }
    }
}
