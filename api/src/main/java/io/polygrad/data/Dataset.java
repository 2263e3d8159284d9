package io.polygrad.data;

/**
 * A data set of labelled samples with random access, like PyTorch's map-style {@code Dataset} for
 * classification: each sample is a float input of a fixed shape and an integer class label.
 * {@link DataLoader} batches and shuffles it without copying the whole set.
 */
public interface Dataset {

    /** Returns the number of samples. */
    int size();

    /** Returns the shape of one sample's input, e.g. {@code [1, 28, 28]} for a grey-scale image. */
    int[] sampleShape();

    /** Returns the number of classes C; every label is in [0, C). */
    int classCount();

    /** Returns the class label of sample {@code index}. */
    int label(int index);

    /** Copies sample {@code index}'s input, row-major, into {@code target} from {@code offset}. */
    void copyInput(int index, float[] target, int offset);
}
