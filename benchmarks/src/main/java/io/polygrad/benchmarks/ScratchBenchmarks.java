package io.polygrad.benchmarks;

import io.polygrad.CapturedStep;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The benchmarks of polygrad on the scratch backend next to a hand-written Java loop doing the same
 * arithmetic: the quadratic training step (20 points, a·x²+b·x+c, MAE, backward, SGD update) and one
 * elementwise add of 20 floats; and, for completeness, the 784-512-512-10 MLP training step of
 * {@link MlpStep} (batch 256, cross-entropy, SGD) that the native backends are measured on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ScratchBenchmarks {

    private static final int N = 20;
    private static final double LR = 0.01;

    private Engine engine;
    private Tensor x;
    private Tensor y;
    private Tensor a;
    private Tensor b;
    private Tensor c;
    private Tensor u;
    private Tensor v;

    private final float[] xs = new float[N];
    private final float[] ys = new float[N];
    private final float[] params = {1.1f, 1.1f, 1.1f};

    /** Creates the data: 20 points of 3x²+2x+1 on [-2, 2]. */
    @Setup
    public void setUp() {
        engine = Polygrad.createEngine(new ScratchModule(), PolygradConfig.defaults().withDType(DType.FLOAT32));
        x = engine.linspace(-2, 2, N);
        y = x.mul(x).mul(3).add(x.mul(2)).add(1);
        a = engine.tensor(new double[] {1.1}).requiresGrad(true);
        b = engine.tensor(new double[] {1.1}).requiresGrad(true);
        c = engine.tensor(new double[] {1.1}).requiresGrad(true);
        float[] xv = x.toFloatArray();
        float[] yv = y.toFloatArray();
        System.arraycopy(xv, 0, xs, 0, N);
        System.arraycopy(yv, 0, ys, 0, N);
        u = engine.rand(N);
        v = engine.rand(N);
    }

    /** One polygrad quadratic step: forward, MAE, backward, SGD update, zeroGrad. */
    @Benchmark
    @SuppressWarnings("try") // NoGrad is entered for its effect only
    public double quadraticStepPolygrad() {
        Tensor loss = x.mul(x).mul(a).add(x.mul(b)).add(c).sub(y).abs().mean();
        loss.backward();
        try (NoGrad ignored = NoGrad.enter()) {
            a.subi(a.grad().mul(LR));
            b.subi(b.grad().mul(LR));
            c.subi(c.grad().mul(LR));
        }
        a.zeroGrad();
        b.zeroGrad();
        c.zeroGrad();
        return loss.item();
    }

    /** The same step written by hand in Java: the floor for any framework. */
    @Benchmark
    public double quadraticStepHandWritten() {
        float pa = params[0];
        float pb = params[1];
        float pc = params[2];
        float ga = 0;
        float gb = 0;
        float gc = 0;
        float loss = 0;
        for (int i = 0; i < N; i++) {
            float xi = xs[i];
            float r = pa * xi * xi + pb * xi + pc - ys[i];
            loss += Math.abs(r);
            float s = Math.signum(r) / N;
            ga += s * xi * xi;
            gb += s * xi;
            gc += s;
        }
        params[0] = (float) (pa - LR * ga);
        params[1] = (float) (pb - LR * gb);
        params[2] = (float) (pc - LR * gc);
        return loss / N;
    }

    /** Holds the quadratic step of {@link QuadraticStep} on scratch, eager and captured (two models). */
    @State(Scope.Thread)
    public static class Quadratic {
        QuadraticStep eager;
        QuadraticStep replayed;
        CapturedStep captured;

        /** Creates both models and captures the second one's step. */
        @Setup
        public void setUp() {
            Engine engine = Polygrad.createEngine(new ScratchModule(), PolygradConfig.defaults().withDType(DType.FLOAT32));
            eager = new QuadraticStep(engine);
            replayed = new QuadraticStep(engine);
            captured = replayed.capture();
        }
    }

    /** The quadratic step as {@code Trainer} runs it (scope, zeroGrad, MAE, backward, SGD step), eager. */
    @Benchmark
    public double quadraticStepTrainerEager(Quadratic s) {
        return s.eager.step();
    }

    /** The same step captured once ({@link CapturedStep}) and replayed: the kernels only, planned buffers. */
    @Benchmark
    public double quadraticStepTrainerCaptured(Quadratic s) {
        return s.captured.run().item();
    }

    /** Holds the MLP step on scratch. */
    @State(Scope.Thread)
    public static class Mlp {
        MlpStep step;
        CapturedStep captured;

        /** Creates the network, batch and optimizer, and a second network whose step is captured. */
        @Setup
        public void setUp() {
            Engine engine = Polygrad.createEngine(new ScratchModule(), PolygradConfig.defaults().withDType(DType.FLOAT32));
            step = new MlpStep(engine);
            captured = new MlpStep(engine).capture();
        }
    }

    /** One polygrad MLP step on scratch (784-512-512-10, batch 256, cross-entropy, SGD), in ms. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double mlpStepPolygrad(Mlp s) {
        return s.step.step();
    }

    /** The same MLP step captured and replayed (matmuls run as eagerly; elementwise chains fused), in ms. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double mlpStepCaptured(Mlp s) {
        return s.captured.run().item();
    }

    /** One elementwise add of two 20-float tensors. */
    @Benchmark
    public Tensor add20Floats() {
        return u.add(v);
    }
}
