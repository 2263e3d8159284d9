package io.polygrad.scratch;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.polygrad.Device;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;

/**
 * Creates the Guice binding of {@link Backend} to the pure-Java {@link ScratchBackend}. The scratch
 * backend runs on the CPU only; asking it for another device fails at provision time.
 */
public final class ScratchModule extends AbstractModule {

    @Provides
    @Singleton
    Backend backend(PolygradConfig config) {
        if (config.device().type() != Device.Type.CPU) {
            throw new IllegalArgumentException("The scratch backend runs on the CPU only, but device "
                    + config.device() + " was configured; use polygrad.backend=nd4j or djl for CUDA");
        }
        return new ScratchBackend();
    }
}
