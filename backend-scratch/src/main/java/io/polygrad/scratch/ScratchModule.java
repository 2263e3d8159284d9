package io.polygrad.scratch;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;

/**
 * The Guice module binding {@link Backend} to the pure-Java {@link ScratchBackend}. The scratch
 * backend runs on the CPU only; asking it for another device fails at provision time.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new PolygradModule(PolygradConfig.defaults()), new ScratchModule());
 * }</pre>
 */
public final class ScratchModule extends AbstractModule {

    /** Creates the module. */
    public ScratchModule() {
    }

    @Override
    protected void configure() {
        // the binding is the @Provides method below; nothing is loaded here
    }

    /** Returns the injector's single scratch backend; fails for a device other than the CPU. */
    @Provides
    @Singleton
    Backend backend(PolygradConfig config) {
        return new ScratchBackend(config.device(), config.threads());
    }

    /** Returns whether {@code other} is this module too: installing it twice is harmless. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ScratchModule;
    }

    @Override
    public int hashCode() {
        return ScratchModule.class.hashCode();
    }
}
