package io.polygrad.benchmarks;

import io.polygrad.Engine;
import io.polygrad.Generator;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Linear;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.SGD;

/**
 * The MLP training step of the benchmarks as a polygrad user writes it: a
 * {@code 784-512-512-10} {@link Sequential} of {@link Linear} layers with ReLU between them (PyTorch's
 * initialisation from the engine's seeded generator), one batch of 256 standard-normal inputs with
 * random one-hot targets, softmax cross-entropy ({@link Losses#crossEntropy} with class
 * probabilities), {@code backward()} and an SGD update (lr 0.01), inside one {@link TensorScope} per
 * step.
 *
 * <p>The raw-library loops the benchmarks compare against copy {@link #weight}, {@link #bias},
 * {@link #xValues} and {@link #targetValues}, so both sides start from bit-identical values.
 *
 * <pre>{@code
 * MlpStep mlp = new MlpStep(engine);
 * double loss = mlp.step();
 * }</pre>
 */
public final class MlpStep {

    /** The batch size. */
    public static final int BATCH = 256;
    /** The input width. */
    public static final int IN = 784;
    /** The width of both hidden layers. */
    public static final int HIDDEN = 512;
    /** The number of classes (output width). */
    public static final int CLASSES = 10;
    /** The SGD learning rate. */
    public static final double LR = 0.01;

    private final Linear[] layers;
    private final Sequential net;
    private final SGD optimizer;
    private final Tensor x;
    private final Tensor target;

    /** Creates the network, the batch and the optimizer on {@code engine}, from its configured seed. */
    public MlpStep(Engine engine) {
        engine.manualSeed(engine.config().seed());
        layers = new Linear[] {new Linear(engine, IN, HIDDEN), new Linear(engine, HIDDEN, HIDDEN),
            new Linear(engine, HIDDEN, CLASSES)};
        net = new Sequential(layers[0], new ReLU(), layers[1], new ReLU(), layers[2]);
        optimizer = SGD.builder(net.parameters()).lr(LR).build();
        x = TensorScope.escape(engine.randn(BATCH, IN));
        Generator g = engine.generator();
        float[] oneHot = new float[BATCH * CLASSES];
        for (int i = 0; i < BATCH; i++) {
            oneHot[i * CLASSES + g.nextInt(CLASSES)] = 1f;
        }
        target = TensorScope.escape(engine.tensor(oneHot, BATCH, CLASSES));
    }

    /** Returns the loss after one step: zeroGrad, forward, cross-entropy, backward, SGD update, in a scope. */
    @SuppressWarnings("try") // the scope is opened for its effect only
    public double step() {
        try (TensorScope scope = TensorScope.open()) {
            return body().item();
        }
    }

    /**
     * Returns the step captured for replay ({@link io.polygrad.CapturedStep#capture}, which runs three
     * steps): each {@code run().item()} is then one step with the same values as {@link #step()}.
     */
    public io.polygrad.CapturedStep capture() {
        return io.polygrad.CapturedStep.capture(this::body);
    }

    private Tensor body() {
        optimizer.zeroGrad();
        Tensor loss = Losses.crossEntropy(net.forward(x), target);
        loss.backward();
        optimizer.step();
        return loss;
    }

    /** Returns the weight of layer {@code i} (0, 1 or 2), shape {@code [out, in]}, row-major. */
    public float[] weight(int i) {
        return layers[i].weight().toFloatArray();
    }

    /** Returns the weight of layer {@code i} transposed to {@code [in, out]}, row-major. */
    public float[] weightTransposed(int i) {
        Linear l = layers[i];
        return transpose(l.weight().toFloatArray(), l.outFeatures(), l.inFeatures());
    }

    /** Returns the bias of layer {@code i}, shape {@code [out]}. */
    public float[] bias(int i) {
        return layers[i].bias().toFloatArray();
    }

    /** Returns the input width and output width of layer {@code i}. */
    public int[] layerShape(int i) {
        return new int[] {layers[i].inFeatures(), layers[i].outFeatures()};
    }

    /** Returns the inputs, shape {@code [256, 784]}, row-major. */
    public float[] xValues() {
        return x.toFloatArray();
    }

    /** Returns the one-hot targets, shape {@code [256, 10]}, row-major. */
    public float[] targetValues() {
        return target.toFloatArray();
    }

    /** Returns the network. */
    public Sequential net() {
        return net;
    }

    /** Returns {@code m} ({@code rows × cols}, row-major) transposed. */
    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
