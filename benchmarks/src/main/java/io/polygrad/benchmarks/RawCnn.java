package io.polygrad.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The CNN training step of {@link CnnData} hand-written on each raw library, the yardsticks of the
 * djl and nd4j backends' CNN step: {@link Djl} on DJL/libtorch with {@code GradientCollector}, and
 * {@link Nd4jStep} on ND4J with libnd4j's own {@code conv2d}/{@code conv2d_bp} and
 * {@code maxpool2d}/{@code maxpool2d_bp} ops and the rest of the backward pass derived by hand.
 */
final class RawCnn {

    /** Convolution geometry of both layers: kernel 5, stride 1, padding 2, dilation 1. */
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape TWO = new Shape(2, 2);

    private RawCnn() {
    }

    /**
     * The step on raw DJL, the idiomatic way (as {@link RawDjl}): parameters requiring gradients in a
     * long-lived manager, a sub-manager per step, the forward pass in a {@link GradientCollector},
     * in-place SGD and the gradients zeroed in place.
     */
    static final class Djl implements AutoCloseable {
        private final Engine engine = RawDjl.engine();
        private final NDManager base = engine.newBaseManager();
        private final NDArray x;
        private final NDArray target;
        private final NDArray[] params;
        private final NDArray[] all;

        /** Copies {@code d}'s batch and weights into DJL arrays. */
        Djl(CnnData d) {
            x = base.create(d.images, new Shape(CnnData.BATCH, 1, CnnData.SIDE, CnnData.SIDE));
            target = base.create(d.oneHot, new Shape(CnnData.BATCH, CnnData.CLASSES));
            params = new NDArray[] {
                base.create(d.w1, new Shape(32, 1, 5, 5)), base.create(d.b1, new Shape(32)),
                base.create(d.w2, new Shape(64, 32, 5, 5)), base.create(d.b2, new Shape(64)),
                base.create(d.w3, new Shape(CnnData.FLAT, CnnData.HIDDEN)), base.create(d.b3, new Shape(CnnData.HIDDEN)),
                base.create(d.w4, new Shape(CnnData.HIDDEN, CnnData.CLASSES)), base.create(d.b4, new Shape(CnnData.CLASSES)),
            };
            all = new NDArray[params.length + 2];
            all[0] = x;
            all[1] = target;
            for (int i = 0; i < params.length; i++) {
                params[i].setRequiresGradient(true);
                all[i + 2] = params[i];
            }
        }

        /** Returns the loss of one step. */
        float step() {
            try (NDManager step = base.newSubManager()) {
                step.tempAttachAll(all);
                NDArray loss;
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray h = block(block(x, params[0], params[1]), params[2], params[3]);
                    h = Activation.relu(h.reshape(CnnData.BATCH, CnnData.FLAT).matMul(params[4]).add(params[5]));
                    NDArray logits = h.matMul(params[6]).add(params[7]);
                    loss = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
                    gc.backward(loss);
                }
                for (NDArray p : params) {
                    NDArray g = p.getGradient();
                    p.subi(g.mul(CnnData.LR));
                    g.subi(g);
                }
                return loss.getFloat();
            }
        }

        private static NDArray block(NDArray in, NDArray w, NDArray b) {
            NDArray c = Conv2d.conv2d(in, w, b, ONE, TWO, ONE, 1).singletonOrThrow();
            return Pool.maxPool2d(Activation.relu(c), TWO, TWO, new Shape(0, 0), false);
        }

