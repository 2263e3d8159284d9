package io.polygrad.cli;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.cli.output.OutputFile;
import io.polygrad.cli.plot.FitPlot;
import io.polygrad.cli.plot.Series;
import io.polygrad.cli.progress.StepProgress;
import io.polygrad.cli.run.FitRun;
import io.polygrad.cli.run.Format;
import io.polygrad.cli.run.RunResult;
import io.polygrad.cli.run.RunSpec;
import io.polygrad.cli.run.Values;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.PolygradConfig;
import io.polygrad.problems.Problem;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendProvider;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The compare command, {@code polygrad compare PROBLEM}, which runs the same fit, from the same seeded
 * weights, on every backend that can run here, side by side with the reference (scratch in float64):
 * first-step gradients, final parameters and loss, milliseconds per step and the largest difference
 * from the reference; one PNG shows every backend's fitted curve over the data and their loss curves.
 *
 * <pre>{@code
 * $ polygrad compare quadratic
 * $ polygrad compare relu --dtype f64 --steps 200 --json
 * }</pre>
 *
 * <p>Exit codes: 0 when every run completes, 1 when a run fails or its loss becomes non-finite, 2 for
 * bad input.
 */
@Command(name = "compare", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = PolygradCli.Version.class,
        description = {"Run the same fit on every backend that can run here and compare them with the reference"
                + " (scratch, float64): gradients, parameters, loss, speed; plot all fits together.",
            "Problems: line, quadratic, relu, double-relu."})
public final class CompareCommand implements Callable<Integer> {

    /** The backend and dtype every run is measured against. */
    static final String REFERENCE_BACKEND = "scratch";

    private static final Logger LOG = LoggerFactory.getLogger(CompareCommand.class);
    private static final int MAX_ROWS = 12;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROBLEM", description = "line, quadratic, relu or double-relu.")
    private String problemName;

    @Option(names = "--backends", paramLabel = "B", split = ",",
            description = "Only these backends, comma-separated (default: every backend that can run here).")
    private List<String> only;

    @Mixin
    private TrainingOptions options;

    /** One backend's outcome: a result, or why it was skipped or failed. */
    private record Outcome(String backend, String dtype, RunResult result, String note) {
    }

    @Override
    public Integer call() throws Exception {
        Problem problem = Runs.problem(spec, problemName);
        PolygradConfig config = Runs.config(spec, options);
        Device device = config.device();
        BackendRegistry registry = BackendRegistry.fromClasspath();
        if (only != null) {
            for (String b : only) {
                if (!registry.names().contains(b)) {
                    throw new ParameterException(spec.commandLine(), "Unknown backend '" + b + "' in --backends:"
                            + " backends on the classpath are " + String.join(", ", registry.names()));
                }
            }
        }
        RunSpec runSpec = Runs.runSpec(spec, problem, options, config.dtype());
        OutputFile plot = Runs.plotFile(spec, options, "polygrad-compare-" + problem.name() + ".png");
        PrintWriter out = spec.commandLine().getOut();
        DType dtype = config.dtype();

        BackendProvider referenceProvider = registry.providers().stream()
                .filter(p -> p.name().equals(REFERENCE_BACKEND)).findFirst().orElse(null);
        List<Outcome> outcomes = new ArrayList<>();
        RunResult reference = null;
        if (referenceProvider != null) {
            Outcome o = run(referenceProvider, config.withBackend(REFERENCE_BACKEND).withDevice(Device.CPU)
                    .withDType(DType.FLOAT64), runSpec, problem);
            reference = o.result();
            outcomes.add(o);
        }
        for (BackendProvider p : registry.providers()) {
            if (only != null && !only.contains(p.name())) {
                continue;
            }
            if (p.name().equals(REFERENCE_BACKEND) && dtype == DType.FLOAT64 && device.equals(Device.CPU)) {
                continue; // the reference itself
            }
            Availability a = Cli.availability(p, device);
            if (!a.available()) {
                outcomes.add(new Outcome(p.name(), dtype.toString(), null, "cannot run on " + device + ": "
                        + a.reason()));
                continue;
            }
            outcomes.add(run(p, config.withBackend(p.name()), runSpec, problem));
        }

        List<Outcome> ran = outcomes.stream().filter(o -> o.result() != null).toList();
        if (plot != null && !ran.isEmpty()) {
            RunResult first = ran.get(0).result();
            List<Series> fits = new ArrayList<>();
            List<Series> losses = new ArrayList<>();
            for (Outcome o : ran) {
                RunResult r = o.result();
                String label = r.label() + (r == reference ? " (reference)" : "");
                fits.add(new Series(label, r.curveX(), r.curveY()));
                losses.add(Series.ofSteps(label, r.losses()));
            }
            plot.write(new FitPlot("polygrad compare " + problem.name() + ": " + ran.size() + " run"
                    + (ran.size() == 1 ? "" : "s"), Reports.settingsLine(first), Reports.dataSeries(first), fits,
                    first.lossLongName(), losses)::writePng);
        }
        if (options.json) {
            out.println(Reports.json().writeValueAsString(json(problem, reference, outcomes, plot)));
        } else {
            text(out, problem, reference, outcomes, plot);
        }
        out.flush();
        boolean ok = outcomes.stream().allMatch(o -> o.note() == null && o.result().completed()
                || o.note() != null && o.note().startsWith("cannot run"));
        return ok ? 0 : PolygradCli.EXIT_FAILURE;
    }

