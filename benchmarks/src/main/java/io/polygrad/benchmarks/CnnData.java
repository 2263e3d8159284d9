package io.polygrad.benchmarks;

import java.util.SplittableRandom;

/**
 * The data and initial weights of the CNN training-step benchmarks (issue "Fashion-MNIST"): the network
 * {@code Conv2d(1, 32, 5, padding 2) - ReLU - MaxPool2d(2) - Conv2d(32, 64, 5, padding 2) - ReLU -
 * MaxPool2d(2) - Flatten - Linear(3136, 1024) - ReLU - Linear(1024, 10)}, one batch of 128 images
 * {@code [1, 28, 28]} in {@code [0, 1)} with class labels, softmax cross-entropy and SGD with
 * {@link #LR}.
 *
 * <p>Every value comes from a {@link SplittableRandom} with a fixed seed, so each implementation of
 * the step (raw DJL, raw ND4J, and polygrad's on every backend) starts from bit-identical float32
 * values. Weights are drawn as PyTorch's default initialisation of {@code nn.Conv2d} and
 * {@code nn.Linear} does: uniform in {@code ±1/√fanIn}, biases likewise. Convolution weights are
 * {@code [O, C, kH, kW]} and linear weights {@code [in, out]} (row-major).
 */
final class CnnData {

    /** The batch size. */
    static final int BATCH = 128;
    /** The number of classes. */
    static final int CLASSES = 10;
    /** The image side. */
    static final int SIDE = 28;
    /** The features after the second pooling: 64 · 7 · 7. */
    static final int FLAT = 64 * 7 * 7;
    /** The hidden width of the first linear layer. */
    static final int HIDDEN = 1024;
    /** The SGD learning rate. */
    static final float LR = 0.01f;

    /** The batch, {@code [128, 1, 28, 28]}. */
    final float[] images;
    /** The class of each image, in {@code [0, 10)}. */
    final int[] labels;
    /** {@link #labels} one-hot, {@code [128, 10]}. */
    final float[] oneHot;
    /** conv1 weight {@code [32, 1, 5, 5]} and bias {@code [32]}. */
    final float[] w1;
    final float[] b1;
    /** conv2 weight {@code [64, 32, 5, 5]} and bias {@code [64]}. */
    final float[] w2;
    final float[] b2;
    /** linear1 weight {@code [3136, 1024]} and bias {@code [1024]}. */
    final float[] w3;
    final float[] b3;
    /** linear2 weight {@code [1024, 10]} and bias {@code [10]}. */
    final float[] w4;
    final float[] b4;

    /** Draws everything from the seed {@code 12}. */
    CnnData() {
        SplittableRandom r = new SplittableRandom(12);
        images = new float[BATCH * SIDE * SIDE];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) r.nextDouble();
        }
        labels = new int[BATCH];
        oneHot = new float[BATCH * CLASSES];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = r.nextInt(CLASSES);
            oneHot[i * CLASSES + labels[i]] = 1;
        }
        w1 = uniform(r, 32 * 25, 25);
        b1 = uniform(r, 32, 25);
        w2 = uniform(r, 64 * 32 * 25, 32 * 25);
        b2 = uniform(r, 64, 32 * 25);
        w3 = uniform(r, FLAT * HIDDEN, FLAT);
        b3 = uniform(r, HIDDEN, FLAT);
        w4 = uniform(r, HIDDEN * CLASSES, HIDDEN);
        b4 = uniform(r, CLASSES, HIDDEN);
    }

    private static float[] uniform(SplittableRandom r, int n, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
        return out;
    }

    /** Returns a {@code [128, 32, 14, 14]} input, the second convolution's, in {@code [0, 1)} (seed 34). */
    static float[] layerInput() {
        return randoms(34, BATCH * 32 * 14 * 14, 1);
    }

    /** Returns n values uniform in {@code [-scale, scale)} from {@code seed}. */
    static float[] randoms(long seed, int n, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((2 * r.nextDouble() - 1) * scale);
        }
        return out;
    }
}
