package io.polygrad.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.djl.DjlBackend;
import io.polygrad.nd4j.Nd4jBackend;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.ReduceOp;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw-library halves of the CNN benchmarks, one native thread each:
 * <ul>
 *   <li>{@code cnnStepRawDjl}, {@code cnnStepRawNd4j}: one training step of the {@link CnnData}
 *       network (batch 128, cross-entropy, SGD) written directly against DJL/libtorch and against
 *       ND4J's ops ({@link RawCnn}), ms per step: the yardsticks of the djl and nd4j backends' CNN
 *       step (polygrad's twin goes next to them once the conv2d ops are in {@code api});</li>
 *   <li>{@code convLayer*}: the second convolution alone, forward and backward (input, weight and
 *       bias gradients) on a {@code [128, 32, 14, 14]} input, 64 filters 5×5, padding 2: through the
 *       backends' {@link ConvolutionKernels} as polygrad's autograd calls them
 *       ({@code conv2dForBackward}, then {@code conv2dBackward}; {@code convLayerKernels*}) and on the raw library
 *       ({@code convLayerRaw*}: libtorch's autograd of {@code conv2d}; libnd4j's {@code conv2d} and
 *       {@code conv2d_bp}), ms per forward+backward.</li>
 * </ul>
 * {@code java -jar benchmarks/target/benchmarks.jar RawCnnBenchmarks -f 1 -wi 3 -i 5}; compare
 * within one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class RawCnnBenchmarks {

    /** The second convolution's geometry: stride 1, padding 2, dilation 1, no groups. */
    static final Conv2dSpec LAYER = new Conv2dSpec(new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1);
    static final int[] LAYER_IN = {CnnData.BATCH, 32, 14, 14};
    static final int[] LAYER_W = {64, 32, 5, 5};
    static final int[] LAYER_OUT = {CnnData.BATCH, 64, 14, 14};

    // ---------------------------------------------------------------- states

    /** One libtorch intra-op thread (a process-wide setting, set after libtorch loads). */
    @State(Scope.Benchmark)
    public static class DjlThread {
        /** Loads libtorch and sets one thread. */
        @Setup
        public void setUp() {
            RawDjl.engine();
            JniUtils.setNumThreads(1);
        }
    }

    /** One libnd4j and OpenBLAS thread (process-wide settings, set after ND4J loads). */
    @State(Scope.Benchmark)
    public static class Nd4jThread {
        /** Loads ND4J and sets one thread. */
        @Setup
        public void setUp() {
            new Nd4jBackend(Device.CPU);
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            Nd4j.factory().blas().setMaxThreads(1);
        }
    }

    /** Holds the raw-DJL CNN step. */
    @State(Scope.Thread)
    public static class DjlStep {
        RawCnn.Djl step;

        /** Creates the arrays from {@link CnnData}. */
        @Setup
        public void setUp() {
            step = new RawCnn.Djl(new CnnData());
        }

        /** Frees them. */
        @TearDown
        public void tearDown() {
            step.close();
        }
    }

    /** Holds the raw-ND4J CNN step. */
    @State(Scope.Thread)
    public static class Nd4jStep {
        RawCnn.Nd4jStep step;

        /** Creates the arrays from {@link CnnData}. */
        @Setup
        public void setUp() {
            step = new RawCnn.Nd4jStep(new CnnData());
        }
    }

    /** The layer's input, weight, bias and upstream gradient as one backend's arrays. */
    public abstract static class KernelLayer {
        Backend backend;
        ConvolutionKernels kernels;
        BackendArray x;
        BackendArray w;
        BackendArray b;
        BackendArray g;

        void create(Backend on) {
            backend = on;
            kernels = on.convolutionKernels().orElseThrow();
            x = on.fromFloats(CnnData.layerInput(), LAYER_IN);
            w = on.fromFloats(CnnData.randoms(56, 64 * 32 * 25, 0.035), LAYER_W);
            b = on.fromFloats(CnnData.randoms(78, 64, 0.035), new int[] {64});
            g = on.fromFloats(CnnData.randoms(90, CnnData.BATCH * 64 * 14 * 14, 1e-3), LAYER_OUT);
        }

        /**
         * Forward, input, weight and bias gradients through the kernels as polygrad's autograd calls
         * them (the forward for a backward, then both gradients in one call); returns a checksum.
         */
        double run() {
            try (BackendArray y = kernels.conv2dForBackward(x, w, b, LAYER, true, true)) {
                BackendArray[] grads = kernels.conv2dBackward(g, x, w, y, LAYER, true, true);
                try (BackendArray gi = grads[0];
                     BackendArray gw = grads[1];
                     BackendArray gb = backend.reduce(ReduceOp.SUM, g, new int[] {0, 2, 3}, false)) {
                    return y.shape()[1] + gi.shape()[1] + gw.shape()[0] + gb.shape()[0];
                }
            }
        }

        /** Closes the arrays. */
        @TearDown
        public void tearDown() {
            for (BackendArray a : new BackendArray[] {x, w, b, g}) {
                a.close();
            }
        }
    }

    /** The layer on the djl backend's kernels. */
    @State(Scope.Thread)
    public static class DjlKernelLayer extends KernelLayer {
        /** Creates the arrays. */
        @Setup
        public void setUp() {
            create(new DjlBackend(Device.CPU));
        }
    }

    /** The layer on the nd4j backend's kernels. */
    @State(Scope.Thread)
    public static class Nd4jKernelLayer extends KernelLayer {
        /** Creates the arrays. */
        @Setup
        public void setUp() {
            create(new Nd4jBackend(Device.CPU));
        }
    }

    /** The layer on raw DJL: parameters and input requiring gradients, libtorch's autograd. */
    @State(Scope.Thread)
    public static class DjlRawLayer {
        Engine engine;
        NDManager base;
        NDArray x;
        NDArray w;
        NDArray b;
        NDArray g;

        /** Creates the arrays. */
        @Setup
        public void setUp() {
            engine = RawDjl.engine();
            base = engine.newBaseManager();
            x = base.create(CnnData.layerInput(), new Shape(128, 32, 14, 14));
            w = base.create(CnnData.randoms(56, 64 * 32 * 25, 0.035), new Shape(64, 32, 5, 5));
            b = base.create(CnnData.randoms(78, 64, 0.035), new Shape(64));
            g = base.create(CnnData.randoms(90, CnnData.BATCH * 64 * 14 * 14, 1e-3), new Shape(128, 64, 14, 14));
            for (NDArray p : new NDArray[] {x, w, b}) {
                p.setRequiresGradient(true);
            }
        }

        /** Forward and backward with upstream {@code g}; returns a checksum. */
        double run() {
            try (NDManager step = base.newSubManager()) {
                step.tempAttachAll(x, w, b, g);
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray y = Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(2, 2), new Shape(1, 1), 1)
                            .singletonOrThrow();
                    JniUtils.backward((PtNDArray) y, (PtNDArray) g, false, false);
                }
                return x.getGradient().getShape().get(1) + w.getGradient().getShape().get(0)
                        + b.getGradient().getShape().get(0);
            }
        }

        /** Frees the arrays. */
        @TearDown
        public void tearDown() {
            base.close();
        }
    }

    /** The layer on raw ND4J: libnd4j's {@code conv2d} and {@code conv2d_bp} into preallocated outputs. */
    @State(Scope.Thread)
    public static class Nd4jRawLayer {
        INDArray x;
        INDArray w;
        INDArray b;
        INDArray g;

        /** Creates the arrays. */
        @Setup
        public void setUp() {
            x = Nd4j.create(CnnData.layerInput(), new long[] {128, 32, 14, 14}, 'c');
            w = Nd4j.create(CnnData.randoms(56, 64 * 32 * 25, 0.035), new long[] {64, 32, 5, 5}, 'c');
            b = Nd4j.create(CnnData.randoms(78, 64, 0.035), new long[] {64}, 'c');
            g = Nd4j.create(CnnData.randoms(90, CnnData.BATCH * 64 * 14 * 14, 1e-3), new long[] {128, 64, 14, 14}, 'c');
        }

        /** Forward and the three gradients; returns a checksum. */
        double run() {
            INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 128, 64, 14, 14);
            INDArray gi = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
            INDArray gw = Nd4j.createUninitialized(DataType.FLOAT, w.shape());
            INDArray gb = Nd4j.createUninitialized(DataType.FLOAT, b.shape());
            try {
                Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(y)
                        .addIntegerArguments(5, 5, 1, 1, 2, 2, 1, 1, 0, 0, 1).build());
                Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, g).addOutputs(gi, gw, gb)
                        .addIntegerArguments(5, 5, 1, 1, 2, 2, 1, 1, 0, 0, 1).build());
                return y.size(1) + gi.size(1) + gw.size(0) + gb.size(0);
            } finally {
                y.close();
                gi.close();
                gw.close();
                gb.close();
            }
        }
    }

    // ---------------------------------------------------------------- benchmarks

    /** One CNN training step on raw DJL/libtorch. */
    @Benchmark
    public float cnnStepRawDjl(DjlThread t, DjlStep s) {
        return s.step.step();
    }

    /** One CNN training step on raw ND4J. */
    @Benchmark
    public double cnnStepRawNd4j(Nd4jThread t, Nd4jStep s) {
        return s.step.step();
    }

    /** The conv layer forward+backward through the djl backend's kernels. */
    @Benchmark
    public double convLayerKernelsDjl(DjlThread t, DjlKernelLayer s) {
        return s.run();
    }

    /** The conv layer forward+backward on raw DJL (libtorch autograd). */
    @Benchmark
    public double convLayerRawDjl(DjlThread t, DjlRawLayer s) {
        return s.run();
    }

    /** The conv layer forward+backward through the nd4j backend's kernels. */
    @Benchmark
    public double convLayerKernelsNd4j(Nd4jThread t, Nd4jKernelLayer s) {
        return s.run();
    }

    /** The conv layer forward+backward on raw ND4J ({@code conv2d} and {@code conv2d_bp}). */
    @Benchmark
    public double convLayerRawNd4j(Nd4jThread t, Nd4jRawLayer s) {
        return s.run();
    }
}
