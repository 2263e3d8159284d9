package io.polygrad.conformance;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * A runner of a main class of the test classpath in a fresh JVM, with {@code OMP_NUM_THREADS=1}:
 * what a native backend's tests use to probe something that could crash a JVM
 * ({@link ConcurrentCloseProbe}, {@link AllocationFailureProbe}) without taking the test runner down.
 *
 * <pre>{@code
 * ChildJvm.Result r = ChildJvm.exec(ConcurrentCloseProbe.class, entry -> false, null, "-Dbackend=nd4j");
 * assertEquals(0, r.exitCode(), r.output());
 * }</pre>
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Returns the test classpath entries (unpacking Surefire's manifest-only jar if it is used). */
    public static List<String> classpath() throws IOException {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isEmpty()) {
            cp = System.getProperty("java.class.path");
        }
        List<String> entries = new ArrayList<>(Arrays.asList(cp.split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
            try (JarFile jar = new JarFile(entries.get(0))) {
                String manifestCp = jar.getManifest() == null ? null
                        : jar.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifestCp != null) {
                    entries.clear();
                    for (String url : manifestCp.trim().split("\\s+")) {
                        entries.add(Path.of(java.net.URI.create(url)).toString());
                    }
                }
            }
        }
        return entries;
    }

    /** Runs {@code mainClass} with the classpath minus entries matching {@code drop}; returns stdout + stderr. */
    public static String run(Class<?> mainClass, Predicate<String> drop, String... jvmArgs) throws Exception {
        return exec(mainClass, drop, null, jvmArgs).output();
    }

    /** What a child JVM printed (stdout and stderr together) and its exit status. */
    public record Result(int exitCode, String output) {
    }

    /**
     * Runs {@code mainClass} in a child JVM with {@code OMP_NUM_THREADS=1}; with {@code addressSpaceKiB}
     * set, the child runs under {@code ulimit -v} so that a large native allocation fails at once
     * instead of being granted by overcommit. A crash of the child (a signal) shows as an exit code
     * above 128 and an {@code hs_err} report in the output; it never takes the test JVM down.
     */
    public static Result exec(Class<?> mainClass, Predicate<String> drop, Long addressSpaceKiB, String... jvmArgs)
            throws Exception {
        String cp = classpath().stream().filter(drop.negate()).collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.add("-XX:ErrorFile=/dev/stderr");
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass.getName());
        if (addressSpaceKiB != null) {
            List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c",
                    "ulimit -v " + addressSpaceKiB + " && exec \"$0\" \"$@\""));
            shell.addAll(cmd);
            cmd = shell;
        }
        Path out = Files.createTempFile("polygrad-child-jvm", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            pb.environment().put("MALLOC_ARENA_MAX", "2"); // arenas reserve address space per thread
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
