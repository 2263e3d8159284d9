package io.polygrad.djl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a fresh JVM with {@code OMP_NUM_THREADS=1}, optionally
 * under {@code ulimit -v}; a native crash there shows as an exit code above 128, never as the death
 * of the test runner.
 */
final class DjlChildJvm {

    /** What the child printed (stdout and stderr together) and its exit status. */
    record Result(int exitCode, String output) {
    }

    private DjlChildJvm() {
    }

    /** Runs {@code mainClass}; with {@code addressSpaceKiB} set, under that {@code ulimit -v}. */
    static Result exec(Class<?> mainClass, Long addressSpaceKiB, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (addressSpaceKiB != null) {
            cmd.addAll(List.of("/bin/sh", "-c", "ulimit -v " + addressSpaceKiB + " && exec \"$0\" \"$@\""));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.addAll(List.of("-XX:ErrorFile=/dev/stderr", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        Path out = Files.createTempFile("polygrad-djl-child", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            pb.environment().put("MALLOC_ARENA_MAX", "2"); // arenas reserve address space per thread
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish in 180 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
