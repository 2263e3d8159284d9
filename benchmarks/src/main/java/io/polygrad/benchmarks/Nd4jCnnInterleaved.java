package io.polygrad.benchmarks;

import io.polygrad.Device;
import io.polygrad.nd4j.Nd4jBackend;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The nd4j CNN step against the raw-ND4J one ({@link RawCnn.Nd4jStep}) interleaved in one JVM with one
 * native thread ({@link Interleaved#measure}): both steps under the same load, allocator and libnd4j
 * state, which separate JMH forks do not share.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar io.polygrad.benchmarks.Nd4jCnnInterleaved
 * </pre>
 */
public final class Nd4jCnnInterleaved {

    private Nd4jCnnInterleaved() {
    }

    /** Prints the first losses of both and the interleaved median ratio. */
    public static void main(String[] args) {
        CnnBenchmarks.Step polygrad = new CnnBenchmarks.Step() { };
        polygrad.setUp("nd4j", new Nd4jBackend(Device.CPU, 1));
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        RawCnn.Nd4jStep raw = new RawCnn.Nd4jStep(new CnnData());
        System.out.printf(Locale.ROOT, "losses: polygrad %.6f raw %.6f%n", polygrad.step(), raw.step());
        Interleaved.measure("nd4j cnn step", "ms", 1e6, 2, polygrad::step, raw::step);
    }
}
