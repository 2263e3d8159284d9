package io.polygrad.train;

import static io.polygrad.Checks.notNull;

import io.polygrad.CapturedStep;
import io.polygrad.Checks;
import io.polygrad.StepCapture;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.loss.Loss;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.lr.LrScheduler;
import io.polygrad.optim.lr.ReduceLROnPlateau;
import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small, explicit fit loop. Each step, inside its own {@link TensorScope} (so every
 * intermediate is freed on native backends):
 * <pre>
 * optimizer.zeroGrad()            (unless zeroGrad(false): the loop that lets gradients accumulate)
 * loss = loss(model.forward(x), y)
 * loss.backward()
 * optimizer.step()
 * callbacks(step, loss, lr)
 * </pre>
 * An epoch is one pass over the batches; after each epoch the schedules step and early stopping looks
 * at the epoch's mean loss. With {@link Builder#captured(boolean) captured(true)} the step is
 * recorded once and replayed ({@link CapturedStep}): the same values, without the per-op cost of
 * building tensors and graph nodes, which is what a small model's step is made of.
 *
 * <pre>{@code
 * FitResult result = Trainer.builder(model, Losses::mse, Adam.builder(model.parameters()).build())
 *         .data(x, y)
 *         .steps(5000)
 *         .earlyStopping(100, 1e-7)
 *         .onStep(e -> { if (e.step() % 1000 == 0) System.out.println(e); })
 *         .build()
 *         .fit();
 * }</pre>
 */
