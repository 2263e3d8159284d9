package io.polygrad;

import static io.polygrad.Checks.notNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.ConfigResolver;
import io.polygrad.config.PolygradConfig;
import io.polygrad.config.PolygradModule;

/**
 * The one static entry point for users who do not use Guice: engines made from configuration.
 *
 * <pre>{@code
 * Engine engine = Polygrad.engine();                 // backend from -Dpolygrad.backend, POLYGRAD_BACKEND,
 *                                                    // polygrad.properties, else scratch
 * Engine nd4j = Polygrad.createEngine(PolygradConfig.defaults().withBackend("nd4j"));
 * Engine mine = Polygrad.createEngine(new ScratchModule());   // an explicit module wins
 * }</pre>
 */
public final class Polygrad {

    private static volatile Engine defaultEngine;

    private Polygrad() {
    }

    /** Returns the process-wide engine, created on first use from {@link ConfigResolver#resolveDefault()}. */
    public static Engine engine() {
        Engine e = defaultEngine;
        if (e == null) {
            synchronized (Polygrad.class) {
                e = defaultEngine;
                if (e == null) {
                    e = createEngine(ConfigResolver.resolveDefault());
                    defaultEngine = e;
                }
            }
        }
        return e;
    }

    /** Creates an engine for {@code config}, choosing the backend by name among those on the classpath. */
    public static Engine createEngine(PolygradConfig config) {
        notNull(config, "Polygrad.createEngine", "config");
        return createInjector(config).getInstance(Engine.class);
    }

    /** Creates an injector holding {@link PolygradModule} and the configured backend's module. */
    public static Injector createInjector(PolygradConfig config) {
        notNull(config, "Polygrad.createInjector", "config");
        Module backendModule = BackendRegistry.fromClasspath().select(config).module();
        return Guice.createInjector(new PolygradModule(config), backendModule);
    }

    /**
     * Creates an engine on the backend bound by {@code backendModule}, which outranks every configured
     * backend name; device, dtype and seed still come from configuration.
     */
    public static Engine createEngine(Module backendModule) {
        notNull(backendModule, "Polygrad.createEngine", "backendModule");
        return createEngine(backendModule, ConfigResolver.resolveDefault());
    }

    /** Creates an engine on the backend bound by {@code backendModule} with an explicit config. */
    public static Engine createEngine(Module backendModule, PolygradConfig config) {
        notNull(backendModule, "Polygrad.createEngine", "backendModule");
        notNull(config, "Polygrad.createEngine", "config");
        return Guice.createInjector(new PolygradModule(config), backendModule).getInstance(Engine.class);
    }
}
