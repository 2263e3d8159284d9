package io.polygrad.cli;

import io.polygrad.config.BackendRegistry;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.conformance.ConformanceReport;
import io.polygrad.conformance.ConformanceRunner;
import io.polygrad.cli.output.OutputFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code polygrad conformance} command: every check of the conformance suite (the list the
 * backends' JUnit suites run: op samples, initial values, float64 precision, autograd semantics, random
 * programs and the three problems) against one backend or every backend that can run here, printing the
 * Markdown report. It runs the suite's JUnit-free core, so the CLI ships without JUnit. Exit code 0 when
 * every check passes, 1 when one fails.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true, versionProvider = PolygradCli.Version.class,
        description = {
    "Run the conformance suite against the backends on the classpath and print its report."})
public final class ConformanceCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-b", "--backend"}, paramLabel = "B",
            description = "Backend to test (default: every backend that can run here).")
    private String backend;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report to FILE.")
    private Path report;

    @Option(names = "--ops-only", description = "Run only the checks below the problem level: op samples, "
            + "initial values, precision, autograd semantics and random programs (seconds instead of minutes).")
    private boolean opsOnly;

    @Override
    public Integer call() throws IOException {
        List<BackendUnderTest> backends = BackendUnderTest.onClasspath();
        if (backend != null) {
            if (!BackendRegistry.fromClasspath().names().contains(backend)) {
                throw new ParameterException(spec.commandLine(), "Unknown backend '" + backend
                        + "': available backends are " + String.join(", ", BackendRegistry.fromClasspath().names()));
            }
            backends = backends.stream().filter(b -> b.name().equals(backend)).collect(Collectors.toList());
            if (backends.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Backend '" + backend
                        + "' is on the classpath but cannot run on the CPU here; see 'polygrad backends'");
            }
        }
        OutputFile reportFile = report == null ? null : Cli.checkWritable(spec, report, "--report");
        PrintWriter err = spec.commandLine().getErr();
        ConformanceRunner runner = new ConformanceRunner().onProgress(line -> {
            err.println(line);
            err.flush();
        });
        if (opsOnly) {
            runner = runner.withProblemCases(List.of());
        }
        ConformanceReport result = runner.run(backends);
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.toMarkdown());
        out.flush();
        if (reportFile != null) {
            String markdown = result.toMarkdown();
            reportFile.write(out2 -> out2.write(markdown.getBytes(StandardCharsets.UTF_8)));
            err.println("Report: " + reportFile.path().toAbsolutePath());
            err.flush();
        }
        return result.passed() ? 0 : 1;
    }
}
