package io.polygrad.benchmarks;

import io.polygrad.Device;
import io.polygrad.nd4j.Nd4jBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The nd4j CNN step against the raw-ND4J one ({@link RawCnn.Nd4jStep}) interleaved in one JVM with one
 * native thread ({@link Interleaved#measure}): both steps under the same load, allocator and libnd4j
 * state, which separate JMH forks do not share.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar io.polygrad.benchmarks.Nd4jCnnInterleaved [kernels]
 * </pre>
 * With {@code kernels}, it then prints polygrad's backend calls per step by kernel (a {@link CountingBackend},
 * medians of 10 steps).
 */
public final class Nd4jCnnInterleaved {

    private Nd4jCnnInterleaved() {
    }

    /** Prints the first losses of both and the interleaved median ratio; {@code kernels} adds the breakdown. */
    public static void main(String[] args) {
        CnnBenchmarks.Step polygrad = new CnnBenchmarks.Step() { };
        polygrad.setUp("nd4j", new Nd4jBackend(Device.CPU, 1));
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        RawCnn.Nd4jStep raw = new RawCnn.Nd4jStep(new CnnData());
        System.out.printf(Locale.ROOT, "losses: polygrad %.6f raw %.6f%n", polygrad.step(), raw.step());
        Interleaved.measure("nd4j cnn step", "ms", 1e6, 2, polygrad::step, raw::step);
        if (args.length == 1 && args[0].equals("kernels")) {
            CountingBackend counting = new CountingBackend(new Nd4jBackend(Device.CPU, 1));
            CnnBenchmarks.Step counted = new CnnBenchmarks.Step() { };
            counted.setUp("nd4j", counting);
            for (int i = 0; i < 3; i++) {
                counted.step();
            }
            Map<String, List<Long>> perStep = new TreeMap<>();
            for (int r = 0; r < 10; r++) {
                counting.reset();
                counted.step();
                counting.nanos().forEach((k, v) -> perStep.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
            Map<String, Integer> calls = counting.counts();
            double sum = 0;
            for (Map.Entry<String, List<Long>> e : perStep.entrySet()) {
                List<Long> v = e.getValue();
                Collections.sort(v);
                double ms = v.get(v.size() / 2) / 1e6;
                sum += ms;
                System.out.printf(Locale.ROOT, "  %-28s %3d calls %9.2f ms%n", e.getKey(), calls.getOrDefault(e.getKey(), 0),
                        ms);
            }
            System.out.printf(Locale.ROOT, "  %-28s           %9.2f ms%n", "sum of medians", sum);
        }
    }
}
