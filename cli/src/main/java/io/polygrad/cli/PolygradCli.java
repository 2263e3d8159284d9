package io.polygrad.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code polygrad} command, with the subcommands {@code fit}, {@code compare}, {@code train},
 * {@code conformance} and {@code backends}.
 *
 * <pre>{@code
 * $ ./polygrad fit quadratic
 * $ ./polygrad compare relu --steps 500
 * $ ./polygrad train fashion-mnist
 * $ ./polygrad backends
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 failure while running, 2 bad input (with a usage message on stderr).
 * Tests run the command in-process through {@link #commandLine()}.
 */
@Command(name = "polygrad", mixinStandardHelpOptions = true, versionProvider = PolygradCli.Version.class,
        description = "Fit the polygrad problems on any backend, compare backends, and run the conformance suite.",
        subcommands = {FitCommand.class, CompareCommand.class, TrainCommand.class, ConformanceCommand.class, BackendsCommand.class,
            CommandLine.HelpCommand.class})
public final class PolygradCli implements Callable<Integer> {

    /** Exit code for bad input: unknown names, malformed values, unusable files. */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    /** Exit code for a failure while running. */
    public static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

    private static final Logger LOG = LoggerFactory.getLogger(PolygradCli.class);

    @Spec
    private CommandSpec spec;

    /** Runs the command with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** Creates the configured command line (case-insensitive enum values, clean error reports). */
    public static CommandLine commandLine() {
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new PolygradCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            LOG.debug("{} failed", commandLine.getCommandName(), ex);
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getColorScheme().errorText("polygrad " + commandLine.getCommandName()
                    + ": " + describe(ex)));
            err.flush();
            return EXIT_FAILURE;
        });
        return cl;
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.toString() : message;
    }

    /** Without a subcommand: a usage error listing the subcommands. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: fit, compare, train, conformance or backends");
    }

    /** The version provider: the version from the jar manifest, or {@code dev} when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PolygradCli.class.getPackage().getImplementationVersion();
            return new String[] {"polygrad " + (v == null ? "dev" : v), "Java " + Runtime.version()};
        }
    }
}
