package io.polygrad.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.djl.DjlModule;
import io.polygrad.scratch.ScratchBackend;
import io.polygrad.scratch.ScratchModule;
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
 * The scratch backend against libtorch (through DJL) in one JVM, at the same thread count on both
 * sides, so that their ratio is measured under the same load:
 * <ul>
 *   <li>{@code sgemm*}: one float32 {@code n×n·n×n} product, ms per call (GFLOPS = 2n³ / time):
 *       polygrad's {@code Tensor.matmul} on scratch against raw DJL's {@code NDArray.matMul}
 *       (libtorch's sgemm);</li>
 *   <li>{@code mlpStep*}: the 784-512-512-10 MLP training step of {@link MlpStep} (batch 256),
 *       polygrad on scratch against polygrad on djl, ms per step.</li>
 * </ul>
 * {@code threads} sets both scratch's matmul workers and libtorch's intra-op threads:
 * {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar ScratchVsDjl -f 1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dai.djl.offline=true",
    "-DOPT_OUT_TRACKING=true"})
public class ScratchVsDjlBenchmarks {

    /** The thread count of both sides: scratch's matmul workers and libtorch's intra-op threads. */
    @State(Scope.Benchmark)
    public static class Threads {
        /** Threads on each side. */
        @Param({"1", "2"})
        public int threads;

        /** Sets both process-wide counts (after loading libtorch). */
        @Setup
        public void setUp() {
            RawDjl.engine();
            JniUtils.setNumThreads(threads);
            new ScratchBackend(Device.CPU, threads);
        }

        Engine scratch() {
            return Polygrad.createEngine(new ScratchModule(),
                    PolygradConfig.defaults().withDType(DType.FLOAT32).withThreads(threads));
        }

        Engine djl() {
            return Polygrad.createEngine(new DjlModule(),
                    PolygradConfig.defaults().withBackend("djl").withDType(DType.FLOAT32).withThreads(threads));
        }
    }

    /** Two random n×n float32 matrices as scratch tensors and as DJL arrays with the same values. */
    @State(Scope.Benchmark)
    public static class Matrices {
        /** The matrix size. */
        @Param({"1024"})
        public int n;

        MatrixPair pair;

        /** Draws the matrices from polygrad's seeded generator and copies them into DJL. */
        @Setup
        public void setUp(Threads t) {
            pair = new MatrixPair(t.scratch(), n);
        }

        /** Frees everything. */
        @TearDown
        public void tearDown() {
            pair.close();
        }
    }

    /** The MLP step on scratch and on djl, from the same seed. */
    @State(Scope.Benchmark)
    public static class Mlp {
        MlpStep scratch;
        MlpStep djl;

        /** Creates both networks, batches and optimizers. */
        @Setup
        public void setUp(Threads t) {
            scratch = new MlpStep(t.scratch());
            djl = new MlpStep(t.djl());
        }
    }

    /** One float32 n×n product on scratch. */
    @Benchmark
    public Tensor sgemmScratch(Threads t, Matrices m) {
        return m.pair.a.matmul(m.pair.b);
    }

    /** One float32 n×n {@code NDArray.matMul} on raw DJL (libtorch); the result is freed. */
    @Benchmark
    public NDArray sgemmRawDjl(Threads t, Matrices m) {
        NDArray r = m.pair.rawA.matMul(m.pair.rawB);
        r.close();
        return r;
    }

    /** One MLP training step of polygrad on scratch. */
    @Benchmark
    public double mlpStepScratch(Threads t, Mlp s) {
        return s.scratch.step();
    }

    /** One MLP training step of polygrad on djl. */
    @Benchmark
    public double mlpStepPolygradDjl(Threads t, Mlp s) {
        return s.djl.step();
    }
}
