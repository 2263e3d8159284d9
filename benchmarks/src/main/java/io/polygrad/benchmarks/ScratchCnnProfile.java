package io.polygrad.benchmarks;

import io.polygrad.Device;
import io.polygrad.scratch.ScratchBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profiler of the scratch CNN step ({@link CnnBenchmarks}' network) that prints, on standard
 * output, where one step's time goes by backend kernel: a {@link CountingBackend} over a
 * {@link ScratchBackend} (one matmul thread, as in {@link CnnBenchmarks}), median per kernel over
 * rounds, with the step's wall time. With {@code djl} as argument it first times the scratch step
 * against the djl step (one libtorch thread) interleaved in this JVM ({@link Interleaved#measure}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.polygrad.benchmarks.ScratchCnnProfile [djl]
 * </pre>
 */
public final class ScratchCnnProfile {

    private static final int ROUNDS = 11;

    private ScratchCnnProfile() {
    }

    /** Runs the breakdown; {@code djl} adds the interleaved scratch/djl step ratio. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("djl")) {
            CnnBenchmarks.Step scratch = new CnnBenchmarks.Step() { };
            scratch.setUp("scratch", new ScratchBackend(Device.CPU, 1));
            CnnBenchmarks.Step djl = new CnnBenchmarks.Step() { };
            djl.setUp("djl", new io.polygrad.djl.DjlBackend(Device.CPU, 1));
            System.out.printf(Locale.ROOT, "losses: scratch %.6f djl %.6f%n", scratch.step(), djl.step());
            Interleaved.measure("cnn step scratch/djl", "ms", 1e6, 2, scratch::step, djl::step);
        }
        CountingBackend counting = new CountingBackend(new ScratchBackend(Device.CPU, 1));
        CnnBenchmarks.Step counted = new CnnBenchmarks.Step() { };
        counted.setUp("scratch", counting);
        for (int i = 0; i < 8; i++) {
            counted.step();
        }
        Map<String, List<Long>> perRound = new TreeMap<>();
        Map<String, Integer> calls = new TreeMap<>();
        List<Long> wall = new ArrayList<>();
        double loss = 0;
        for (int r = 0; r < ROUNDS; r++) {
            counting.reset();
            long t0 = System.nanoTime();
            loss = counted.step();
            wall.add(System.nanoTime() - t0);
            for (Map.Entry<String, Long> e : counting.nanos().entrySet()) {
                perRound.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            calls = counting.counts();
        }
        System.out.printf(Locale.ROOT, "scratch cnn step, backend calls by kernel (median of %d steps, %.1f ms wall, "
                + "last loss %.6f):%n", ROUNDS, median(wall) / 1e6, loss);
        double sum = 0;
        for (Map.Entry<String, List<Long>> e : perRound.entrySet()) {
            double ms = median(e.getValue()) / 1e6;
            sum += ms;
            System.out.printf(Locale.ROOT, "  %-36s %3d calls %9.2f ms%n", e.getKey(), calls.getOrDefault(e.getKey(), 0),
                    ms);
        }
        System.out.printf(Locale.ROOT, "  %-36s           %9.2f ms%n", "sum of medians", sum);
    }

    private static double median(List<Long> v) {
        long[] s = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
