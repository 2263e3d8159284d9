package io.polygrad.train;

import io.polygrad.Checks;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.loss.Loss;
import io.polygrad.nn.Module;
import java.util.Iterator;

/**
 * The result of evaluating a classifier over a whole data set: the mean loss per sample, the
 * accuracy and the confusion matrix. {@link #of} runs the model in evaluation mode (restoring its
 * mode afterwards), under {@link NoGrad} with one
 * {@link TensorScope} per batch (open while a loader makes the batch), so evaluating a large test set
 * keeps native memory flat.
 *
 * <pre>{@code
 * Evaluation test = Evaluation.of(model, Losses::crossEntropy, testLoader, 10);
 * System.out.printf("loss %.4f, accuracy %.4f%n", test.meanLoss(), test.accuracy());
 * }</pre>
 *
 * @param meanLoss  the loss averaged over samples (each batch's mean loss weighted by its size)
 * @param samples   the number of samples evaluated
 * @param confusion the confusion matrix of the predictions
 */
public record Evaluation(double meanLoss, long samples, ConfusionMatrix confusion) {

    /** Creates an evaluation, rejecting a null matrix. */
    public Evaluation {
        Checks.notNull(confusion, "Evaluation", "confusion");
    }

    /** Returns the fraction of samples predicted correctly. */
    public double accuracy() {
        return confusion.accuracy();
    }

    /**
     * Returns the evaluation of {@code model} on every batch of {@code batches}: inputs of shape
     * {@code [B, …]} mapped to logits {@code [B, classes]}, targets class indices {@code [B]},
     * {@code loss} a mean over the batch.
     *
     * @throws IllegalArgumentException if {@code batches} is empty, or a batch's shapes do not fit
     */
    public static Evaluation of(Module model, Loss loss, Iterable<Batch> batches, int classes) {
        Checks.notNull(model, "Evaluation.of", "model");
        Checks.notNull(loss, "Evaluation.of", "loss");
        Checks.notNull(batches, "Evaluation.of", "batches");
        ConfusionMatrix confusion = new ConfusionMatrix(classes);
        double lossSum = 0;
        long samples = 0;
        Iterator<Batch> it = batches.iterator();
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            while (true) {
                // The scope is open while the batch is made, so a loader's batch tensors go with it;
                // batches made before the call (a list) are the caller's and stay.
                try (TensorScope perBatch = TensorScope.open()) {
                    if (!it.hasNext()) {
                        break;
                    }
                    Batch batch = it.next();
                    Tensor logits = model.forward(batch.x());
                    int n = batch.y().shape().length == 0 ? 1 : batch.y().shape()[0];
                    lossSum += loss.apply(logits, batch.y()).item() * n;
                    confusion.add(logits, batch.y());
                    samples += n;
                }
            }
        } finally {
            model.train(wasTraining);
        }
        if (samples == 0) {
            throw new IllegalArgumentException("Evaluation.of: no batches to evaluate");
        }
        return new Evaluation(lossSum / samples, samples, confusion);
    }
}
