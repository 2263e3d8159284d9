package io.polygrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Lambda;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.SGD;
import io.polygrad.optim.lr.ReduceLROnPlateau;
import io.polygrad.optim.lr.StepLR;
import io.polygrad.scratch.ScratchModule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64);

    private Batch line() {
        Tensor x = engine.tensor(new double[] {-1, -0.5, 0, 0.5, 1}, 5, 1);
        return new Batch(x, x.mul(2.0).sub(3.0));
    }

    @Test
    void fit_recordsOneLossPerStepAndReportsEachStep() {
        Linear model = new Linear(engine, 1, 1);
        List<StepEvent> events = new ArrayList<>();
        FitResult r = Trainer.builder(model, Losses::mse, SGD.builder(model.parameters()).lr(0.1).build())
                .data(line()).steps(25).onStep(events::add).build().fit();
        assertEquals(25, r.steps());
        assertEquals(25, r.losses().size());
        assertEquals(25, r.epochs());
        assertEquals(StopReason.COMPLETED, r.stopReason());
        assertFalse(r.stoppedEarly());
        assertEquals(25, events.size());
        for (int i = 0; i < 25; i++) {
            assertEquals(i + 1, events.get(i).step());
            assertEquals(i, events.get(i).epoch());
            assertEquals(r.losses().get(i), events.get(i).loss());
            assertEquals(0.1, events.get(i).lr());
        }
        assertTrue(r.finalLoss() < r.losses().get(0) / 10, r.losses().toString());
        assertEquals(r.finalLoss(), r.bestLoss());
    }

    @Test
    void fit_givesBitIdenticalParametersToTheHandWrittenLoop() {
        Engine a = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64, 3);
        Engine b = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT64, 3);
        Linear m1 = new Linear(a, 1, 1);
        Linear m2 = new Linear(b, 1, 1);
        Batch d = line();
        Trainer.fit(m1, new Batch(d.x().toEngine(a), d.y().toEngine(a)), Losses::mse,
                SGD.builder(m1.parameters()).lr(0.05).momentum(0.9).build(), 10);
        Optimizer opt = SGD.builder(m2.parameters()).lr(0.05).momentum(0.9).build();
        Tensor x = d.x().toEngine(b);
        Tensor y = d.y().toEngine(b);
        for (int i = 0; i < 10; i++) {
            opt.zeroGrad();
            Losses.mse(m2.forward(x), y).backward();
            opt.step();
        }
        assertArrayEquals(m2.weight().toDoubleArray(), m1.weight().toDoubleArray(), 0);
        assertArrayEquals(m2.bias().toDoubleArray(), m1.bias().toDoubleArray(), 0);
    }

    @Test
    void fit_withoutZeroGrad_accumulatesGradientsAcrossSteps() {
        // one parameter w, loss (w·1 - 0)² / 1, gradient 2w; lr 0.1, gradients never cleared:
        // step 1: g = 2·1 = 2, w = 1 - 0.2 = 0.8
        // step 2: g = 2 + 2·0.8 = 3.6, w = 0.8 - 0.36 = 0.44
        // step 3: g = 3.6 + 0.88 = 4.48, w = 0.44 - 0.448 = -0.008
        Module m = scalarModel(1.0);
        Tensor w = m.parameters().get(0);
        Trainer.builder(m, Losses::mse, SGD.builder(m.parameters()).lr(0.1).build())
                .data(engine.ones(1), engine.zeros(1)).steps(3).zeroGrad(false).build().fit();
        assertEquals(-0.008, w.item(), 1e-15);
        // the gradient left on w is the sum of the three steps' gradients: 2 + 1.6 + 0.88
        assertEquals(4.48, w.grad().item(), 1e-15);
    }

    private Module scalarModel(double init) {
        return new Module("Scale") {
            final Tensor w = registerParameter("w", engine.tensor(new double[] {init}));

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(w);
            }
        };
    }

    @Test
    void fit_opensAScopePerStep_soIntermediatesAreReleased() {
        List<Tensor> seen = new ArrayList<>();
        Linear linear = new Linear(engine, 1, 1);
        Sequential model = new Sequential(linear, new Lambda("Spy", t -> {
            seen.add(t);
            return t;
        }));
        Trainer.fit(model, line(), Losses::mse, SGD.builder(model.parameters()).lr(0.1).build(), 3);
        assertEquals(3, seen.size());
        for (Tensor t : seen) {
            assertThrows(IllegalStateException.class, t::toDoubleArray, "intermediate must be released");
        }
        assertEquals(1, linear.weight().toDoubleArray().length);
        assertEquals(1, linear.weight().grad().toDoubleArray().length);
    }

    @Test
    void earlyStopping_flatLoss_stopsAfterPatienceEpochs() {
        Linear model = new Linear(engine, 1, 1);
        // lr 0: the loss never improves after the first epoch
        FitResult r = Trainer.builder(model, Losses::mse, SGD.builder(model.parameters()).lr(0.0).build())
                .data(line()).steps(1000).earlyStopping(5, 0.0).build().fit();
        assertEquals(StopReason.EARLY_STOPPED, r.stopReason());
        assertTrue(r.stoppedEarly());
        assertEquals(6, r.steps());
    }

    @Test
    void earlyStopping_minDelta_countsSmallImprovementsAsNone() {
        Linear model = new Linear(engine, 1, 1);
        // lr 1e-4: each step improves the loss by far less than 1.0
        FitResult r = Trainer.builder(model, Losses::mse, SGD.builder(model.parameters()).lr(1e-4).build())
                .data(line()).steps(1000).earlyStopping(3, 1.0).build().fit();
        assertEquals(4, r.steps());
        Linear fresh = new Linear(engine, 1, 1);
        FitResult improving = Trainer.builder(fresh, Losses::mse, SGD.builder(fresh.parameters()).lr(0.1).build())
                .data(line()).steps(50).earlyStopping(3, 0.0).build().fit();
        assertEquals(StopReason.COMPLETED, improving.stopReason());
    }

    @Test
    void fit_nonFiniteLoss_stops() {
        Module m = scalarModel(1.0);
        // lr 10 on w²: w ← w - 20w = -19w, growing until it overflows
        FitResult r = Trainer.builder(m, Losses::mse, SGD.builder(m.parameters()).lr(10).build())
                .data(engine.ones(1), engine.zeros(1)).steps(10_000).build().fit();
        assertEquals(StopReason.NON_FINITE_LOSS, r.stopReason());
        assertFalse(Double.isFinite(r.finalLoss()));
        assertTrue(r.steps() < 10_000);
    }

    @Test
    void epochs_overSeveralBatches_countStepsAndEpochs() {
        Linear model = new Linear(engine, 1, 1);
        Batch all = line();
        List<Batch> batches = List.of(new Batch(all.x().slice(0, 0, 2), all.y().slice(0, 0, 2)),
                new Batch(all.x().slice(0, 2, 4), all.y().slice(0, 2, 4)),
                new Batch(all.x().slice(0, 4, 5), all.y().slice(0, 4, 5)));
        List<Integer> epochs = new ArrayList<>();
        FitResult r = Trainer.builder(model, Losses::mse, SGD.builder(model.parameters()).lr(0.1).build())
                .data(batches).epochs(2).onStep(e -> epochs.add(e.epoch())).build().fit();
        assertEquals(6, r.steps());
        assertEquals(2, r.epochs());
        assertEquals(List.of(0, 0, 0, 1, 1, 1), epochs);
        FitResult limited = Trainer.builder(model, Losses::mse, SGD.builder(model.parameters()).lr(0.1).build())
                .data(batches).epochs(5).steps(4).build().fit();
        assertEquals(4, limited.steps());
        assertEquals(1, limited.epochs());
    }

    @Test
    void scheduler_stepsOncePerEpoch() {
        Linear model = new Linear(engine, 1, 1);
        Optimizer opt = SGD.builder(model.parameters()).lr(0.1).build();
        List<Double> lrs = new ArrayList<>();
        Trainer.builder(model, Losses::mse, opt).data(line()).steps(5).scheduler(new StepLR(opt, 2, 0.5))
                .onStep(e -> lrs.add(e.lr())).build().fit();
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025), lrs);
    }

    @Test
    void plateauScheduler_isSteppedWithTheEpochLoss() {
        Linear model = new Linear(engine, 1, 1);
        Optimizer opt = SGD.builder(model.parameters()).lr(0.0).build();
        ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(opt).patience(1).build();
        FitResult r = Trainer.builder(model, Losses::mse, opt).data(line()).steps(4).scheduler(plateau).build().fit();
        assertEquals(r.losses().get(0), plateau.best());
        assertEquals(4, plateau.lastEpoch());
    }

    @Test
    void build_withoutDataOrLimit_failsWithAHint() {
        Linear model = new Linear(engine, 1, 1);
        Optimizer opt = SGD.builder(model.parameters()).lr(0.01).build();
        assertTrue(assertThrows(IllegalStateException.class,
                () -> Trainer.builder(model, Losses::mse, opt).steps(1).build()).getMessage().contains("data("));
        assertTrue(assertThrows(IllegalStateException.class,
                () -> Trainer.builder(model, Losses::mse, opt).data(line()).build()).getMessage().contains("steps("));
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, Losses::mse, opt).earlyStopping(0, 0));
    }

    @Test
    void fit_nonScalarLoss_isRejected() {
        Linear model = new Linear(engine, 1, 1);
        Trainer t = Trainer.builder(model, (p, y) -> p.sub(y), SGD.builder(model.parameters()).lr(0.01).build())
                .data(line()).steps(1).build();
        assertTrue(assertThrows(IllegalStateException.class, t::fit).getMessage().contains("must be a scalar"));
    }
}
