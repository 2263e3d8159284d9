package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.Check.Part;
import io.polygrad.data.DataLoader;
import io.polygrad.data.FashionMnist;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Conv2d;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Linear;
import io.polygrad.nn.MaxPool2d;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.Adam;
import io.polygrad.optim.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * "Same seed, same batches: first-epoch losses agree across backends", on the committed Fashion-MNIST
 * subset (its 2,000 training images, {@code tools/fashion-mnist-subset}): a small MLP and a small CNN,
 * initialised from the same seed, trained for one epoch with Adam on the same shuffled batches (the order
 * drawn from {@code api}'s generator), and the loss of every step compared with the scratch float64 run of
 * the same program, computed once per JVM. Float64 must agree to {@link #FLOAT64_RTOL} relative, float32
 * to {@link #FLOAT32_RTOL}; the check reports the largest relative gap it measured.
 *
 * <p>Check ids: {@code training/fashion-mnist/<mlp|cnn>/<dtype>/first-epoch-losses}, in the differential part
 * of the suite ({@link Part#DIFFERENTIAL}: a backend against scratch float64). The models are
 * small (MLP 784-32-10; CNN conv5x5(4)-relu-maxpool2-conv5x5(8)-relu-maxpool2-fc10) so each run takes
 * about a second.
 */
public final class FashionMnistChecks {

    /** The largest relative difference allowed between a float64 step loss and the reference's. */
    public static final double FLOAT64_RTOL = 1e-9;
    /** The largest relative difference allowed between a float32 step loss and the float64 reference's. */
    public static final double FLOAT32_RTOL = 1e-4;

    static final long SEED = 20261202L;
    static final int BATCH = 100;
    private static final String SUBSET = "/io/polygrad/conformance/fashion-mnist-subset/";
    private static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private static FashionMnist subset;
    private static final java.util.Map<String, double[]> REFERENCE = new java.util.concurrent.ConcurrentHashMap<>();

    private FashionMnistChecks() {
    }

    /** A model of the check, by name. */
    private enum Model {
        MLP("mlp", e -> new Sequential(new Flatten(), new Linear(e, 784, 32), new ReLU(), new Linear(e, 32, 10))),
        CNN("cnn", e -> new Sequential(new Conv2d(e, 1, 4, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(e, 4, 8, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(e, 392, 10)));

        final String id;
        final Function<Engine, Module> make;

        Model(String id, Function<Engine, Module> make) {
            this.id = id;
            this.make = make;
        }
    }

    /** Returns the checks in {@code dtype}, one per model. */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>();
        for (Model m : Model.values()) {
            out.add(Check.measuring("training/fashion-mnist/" + m.id + "/" + Check.id(dtype) + "/first-epoch-losses",
                    Part.DIFFERENTIAL, "fashion-mnist/" + m.id, dtype,
                    "per-step losses of one epoch on the subset vs scratch float64 (same seed, same batches)",
                    s -> firstEpochAgrees(s.backend(), m, dtype)));
        }
        return out;
    }

    private static Comparison firstEpochAgrees(BackendUnderTest backend, Model m, DType dtype) {
        double[] reference = REFERENCE.computeIfAbsent(m.id,
                k -> losses(OpChecks.REFERENCE.engine(DType.FLOAT64, SEED), m));
        double[] actual = losses(backend.engine(dtype, SEED), m);
        double rtol = dtype == DType.FLOAT64 ? FLOAT64_RTOL : FLOAT32_RTOL;
        double worst = 0;
        int at = -1;
        double maxAbs = 0;
        for (int i = 0; i < reference.length; i++) {
            double rel = Math.abs(actual[i] - reference[i]) / Math.abs(reference[i]);
            maxAbs = Math.max(maxAbs, Math.abs(actual[i] - reference[i]));
            if (!(rel <= worst)) {
                worst = rel;
                at = i;
            }
        }
        if (!(worst <= rtol)) {
            throw new AssertionError(backend.name() + " fashion-mnist/" + m.id + " in " + dtype + ": the loss of step "
                    + at + " is " + actual[at] + ", scratch float64's " + reference[at] + " (relative difference "
                    + worst + ", tolerance " + rtol + ")\n  actual    " + Arrays.toString(actual) + "\n  reference "
                    + Arrays.toString(reference));
        }
        return new Comparison(maxAbs, worst, -1, true, worst / rtol);
    }

    /** Returns the loss of every step of one epoch of {@code m} on the subset's training images. */
    static double[] losses(Engine engine, Model m) {
        Module net = m.make.apply(engine);
        Optimizer adam = Adam.builder(net.parameters()).lr(1e-3).build();
        DataLoader loader = DataLoader.of(subset().train(), engine).batchSize(BATCH).shuffle(true).build();
        double[] out = new double[loader.batchCount()];
        int i = 0;
        for (var batch : loader) {
            try (TensorScope step = TensorScope.open()) {
                adam.zeroGrad();
                Tensor loss = Losses.crossEntropy(net.forward(batch.x()), batch.y());
                loss.backward();
                adam.step();
                out[i++] = loss.item();
            }
        }
        return out;
    }

    /** Returns the committed subset, copied once from the classpath (it may be inside a jar) into a temporary folder. */
    static synchronized FashionMnist subset() {
        if (subset == null) {
            try {
                Path dir = Files.createTempDirectory("polygrad-fashion-mnist-subset");
                dir.toFile().deleteOnExit();
                for (String f : FILES) {
                    try (InputStream in = FashionMnistChecks.class.getResourceAsStream(SUBSET + f)) {
                        if (in == null) {
                            throw new IllegalStateException("the Fashion-MNIST subset resource " + SUBSET + f
                                    + " is missing from the conformance suite's classpath");
                        }
                        Path target = dir.resolve(f);
                        Files.copy(in, target);
                        target.toFile().deleteOnExit();
                    }
                }
                subset = FashionMnist.load(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return subset;
    }
}
