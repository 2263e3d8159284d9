package io.polygrad.config;

import static io.polygrad.Checks.notNull;

import io.polygrad.DType;
import io.polygrad.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The resolver of the {@link PolygradConfig} in force, which reads each setting from the first
 * place that has it: system property ({@code polygrad.backend}), environment variable
 * ({@code POLYGRAD_BACKEND}), {@code polygrad.properties} on the classpath, then the default.
 *
 * <p>The settings are {@code backend} (default {@code scratch}), {@code device} ({@code cpu},
 * {@code cuda}, {@code cuda:N}; default {@code cpu}), {@code dtype} ({@code float32}/{@code float64};
 * default {@code float32}), {@code seed} (default 42) and {@code threads} (a positive integer or
 * {@code auto}; default {@link PolygradConfig#defaultThreads()}, the available processors). An explicit Guice module passed to
 * {@link io.polygrad.Polygrad#createEngine(com.google.inject.Module)} outranks all of them for the backend.
 *
 * <p>A bad value fails {@link #resolve()} with an {@link IllegalArgumentException} naming the key and
 * where the value came from: the system property, the environment variable, or the properties file by
 * its URL. A {@code polygrad.properties} that cannot be read, or that is malformed (a bad <code>&#92;u</code>
 * escape), fails naming its URL.
 */
public final class ConfigResolver {

    /** The classpath resource read as the last configured rung. */
    public static final String PROPERTIES_RESOURCE = "polygrad.properties";

    private final Properties systemProperties;
    private final Map<String, String> environment;
    private final Properties file;
    private final String fileName;

    /** Creates a resolver over explicit sources (tests use this to show each rung). */
    public ConfigResolver(Properties systemProperties, Map<String, String> environment, Properties file) {
        this(systemProperties, environment, file, PROPERTIES_RESOURCE);
    }

    /**
     * Creates a resolver over explicit sources, naming the properties file {@code fileName} (e.g. its URL)
     * in {@link #sourceOf} and in errors.
     */
    public ConfigResolver(Properties systemProperties, Map<String, String> environment, Properties file,
            String fileName) {
        this.systemProperties = notNull(systemProperties, "ConfigResolver", "systemProperties");
        this.environment = notNull(environment, "ConfigResolver", "environment");
        this.file = notNull(file, "ConfigResolver", "file");
        this.fileName = notNull(fileName, "ConfigResolver", "fileName");
    }

    /** Returns the configuration from this JVM's system properties, environment and classpath. */
    public static PolygradConfig resolveDefault() {
        URL url = classpathPropertiesUrl();
        Properties file = url == null ? new Properties() : load(url);
        return new ConfigResolver(System.getProperties(), System.getenv(), file,
                url == null ? PROPERTIES_RESOURCE : url.toString()).resolve();
    }

    /** Returns the configuration from this resolver's sources. */
    public PolygradConfig resolve() {
        PolygradConfig d = PolygradConfig.defaults();
        String backend = lookup("backend", d.backend()).toLowerCase(Locale.ROOT);
        Device device = parse("device", d.device(), Device::parse);
        DType dtype = parse("dtype", d.dtype(), DType::parseFloatingPoint);
        long seed = parse("seed", d.seed(), text -> {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer", e);
            }
        });
        int threads = parse("threads", d.threads(), ConfigResolver::parseThreads);
        return new PolygradConfig(backend, device, dtype, seed, threads);
    }

    /** Parses a thread count: a positive integer, or {@code auto} for {@link PolygradConfig#defaultThreads()}. */
    private static int parseThreads(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("auto")) {
            return PolygradConfig.defaultThreads();
        }
        int n;
        try {
            n = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a positive integer or 'auto'", e);
        }
        if (n < 1) {
            throw new IllegalArgumentException("expected a positive integer or 'auto', got " + n);
        }
        return n;
    }

    /** Returns the value of {@code key} parsed, or {@code fallback}; a bad value's error names the key's source. */
    private <T> T parse(String key, T fallback, Function<String, T> parser) {
        String text = lookup(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid polygrad." + key + " '" + text + "' in " + sourceOf(key) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns where a setting comes from: {@code system property …}, {@code environment variable …}, the
     * properties file's name ({@code polygrad.properties}, or its URL when {@link #resolveDefault()} found
     * it) or {@code default}.
     */
    public String sourceOf(String key) {
        notNull(key, "ConfigResolver.sourceOf", "key");
        if (nonBlank(systemProperties.getProperty("polygrad." + key))) {
            return "system property polygrad." + key;
        }
        if (nonBlank(environment.get(envName(key)))) {
            return "environment variable " + envName(key);
        }
        if (nonBlank(file.getProperty("polygrad." + key))) {
            return fileName;
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

    /**
     * Returns {@code polygrad.properties} from the context class loader, or empty properties if absent.
     *
     * @throws UncheckedIOException naming the file's URL if it cannot be read
     * @throws IllegalArgumentException naming the file's URL if it is malformed (a bad <code>&#92;u</code> escape)
     */
    public static Properties loadClasspathProperties() {
        URL url = classpathPropertiesUrl();
        return url == null ? new Properties() : load(url);
    }

    private static URL classpathPropertiesUrl() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ConfigResolver.class.getClassLoader();
        }
        return cl.getResource(PROPERTIES_RESOURCE);
    }

    private static Properties load(URL url) {
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + url + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Malformed " + url + ": " + e.getMessage(), e);
        }
        return p;
    }
}
