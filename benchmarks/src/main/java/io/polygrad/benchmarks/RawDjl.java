package io.polygrad.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;

/**
 * The benchmarks' training steps written by hand on raw DJL (PyTorch engine), the idiomatic
 * DJL way: parameters with {@code setRequiresGradient(true)} in a long-lived {@link NDManager}, one
 * sub-manager per step that temporarily owns the inputs and parameters (so every intermediate and
 * gradient handle of the step is freed when it closes), the forward pass inside a
 * {@link GradientCollector}, {@code getGradient()}, an in-place SGD update and the gradient zeroed
 * in place ({@code g.subi(g)}, as DJL's own {@code zeroGradients()} does).
 */
final class RawDjl {

    private RawDjl() {
    }

    /** Returns the DJL PyTorch engine (libtorch loads on first use). */
    static Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }

    /** The quadratic step: a·x² + b·x + c, MAE, backward, SGD lr 0.01, gradients zeroed. */
    static final class Quadratic implements AutoCloseable {
        private static final float LR = (float) QuadraticStep.LR;

        private final Engine engine = engine();
        private final NDManager base = engine.newBaseManager();
        private final NDArray x;
        private final NDArray y;
        private final NDArray a;
        private final NDArray b;
        private final NDArray c;
        private final NDArray[] params;

        /** Creates the arrays from polygrad's data and initial parameters. */
        Quadratic(float[] xs, float[] ys, float[] abc) {
            x = base.create(xs, new Shape(xs.length, 1));
            y = base.create(ys, new Shape(ys.length, 1));
            a = base.create(abc[0]);
            b = base.create(abc[1]);
            c = base.create(abc[2]);
            params = new NDArray[] {a, b, c};
            for (NDArray p : params) {
                p.setRequiresGradient(true);
            }
        }

        /** Returns the loss of one step. */
        float step() {
            try (NDManager step = base.newSubManager()) {
                step.tempAttachAll(x, y, a, b, c);
                NDArray loss;
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray prediction = a.mul(x.mul(x)).add(b.mul(x)).add(c);
                    loss = prediction.sub(y).abs().mean();
                    gc.backward(loss);
                }
                for (NDArray p : params) {
                    NDArray g = p.getGradient();
                    p.subi(g.mul(LR));
                    g.subi(g);
                }
                return loss.getFloat();
            }
        }

        /** Returns a, b, c now. */
        float[] parameterValues() {
            return new float[] {a.getFloat(), b.getFloat(), c.getFloat()};
        }

        @Override
        public void close() {
            base.close();
        }
    }

    /** The MLP step: 784-512-512-10 with ReLU, softmax cross-entropy, backward, SGD lr 0.01. */
    static final class Mlp implements AutoCloseable {
        private static final float LR = (float) MlpStep.LR;

        private final Engine engine = engine();
        private final NDManager base = engine.newBaseManager();
        private final NDArray x;
        private final NDArray target;
        private final NDArray[] w = new NDArray[3];
        private final NDArray[] bias = new NDArray[3];
        private final NDArray[] all;

        /** Creates the arrays from polygrad's batch and initial weights (stored as {@code [in, out]}). */
        Mlp(MlpStep source) {
            x = base.create(source.xValues(), new Shape(MlpStep.BATCH, MlpStep.IN));
            target = base.create(source.targetValues(), new Shape(MlpStep.BATCH, MlpStep.CLASSES));
            for (int i = 0; i < 3; i++) {
                int[] io = source.layerShape(i);
                w[i] = base.create(source.weightTransposed(i), new Shape(io[0], io[1]));
                bias[i] = base.create(source.bias(i), new Shape(io[1]));
                w[i].setRequiresGradient(true);
                bias[i].setRequiresGradient(true);
            }
            all = new NDArray[] {x, target, w[0], bias[0], w[1], bias[1], w[2], bias[2]};
        }

        /** Returns the loss of one step. */
        float step() {
            try (NDManager step = base.newSubManager()) {
                step.tempAttachAll(all);
                NDArray loss;
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray h1 = Activation.relu(x.matMul(w[0]).add(bias[0]));
                    NDArray h2 = Activation.relu(h1.matMul(w[1]).add(bias[1]));
                    NDArray logits = h2.matMul(w[2]).add(bias[2]);
                    loss = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
                    gc.backward(loss);
                }
                for (int i = 0; i < 3; i++) {
                    update(w[i]);
                    update(bias[i]);
                }
                return loss.getFloat();
            }
        }

        private static void update(NDArray p) {
            NDArray g = p.getGradient();
            p.subi(g.mul(LR));
            g.subi(g);
        }

        @Override
        public void close() {
            base.close();
        }
    }
}
