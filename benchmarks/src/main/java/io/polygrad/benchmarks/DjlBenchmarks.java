package io.polygrad.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.djl.DjlModule;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The benchmarks of polygrad on the djl backend next to the same work hand-written on raw DJL with
 * {@code GradientCollector} (see {@link RawDjl}), from bit-identical initial values:
 * <ul>
 *   <li>{@code quadraticStep*}: the quadratic training step of {@link QuadraticStep} (20 points,
 *       a·x²+b·x+c, MAE, backward, SGD lr 0.01, gradients cleared), µs per step;</li>
 *   <li>{@code mlpStep*}: the 784-512-512-10 ReLU MLP of {@link MlpStep} at batch 256, softmax
 *       cross-entropy, backward, SGD, ms per step;</li>
 *   <li>{@code matmul*}: one float32 {@code n×n·n×n} matmul, ms per call (GFLOPS = 2n³ / time).</li>
 * </ul>
 * Run all of them in one JMH run so the ratios compare like with like:
 * {@code java -jar benchmarks/target/benchmarks.jar DjlBenchmarks -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class DjlBenchmarks {

    /** Returns a float32 polygrad engine on the djl backend (CPU). */
    static Engine polygradEngine() {
        return Polygrad.createEngine(new DjlModule(),
                PolygradConfig.defaults().withBackend("djl").withDType(DType.FLOAT32));
    }

    // ---------------------------------------------------------------- states

    /**
     * Holds libtorch's intra-op thread count, a process-wide setting that applies to both sides alike.
     * With 2 threads on a machine whose 2 cores are busy with other work, every parallel kernel waits
     * at an OpenMP barrier for a descheduled thread (milliseconds); 1 thread gives stable ratios there.
     */
    @State(Scope.Benchmark)
    public static class Threads {
        /** libtorch intra-op threads ({@code torch.set_num_threads}). */
        @Param({"1", "2"})
        public int torchThreads;

        /** Sets the thread count (after loading libtorch). */
        @Setup
        public void setUp() {
            RawDjl.engine();
            JniUtils.setNumThreads(torchThreads);
        }
    }

    /** Holds the polygrad quadratic step on the djl backend, captured for replay. */
    @State(Scope.Thread)
    public static class CapturedQuadratic {
        io.polygrad.CapturedStep step;

        /** Creates the model, data and optimizer and captures the step. */
        @Setup
        public void setUp() {
            step = new QuadraticStep(polygradEngine()).capture();
        }
    }

    /** Holds the polygrad quadratic step on the djl backend. */
    @State(Scope.Thread)
    public static class PolygradQuadratic {
        QuadraticStep step;

        /** Creates the model, data and optimizer. */
        @Setup
        public void setUp() {
            step = new QuadraticStep(polygradEngine());
        }
    }

    /** Holds the raw-DJL quadratic step, from polygrad's data and initial values. */
    @State(Scope.Thread)
    public static class RawQuadratic {
        RawDjl.Quadratic step;

        /** Copies polygrad's data and parameters into DJL arrays. */
        @Setup
        public void setUp() {
            QuadraticStep source = new QuadraticStep(polygradEngine());
            step = new RawDjl.Quadratic(source.xValues(), source.yValues(), source.parameterValues());
        }

        /** Frees the DJL arrays. */
        @TearDown
        public void tearDown() {
            step.close();
        }
    }

    /** Holds the polygrad MLP step on the djl backend. */
    @State(Scope.Thread)
    public static class PolygradMlp {
        MlpStep step;

        /** Creates the network, batch and optimizer. */
        @Setup
        public void setUp() {
            step = new MlpStep(polygradEngine());
        }
    }

    /** Holds the raw-DJL MLP step, from polygrad's batch and initial weights. */
    @State(Scope.Thread)
    public static class RawMlp {
        RawDjl.Mlp step;

        /** Copies polygrad's batch and weights into DJL arrays. */
        @Setup
        public void setUp() {
            step = new RawDjl.Mlp(new MlpStep(polygradEngine()));
        }

        /** Frees the DJL arrays. */
        @TearDown
        public void tearDown() {
            step.close();
        }
    }

    /** Holds two random n×n float32 matrices, as polygrad tensors and as DJL arrays with the same values. */
    @State(Scope.Thread)
    public static class Matrices {
        /** The matrix size. */
        @Param({"1024"})
        public int n;

        MatrixPair pair;

        /** Draws the matrices from polygrad's seeded generator and copies them into DJL. */
        @Setup
        public void setUp() {
            pair = new MatrixPair(polygradEngine(), n);
        }

        /** Frees everything. */
        @TearDown
        public void tearDown() {
            pair.close();
        }
    }

    // ---------------------------------------------------------------- quadratic

    /** One polygrad quadratic step on djl: forward, MAE, backward, SGD update, zeroGrad, in a scope. */
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

    /** The same step on raw DJL: sub-manager, GradientCollector, backward, SGD update, gradients zeroed. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float quadraticStepRawDjl(Threads t, RawQuadratic s) {
        return s.step.step();
    }

    // ---------------------------------------------------------------- MLP

    /** One polygrad MLP step on djl (784-512-512-10, batch 256, cross-entropy, SGD). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double mlpStepPolygrad(Threads t, PolygradMlp s) {
        return s.step.step();
    }

    /** The same MLP step on raw DJL with GradientCollector. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public float mlpStepRawDjl(Threads t, RawMlp s) {
        return s.step.step();
    }

    // ---------------------------------------------------------------- matmul

    /** One float32 n×n matmul through polygrad's Tensor API on djl; the result is freed. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Tensor matmulPolygrad(Threads t, Matrices m) {
        Tensor r = m.pair.a.matmul(m.pair.b);
        r.close();
        return r;
    }

    /** One float32 n×n {@code NDArray.matMul} on raw DJL; the result is freed. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public NDArray matmulRawDjl(Threads t, Matrices m) {
        NDArray r = m.pair.rawA.matMul(m.pair.rawB);
        r.close();
        return r;
    }
}
