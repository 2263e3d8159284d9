package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.Guice;
import io.polygrad.Device;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Nd4jThreadsTest {

    @Test
    @DisplayName("a backend created from a config with polygrad.threads sets libnd4j's thread count")
    void module_configuredThreads_setsLibnd4jThreads() {
        int before = Nd4jBackend.threads();
        try {
            PolygradConfig config = PolygradConfig.defaults().withThreads(1);
            Guice.createInjector(new Nd4jModule(), b -> b.bind(PolygradConfig.class).toInstance(config))
                    .getInstance(Backend.class);
            assertEquals(1, Nd4jBackend.threads());
            new Nd4jBackend(Device.CPU, 3);
            assertEquals(3, Nd4jBackend.threads());
        } finally {
            new Nd4jBackend(Device.CPU, before);
        }
    }

    @Test
    void constructor_threadsBelowOne_throwsNamingTheBackend() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Nd4jBackend(Device.CPU, 0));
        assertEquals("nd4j: threads must be at least 1, got 0", e.getMessage());
    }
}
