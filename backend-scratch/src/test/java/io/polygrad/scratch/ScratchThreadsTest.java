package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.inject.Guice;
import io.polygrad.Device;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScratchThreadsTest {

    @Test
    @DisplayName("a backend created from a config with polygrad.threads uses that many matmul workers")
    void module_configuredThreads_setsTheMatmulWorkers() {
        int before = ScratchBackend.threads();
        try {
            PolygradConfig config = PolygradConfig.defaults().withThreads(1);
            Guice.createInjector(new ScratchModule(), b -> b.bind(PolygradConfig.class).toInstance(config))
                    .getInstance(Backend.class);
            assertEquals(1, ScratchBackend.threads());
            new ScratchBackend(Device.CPU, 3);
            assertEquals(3, ScratchBackend.threads());
        } finally {
            new ScratchBackend(Device.CPU, before);
        }
    }

    @Test
    void constructor_threadsBelowOne_throwsNamingTheBackend() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ScratchBackend(Device.CPU, 0));
        assertEquals("scratch: threads must be at least 1, got 0", e.getMessage());
    }
}
