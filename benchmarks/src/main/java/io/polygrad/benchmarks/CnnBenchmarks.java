package io.polygrad.benchmarks;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.config.PolygradConfig;
import io.polygrad.djl.DjlBackend;
import io.polygrad.loss.Losses;
import io.polygrad.nd4j.Nd4jBackend;
import io.polygrad.nn.Conv2d;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Linear;
import io.polygrad.nn.MaxPool2d;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.SGD;
import io.polygrad.scratch.ScratchBackend;
import io.polygrad.spi.Backend;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * polygrad's twin of {@link RawCnnBenchmarks#cnnStepRawDjl} and {@link RawCnnBenchmarks#cnnStepRawNd4j}:
 * one training step of the same network (Conv2d(1,32,5,pad 2)-ReLU-MaxPool2d(2)-Conv2d(32,64,5,pad 2)-
 * ReLU-MaxPool2d(2)-Flatten-Linear(3136,1024)-ReLU-Linear(1024,10), batch 128 of {@link CnnData}'s images
 * and labels, cross-entropy, SGD lr 0.01) written as a user writes it, in a {@link TensorScope}, on each
 * backend with one thread ({@code polygrad.threads=1}), ms per step. Run with the raw halves, so the
 * ratios come from one run:
 * {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar 'CnnBenchmarks|RawCnnBenchmarks.cnnStep' -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "--add-modules",
    "jdk.incubator.vector"})
public class CnnBenchmarks {

    /** One backend's CNN, optimizer and batch. */
    public abstract static class Step {
        Module model;
        SGD sgd;
        Tensor images;
        Tensor labels;

        /** Builds the network on {@code backend} (one thread) from polygrad's seeded initialisation. */
        void setUp(String name, Backend backend) {
            Engine engine = new Engine(backend, new PolygradConfig(name, Device.CPU, DType.FLOAT32, 42, 1));
            model = new Sequential(new Conv2d(engine, 1, 32, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                    new Conv2d(engine, 32, 64, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Flatten(),
                    new Linear(engine, CnnData.FLAT, CnnData.HIDDEN), new ReLU(),
                    new Linear(engine, CnnData.HIDDEN, CnnData.CLASSES));
            sgd = SGD.builder(model.parameters()).lr(CnnData.LR).build();
            CnnData data = new CnnData();
            images = engine.tensor(data.images, CnnData.BATCH, 1, CnnData.SIDE, CnnData.SIDE);
            labels = engine.tensor(data.labels, CnnData.BATCH);
        }

        /** Runs one step and returns its loss. */
        double step() {
            try (TensorScope scope = TensorScope.open()) {
                sgd.zeroGrad();
                Tensor loss = Losses.crossEntropy(model.forward(images), labels);
                loss.backward();
                sgd.step();
                return loss.item();
            }
        }
    }

    /** The step on libtorch. */
    @State(Scope.Thread)
    public static class DjlStep extends Step {
        /** Builds it. */
        @Setup
        public void setUp() {
            setUp("djl", new DjlBackend(Device.CPU, 1));
        }
    }

    /** The step on libnd4j. */
    @State(Scope.Thread)
    public static class Nd4jStep extends Step {
        /** Builds it. */
        @Setup
        public void setUp() {
            setUp("nd4j", new Nd4jBackend(Device.CPU, 1));
        }
    }

    /** The step on the pure-Java backend. */
    @State(Scope.Thread)
    public static class ScratchStep extends Step {
        /** Builds it. */
        @Setup
        public void setUp() {
            setUp("scratch", new ScratchBackend(Device.CPU, 1));
        }
    }

    /** The CNN step on djl. */
    @Benchmark
    public double cnnStepPolygradDjl(DjlStep s) {
        return s.step();
    }

    /** The CNN step on nd4j. */
    @Benchmark
    public double cnnStepPolygradNd4j(Nd4jStep s) {
        return s.step();
    }

    /** The CNN step on scratch. */
    @Benchmark
    public double cnnStepPolygradScratch(ScratchStep s) {
        return s.step();
    }
}
