package io.polygrad.benchmarks;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The benchmark of one float32 matmul n×n·n×n on the scratch backend; GFLOPS = 2n³ / time.
 * For n = 1024 that is 2.147 GFLOP per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ScratchMatmulBenchmark {

    @Param({"1024"})
    int n;

    private Tensor a;
    private Tensor b;

    /** Creates two random n×n float32 matrices from the seeded generator. */
    @Setup
    public void setUp() {
        Engine engine = Polygrad.createEngine(new ScratchModule(), PolygradConfig.defaults().withDType(DType.FLOAT32));
        a = engine.randn(n, n);
        b = engine.randn(n, n);
    }

    /** One float32 matmul. */
    @Benchmark
    public Tensor matmulFloat32() {
        return a.matmul(b);
    }
}
