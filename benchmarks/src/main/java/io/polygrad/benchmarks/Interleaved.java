package io.polygrad.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The interleaved runner that prints, on standard output, the polygrad/raw time ratio of each benchmark pair measured
 * <em>interleaved</em> in one JVM: short blocks of polygrad steps and of raw steps alternate (in
 * alternating order), and the median of the per-round ratios is reported with the median times. On a
 * machine shared with other work this ratio is steadier than one taken from two JMH forks that run
 * minutes apart under different load; JMH's absolute figures remain the reference.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp benchmarks/target/benchmarks.jar io.polygrad.benchmarks.Interleaved djl nd4j
 * </pre>
 */
public final class Interleaved {

    private static final int ROUNDS = 40;

    private Interleaved() {
    }

    /** Measures the pairs of the backends named on the command line (default: djl and nd4j). */
    public static void main(String[] args) {
        boolean djl = args.length == 0;
        boolean nd4j = args.length == 0;
        for (String a : args) {
            djl |= a.equals("djl");
            nd4j |= a.equals("nd4j");
        }
        if (djl) {
            QuadraticStep src = new QuadraticStep(DjlBenchmarks.polygradEngine());
            RawDjl.Quadratic rq = new RawDjl.Quadratic(src.xValues(), src.yValues(), src.parameterValues());
            measure("djl quadratic step", "µs", 1e3, 2000, new QuadraticStep(DjlBenchmarks.polygradEngine())::step,
                    rq::step);
            rq.close();
            RawDjl.Mlp rm = new RawDjl.Mlp(new MlpStep(DjlBenchmarks.polygradEngine()));
            measure("djl mlp step", "ms", 1e6, 10, new MlpStep(DjlBenchmarks.polygradEngine())::step, rm::step);
            rm.close();
        }
        if (nd4j) {
            QuadraticStep src = new QuadraticStep(Nd4jBenchmarks.polygradEngine());
            RawNd4j.Quadratic rq = new RawNd4j.Quadratic(src.xValues(), src.yValues(), src.parameterValues());
            measure("nd4j quadratic step", "µs", 1e3, 500, new QuadraticStep(Nd4jBenchmarks.polygradEngine())::step,
                    rq::step);
            RawNd4j.Mlp rm = new RawNd4j.Mlp(new MlpStep(Nd4jBenchmarks.polygradEngine()));
            measure("nd4j mlp step", "ms", 1e6, 5, new MlpStep(Nd4jBenchmarks.polygradEngine())::step, rm::step);
        }
    }

    /** Alternates blocks of {@code block} steps of each side for {@link #ROUNDS} rounds after a warm-up. */
    static void measure(String name, String unit, double nanosPerUnit, int block, DoubleSupplier polygrad,
            DoubleSupplier raw) {
        for (int i = 0; i < 5; i++) {
            time(polygrad, block);
            time(raw, block);
        }
        double[] p = new double[ROUNDS];
        double[] r = new double[ROUNDS];
        double[] ratio = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            if (i % 2 == 0) {
                p[i] = time(polygrad, block);
                r[i] = time(raw, block);
            } else {
                r[i] = time(raw, block);
                p[i] = time(polygrad, block);
            }
            ratio[i] = p[i] / r[i];
        }
        double[] q = quartiles(ratio);
        System.out.printf(Locale.ROOT, "%-20s polygrad %9.2f %s  raw %9.2f %s  ratio polygrad/raw median %.3f "
                + "(quartiles %.3f-%.3f, %d rounds of %d steps)%n", name, median(p) / nanosPerUnit, unit,
                median(r) / nanosPerUnit, unit, q[1], q[0], q[2], ROUNDS, block);
    }

    /** Returns the mean nanoseconds per step of {@code steps} steps. */
    private static double time(DoubleSupplier step, int steps) {
        double sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            sink += step.getAsDouble();
        }
        long t = System.nanoTime() - t0;
        if (sink == 42.4242) {
            System.out.print("");
        }
        return (double) t / steps;
    }

    private static double median(double[] v) {
        return quartiles(v)[1];
    }

    private static double[] quartiles(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return new double[] {s[s.length / 4], s[s.length / 2], s[(3 * s.length) / 4]};
    }
}
