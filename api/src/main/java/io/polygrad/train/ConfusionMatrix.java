package io.polygrad.train;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A confusion matrix of a classifier: {@code count(t, p)} is the number of samples of true class
 * {@code t} predicted as class {@code p}, the prediction being the class of the largest logit (the
 * first one on ties, as PyTorch's {@code argmax}). Accuracy is its trace over its total.
 *
 * <pre>{@code
 * ConfusionMatrix m = new ConfusionMatrix(10);
 * m.add(model.forward(batch.x()), batch.y());    // logits [B, 10], labels [B]
 * double accuracy = m.accuracy();
 * }</pre>
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    /** Creates an empty matrix for {@code classes} classes. */
    public ConfusionMatrix(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("ConfusionMatrix: the number of classes must be positive, got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /**
     * Adds a batch: {@code logits} of shape {@code [B, C]} and {@code labels} of shape {@code [B]}
     * holding int64 class indices in [0, C); the prediction is {@code logits.argmax(1)}.
     *
     * @throws IllegalArgumentException naming the shapes when they do not fit, or a label out of range
     */
    public void add(Tensor logits, Tensor labels) {
        Checks.notNull(logits, "ConfusionMatrix.add", "logits");
        Checks.notNull(labels, "ConfusionMatrix.add", "labels");
        int[] ls = logits.shape();
        int[] ys = labels.shape();
        if (ls.length != 2 || ls[1] != classes || ys.length != 1 || ys[0] != ls[0]) {
            throw new IllegalArgumentException("ConfusionMatrix.add: expects logits [B, " + classes + "] and labels [B], "
                    + "got " + Arrays.toString(ls) + " and " + Arrays.toString(ys));
        }
        if (labels.dtype() != io.polygrad.DType.INT64) {
            throw new IllegalArgumentException("ConfusionMatrix.add: labels must be int64 class indices, got "
                    + labels.dtype() + " of shape " + Arrays.toString(ys) + "; cast them with to(DType.INT64)");
        }
        long[] y = labels.toLongArray();
        long[] predicted;
        try (io.polygrad.NoGrad ignored = io.polygrad.NoGrad.enter(); Tensor p = logits.argmax(1, false)) {
            predicted = p.toLongArray();
        }
        for (int i = 0; i < ls[0]; i++) {
            long label = y[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("ConfusionMatrix.add: label " + label + " at position " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        for (int i = 0; i < ls[0]; i++) {
            counts[(int) y[i] * classes + (int) predicted[i]]++;
        }
    }

    /** Returns the number of classes. */
    public int classes() {
        return classes;
    }

    /** Returns how many samples of true class {@code trueClass} were predicted as {@code predictedClass}. */
    public long count(int trueClass, int predictedClass) {
        Objects.checkIndex(trueClass, classes);
        Objects.checkIndex(predictedClass, classes);
        return counts[trueClass * classes + predictedClass];
    }

    /** Returns the number of samples added. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Returns the fraction of samples predicted correctly, NaN when none were added. */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += counts[c * classes + c];
        }
        long n = total();
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /** Returns the matrix as a table, rows the true classes and columns the predictions, headed by {@code names}. */
    public String toTable(List<String> names) {
        Checks.notNull(names, "ConfusionMatrix.toTable", "names");
        if (names.size() != classes) {
            throw new IllegalArgumentException("ConfusionMatrix.toTable: " + names.size() + " names for " + classes
                    + " classes");
        }
        int width = 6;
        for (int i = 0; i < counts.length; i++) {
            width = Math.max(width, Long.toString(counts[i]).length() + 1);
        }
        int label = Math.max("true \\ predicted".length(),
                2 + Integer.toString(classes - 1).length() + names.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder sb = new StringBuilder(String.format("%-" + label + "s", "true \\ predicted"));
        for (int p = 0; p < classes; p++) {
            sb.append(String.format("%" + width + "d", p));
        }
        sb.append('\n');
        for (int t = 0; t < classes; t++) {
            sb.append(String.format("%-" + label + "s", t + " " + names.get(t)));
            for (int p = 0; p < classes; p++) {
                sb.append(String.format("%" + width + "d", counts[t * classes + p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
