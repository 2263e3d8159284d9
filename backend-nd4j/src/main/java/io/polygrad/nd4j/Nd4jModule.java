package io.polygrad.nd4j;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;

/**
 * The Guice module binding {@link Backend} to an {@link Nd4jBackend} on the configured device.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *         new PolygradModule(PolygradConfig.defaults().withBackend("nd4j")), new Nd4jModule());
 * }</pre>
 *
 * <p>{@link #configure()} loads nothing; ND4J's native libraries load when the backend is first
 * provided. Provisioning fails with a message naming the missing artifact or device when ND4J
 * cannot run on {@link PolygradConfig#device()} here (e.g. {@code cuda} without the CUDA build).
 */
public final class Nd4jModule extends AbstractModule {

    /** Creates the module. */
    public Nd4jModule() {
    }

    @Override
    protected void configure() {
        // the binding is the @Provides method below; nothing is loaded here
    }

    /** Returns the injector's single nd4j backend, on {@code config.device()}. */
    @Provides
    @Singleton
    Backend backend(PolygradConfig config) {
        return new Nd4jBackend(config.device(), config.threads());
    }

    /** Returns whether {@code other} is this module too: installing it twice is harmless. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Nd4jModule;
    }

    @Override
    public int hashCode() {
        return Nd4jModule.class.hashCode();
    }
}
