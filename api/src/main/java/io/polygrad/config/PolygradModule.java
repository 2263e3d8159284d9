package io.polygrad.config;

import static io.polygrad.Checks.notNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.polygrad.Engine;
import io.polygrad.spi.Backend;

/**
 * The Guice module of polygrad's core bindings: the {@link PolygradConfig} and the {@link Engine}
 * on whatever {@link Backend} a backend module binds. Install it next to one backend module:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *         new PolygradModule(PolygradConfig.defaults()), new ScratchModule());
 * Engine engine = injector.getInstance(Engine.class);
 * }</pre>
 *
 * <p>{@code Modules.override(...)} works as usual to swap the backend in tests.
 */
public final class PolygradModule extends AbstractModule {

    private final PolygradConfig config;

    /** Creates the module for {@code config}. */
    public PolygradModule(PolygradConfig config) {
        this.config = notNull(config, "PolygradModule", "config");
    }

    @Override
    protected void configure() {
        bind(PolygradConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    Engine engine(Backend backend, PolygradConfig cfg) {
        return new Engine(backend, cfg);
    }
}
