package io.polygrad.cli;

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
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.BackendUnavailableException;
import io.polygrad.config.PolygradConfig;
import io.polygrad.problems.Problem;
import io.polygrad.spi.BackendProvider;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The fit command, {@code polygrad fit PROBLEM}, which trains one of the reference problems on one
 * backend, shows a progress bar on a terminal, prints the final parameters and loss, and writes a PNG
 * of the data with the fitted curve beside the loss curve.
 *
 * <pre>{@code
 * $ polygrad fit quadratic
 * $ polygrad fit line --backend nd4j --dtype f64 --optimizer sgd --lr 0.1 --steps 300 --json
 * }</pre>
 *
 * <p>Exit codes: 0 when training completes, 1 when the loss becomes NaN or infinite (the plot is still
 * written), 2 for bad input, checked before training starts (data values that overflow the dtype
 * among them), and for a loss that is already NaN or infinite at step 1, before any update, which no
 * learning rate can fix (no plot is written then).
 */
@Command(name = "fit", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = PolygradCli.Version.class,
        description = {"Train a problem on one backend; print the final parameters and loss, and plot the fit.",
            "Problems: line, quadratic, relu, double-relu."})
public final class FitCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROBLEM", description = "line, quadratic, relu or double-relu.")
    private String problemName;

    @Option(names = {"-b", "--backend"}, paramLabel = "B",
            description = "Backend: scratch, nd4j, djl (default: polygrad.backend, else scratch).")
    private String backend;

    @Mixin
    private TrainingOptions options;

    @Override
    public Integer call() throws Exception {
        Problem problem = Runs.problem(spec, problemName);
        PolygradConfig config = Runs.config(spec, options);
        if (backend != null) {
            config = config.withBackend(backend.trim().toLowerCase(Locale.ROOT));
        }
        BackendProvider provider;
        try {
            provider = BackendRegistry.fromClasspath().select(config);
        } catch (BackendUnavailableException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        RunSpec runSpec = Runs.runSpec(spec, problem, options, config.dtype());
        OutputFile plot = Runs.plotFile(spec, options, "polygrad-" + problem.name() + ".png");

        Engine engine = Polygrad.createEngine(provider.module(), config);
        PrintWriter out = spec.commandLine().getOut();
        RunResult result;
        try (FitRun run = FitRun.prepare(engine, runSpec)) {
            if (!options.json) {
                header(out, run, problem);
            }
            try (StepProgress progress = StepProgress.create("fit " + problem.name(), run.plan().steps(),
                    StepProgress.isInteractive())) {
                result = run.fit(e -> progress.step(e.loss()));
            }
        }
        Runs.checkFirstLoss(spec, result);
        if (plot != null) {
            plot.write(new FitPlot("polygrad fit " + problem.name() + " on " + result.label(),
                    Reports.settingsLine(result) + " · final " + result.lossName() + " "
                            + Format.number(result.finalLoss()),
                    Reports.dataSeries(result),
                    List.of(new Series("fitted " + problem.name(), result.curveX(), result.curveY())),
                    result.lossLongName(), List.of(Series.ofSteps(result.label(), result.losses())))::writePng);
        }
        if (options.json) {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("command", "fit");
            json.put("problem", problem.name());
            json.put("data", Map.of("source", result.dataSource(), "points", result.dataX().length));
            json.putAll(Reports.runJson(result, true));
            json.put("plot", plot == null ? null : plot.path().toString());
            out.println(Reports.json().writeValueAsString(json));
        } else {
            footer(out, result, plot);
        }
        out.flush();
        if (!result.completed()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("polygrad fit: training stopped at step " + result.stepsRun() + ": the loss became "
                    + Format.number(result.finalLoss()) + " (try a smaller --lr)");
            err.flush();
            return PolygradCli.EXIT_FAILURE;
        }
        return 0;
    }

    private static void header(PrintWriter out, FitRun run, Problem problem) {
        Engine e = run.engine();
        out.printf("polygrad fit %s on %s (%s, %s, seed %d)%n", problem.name(), e.backend().name(), e.device(),
                e.dtype(), e.config().seed());
        out.printf("  model     %s%n", problem.description());
        out.printf("  data      %s, %d points%n", run.dataSource(), run.dataSize());
        out.printf("  training  %s%n", run.plan().describe());
        out.println();
        out.flush();
    }

    private static void footer(PrintWriter out, RunResult r, OutputFile plot) {
        Reports.lossTable(out, r);
        out.println();
        out.println("Final parameters");
        Reports.parameters(out, r.parameters(), "  ");
        out.printf("Final loss (%s): %s after %d steps%n", r.lossName(), Format.number(r.finalLoss()), r.stepsRun());
        out.printf("Time: %s ms, %s ms/step (median)%n", Format.millis(r.totalMs()), Format.millis(r.msPerStep()));
        if (plot != null) {
            out.printf("Plot: %s%n", plot.path());
        }
    }
}
