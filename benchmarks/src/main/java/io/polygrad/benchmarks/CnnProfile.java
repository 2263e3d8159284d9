package io.polygrad.benchmarks;

import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.Device;
import io.polygrad.djl.DjlBackend;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Pool2dSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profiler of the djl CNN step that prints, on standard output, where the time of one polygrad
 * step goes next to the raw-DJL step of {@link RawCnn.Djl}, in one JVM with one libtorch thread:
 * <ol>
 *   <li>the two whole steps interleaved ({@link Interleaved#measure}), median ratio;</li>
 *   <li>polygrad's backend calls per step by kernel (a {@link CountingBackend}, its convolution
 *       kernels included), median over rounds;</li>
 *   <li>the convolution and pooling gradients of both layers through the djl kernels, stand-alone
 *       against the kept graph;</li>
 *   <li>with {@code trace DIR} as arguments, libtorch's own profiler over alternating single steps
 *       of both, one Chrome trace per step in {@code DIR} ({@code polygrad-R.json},
 *       {@code raw-R.json}), which {@code tools/profile/aggregate_traces.py} sums by op.</li>
 * </ol>
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.polygrad.benchmarks.CnnProfile [trace /tmp/traces]
 * </pre>
 */
public final class CnnProfile {

    private static final int ROUNDS = 15;

    private CnnProfile() {
    }

    /** Runs the measurements; {@code trace DIR} adds the libtorch traces. */
    public static void main(String[] args) throws Exception {
        CnnBenchmarks.Step polygrad = new CnnBenchmarks.Step() { };
        polygrad.setUp("djl", new DjlBackend(Device.CPU, 1));
        JniUtils.setNumThreads(1);
        RawCnn.Djl raw = new RawCnn.Djl(new CnnData());
        System.out.printf(Locale.ROOT, "losses: polygrad %.6f raw %.6f%n", polygrad.step(), raw.step());
        Interleaved.measure("djl cnn step", "ms", 1e6, 2, polygrad::step, raw::step);

        CountingBackend counting = new CountingBackend(new DjlBackend(Device.CPU, 1));
        CnnBenchmarks.Step counted = new CnnBenchmarks.Step() { };
        counted.setUp("djl", counting);
        for (int i = 0; i < 5; i++) {
            counted.step();
        }
        Map<String, List<Long>> perRound = new TreeMap<>();
        Map<String, Integer> calls = new TreeMap<>();
        List<Long> wall = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            counting.reset();
            long t0 = System.nanoTime();
            counted.step();
            wall.add(System.nanoTime() - t0);
            for (Map.Entry<String, Long> e : counting.nanos().entrySet()) {
                perRound.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            calls = counting.counts();
        }
        System.out.printf(Locale.ROOT, "polygrad djl step, backend calls by kernel (median of %d steps, %.1f ms "
                + "wall):%n", ROUNDS, median(wall) / 1e6);
        double sum = 0;
        for (Map.Entry<String, List<Long>> e : perRound.entrySet()) {
            double ms = median(e.getValue()) / 1e6;
            sum += ms;
            System.out.printf(Locale.ROOT, "  %-28s %3d calls %9.2f ms%n", e.getKey(), calls.getOrDefault(e.getKey(), 0),
                    ms);
        }
        System.out.printf(Locale.ROOT, "  %-28s           %9.2f ms%n", "sum of medians", sum);

        kernels(new DjlBackend(Device.CPU, 1));

        if (args.length == 2 && args[0].equals("trace")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            for (int r = 0; r < 6; r++) {
                for (int side = 0; side < 2; side++) {
                    boolean poly = (side == 0) == (r % 2 == 0);
                    JniUtils.startProfile(false, true, false);
                    if (poly) {
                        polygrad.step();
                    } else {
                        raw.step();
                    }
                    JniUtils.stopProfile(dir.resolve((poly ? "polygrad-" : "raw-") + r + ".json").toString());
                }
            }
            System.out.println("traces in " + dir);
        }
        raw.close();
    }

    /**
     * Times the convolution and pooling gradients of both CNN layers each way, interleaved, medians of
     * {@link #ROUNDS}: the stand-alone kernels (what the SPI's single-gradient methods and the
     * fallback run) against the kept graph ({@code ...ForBackward}, then the backward that walks it).
     */
    private static void kernels(Backend b) {
        ConvolutionKernels k = b.convolutionKernels().orElseThrow();
        Conv2dSpec pad2 = new Conv2dSpec(new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1);
        Pool2dSpec pool = new Pool2dSpec(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, true);
        int[][] inputs = {{CnnData.BATCH, 1, 28, 28}, {CnnData.BATCH, 32, 14, 14}};
        int[][] weights = {{32, 1, 5, 5}, {64, 32, 5, 5}};
        Map<String, List<Long>> t = new TreeMap<>();
        for (int r = 0; r < ROUNDS + 3; r++) {
            for (int layer = 0; layer < 2; layer++) {
                int[] xs = inputs[layer];
                int[] ws = weights[layer];
                int[] ys = {xs[0], ws[0], xs[2], xs[3]};
                boolean first = layer == 0;
                try (BackendArray x = b.fromFloats(CnnData.randoms(3 + layer, size(xs), 1), xs);
                     BackendArray w = b.fromFloats(CnnData.randoms(5 + layer, size(ws), 0.1), ws);
                     BackendArray g = b.fromFloats(CnnData.randoms(7 + layer, size(ys), 1e-3), ys);
                     BackendArray pg = b.fromFloats(CnnData.randoms(9 + layer, size(ys) / 4, 1e-3),
                             new int[] {ys[0], ys[1], ys[2] / 2, ys[3] / 2})) {
                    String l = "layer " + (layer + 1) + " ";
                    long t0 = System.nanoTime();
                    BackendArray gw = k.conv2dBackwardWeight(g, x, ws, pad2);
                    long t1 = System.nanoTime();
                    BackendArray gi = first ? null : k.conv2dBackwardInput(g, w, xs, pad2);
                    long t2 = System.nanoTime();
                    BackendArray y = k.conv2dForBackward(x, w, null, pad2, !first, true);
                    long t3 = System.nanoTime();
                    BackendArray[] both = k.conv2dBackward(g, x, w, y, pad2, !first, true);
                    long t4 = System.nanoTime();
                    BackendArray p = k.maxPool2dForBackward(y, pool);
                    long t5 = System.nanoTime();
                    BackendArray pgKept = k.maxPool2dBackward(pg, y, p, pool);
                    long t6 = System.nanoTime();
                    BackendArray pgRerun = k.maxPool2dBackward(pg, y, pool);
                    long t7 = System.nanoTime();
                    BackendArray plain = k.conv2d(x, w, null, pad2);
                    long t8 = System.nanoTime();
                    if (r >= 3) {
                        t.computeIfAbsent(l + "conv2dBackwardWeight (stand-alone)", z -> new ArrayList<>()).add(t1 - t0);
                        if (!first) {
                            t.computeIfAbsent(l + "conv2dBackwardInput (stand-alone)", z -> new ArrayList<>()).add(t2 - t1);
                        }
                        t.computeIfAbsent(l + "conv2d (plain)", z -> new ArrayList<>()).add(t8 - t7);
                        t.computeIfAbsent(l + "conv2dForBackward", z -> new ArrayList<>()).add(t3 - t2);
                        t.computeIfAbsent(l + "conv2dBackward (kept graph)", z -> new ArrayList<>()).add(t4 - t3);
                        t.computeIfAbsent(l + "maxPool2dForBackward", z -> new ArrayList<>()).add(t5 - t4);
                        t.computeIfAbsent(l + "maxPool2dBackward (kept graph)", z -> new ArrayList<>()).add(t6 - t5);
                        t.computeIfAbsent(l + "maxPool2dBackward (re-run)", z -> new ArrayList<>()).add(t7 - t6);
                    }
                    for (BackendArray a : new BackendArray[] {gw, gi, y, both[0], both[1], p, pgKept, pgRerun, plain}) {
                        if (a != null) {
                            a.close();
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "djl kernels on the CNN's layers (median of %d rounds):%n", ROUNDS);
        for (Map.Entry<String, List<Long>> e : t.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-48s %8.2f ms%n", e.getKey(), median(e.getValue()) / 1e6);
        }
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static double median(List<Long> v) {
        long[] s = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
