package io.polygrad.benchmarks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The benchmarks' training steps hand-written on raw ND4J, the way an ND4J user writes a
 * training loop without an autograd: the forward pass, the backward pass derived by hand, and an
 * in-place SGD update, all with {@link INDArray} operations (in-place where the math allows), letting
 * ND4J's own deallocator free the temporaries.
 */
final class RawNd4j {

    private RawNd4j() {
    }

    /** The quadratic step: a·x² + b·x + c, MAE and its hand-derived gradient, SGD lr 0.01. */
    static final class Quadratic {
        private static final float LR = (float) QuadraticStep.LR;

        private final INDArray x;
        private final INDArray y;
        private final INDArray a;
        private final INDArray b;
        private final INDArray c;
        private final int n;

        /** Creates the arrays from polygrad's data and initial parameters. */
        Quadratic(float[] xs, float[] ys, float[] abc) {
            n = xs.length;
            x = Nd4j.create(xs, new long[] {n, 1}, 'c');
            y = Nd4j.create(ys, new long[] {n, 1}, 'c');
            a = Nd4j.scalar(abc[0]);
            b = Nd4j.scalar(abc[1]);
            c = Nd4j.scalar(abc[2]);
        }

        /** Returns the loss of one step. */
        double step() {
            INDArray x2 = x.mul(x);
            INDArray r = x2.mul(a).addi(x.mul(b)).addi(c).subi(y);       // residual ŷ - y
            double loss = Transforms.abs(r, true).meanNumber().doubleValue();
            INDArray s = Transforms.sign(r, false).divi(n);              // dL/dŷ = sign(ŷ - y) / n
            INDArray ga = s.mul(x2).sum();
            INDArray gb = s.mul(x).sum();
            INDArray gc = s.sum();
            a.subi(ga.muli(LR));
            b.subi(gb.muli(LR));
            c.subi(gc.muli(LR));
            return loss;
        }
    }

    /** The MLP step: 784-512-512-10 with ReLU, softmax cross-entropy and its hand-derived gradient, SGD. */
    static final class Mlp {
        private static final float LR = (float) MlpStep.LR;

        private final INDArray x;
        private final INDArray target;
        private final INDArray[] w = new INDArray[3];
        private final INDArray[] bias = new INDArray[3];

        /** Creates the arrays from polygrad's batch and initial weights (stored as {@code [in, out]}). */
        Mlp(MlpStep source) {
            x = Nd4j.create(source.xValues(), new long[] {MlpStep.BATCH, MlpStep.IN}, 'c');
            target = Nd4j.create(source.targetValues(), new long[] {MlpStep.BATCH, MlpStep.CLASSES}, 'c');
            for (int i = 0; i < 3; i++) {
                int[] io = source.layerShape(i);
                w[i] = Nd4j.create(source.weightTransposed(i), new long[] {io[0], io[1]}, 'c');
                bias[i] = Nd4j.create(source.bias(i), new long[] {io[1]}, 'c');
            }
        }

        /** Returns the loss of one step. */
        double step() {
            int batch = MlpStep.BATCH;
            // forward
            INDArray z1 = x.mmul(w[0]).addiRowVector(bias[0]);
            INDArray h1 = Transforms.relu(z1, true);
            INDArray z2 = h1.mmul(w[1]).addiRowVector(bias[1]);
            INDArray h2 = Transforms.relu(z2, true);
            INDArray logits = h2.mmul(w[2]).addiRowVector(bias[2]);
            INDArray p = Transforms.softmax(logits, true);
            double loss = -Transforms.log(p, true).muli(target).sumNumber().doubleValue() / batch;
            // backward: d loss / d logits = (softmax - target) / batch
            INDArray d3 = p.subi(target).divi(batch);
            INDArray gw3 = h2.transpose().mmul(d3);
            INDArray gb3 = d3.sum(0);
            INDArray d2 = d3.mmul(w[2].transpose()).muli(Transforms.step(z2, false));
            INDArray gw2 = h1.transpose().mmul(d2);
            INDArray gb2 = d2.sum(0);
            INDArray d1 = d2.mmul(w[1].transpose()).muli(Transforms.step(z1, false));
            INDArray gw1 = x.transpose().mmul(d1);
            INDArray gb1 = d1.sum(0);
            // SGD
            w[0].subi(gw1.muli(LR));
            bias[0].subi(gb1.muli(LR));
            w[1].subi(gw2.muli(LR));
            bias[1].subi(gb2.muli(LR));
            w[2].subi(gw3.muli(LR));
            bias[2].subi(gb3.muli(LR));
            return loss;
        }
    }
}
