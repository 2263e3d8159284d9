package io.polygrad.benchmarks;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The kernel counter that prints, on standard output, how many backend kernels one polygrad training step issues (the
 * quadratic and the MLP step of the benchmarks), by kernel, with the elements each kind of kernel
 * writes, on one backend chosen by name.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.polygrad.benchmarks.KernelCount djl
 * </pre>
 */
public final class KernelCount {

    private KernelCount() {
    }

    /** Counts the kernels of both steps on the backend named by {@code args[0]} (default {@code djl}). */
    public static void main(String[] args) {
        String backend = args.length > 0 ? args[0] : "djl";
        PolygradConfig config = PolygradConfig.defaults().withBackend(backend).withDType(DType.FLOAT32);
        Engine plain = Polygrad.createEngine(config);
        CountingBackend counting = new CountingBackend(plain.backend());
        Engine engine = new Engine(counting, config);
        report("quadratic", backend, counting, new QuadraticStep(engine)::step, 20_000, 2_000);
        report("mlp", backend, counting, new MlpStep(engine)::step, 30, 20);
    }

    private static void report(String name, String backend, CountingBackend counting, DoubleSupplier step,
            int warmup, int reps) {
        for (int i = 0; i < warmup; i++) {
            step.getAsDouble(); // warm-up: the first steps differ (no gradient yet, lazy state, JIT)
        }
        counting.reset();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            step.getAsDouble();
        }
        double stepMicros = (System.nanoTime() - t0) / 1e3 / reps;
        System.out.printf(Locale.ROOT, "%s step on %s: %d backend calls per step, %.1f µs per step (counted)%n",
                name, backend, counting.total() / reps, stepMicros);
        Map<String, Long> elements = counting.elements();
        Map<String, Long> nanos = counting.nanos();
        long all = 0;
        long time = 0;
        for (Map.Entry<String, Integer> e : counting.counts().entrySet()) {
            long n = elements.getOrDefault(e.getKey(), 0L) / reps;
            long ns = nanos.getOrDefault(e.getKey(), 0L) / reps;
            all += n;
            time += ns;
            System.out.printf(Locale.ROOT, "  %-20s %4d calls %,12d elements written %10.1f µs%n", e.getKey(),
                    e.getValue() / reps, n, ns / 1e3);
        }
        System.out.printf(Locale.ROOT, "  %-20s %4d calls %,12d elements written %10.1f µs in kernels%n", "total",
                counting.total() / reps, all, time / 1e3);
    }
}
