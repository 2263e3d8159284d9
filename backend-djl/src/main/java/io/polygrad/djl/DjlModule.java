package io.polygrad.djl;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;

/**
 * The Guice module binding {@link Backend} to a {@link DjlBackend} on the configured device.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new DjlModule(),
 *         binder -> binder.bind(PolygradConfig.class).toInstance(PolygradConfig.defaults().withBackend("djl")));
 * Backend backend = injector.getInstance(Backend.class);   // DjlBackend[cpu]
 * }</pre>
 *
 * <p>{@link #configure()} binds nothing and loads nothing; libtorch is loaded when the backend is
 * first provided.
 */
public final class DjlModule extends AbstractModule {

    /** Creates the module. */
    public DjlModule() {
    }

    @Override
    protected void configure() {
        // everything is provided lazily by backend(config)
    }

    /** Returns the injector's single djl backend, on {@code config.device()}. */
    @Provides
    @Singleton
    Backend backend(PolygradConfig config) {
        return new DjlBackend(config.device(), config.threads());
    }

    /** Returns whether {@code other} is this module too: installing it twice is harmless. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DjlModule;
    }

    @Override
    public int hashCode() {
        return DjlModule.class.hashCode();
    }
}
