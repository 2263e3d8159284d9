package io.polygrad.benchmarks;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.nd4j.Nd4jModule;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The benchmarks of polygrad on the nd4j backend next to the same work hand-written on raw ND4J
 * (forward, hand-derived backward, in-place SGD with {@code INDArray} ops; see {@link RawNd4j}), from
 * bit-identical initial values:
 * <ul>
 *   <li>{@code quadraticStep*}: the quadratic training step of {@link QuadraticStep}, µs per step;</li>
 *   <li>{@code mlpStep*}: the 784-512-512-10 ReLU MLP of {@link MlpStep} at batch 256, softmax
 *       cross-entropy, SGD, ms per step.</li>
 * </ul>
 * Run them in one JMH run: {@code java -jar benchmarks/target/benchmarks.jar Nd4jBenchmarks -f 1 -wi 3 -i 5}.
 * Both sides run with the process-wide ND4J settings the polygrad backend makes on first use
 * (profiler's workspace checks off), since the raw side's data is made through polygrad too.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class Nd4jBenchmarks {

    /** Returns a float32 polygrad engine on the nd4j backend (CPU). */
    static Engine polygradEngine() {
        return Polygrad.createEngine(new Nd4jModule(),
                PolygradConfig.defaults().withBackend("nd4j").withDType(DType.FLOAT32));
    }

    // ---------------------------------------------------------------- states

    /**
     * Holds the thread count of libnd4j's parallel loops and of OpenBLAS, process-wide settings that
     * apply to both sides alike; 1 thread gives stable ratios on a machine whose cores are busy.
     */
    @State(Scope.Benchmark)
    public static class Threads {
        /** libnd4j and OpenBLAS threads. */
        @Param({"1", "2"})
        public int nd4jThreads;

        /** Sets the thread counts (after loading ND4J through the polygrad backend). */
        @Setup
        public void setUp() {
            polygradEngine();
            Nd4j.getEnvironment().setMaxThreads(nd4jThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(nd4jThreads);
            Nd4j.factory().blas().setMaxThreads(nd4jThreads);
        }
    }

    /** Holds the polygrad quadratic step on the nd4j backend, captured for replay. */
    @State(Scope.Thread)
    public static class CapturedQuadratic {
        io.polygrad.CapturedStep step;

        /** Creates the model, data and optimizer and captures the step. */
        @Setup
        public void setUp() {
            step = new QuadraticStep(polygradEngine()).capture();
        }
    }

    /** Holds the polygrad quadratic step on the nd4j backend. */
    @State(Scope.Thread)
    public static class PolygradQuadratic {
        QuadraticStep step;

        /** Creates the model, data and optimizer. */
        @Setup
        public void setUp() {
            step = new QuadraticStep(polygradEngine());
        }
    }

    /** Holds the raw-ND4J quadratic step, from polygrad's data and initial values. */
    @State(Scope.Thread)
    public static class RawQuadratic {
        RawNd4j.Quadratic step;

        /** Copies polygrad's data and parameters into ND4J arrays. */
        @Setup
        public void setUp() {
            QuadraticStep source = new QuadraticStep(polygradEngine());
            step = new RawNd4j.Quadratic(source.xValues(), source.yValues(), source.parameterValues());
        }
    }

    /** Holds the polygrad MLP step on the nd4j backend. */
    @State(Scope.Thread)
    public static class PolygradMlp {
        MlpStep step;

        /** Creates the network, batch and optimizer. */
        @Setup
        public void setUp() {
            step = new MlpStep(polygradEngine());
        }
    }

    /** Holds the raw-ND4J MLP step, from polygrad's batch and initial weights. */
    @State(Scope.Thread)
    public static class RawMlp {
        RawNd4j.Mlp step;

        /** Copies polygrad's batch and weights into ND4J arrays. */
        @Setup
        public void setUp() {
            step = new RawNd4j.Mlp(new MlpStep(polygradEngine()));
        }
    }

    // ---------------------------------------------------------------- benchmarks

    /** One polygrad quadratic step on nd4j: forward, MAE, backward, SGD update, zeroGrad, in a scope. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double quadraticStepPolygrad(Threads t, PolygradQuadratic s) {
        return s.step.step();
    }

    /** The same step captured once and replayed call by call ({@code KernelProgram.interpreted()}). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double quadraticStepCaptured(Threads t, CapturedQuadratic s) {
        return s.step.run().item();
    }

    /** The same step on raw ND4J with the gradient derived by hand. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double quadraticStepRawNd4j(Threads t, RawQuadratic s) {
        return s.step.step();
    }

    /** One polygrad MLP step on nd4j (784-512-512-10, batch 256, cross-entropy, SGD). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double mlpStepPolygrad(Threads t, PolygradMlp s) {
        return s.step.step();
    }

    /** The same MLP step on raw ND4J with the backward pass derived by hand. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double mlpStepRawNd4j(Threads t, RawMlp s) {
        return s.step.step();
    }
}
