package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.Guice;
import io.polygrad.Device;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DjlThreadsTest {

    @Test
    @DisplayName("a backend created from a config with polygrad.threads sets libtorch's intra-op threads")
    void module_configuredThreads_setsLibtorchThreads() {
        int before = DjlBackend.threads();
        try {
            PolygradConfig config = PolygradConfig.defaults().withThreads(1);
            Guice.createInjector(new DjlModule(), b -> b.bind(PolygradConfig.class).toInstance(config))
                    .getInstance(Backend.class);
            assertEquals(1, DjlBackend.threads());
            new DjlBackend(Device.CPU, 3);
            assertEquals(3, DjlBackend.threads());
        } finally {
            new DjlBackend(Device.CPU, before);
        }
    }

    @Test
    void constructor_threadsBelowOne_throwsNamingTheBackend() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DjlBackend(Device.CPU, 0));
        assertEquals("djl: threads must be at least 1, got 0", e.getMessage());
    }
}
