package io.polygrad.cli;

import io.polygrad.Device;
import io.polygrad.cli.output.OutputFile;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendProvider;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Small helpers shared by the subcommands. */
final class Cli {

    private Cli() {
    }

    /** Returns {@code provider.availability(device)}, turning a misbehaving provider's exception into a "no". */
    static Availability availability(BackendProvider provider, Device device) {
        try {
            return provider.availability(device);
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("its availability check failed: " + e);
        }
    }

    /**
     * Returns an {@link OutputFile} for {@code path}, or throws a usage error naming {@code option}
     * when it cannot be written.
     */
    static OutputFile checkWritable(CommandSpec spec, Path path, String option) {
        try {
            return OutputFile.checked(path);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': "
                    + e.getMessage());
        }
    }
}
