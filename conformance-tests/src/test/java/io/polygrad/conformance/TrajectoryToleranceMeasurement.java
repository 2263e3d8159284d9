package io.polygrad.conformance;

import io.polygrad.DType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Reproduces the measurements behind {@link Tolerances#trajectory}: for every problem case, the largest
 * parameter difference over the whole trajectory between scratch and many legitimate variations of it
 * ({@link ShuffledSumsBackend}: random summation orders (R), plus random ±1 ulp on elementwise results
 * (P)), in float32 and float64, and scratch float32 against scratch float64. It takes minutes, so it runs
 * only on request:
 * <pre>
 * mvn -o -pl conformance-tests test -Dtest=TrajectoryToleranceMeasurement -Dpolygrad.measureTolerances=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "polygrad.measureTolerances", matches = "true")
class TrajectoryToleranceMeasurement {

    private static final int REORDERED = Integer.getInteger("polygrad.measure.reordered", 30);
    private static final int NOISY = Integer.getInteger("polygrad.measure.noisy", 60);
    private static final int FLOAT64_RUNS = Integer.getInteger("polygrad.measure.float64", 20);

    @Test
    void measure_legitimateVariations_printsTheLargestTrajectoryDifferences() {
        System.out.println("case                     dtype    steps   (R) max   (R) median  (P) max   (P) median  "
                + "f32 vs f64   tolerance used by worst");
        long seed = 1;
        for (ProblemCase c : ProblemChecks.cases()) {
            for (DType dtype : DType.floatingPoint()) {
                Trajectory ref = ProblemChecks.reference(c, dtype);
                Tolerances tol = Tolerances.trajectory(dtype, c.kinked());
                int reordered = dtype == DType.FLOAT32 ? REORDERED : FLOAT64_RUNS;
                int noisy = dtype == DType.FLOAT32 ? NOISY : FLOAT64_RUNS;
                List<Double> r = new ArrayList<>();
                List<Double> p = new ArrayList<>();
                double used = 0;
                for (int i = 0; i < reordered + noisy; i++) {
                    boolean noise = i >= reordered;
                    Trajectory t = ProblemChecks.record(new ShuffledSumsBackend(seed++, noise).underTest(), c, dtype);
                    Comparison cmp = ProblemChecks.compareTrajectories(t, ref, tol).parameters();
                    (noise ? p : r).add(cmp.maxAbs());
                    used = Math.max(used, cmp.toleranceUsed());
                }
                String vs64 = "";
                if (dtype == DType.FLOAT32) {
                    vs64 = String.format(Locale.ROOT, "%.2e", ProblemChecks.compareTrajectories(ref,
                            ProblemChecks.reference(c, DType.FLOAT64), tol).parameters().maxAbs());
                }
                System.out.printf(Locale.ROOT, "%-24s %-8s %5d   %.2e  %.2e    %.2e  %.2e    %-10s   %.3f%n", c.id(),
                        dtype, c.steps(dtype), max(r), median(r), max(p), median(p), vs64, used);
            }
        }
        // the literal loop, run past its compared horizon: the first step where a variation parts from scratch
        ProblemCase literal = ProblemChecks.caseFor("quadratic/literal");
        ProblemCase longer = new ProblemCase(literal.problem(), literal.setting(), 1200, 1200, true, literal.target(),
                literal.missedBy());
        Trajectory ref = ProblemChecks.record(OpChecks.REFERENCE, longer, DType.FLOAT32);
        List<Integer> firstParting = new ArrayList<>();
        for (int i = 0; i < REORDERED + NOISY; i++) {
            Trajectory t = ProblemChecks.record(new ShuffledSumsBackend(seed++, i >= REORDERED).underTest(), longer,
                    DType.FLOAT32);
            int step = ProblemChecks.compareTrajectories(t, ref, new Tolerances(0, 1e-3)).firstBadStep();
            firstParting.add(step == 0 ? Integer.MAX_VALUE : step);
        }
        Collections.sort(firstParting);
        System.out.println("quadratic/literal float32: first step where a variation differs from scratch by more "
                + "than 1e-3 (sorted; MAX_VALUE = never within 1200): " + firstParting);
    }

    private static double max(List<Double> v) {
        return v.isEmpty() ? Double.NaN : Collections.max(v);
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