        @Override
        public void close() {
            base.close();
        }
    }

    /**
     * The step on raw ND4J: libnd4j's convolution and pooling ops forward and backward (weights in
     * PyTorch's {@code [O, C, kH, kW]}, libnd4j's weight format 1), the dense layers, softmax
     * cross-entropy and their gradients by hand as in {@link RawNd4j}, in-place SGD. The step's large
     * temporaries are closed at its end (a careful ND4J user's loop; leaving them to the garbage
     * collector made the resident memory swing by gigabytes).
     */
    static final class Nd4jStep {
        private final INDArray x;
        private final INDArray target;
        private final INDArray[] params;

        /** Copies {@code d}'s batch and weights into ND4J arrays. */
        Nd4jStep(CnnData d) {
            x = Nd4j.create(d.images, new long[] {CnnData.BATCH, 1, CnnData.SIDE, CnnData.SIDE}, 'c');
            target = Nd4j.create(d.oneHot, new long[] {CnnData.BATCH, CnnData.CLASSES}, 'c');
            params = new INDArray[] {
                Nd4j.create(d.w1, new long[] {32, 1, 5, 5}, 'c'), Nd4j.create(d.b1, new long[] {32}, 'c'),
                Nd4j.create(d.w2, new long[] {64, 32, 5, 5}, 'c'), Nd4j.create(d.b2, new long[] {64}, 'c'),
                Nd4j.create(d.w3, new long[] {CnnData.FLAT, CnnData.HIDDEN}, 'c'),
                Nd4j.create(d.b3, new long[] {CnnData.HIDDEN}, 'c'),
                Nd4j.create(d.w4, new long[] {CnnData.HIDDEN, CnnData.CLASSES}, 'c'),
                Nd4j.create(d.b4, new long[] {CnnData.CLASSES}, 'c'),
            };
        }

        /** Returns the loss of one step. */
        double step() {
            int batch = CnnData.BATCH;
            List<INDArray> temps = new ArrayList<>();
            try {
                // forward
                INDArray c1 = keep(temps, conv2d(x, params[0], params[1]));
                INDArray r1 = keep(temps, Transforms.relu(c1, true));
                INDArray p1 = keep(temps, maxPool(r1));
                INDArray c2 = keep(temps, conv2d(p1, params[2], params[3]));
                INDArray r2 = keep(temps, Transforms.relu(c2, true));
                INDArray p2 = keep(temps, maxPool(r2));
                INDArray flat = p2.reshape('c', batch, CnnData.FLAT);
                INDArray z3 = keep(temps, flat.mmul(params[4]).addiRowVector(params[5]));
                INDArray h3 = keep(temps, Transforms.relu(z3, true));
                INDArray logits = keep(temps, h3.mmul(params[6]).addiRowVector(params[7]));
                INDArray p = keep(temps, Transforms.softmax(logits, true));
                double loss = -keep(temps, Transforms.log(p, true)).muli(target).sumNumber().doubleValue() / batch;
                // backward: d loss / d logits = (softmax - target) / batch
                INDArray d4 = p.subi(target).divi(batch);
                INDArray gw4 = keep(temps, h3.transpose().mmul(d4));
                INDArray gb4 = keep(temps, d4.sum(0));
                INDArray d3 = keep(temps, d4.mmul(params[6].transpose())).muli(keep(temps, Transforms.step(z3, false)));
                INDArray gw3 = keep(temps, flat.transpose().mmul(d3));
                INDArray gb3 = keep(temps, d3.sum(0));
                INDArray dFlat = keep(temps, d3.mmul(params[4].transpose()));
                INDArray dr2 = keep(temps, maxPoolBackward(r2, dFlat.reshape('c', batch, 64, 7, 7)));
                dr2.muli(keep(temps, Transforms.step(c2, false)));
                INDArray[] g2 = conv2dBackward(p1, params[2], params[3], dr2, temps);
                INDArray dr1 = keep(temps, maxPoolBackward(r1, g2[0]));
                dr1.muli(keep(temps, Transforms.step(c1, false)));
                INDArray[] g1 = conv2dBackward(x, params[0], params[1], dr1, temps);
                // SGD
                INDArray[] grads = {g1[1], g1[2], g2[1], g2[2], gw3, gb3, gw4, gb4};
                for (int i = 0; i < params.length; i++) {
                    params[i].subi(grads[i].muli(CnnData.LR));
                }
                return loss;
            } finally {
                for (INDArray t : temps) {
                    if (t.closeable()) {
                        t.close();
                    }
                }
            }
        }

        private static INDArray keep(List<INDArray> temps, INDArray a) {
            temps.add(a);
            return a;
        }

        private static INDArray conv2d(INDArray in, INDArray w, INDArray b) {
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, in.size(0), w.size(0), in.size(2), in.size(3));
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(in, w, b).addOutputs(out)
                    .addIntegerArguments(5, 5, 1, 1, 2, 2, 1, 1, 0, 0, 1).build());
            return out;
        }

        /** Returns {gradInput, gradWeight, gradBias}, each kept in {@code temps}. */
        private static INDArray[] conv2dBackward(INDArray in, INDArray w, INDArray b, INDArray gradOut,
                List<INDArray> temps) {
            INDArray gi = keep(temps, Nd4j.createUninitialized(DataType.FLOAT, in.shape()));
            INDArray gw = keep(temps, Nd4j.createUninitialized(DataType.FLOAT, w.shape()));
            INDArray gb = keep(temps, Nd4j.createUninitialized(DataType.FLOAT, b.shape()));
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(in, w, b, gradOut).addOutputs(gi, gw, gb)
                    .addIntegerArguments(5, 5, 1, 1, 2, 2, 1, 1, 0, 0, 1).build());
            return new INDArray[] {gi, gw, gb};
        }

        private static INDArray maxPool(INDArray in) {
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, in.size(0), in.size(1), in.size(2) / 2, in.size(3) / 2);
            Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(in).addOutputs(out)
                    .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0).build());
            return out;
        }

        private static INDArray maxPoolBackward(INDArray in, INDArray gradOut) {
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, in.shape());
            Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(in, gradOut).addOutputs(out)
                    .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0).build());
            return out;
        }
    }
}
