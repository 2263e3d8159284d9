package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Checks polygrad on the nd4j backend against DL4J, an independent implementation of the same
 * network: {@code ŷ = relu(x·W1 + b1)·W2 + b2} (1 input, {@value #H} hidden ReLU units, 1 output)
 * with mean squared error, on the 20 points of {@code noisy-quadratic.csv}, from identical weights.
 *
 * <p>Conventions that have to line up:
 * <ul>
 *   <li>DL4J stores a dense layer's weights as {@code [nIn, nOut]} and computes {@code x·W + b}
 *       for row-vector inputs {@code x [N, nIn]}; the polygrad network below uses the same layout,
 *       so the parameters are copied without transposition.</li>
 *   <li>DL4J's {@code LossMSE} averages the squared error over the output columns (here 1), and
 *       its score divides the sum over examples by the minibatch size {@code N}: the score is the
 *       mean over all elements, the same as polygrad's {@code mean()} of the squared error.</li>
 *   <li>{@code MultiLayerNetwork.gradient()} after {@code computeGradientAndScore()} holds the
 *       gradient of the <em>sum</em> over the minibatch; DL4J's updater divides by {@code N}
 *       (minibatch mode, the default) before the SGD step. So DL4J's gradient / N is compared with
 *       the gradient of polygrad's mean loss, and both take plain SGD steps
 *       {@code p -= lr · dMean/dp}.</li>
 *   <li>No regularisation, no gradient normalisation, biases set explicitly (DL4J's bias init is
 *       overwritten), Sgd updater (no momentum).</li>
 * </ul>
 */
class Dl4jOracleTest {

    private static final int H = 4;
    private static final double LR = 0.01;
    private static final int STEPS = 5;
    private static final double[] W1 = {0.9, -1.1, 0.5, -0.3};
    private static final double[] B1 = {0.2, 0.3, -0.4, 0.05};
    private static final double[] W2 = {0.7, -0.6, 1.2, 0.4};
    private static final double[] B2 = {0.1};

    private static MultiLayerNetwork dl4jNet(DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(type)
                .updater(new Sgd(LR))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(1).nOut(H).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(H).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParam("0_W", Nd4j.create(W1, new long[] {1, H}, type));
        net.setParam("0_b", Nd4j.create(B1, new long[] {1, H}, type));
        net.setParam("1_W", Nd4j.create(W2, new long[] {H, 1}, type));
        net.setParam("1_b", Nd4j.create(B2, new long[] {1, 1}, type));
        return net;
    }

    /** The polygrad network's parameters, in DL4J's layout. */
    private static final class Params {
        final Tensor w1;
        final Tensor b1;
        final Tensor w2;
        final Tensor b2;

        Params(Engine e, DType dt) {
            w1 = e.tensor(W1, dt, 1, H).requiresGrad(true);
            b1 = e.tensor(B1, dt, H).requiresGrad(true);
            w2 = e.tensor(W2, dt, H, 1).requiresGrad(true);
            b2 = e.tensor(B2, dt, 1).requiresGrad(true);
        }

        Tensor[] all() {
            return new Tensor[] {w1, b1, w2, b2};
        }

        Tensor loss(Tensor x, Tensor y) {
            Tensor hidden = x.matmul(w1).add(b1).relu();
            Tensor out = hidden.matmul(w2).add(b2);
            return out.sub(y).square().mean();
        }
    }

    private static final String[] KEYS = {"0_W", "0_b", "1_W", "1_b"};

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("first-step loss and gradients, and the parameters after 5 SGD steps, match DL4J")
    void reluNetwork_matchesDl4jGradientsAndSgdSteps(DType dt) {
        double[][] xy = io.polygrad.problems.Problems.noisyQuadraticPoints();
        int n = xy[0].length;
        DataType type = dt == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
        double rtol = dt == DType.FLOAT32 ? 2e-5 : 1e-10;

        MultiLayerNetwork net = dl4jNet(type);
        INDArray features = Nd4j.create(xy[0], new long[] {n, 1}, type);
        INDArray labels = Nd4j.create(xy[1], new long[] {n, 1}, type);
        DataSet ds = new DataSet(features, labels);

        Engine engine = Polygrad.createEngine(new Nd4jModule(),
                PolygradConfig.defaults().withBackend("nd4j").withDType(dt));
        Tensor x = engine.tensor(xy[0], dt, n, 1);
        Tensor y = engine.tensor(xy[1], dt, n, 1);
        Params p = new Params(engine, dt);

        // step 0: loss and gradients
        net.setInput(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        Tensor loss = p.loss(x, y);
        loss.backward();
        assertClose("loss", net.score(), loss.item(), rtol);
        Tensor[] params = p.all();
        for (int i = 0; i < params.length; i++) {
            double[] dl4jSum = g.getGradientFor(KEYS[i]).dup().data().asDouble();
            double[] ours = params[i].grad().toDoubleArray();
            assertEquals(dl4jSum.length, ours.length, KEYS[i]);
            for (int j = 0; j < ours.length; j++) {
                assertClose("d loss / d " + KEYS[i] + "[" + j + "] (DL4J's summed gradient / N)",
                        dl4jSum[j] / n, ours[j], rtol);
            }
        }

        // STEPS plain SGD steps on both sides
        for (int step = 0; step < STEPS; step++) {
            for (Tensor t : params) {
                t.zeroGrad();
            }
            p.loss(x, y).backward();
            NoGrad noGrad = NoGrad.enter();
            try {
                for (Tensor t : params) {
                    t.subi(t.grad().mul(LR));
                }
            } finally {
                noGrad.close();
            }
            net.fit(ds);
        }
        for (int i = 0; i < params.length; i++) {
            double[] dl4j = net.getParam(KEYS[i]).dup().data().asDouble();
            double[] ours = params[i].toDoubleArray();
            for (int j = 0; j < ours.length; j++) {
                assertClose(KEYS[i] + "[" + j + "] after " + STEPS + " SGD steps", dl4j[j], ours[j], rtol);
            }
        }
        net.setInput(features);
        net.setLabels(labels);
        net.computeGradientAndScore();
        assertClose("loss after " + STEPS + " steps", net.score(), p.loss(x, y).item(), rtol);
    }

    private static void assertClose(String what, double expected, double actual, double rtol) {
        double diff = Math.abs(expected - actual);
        assertTrue(diff <= rtol * Math.max(1e-3, Math.abs(expected)), () -> String.format(Locale.ROOT,
                "%s: DL4J %.17g, polygrad nd4j %.17g, |diff| %.3g (rtol %.1g)", what, expected, actual, diff, rtol));
    }
}
