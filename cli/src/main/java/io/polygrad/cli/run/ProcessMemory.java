package io.polygrad.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The resident set size (RSS) of this process: Java heap, native memory of the backends and everything
 * else the operating system has in RAM for it, read from {@code /proc/self/status} (Linux).
 *
 * <pre>{@code
 * long bytes = ProcessMemory.residentBytes();   // -1 where /proc is not available
 * }</pre>
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** Returns the resident set size in bytes ({@code VmRSS}), or -1 where it cannot be read. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Returns the Java heap this JVM has committed ({@link Runtime#totalMemory()}) as e.g. {@code 256 MB}:
     * the part of the RSS that grows when the garbage collector enlarges the heap, not native memory.
     */
    public static String heapText() {
        return String.format(Locale.ROOT, "%,d MB", Runtime.getRuntime().totalMemory() / (1024 * 1024));
    }

    /** Returns the resident set size as e.g. {@code 812 MB}, or {@code n/a} where it cannot be read. */
    public static String residentText() {
        long b = residentBytes();
        return b < 0 ? "n/a" : String.format(Locale.ROOT, "%,d MB", b / (1024 * 1024));
    }
}
