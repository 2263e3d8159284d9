package io.polygrad.config;

import io.polygrad.DType;
import io.polygrad.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The resolver of the {@link PolygradConfig} in force, which reads each setting from the first
 * place that has it: system property ({@code polygrad.backend}), environment variable
 * ({@code POLYGRAD_BACKEND}), {@code polygrad.properties} on the classpath, then the default.
 *
 * <p>The settings are {@code backend} (default {@code scratch}), {@code device} ({@code cpu},
 * {@code cuda}, {@code cuda:N}; default {@code cpu}), {@code dtype} ({@code float32}/{@code float64};
 * default {@code float32}) and {@code seed} (default 42). An explicit Guice module passed to
 * {@link io.polygrad.Polygrad#createEngine(com.google.inject.Module)} outranks all of them for the backend.
 */
public final class ConfigResolver {

    /** The classpath resource read as the last configured rung. */
    public static final String PROPERTIES_RESOURCE = "polygrad.properties";

    private final Properties systemProperties;
    private final Map<String, String> environment;
    private final Properties file;

    /** Creates a resolver over explicit sources (tests use this to show each rung). */
    public ConfigResolver(Properties systemProperties, Map<String, String> environment, Properties file) {
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.file = file;
    }

    /** Returns the configuration from this JVM's system properties, environment and classpath. */
    public static PolygradConfig resolveDefault() {
        return new ConfigResolver(System.getProperties(), System.getenv(), loadClasspathProperties()).resolve();
    }

    /** Returns the configuration from this resolver's sources. */
    public PolygradConfig resolve() {
        PolygradConfig d = PolygradConfig.defaults();
        String backend = lookup("backend", d.backend()).toLowerCase(Locale.ROOT);
        Device device = Device.parse(lookup("device", d.device().toString()));
        DType dtype = DType.parse(lookup("dtype", d.dtype().toString()));
        String seedText = lookup("seed", Long.toString(d.seed()));
        long seed;
        try {
            seed = Long.parseLong(seedText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("polygrad.seed must be an integer, got '" + seedText + "'", e);
        }
        return new PolygradConfig(backend, device, dtype, seed);
    }

    /** Returns where a setting comes from: {@code system property}, {@code environment}, {@code polygrad.properties} or {@code default}. */
    public String sourceOf(String key) {
        if (nonBlank(systemProperties.getProperty("polygrad." + key))) {
            return "system property polygrad." + key;
        }
        if (nonBlank(environment.get(envName(key)))) {
            return "environment variable " + envName(key);
        }
        if (nonBlank(file.getProperty("polygrad." + key))) {
            return PROPERTIES_RESOURCE;
        }
        return "default";
    }

    /**
     * Returns the value of setting {@code polygrad.<key>} from the first source that sets it (system
     * property, environment variable {@code POLYGRAD_<KEY>}, {@code polygrad.properties}), trimmed;
     * empty when none does. {@link #sourceOf} says which source it came from.
     */
    public Optional<String> value(String key) {
        return Optional.ofNullable(lookup(key, null));
    }

    private String lookup(String key, String fallback) {
        String v = systemProperties.getProperty("polygrad." + key);
        if (nonBlank(v)) {
            return v.trim();
        }
        v = environment.get(envName(key));
        if (nonBlank(v)) {
            return v.trim();
        }
        v = file.getProperty("polygrad." + key);
        if (nonBlank(v)) {
            return v.trim();
        }
        return fallback;
    }

    private static String envName(String key) {
        return "POLYGRAD_" + key.toUpperCase(Locale.ROOT);
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** Returns {@code polygrad.properties} from the context class loader, or empty properties if absent. */
    public static Properties loadClasspathProperties() {
        Properties p = new Properties();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ConfigResolver.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream(PROPERTIES_RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PROPERTIES_RESOURCE + " from the classpath", e);
        }
        return p;
    }
}
