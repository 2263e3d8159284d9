package io.polygrad.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled training sample as Spark ships it: a float input, row-major, and an integer class label
 * (the class-index target of {@link io.polygrad.loss.Losses#crossEntropy}).
 *
 * <p>The input's shape is the trainer's {@link SparkTrainer.Builder#inputShape}; every sample of a
 * data set must have that many values, which the trainer checks before training.
 */
public final class Sample implements Serializable {

    private static final long serialVersionUID = 1L;

    private final float[] input;
    private final int label;

    /** Creates a sample of {@code input} (not copied) and {@code label}. */
    public Sample(float[] input, int label) {
        this.input = Objects.requireNonNull(input, "input");
        this.label = label;
    }

    /** Returns the input values, row-major (the array itself, not a copy). */
    public float[] input() {
        return input;
    }

    /** Returns the class label. */
    public int label() {
        return label;
    }

    /** Returns whether {@code o} is a sample with the same values and label. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && s.label == label && Arrays.equals(s.input, input);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(input) + label;
    }

    @Override
    public String toString() {
        return "Sample[" + input.length + " values, label " + label + "]";
    }
}
