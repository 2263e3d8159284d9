package io.polygrad.config;

import io.polygrad.Checks;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The registry of backends on the classpath (found through {@link ServiceLoader}), which picks one
 * by name, failing loudly, never falling back silently.
 */
public final class BackendRegistry {

    /** Backends polygrad ships, with the artifact that provides each. */
    public static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
            "scratch", "io.polygrad:polygrad-backend-scratch",
            "nd4j", "io.polygrad:polygrad-backend-nd4j",
            "djl", "io.polygrad:polygrad-backend-djl");

    private final List<BackendProvider> providers;

    /** Creates a registry over explicit providers. */
    public BackendRegistry(List<BackendProvider> providers) {
        Checks.noNulls(providers, "BackendRegistry", "providers");
        Map<String, BackendProvider> byName = new LinkedHashMap<>();
        for (BackendProvider p : providers) {
            byName.putIfAbsent(p.name(), p);
        }
        this.providers = List.copyOf(byName.values());
    }

    /** Returns a registry of every provider the class loader can find. */
    public static BackendRegistry fromClasspath() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, cl == null ? BackendRegistry.class.getClassLoader() : cl)
                .forEach(found::add);
        return new BackendRegistry(found);
    }

    /** Returns the providers found, in discovery order. */
    public List<BackendProvider> providers() {
        return providers;
    }

    /** Returns the names of the providers found. */
    public List<String> names() {
        return providers.stream().map(BackendProvider::name).collect(Collectors.toList());
    }

    /**
     * Returns the provider for {@code config.backend()} after checking that it can run on
     * {@code config.device()}.
     *
     * @throws BackendUnavailableException naming the available backends and the artifact to add
     */
    public BackendProvider select(PolygradConfig config) {
        Checks.notNull(config, "BackendRegistry.select", "config");
        String name = config.backend();
        BackendProvider provider = null;
        for (BackendProvider p : providers) {
            if (p.name().equals(name)) {
                provider = p;
            }
        }
        if (provider == null) {
            String artifact = KNOWN_ARTIFACTS.get(name);
            throw new BackendUnavailableException("Backend '" + name + "' is not on the classpath. Available backends: "
                    + (providers.isEmpty() ? "none" : String.join(", ", names())) + ". "
                    + (artifact != null ? "Add the Maven artifact " + artifact + "."
                            : "Known backends: " + String.join(", ", KNOWN_ARTIFACTS.keySet().stream().sorted()
                                    .collect(Collectors.toList())) + "."));
        }
        Availability a = provider.availability(config.device());
        if (!a.available()) {
            throw new BackendUnavailableException("Backend '" + name + "' cannot run on device " + config.device()
                    + ": " + a.reason() + ". Available backends: " + String.join(", ", names()) + ".");
        }
        return provider;
    }
}
