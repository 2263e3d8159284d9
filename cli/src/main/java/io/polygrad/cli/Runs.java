package io.polygrad.cli;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.cli.data.CsvData;
import io.polygrad.cli.data.CsvFormatException;
import io.polygrad.cli.data.XyData;
import io.polygrad.cli.output.OutputFile;
import io.polygrad.cli.run.RunResult;
import io.polygrad.cli.run.RunSpec;
import io.polygrad.config.ConfigResolver;
import io.polygrad.config.PolygradConfig;
import io.polygrad.problems.Problem;
import io.polygrad.problems.Problems;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The checks of a training command's inputs: every name, number and file is validated here,
 * before any engine starts, and each failure becomes a usage error (exit code 2).
 */
final class Runs {

    private Runs() {
    }

    /** Returns the problem called {@code name}, or a usage error listing the known ones. */
    static Problem problem(CommandSpec spec, String name) {
        try {
            return Problems.byName(name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Returns the configuration from system properties, environment and polygrad.properties, plus the options. */
    static PolygradConfig config(CommandSpec spec, TrainingOptions o) {
        return config(spec, o.device, o.dtype, o.seed, o.threads);
    }

    /**
     * Returns the resolved configuration with the options that are set ({@code null} ones left as
     * configured), or a usage error when the configuration itself is invalid.
     */
    static PolygradConfig config(CommandSpec spec, Device device, DType dtype, Long seed, Integer threads) {
        PolygradConfig config;
        try {
            config = ConfigResolver.resolveDefault();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), "Invalid polygrad configuration: " + e.getMessage());
        }
        if (device != null) {
            config = config.withDevice(device);
        }
        if (dtype != null) {
            config = config.withDType(dtype);
        }
        if (seed != null) {
            config = config.withSeed(seed);
        }
        if (threads != null) {
            config = config.withThreads(threads);
        }
        return config;
    }

    /**
     * Returns the run spec of the options for {@code problem}, reading and checking the CSV file if one is
     * given: every value must be representable in {@code dtype} (1e39 is infinite in float32).
     */
    static RunSpec runSpec(CommandSpec spec, Problem problem, TrainingOptions o, DType dtype) {
        if (o.setting != null) {
            try {
                problem.setting(o.setting);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        XyData data = null;
        if (o.data != null) {
            try {
                data = CsvData.load(o.data);
            } catch (CsvFormatException e) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '--data': " + e.getMessage());
            }
            checkRange(spec, data, dtype);
        }
        return new RunSpec(problem, o.setting, o.optimizer, o.lr, o.steps, data);
    }

    /** Rejects data with a value that overflows {@code dtype}, naming the point, the value and the range. */
    private static void checkRange(CommandSpec spec, XyData data, DType dtype) {
        if (dtype != DType.FLOAT32) {
            return; // CsvData already rejects values beyond the double range
        }
        double[][] columns = {data.x(), data.y()};
        for (int i = 0; i < data.size(); i++) {
            for (int c = 0; c < 2; c++) {
                double v = columns[c][i];
                if (Float.isInfinite((float) v)) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--data': "
                            + data.source() + ": point " + (i + 1) + " has " + (c == 0 ? "x" : "y") + " = " + v
                            + ", which overflows float32 (largest " + Float.MAX_VALUE + "); use --dtype f64 or"
                            + " rescale the data");
                }
            }
        }
    }

    /**
     * Rejects a fit whose loss was already NaN or infinite at step 1, before any update: the data or the
     * model's first output overflow the dtype, which no learning rate can fix.
     */
    static void checkFirstLoss(CommandSpec spec, RunResult result) {
        if (!result.completed() && result.stepsRun() == 1) {
            throw new ParameterException(spec.commandLine(), "The loss is " + result.finalLoss() + " at step 1,"
                    + " before any update: the data overflow " + result.dtype() + " in the " + result.lossName()
                    + " loss; use --dtype f64 or rescale the data");
        }
    }

    /** Returns the checked plot file, {@code null} with {@code --no-plot}. */
    static OutputFile plotFile(CommandSpec spec, TrainingOptions o, String defaultName) {
        return plotFile(spec, o.plot, o.noPlot, defaultName);
    }

    /** Returns the checked PNG file of {@code --plot} (or {@code defaultName}), or {@code null} with {@code --no-plot}. */
    static OutputFile plotFile(CommandSpec spec, Path plot, boolean noPlot, String defaultName) {
        if (noPlot) {
            if (plot != null) {
                throw new ParameterException(spec.commandLine(), "--plot and --no-plot cannot be used together");
            }
            return null;
        }
        Path path = plot != null ? plot : Path.of(defaultName);
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--plot': " + path
                    + ": the plot is a PNG image; give a file name ending in .png");
        }
        return Cli.checkWritable(spec, path, "--plot");
    }
}