public final class Trainer {

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final Iterable<Batch> batches;
    private final int maxSteps;
    private final int maxEpochs;
    private final boolean zeroGrad;
    private final int patience;
    private final double minDelta;
    private final LrScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final List<Consumer<StepEvent>> callbacks;
    private final boolean captured;
    private StepCapture capture;
    private double captureLr;
    private CapturedStep replay;
    private double replayLr;
    private String notReplayable;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.batches = b.source != null ? b.source : List.copyOf(b.batches);
        this.maxSteps = b.steps;
        this.maxEpochs = b.epochs;
        this.zeroGrad = b.zeroGrad;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.scheduler = b.scheduler;
        this.plateau = b.plateau;
        this.callbacks = List.copyOf(b.callbacks);
        this.captured = b.captured;
    }

    /** Creates a builder for training {@code model} on {@code loss} with {@code optimizer}. */
    public static Builder builder(Module model, Loss loss, Optimizer optimizer) {
        notNull(model, "Trainer.builder", "model");
        notNull(loss, "Trainer.builder", "loss");
        notNull(optimizer, "Trainer.builder", "optimizer");
        return new Builder(model, loss, optimizer);
    }

    /** Returns the result of {@code steps} full-batch steps on {@code data}, zeroing gradients each step. */
    public static FitResult fit(Module model, Batch data, Loss loss, Optimizer optimizer, int steps) {
        notNull(model, "Trainer.fit", "model");
        notNull(data, "Trainer.fit", "data");
        notNull(loss, "Trainer.fit", "loss");
        notNull(optimizer, "Trainer.fit", "optimizer");
        return builder(model, loss, optimizer).data(data).steps(steps).build().fit();
    }

    /** Returns the result of training until the step or epoch limit, early stopping or a non-finite loss. */
    public FitResult fit() {
        model.train();
        List<Double> losses = new ArrayList<>();
        int step = 0;
        int epoch = 0;
        double best = Double.POSITIVE_INFINITY;
        int epochsWithoutImprovement = 0;
        StopReason reason = StopReason.COMPLETED;
        training:
        while (epoch < maxEpochs && step < maxSteps) {
            double sum = 0;
            int count = 0;
            for (Iterator<Batch> it = batches.iterator(); it.hasNext(); ) {
                if (step >= maxSteps) {
                    break training;
                }
                double lr = optimizer.lr();
                double value = step(it);
                step++;
                losses.add(value);
                StepEvent event = new StepEvent(step, epoch, value, lr);
                for (Consumer<StepEvent> c : callbacks) {
                    c.accept(event);
                }
                if (!Double.isFinite(value)) {
                    reason = StopReason.NON_FINITE_LOSS;
                    break training;
                }
                sum += value;
                count++;
            }
            if (count == 0) {
                throw new IllegalStateException("Trainer: the data gave no batches in epoch " + (epoch + 1));
            }
            epoch++;
            double epochLoss = sum / count;
            if (scheduler != null) {
                scheduler.step();
            }
            if (plateau != null) {
                plateau.step(epochLoss);
            }
            if (patience > 0) {
                if (epochLoss < best - minDelta) {
                    best = epochLoss;
                    epochsWithoutImprovement = 0;
                } else if (++epochsWithoutImprovement >= patience) {
                    reason = StopReason.EARLY_STOPPED;
                    break;
                }
            }
        }
        return new FitResult(losses, step, epoch, reason);
    }

    /** Runs one step on the iterator's next batch, made inside the step's scope (so a loader's batch is freed with it). */
    private double step(Iterator<Batch> it) {
        if (captured) {
            return capturedStep(it.next());
        }
        try (TensorScope scope = TensorScope.open()) {
            return body(it.next()).item();
        }
    }

    /**
     * Runs one step of the captured mode: a replay while the learning rate is the one captured, else one
     * eager step of a (new) capture; a step that cannot be replayed stays eager, the reason logged once.
     */
    private double capturedStep(Batch batch) {
        double lr = optimizer.lr();
        if (replay != null && lr == replayLr) {
            return replay.run().item();
        }
        replay = null;
        if (notReplayable != null) {
            try (TensorScope scope = TensorScope.open()) {
                return body(batch).item();
            }
        }
        if (capture == null || lr != captureLr) {
            capture = new StepCapture(() -> body(batch));
            captureLr = lr;
        }
        double value = capture.step().item();
        if (capture.isDone()) {
            try {
                replay = capture.result();
                replayLr = lr;
            } catch (IllegalStateException e) {
                notReplayable = e.getMessage();
                java.util.logging.Logger.getLogger(Trainer.class.getName()).info("polygrad Trainer: captured(true), "
                        + "but the step runs eagerly: " + notReplayable);
            }
            capture = null;
        }
        return value;
    }

    /** One step, eager or recorded: zeroGrad (unless turned off), loss, backward, update; returns the loss. */
    private Tensor body(Batch batch) {
        if (zeroGrad) {
            optimizer.zeroGrad();
        }
        Tensor value = loss.apply(model.forward(batch.x()), batch.y());
        if (value.numel() != 1) {
            throw new IllegalStateException("the loss must be a scalar, but it has shape "
                    + Shapes.toString(value.shape()) + "; use a reducing loss (Reduction.MEAN or SUM)");
        }
        value.backward();
        optimizer.step();
        return value;
    }

    /**
     * Returns why the captured mode runs this trainer's step eagerly (see {@link Builder#captured}), or
     * {@code null} when it replays or was not asked for.
     */
    public String notReplayableReason() {
        return notReplayable;
    }

    /** A builder that configures a {@link Trainer} step by step. */
    public static final class Builder {
        private final Module model;
        private final Loss loss;
        private final Optimizer optimizer;
        private final List<Batch> batches = new ArrayList<>();
        private Iterable<Batch> source;
        private int steps = Integer.MAX_VALUE;
        private int epochs = Integer.MAX_VALUE;
        private boolean zeroGrad = true;
        private int patience;
        private double minDelta;
        private LrScheduler scheduler;
        private ReduceLROnPlateau plateau;
        private final List<Consumer<StepEvent>> callbacks = new ArrayList<>();
        private boolean captured;

        private Builder(Module model, Loss loss, Optimizer optimizer) {
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
        }

        /** Returns this builder training on one full batch of inputs {@code x} and targets {@code y}. */
        public Builder data(Tensor x, Tensor y) {
            notNull(x, "Trainer.Builder.data", "x");
            notNull(y, "Trainer.Builder.data", "y");
            return data(new Batch(x, y));
        }

        /** Returns this builder training on one full batch. */
        public Builder data(Batch batch) {
            batches.clear();
            source = null;
            batches.add(notNull(batch, "Trainer.Builder.data", "batch"));
            return this;
        }

        /** Returns this builder training on {@code batches}, one epoch being one pass over them in order. */
        public Builder data(List<Batch> batches) {
            Checks.noNulls(batches, "Trainer.Builder.data", "batches");
            if (batches.isEmpty()) {
                throw new IllegalArgumentException("Trainer: no batches to train on");
            }
            this.batches.clear();
            this.source = null;
            this.batches.addAll(batches);
            return this;
        }

        /**
         * Returns this builder training on the batches {@code loader} gives, one epoch being one pass
         * ({@link Iterable#iterator()} is called once per epoch, so a shuffling
         * {@link io.polygrad.data.DataLoader} gives a new order each epoch). Each batch is made inside
         * its step's {@link TensorScope} and freed with it.
         */
        public Builder data(Iterable<Batch> loader) {
            notNull(loader, "Trainer.Builder.data", "loader");
            if (loader instanceof List<?> list) {
                @SuppressWarnings("unchecked")
                List<Batch> batchList = (List<Batch>) list;
                return data(batchList);
            }
            this.batches.clear();
            this.source = loader;
            return this;
        }

        /** Returns this builder stopping after {@code steps} optimizer steps. */
        public Builder steps(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("Trainer: steps must be >= 0, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /** Returns this builder stopping after {@code epochs} passes over the data. */
        public Builder epochs(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("Trainer: epochs must be >= 0, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * Returns this builder zeroing gradients before each step ({@code true}, the default) or letting
         * them accumulate across steps, as a loop that never calls {@code zero_grad()} does.
         */
        public Builder zeroGrad(boolean zeroGrad) {
            this.zeroGrad = zeroGrad;
            return this;
        }

        /**
         * Returns this builder stopping once the epoch's mean loss has not dropped below
         * {@code best - minDelta} for {@code patience} epochs in a row.
         */
        public Builder earlyStopping(int patience, double minDelta) {
            if (patience <= 0 || !(minDelta >= 0)) {
                throw new IllegalArgumentException("Trainer: early stopping needs patience > 0 and minDelta >= 0, got "
                        + patience + " and " + minDelta);
            }
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /** Returns this builder stepping {@code scheduler} after each epoch. */
        public Builder scheduler(LrScheduler scheduler) {
            this.scheduler = notNull(scheduler, "Trainer.Builder.scheduler", "scheduler");
            return this;
        }

        /** Returns this builder stepping {@code plateau} with each epoch's mean loss. */
        public Builder scheduler(ReduceLROnPlateau plateau) {
            this.plateau = notNull(plateau, "Trainer.Builder.scheduler", "plateau");
            return this;
        }

        /** Returns this builder calling {@code callback} after every step. */
        public Builder onStep(Consumer<StepEvent> callback) {
            callbacks.add(notNull(callback, "Trainer.Builder.onStep", "callback"));
            return this;
        }

        /**
         * Returns this builder recording the step once and replaying it ({@link CapturedStep}) when
         * {@code captured}: the first {@value StepCapture#STEPS} steps run eagerly while it is recorded,
         * then each step replays the recorded kernels, with the values of the eager steps. A learning-rate
         * change (a schedule) starts a new capture. A step that cannot be replayed (Adam's bias correction,
         * dropout: see {@link CapturedStep}) keeps running eagerly, the reason logged and given by
         * {@link Trainer#notReplayableReason()}. Needs one full batch ({@code data(x, y)}): to replay
         * mini-batches, capture the step yourself and feed each batch with {@code x.assign(batch)}.
         */
        public Builder captured(boolean captured) {
            this.captured = captured;
            return this;
        }

        /**
         * Creates the trainer.
         *
         * @throws IllegalStateException without data, or without a step or epoch limit
         */
        public Trainer build() {
            if (batches.isEmpty() && source == null) {
                throw new IllegalStateException("Trainer: call data(...) before build()");
            }
            if (steps == Integer.MAX_VALUE && epochs == Integer.MAX_VALUE) {
                throw new IllegalStateException("Trainer: set steps(...) or epochs(...) before build()");
            }
            if (captured && (source != null || batches.size() != 1)) {
                throw new IllegalStateException("Trainer: captured(true) replays one full batch (data(x, y)), but "
                        + (source != null ? "a loader gives the batches" : batches.size() + " batches were given")
                        + "; capture the step yourself (CapturedStep) and feed each batch with x.assign(batch)");
            }
            return new Trainer(this);
        }
    }
}
