package io.polygrad.benchmarks;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Module;
import io.polygrad.optim.SGD;
import io.polygrad.problems.Problems;
import io.polygrad.train.Batch;
import io.polygrad.train.FitResult;
import io.polygrad.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The memory soak that prints, on standard output, whether a long training run keeps memory flat: it runs the quadratic
 * training step ({@link QuadraticStep}: a {@code TensorScope} per step, MAE, backward, SGD) for N
 * steps on one backend and prints, at every 10% of the run, the resident set size (VmRSS of
 * {@code /proc/self/status}), the Java heap in use (after a full GC, so it is the live heap) and the
 * time per step of the last 10%; at the end, the RSS growth from the 10% mark to the end.
 *
 * <pre>
 * java -Xms256m -Xmx256m -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     io.polygrad.benchmarks.MemorySoak --backend djl --steps 1000000 [--trainer]
 * </pre>
 *
 * <p>A fixed, pre-touched heap keeps heap sizing out of the RSS, so what grows is native memory.
 * {@code --trainer} runs the same step through {@link Trainer} (one {@code fit} of 10% of the steps
 * per report, since a {@link FitResult} keeps every step's loss) instead of the hand-written loop.
 */
public final class MemorySoak {

    private MemorySoak() {
    }

    /** Runs the soak; arguments {@code --backend NAME}, {@code --steps N}, {@code --trainer}. */
    public static void main(String[] args) {
        String backend = "scratch";
        long steps = 1_000_000;
        boolean trainer = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backend = args[++i];
                case "--steps" -> steps = Long.parseLong(args[++i].replace("_", ""));
                case "--trainer" -> trainer = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --backend scratch|djl|nd4j --steps N [--trainer]");
            }
        }
        if (steps < 10) {
            throw new IllegalArgumentException("--steps must be at least 10");
        }
        Engine engine = Polygrad.createEngine(
                PolygradConfig.defaults().withBackend(backend).withDType(DType.FLOAT32));
        Runner runner = trainer ? new TrainerRunner(engine) : new LoopRunner(engine);
        System.out.printf(Locale.ROOT, "MemorySoak: quadratic step (%s) on %s, %,d steps, java %s, max heap %d MB%n",
                trainer ? "Trainer.fit per 10%" : "loop with a TensorScope per step", engine, steps,
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "%8s %12s %10s %14s %10s %12s%n", "progress", "step", "RSS MB",
                "live heap MB", "ms/step", "loss");
        System.out.printf(Locale.ROOT, "%7d%% %,12d %10.1f %14.1f %10s %12s%n", 0, 0, rssMb(), liveHeapMb(), "-", "-");
        double rssAt10 = Double.NaN;
        double heapAt10 = Double.NaN;
        long done = 0;
        long started = System.nanoTime();
        for (int tenth = 1; tenth <= 10; tenth++) {
            long target = steps * tenth / 10;
            long n = target - done;
            long t0 = System.nanoTime();
            double loss = runner.run(n);
            long t1 = System.nanoTime();
            done = target;
            double rss = rssMb();
            double heap = liveHeapMb();
            if (tenth == 1) {
                rssAt10 = rss;
                heapAt10 = heap;
            }
            System.out.printf(Locale.ROOT, "%7d%% %,12d %10.1f %14.1f %10.4f %12.6f%n", tenth * 10, done, rss, heap,
                    (t1 - t0) / 1e6 / n, loss);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rssEnd = rssMb();
        double heapEnd = liveHeapMb();
        System.out.printf(Locale.ROOT, "RSS growth from the 10%% mark to the end: %+.1f MB (%.1f -> %.1f MB); "
                + "live heap %+.1f MB; %.4f ms/step over %,d steps (%.0f s)%n", rssEnd - rssAt10, rssAt10, rssEnd,
                heapEnd - heapAt10, seconds * 1000 / steps, steps, seconds);
    }

    /** Runs steps and returns the last loss. */
    private interface Runner {
        double run(long steps);
    }

    /** The hand-written loop: {@link QuadraticStep#step()}, one TensorScope per step. */
    private static final class LoopRunner implements Runner {
        private final QuadraticStep step;

        LoopRunner(Engine engine) {
            step = new QuadraticStep(engine);
        }

        @Override
        public double run(long steps) {
            double loss = Double.NaN;
            for (long i = 0; i < steps; i++) {
                loss = step.step();
            }
            return loss;
        }
    }

    /** The same step through {@link Trainer#fit()}. */
    private static final class TrainerRunner implements Runner {
        private final Module model;
        private final Batch data;
        private final SGD optimizer;

        TrainerRunner(Engine engine) {
            data = Problems.QUADRATIC.data(engine);
            model = Problems.QUADRATIC.model(engine);
            optimizer = SGD.builder(model.parameters()).lr(QuadraticStep.LR).build();
        }

        @Override
        public double run(long steps) {
            double loss = Double.NaN;
            for (long left = steps; left > 0; ) {
                int chunk = (int) Math.min(left, Integer.MAX_VALUE);
                FitResult r = Trainer.builder(model, Losses::mae, optimizer).data(data).steps(chunk).build().fit();
                loss = r.finalLoss();
                left -= chunk;
            }
            return loss;
        }
    }

    /** Returns VmRSS from {@code /proc/self/status} in MB, or NaN where there is no such file. */
    static double rssMb() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the heap in use after a full GC, in MB. */
    static double liveHeapMb() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }
}
