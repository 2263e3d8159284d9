package io.polygrad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.polygrad.Device;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.ConfigResolver;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendProvider;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The backends command, {@code polygrad backends}, which lists every backend found through
 * ServiceLoader, whether it can run here (and why not), its devices and library versions, the
 * backends polygrad knows that are not on the classpath, and which backend the configuration picks.
 */
@Command(name = "backends", mixinStandardHelpOptions = true, versionProvider = PolygradCli.Version.class,
        description = {
    "List the backends on the classpath: whether each can run here (and why not), its devices and"
            + " versions, and the backend the configuration picks."})
public final class BackendsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print a machine-readable JSON result instead of text.")
    private boolean json;

    /**
     * What is known about one backend.
     *
     * @param name      the configuration name
     * @param artifact  the Maven coordinates that provide it
     * @param onClasspath whether its provider was found
     * @param available whether it can run on the CPU here
     * @param reason    why not, empty when it can
     * @param devices   devices it can use here
     * @param versions  versions of the libraries behind it
     */
    public record BackendInfo(String name, String artifact, boolean onClasspath, boolean available, String reason,
            List<String> devices, String versions) {
    }

    /** Returns the backends as shown by this command: those found first, then known ones that are absent. */
    public static List<BackendInfo> describe(BackendRegistry registry) {
        List<BackendInfo> out = new ArrayList<>();
        for (BackendProvider p : registry.providers()) {
            Availability a = Cli.availability(p, Device.CPU);
            List<String> devices;
            String versions;
            try {
                devices = a.available() ? p.devices().stream().map(Device::toString).collect(Collectors.toList())
                        : List.of();
            } catch (RuntimeException | LinkageError e) {
                devices = List.of();
            }
            try {
                versions = p.versions();
            } catch (RuntimeException | LinkageError e) {
                versions = "unknown (" + e + ")";
            }
            out.add(new BackendInfo(p.name(), p.artifact(), true, a.available(), a.reason(), devices, versions));
        }
        List<String> found = registry.names();
        BackendRegistry.KNOWN_ARTIFACTS.entrySet().stream()
                .filter(e -> !found.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(new BackendInfo(e.getKey(), e.getValue(), false, false,
                        "not on the classpath; add " + e.getValue(), List.of(), "")));
        return out;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendInfo> infos = describe(BackendRegistry.fromClasspath());
        ConfigResolver resolver = new ConfigResolver(System.getProperties(), System.getenv(),
                ConfigResolver.loadClasspathProperties());
        String configured;
        String source;
        try {
            PolygradConfig config = resolver.resolve();
            configured = config.backend();
            source = resolver.sourceOf("backend");
        } catch (IllegalArgumentException e) {
            configured = "?";
            source = "invalid configuration: " + e.getMessage();
        }
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("configuredBackend", configured);
            result.put("configuredFrom", source);
            result.put("backends", infos);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            out.flush();
            return 0;
        }
        out.println("Backends");
        for (BackendInfo b : infos) {
            String state = !b.onClasspath() ? "absent" : b.available() ? "ready" : "cannot run";
            out.printf("  %-8s  %-10s  %s%n", b.name(), state, b.artifact());
            if (b.available()) {
                out.printf("  %-8s  %-10s  devices: %s%n", "", "", String.join(", ", b.devices()));
            } else {
                out.printf("  %-8s  %-10s  %s%n", "", "", b.reason());
            }
            if (!b.versions().isEmpty()) {
                out.printf("  %-8s  %-10s  versions: %s%n", "", "", b.versions());
            }
        }
        out.printf("Configured backend: %s (from %s)%n", configured, source);
        out.flush();
        return 0;
    }
}
