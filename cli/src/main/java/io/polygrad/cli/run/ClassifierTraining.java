package io.polygrad.cli.run;

import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.data.DataLoader;
import io.polygrad.loss.Loss;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.lr.LrScheduler;
import io.polygrad.train.Batch;
import io.polygrad.train.ConfusionMatrix;
import io.polygrad.train.Evaluation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The epoch loop of a classifier: each step in its own {@link TensorScope} (zero the gradients,
 * loss, backward, optimizer step), the training loss and accuracy accumulated over the epoch, and
 * after each epoch an {@link Evaluation} on the test loader.
 *
 * <pre>{@code
 * List<ClassifierTraining.Epoch> history = new ClassifierTraining(model, Losses::crossEntropy, adam, 10)
 *         .run(train, test, 10, step -> progress.step(step.loss()), epoch -> System.out.println(epoch));
 * }</pre>
 */
public final class ClassifierTraining {

    /** One finished training step: its index in the epoch and the batch's mean loss and accuracy. */
    public record Step(int epoch, int batch, double loss, double accuracy) {
    }

    /**
     * One finished epoch: the mean training loss and accuracy over its batches, the test loss and
     * accuracy after it, and its wall time in seconds (test evaluation included).
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
            double seconds) {
    }

    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int classes;
    private final LrScheduler scheduler;
    private Evaluation lastTest;

    /** Creates the loop for {@code model} with {@code loss} and {@code optimizer} over {@code classes} classes. */
    public ClassifierTraining(Module model, Loss loss, Optimizer optimizer, int classes) {
        this(model, loss, optimizer, null, classes);
    }

    /**
     * Creates the loop for {@code model} with {@code loss} and {@code optimizer} over {@code classes} classes,
     * stepping {@code scheduler} (when not null) after every epoch's training, as PyTorch's epoch-wise
     * schedulers are stepped.
     */
    public ClassifierTraining(Module model, Loss loss, Optimizer optimizer, LrScheduler scheduler, int classes) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.scheduler = scheduler;
        this.classes = classes;
    }

    /**
     * Returns the history of {@code epochs} epochs on {@code train}, evaluated on {@code test} after
     * each, calling {@code onStep} after every step and {@code onEpoch} after every epoch. Stops early,
     * after the epoch, when a loss became NaN or infinite.
     */
    public List<Epoch> run(DataLoader train, DataLoader test, int epochs, Consumer<Step> onStep,
            Consumer<Epoch> onEpoch) {
        List<Epoch> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            double lossSum = 0;
            long samples = 0;
            ConfusionMatrix seen = new ConfusionMatrix(classes);
            int index = 0;
            boolean finite = true;
            model.train();
            for (Iterator<Batch> it = train.iterator(); it.hasNext(); index++) {
                try (TensorScope step = TensorScope.open()) {
                    Batch batch = it.next();
                    optimizer.zeroGrad();
                    Tensor logits = model.forward(batch.x());
                    Tensor value = loss.apply(logits, batch.y());
                    value.backward();
                    optimizer.step();
                    double l = value.item();
                    int n = batch.y().shape()[0];
                    long correctBefore = correct(seen);
                    seen.add(logits.detach(), batch.y());
                    lossSum += l * n;
                    samples += n;
                    finite &= Double.isFinite(l);
                    onStep.accept(new Step(epoch, index, l, (double) (correct(seen) - correctBefore) / n));
                }
            }
            if (scheduler != null) {
                scheduler.step();
            }
            lastTest = Evaluation.of(model, loss, test, classes);
            Epoch e = new Epoch(epoch, lossSum / samples, seen.accuracy(), lastTest.meanLoss(), lastTest.accuracy(),
                    (System.nanoTime() - start) / 1e9);
            history.add(e);
            onEpoch.accept(e);
            if (!finite) {
                break;
            }
        }
        return history;
    }

    /** Returns the test evaluation after the last epoch run, or {@code null} before {@link #run}. */
    public Evaluation lastTest() {
        return lastTest;
    }

    private static long correct(ConfusionMatrix m) {
        long c = 0;
        for (int k = 0; k < m.classes(); k++) {
            c += m.count(k, k);
        }
        return c;
    }
}