    private Outcome run(BackendProvider provider, PolygradConfig config, RunSpec runSpec, Problem problem) {
        String dtype = config.dtype().toString();
        try {
            Engine engine = Polygrad.createEngine(provider.module(), config);
            try (FitRun run = FitRun.prepare(engine, runSpec);
                    StepProgress progress = StepProgress.create(problem.name() + " · " + provider.name() + " "
                            + dtype, run.plan().steps(), StepProgress.isInteractive())) {
                RunResult r = run.fit(e -> progress.step(e.loss()));
                return new Outcome(provider.name(), dtype, r, r.completed() ? null
                        : "loss became " + Format.number(r.finalLoss()) + " at step " + r.stepsRun());
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("{} {} failed", provider.name(), dtype, e);
            return new Outcome(provider.name(), dtype, null, "failed: " + e);
        }
    }

    // ---------------------------------------------------------------- text

    private static void text(PrintWriter out, Problem problem, RunResult ref, List<Outcome> outcomes,
            OutputFile plot) {
        List<RunResult> runs = outcomes.stream().filter(o -> o.result() != null).map(Outcome::result).toList();
        out.printf("polygrad compare %s%n", problem.name());
        out.printf("  model     %s%n", problem.description());
        if (!runs.isEmpty()) {
            RunResult any = runs.get(0);
            out.printf("  data      %s, %d points%n", any.dataSource(), any.dataX().length);
            out.printf("  training  %s; seed %d%n", any.plan().describe(), any.seed());
        }
        out.printf("  reference %s%n", ref == null ? "none (the scratch backend is not on the classpath)"
                : ref.label());
        out.println();

        if (!runs.isEmpty()) {
            out.println("First-step gradients");
            sideBySide(out, runs, RunResult::firstGradients);
            out.println();
            out.println("Final parameters");
            sideBySide(out, runs, RunResult::parameters);
            out.println();
        }

        out.printf("%-16s %12s %12s %10s  %-12s %-12s %-12s%n", "run", "first loss", "final loss", "ms/step",
                "max|Δgrad|", "max|Δparam|", "max|Δloss|");
        for (Outcome o : outcomes) {
            RunResult r = o.result();
            if (r == null) {
                out.printf("%-16s %s%n", o.backend() + " " + o.dtype(), o.note());
                continue;
            }
            boolean isRef = r == ref;
            out.printf("%-16s %12s %12s %10s  %-12s %-12s %-12s %s%n", r.label(), Format.number(r.firstLoss()),
                    Format.number(r.finalLoss()), Format.millis(r.msPerStep()),
                    isRef || ref == null ? "-" : Format.diff(RunResult.maxAbsDiff(r.firstGradients(),
                            ref.firstGradients())),
                    isRef || ref == null ? "-" : Format.diff(RunResult.maxAbsDiff(r.parameters(), ref.parameters())),
                    isRef || ref == null ? "-" : Format.diff(maxLossDiff(r, ref)),
                    isRef ? "reference" : o.note() == null ? "" : o.note());
        }
        out.println("(max|Δ|: largest absolute difference from the reference over every element; Δloss over every"
                + " step's loss; ms/step: median)");
        if (plot != null && !runs.isEmpty()) {
            out.printf("Plot: %s%n", plot.path());
        }
    }

    /** Prints one row per parameter element (at most {@link #MAX_ROWS}), one column per run. */
    private static void sideBySide(PrintWriter out, List<RunResult> runs,
            java.util.function.Function<RunResult, Map<String, Values>> pick) {
        Map<String, Values> first = pick.apply(runs.get(0));
        List<String> rowNames = new ArrayList<>();
        List<int[]> rowIndex = new ArrayList<>();
        for (Map.Entry<String, Values> e : first.entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                rowNames.add(e.getValue().shape().length == 0 ? e.getKey() : e.getKey() + "[" + i + "]");
                rowIndex.add(new int[] {i});
            }
        }
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, Values> e : first.entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                keys.add(e.getKey());
            }
        }
        int nameWidth = Math.max(9, rowNames.stream().limit(MAX_ROWS).mapToInt(String::length).max().orElse(1));
        StringBuilder head = new StringBuilder(String.format("  %-" + nameWidth + "s", ""));
        for (RunResult r : runs) {
            head.append(String.format(" %16s", r.label()));
        }
        out.println(head);
        int rows = Math.min(MAX_ROWS, rowNames.size());
        for (int row = 0; row < rows; row++) {
            StringBuilder line = new StringBuilder(String.format("  %-" + nameWidth + "s", rowNames.get(row)));
            for (RunResult r : runs) {
                Values v = pick.apply(r).get(keys.get(row));
                line.append(String.format(" %16s", v == null ? "-" : Format.number(v.get(rowIndex.get(row)[0]))));
            }
            out.println(line);
        }
        if (rowNames.size() > rows) {
            out.printf("  … %d more values (see --json)%n", rowNames.size() - rows);
        }
    }

    private static double maxLossDiff(RunResult a, RunResult b) {
        double[] x = a.losses();
        double[] y = b.losses();
        if (x.length != y.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs(x[i] - y[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    // ---------------------------------------------------------------- json

    private static Map<String, Object> json(Problem problem, RunResult ref, List<Outcome> outcomes, OutputFile plot) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "compare");
        m.put("problem", problem.name());
        m.put("reference", ref == null ? null : Map.of("backend", ref.backend(), "dtype", ref.dtype()));
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> run = new LinkedHashMap<>();
            RunResult r = o.result();
            if (r == null) {
                run.put("backend", o.backend());
                run.put("dtype", o.dtype());
                run.put("status", o.note().startsWith("cannot run") ? "skipped" : "failed");
                run.put("reason", o.note());
            } else {
                run.putAll(Reports.runJson(r, false));
                run.put("status", r.completed() ? "completed" : "diverged");
                run.put("isReference", r == ref);
                if (ref != null && r != ref) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("firstStepGradients", Reports.finite(RunResult.maxAbsDiff(r.firstGradients(),
                            ref.firstGradients())));
                    d.put("parameters", Reports.finite(RunResult.maxAbsDiff(r.parameters(), ref.parameters())));
                    d.put("losses", Reports.finite(maxLossDiff(r, ref)));
                    d.put("finalLoss", Reports.finite(Math.abs(r.finalLoss() - ref.finalLoss())));
                    run.put("maxAbsDiffVsReference", d);
                }
            }
            runs.add(run);
        }
        m.put("runs", runs);
        m.put("plot", plot == null ? null : plot.path().toString());
        return m;
    }
}
