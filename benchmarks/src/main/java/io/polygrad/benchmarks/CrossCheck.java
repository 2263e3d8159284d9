package io.polygrad.benchmarks;

import java.util.Locale;

/**
 * The cross-check that prints, on standard output, the evidence that each benchmark pair does the same math: the losses of
 * the first steps of the polygrad step and of the hand-written raw-library step, from the same initial
 * values, and their largest relative difference.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.polygrad.benchmarks.CrossCheck [djl] [nd4j] [steps]
 * </pre>
 */
public final class CrossCheck {

    private CrossCheck() {
    }

    /** Runs the checks named on the command line (default: all available) for the given number of steps. */
    public static void main(String[] args) {
        int steps = 5;
        boolean djl = false;
        boolean nd4j = false;
        for (String a : args) {
            switch (a) {
                case "djl" -> djl = true;
                case "nd4j" -> nd4j = true;
                default -> steps = Integer.parseInt(a);
            }
        }
        if (!djl && !nd4j) {
            djl = true;
            nd4j = true;
        }
        if (djl) {
            QuadraticStep pq = new QuadraticStep(DjlBenchmarks.polygradEngine());
            QuadraticStep src = new QuadraticStep(DjlBenchmarks.polygradEngine());
            try (RawDjl.Quadratic rq = new RawDjl.Quadratic(src.xValues(), src.yValues(), src.parameterValues())) {
                compare("djl quadratic", steps, pq::step, rq::step);
            }
            MlpStep pm = new MlpStep(DjlBenchmarks.polygradEngine());
            try (RawDjl.Mlp rm = new RawDjl.Mlp(new MlpStep(DjlBenchmarks.polygradEngine()))) {
                compare("djl mlp", steps, pm::step, rm::step);
            }
        }
        if (nd4j) {
            QuadraticStep pq = new QuadraticStep(Nd4jBenchmarks.polygradEngine());
            QuadraticStep src = new QuadraticStep(Nd4jBenchmarks.polygradEngine());
            RawNd4j.Quadratic rq = new RawNd4j.Quadratic(src.xValues(), src.yValues(), src.parameterValues());
            compare("nd4j quadratic", steps, pq::step, rq::step);
            MlpStep pm = new MlpStep(Nd4jBenchmarks.polygradEngine());
            RawNd4j.Mlp rm = new RawNd4j.Mlp(new MlpStep(Nd4jBenchmarks.polygradEngine()));
            compare("nd4j mlp", steps, pm::step, rm::step);
        }
    }

    /** Prints the losses of {@code steps} steps of both sides and their largest relative difference. */
    static void compare(String name, int steps, java.util.function.DoubleSupplier polygrad,
            java.util.function.DoubleSupplier raw) {
        double worst = 0;
        for (int i = 0; i < steps; i++) {
            double p = polygrad.getAsDouble();
            double r = raw.getAsDouble();
            double rel = Math.abs(p - r) / Math.max(Math.abs(r), 1e-30);
            worst = Math.max(worst, rel);
            System.out.printf(Locale.ROOT, "%-16s step %d: polygrad %.7f  raw %.7f  rel diff %.1e%n", name, i, p, r,
                    rel);
        }
        System.out.printf(Locale.ROOT, "%-16s max rel diff of the loss over %d steps: %.1e%n", name, steps, worst);
    }
}
