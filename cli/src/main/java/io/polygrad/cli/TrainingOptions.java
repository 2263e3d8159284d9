package io.polygrad.cli;

import io.polygrad.DType;
import io.polygrad.Device;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The training options {@code fit} and {@code compare} share; unset options are {@code null}. */
public final class TrainingOptions {

    @Option(names = "--setting", paramLabel = "NAME",
            description = "One of the problem's classic settings (default: its first), e.g. quadratic's"
                    + " zero-grad or literal (the loop that never zeroes gradients).")
    String setting;

    @Option(names = "--device", paramLabel = "D", converter = Converters.DeviceConverter.class,
            description = "cpu, cuda or cuda:N (default: polygrad.device, else cpu).")
    Device device;

    @Option(names = "--dtype", paramLabel = "f32|f64", converter = Converters.DTypeConverter.class,
            description = "Floating-point precision (default: polygrad.dtype, else f32).")
    DType dtype;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", converter = Converters.OptimizerConverter.class,
            description = "Optimizer (default: the setting's).")
    OptimizerChoice optimizer;

    @Option(names = "--lr", paramLabel = "X", converter = Converters.LearningRateConverter.class,
            description = "Learning rate > 0 (default: the setting's).")
    Double lr;

    @Option(names = "--steps", paramLabel = "N", converter = Converters.StepsConverter.class,
            description = "Number of full-batch steps >= 1 (default: the setting's).")
    Integer steps;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.SeedConverter.class,
            description = "Seed of the generator that makes initial weights and data"
                    + " (default: polygrad.seed, else 42).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", converter = Converters.ThreadsConverter.class,
            description = "Threads the backend's kernels use (default: polygrad.threads, else the available processors;"
                    + " 1 is faster on cores shared with other busy processes).")
    Integer threads;

    @Option(names = "--data", paramLabel = "CSV",
            description = "Fit these x,y points instead of the problem's data (header line optional).")
    Path data;

    @Option(names = "--plot", paramLabel = "PNG",
            description = "Where to write the plot"
                    + " (default: polygrad-<problem>.png, or polygrad-compare-<problem>.png).")
    Path plot;

    @Option(names = "--no-plot", description = "Do not write a plot.")
    boolean noPlot;

    @Option(names = "--json", description = "Print a machine-readable JSON result on stdout instead of text.")
    boolean json;
}
