package io.polygrad.benchmarks;

import io.polygrad.CapturedStep;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Module;
import io.polygrad.optim.SGD;
import io.polygrad.problems.Problems;
import io.polygrad.train.Batch;

/**
 * The quadratic training step of the benchmarks as a polygrad user writes it: the
 * {@code quadratic} problem of {@link Problems} (20 points of noisy {@code 3x² + 2x + 1}, model
 * {@code a·x² + b·x + c} from a = b = c = 1.1), mean absolute error, {@code backward()}, SGD with lr
 * 0.01, all inside one {@link TensorScope} per step so native memory is freed, exactly as
 * {@link io.polygrad.train.Trainer} does.
 *
 * <pre>{@code
 * QuadraticStep q = new QuadraticStep(engine);
 * double loss = q.step();
 * }</pre>
 */
public final class QuadraticStep {

    /** The learning rate of the problem's SGD setting. */
    public static final double LR = 0.01;

    private final Module model;
    private final SGD optimizer;
    private final Tensor x;
    private final Tensor y;

    /** Creates the model, data and optimizer on {@code engine} (float32 when the engine's dtype is). */
    public QuadraticStep(Engine engine) {
        Batch data = Problems.QUADRATIC.data(engine);
        this.x = TensorScope.escape(data.x());
        this.y = TensorScope.escape(data.y());
        this.model = Problems.QUADRATIC.model(engine);
        this.optimizer = SGD.builder(model.parameters()).lr(LR).build();
    }

    /** Returns the loss after one step: zeroGrad, forward, MAE, backward, SGD update, in a scope. */
    @SuppressWarnings("try") // the scope is opened for its effect only
    public double step() {
        try (TensorScope scope = TensorScope.open()) {
            return body().item();
        }
    }

    /**
     * Returns the step captured for replay ({@link CapturedStep#capture}, which runs three steps): each
     * {@code run().item()} is then one step with the same values as {@link #step()}.
     */
    public CapturedStep capture() {
        return CapturedStep.capture(this::body);
    }

    private Tensor body() {
        optimizer.zeroGrad();
        Tensor loss = Losses.mae(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss;
    }

    /** Returns the inputs, shape {@code [20, 1]}, as floats. */
    public float[] xValues() {
        return x.toFloatArray();
    }

    /** Returns the targets, shape {@code [20, 1]}, as floats. */
    public float[] yValues() {
        return y.toFloatArray();
    }

    /** Returns the parameters {@code a, b, c} now. */
    public float[] parameterValues() {
        float[] out = new float[3];
        int i = 0;
        for (Tensor p : model.parameters()) {
            out[i++] = (float) p.item();
        }
        return out;
    }

    /** Returns the model. */
    public Module model() {
        return model;
    }
}
