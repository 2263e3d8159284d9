package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Availability;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DjlBackendProviderTest {

    private final DjlBackendProvider provider = new DjlBackendProvider();

    @Test
    void serviceLoader_findsTheDjlProvider() {
        List<BackendProvider> djl = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("djl"))
                .collect(Collectors.toList());
        assertEquals(1, djl.size());
        assertInstanceOf(DjlBackendProvider.class, djl.get(0));
        assertEquals("io.polygrad:polygrad-backend-djl", djl.get(0).artifact());
    }

    @Test
    void availability_onCpu_isYes() {
        Availability a = provider.availability(Device.CPU);
        assertTrue(a.available(), a.reason());
        assertTrue(provider.devices().contains(Device.CPU));
    }

    @Test
    @DisplayName("a GPU that the engine does not see is reported as unavailable with a reason, never thrown")
    void availability_onMissingGpu_isNoWithReason() {
        Availability a = provider.availability(Device.cuda(63));
        assertFalse(a.available());
        assertFalse(a.reason().isEmpty());
    }

    @Test
    void availability_ofCuda_matchesDevices() {
        boolean gpu = provider.devices().contains(Device.cuda(0));
        Availability a = provider.availability(Device.cuda(0));
        assertEquals(gpu, a.available(), a.reason());
        if (!gpu) {
            assertTrue(a.reason().contains("CPU build") || a.reason().contains("no usable GPU"), a.reason());
        }
    }

    @Test
    void versions_nameDjlAndPytorch() {
        String v = provider.versions();
        assertTrue(v.startsWith("djl 0."), v);
        assertTrue(v.contains("pytorch 2."), v);
    }

    @Test
    @DisplayName("without the jars the failure names pytorch-native-cpu with this machine's classifier and pytorch-jni")
    void explainFailure_withoutJars_namesWhatToAdd() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        String message = DjlRuntime.explainFailure(new RuntimeException("boom"), empty);
        assertTrue(message.contains("ai.djl.pytorch:pytorch-native-cpu"), message);
        assertTrue(message.contains(DjlRuntime.machineClassifier()), message);
        assertTrue(message.contains("ai.djl.pytorch:pytorch-jni"), message);
        assertTrue(message.contains("boom"), message);
    }

    @Test
    void machineClassifier_looksLikeDjls() {
        assertTrue(DjlRuntime.machineClassifier().matches("(linux|osx|win)-[a-z0-9_]+"), DjlRuntime.machineClassifier());
    }

    @Test
    @DisplayName("DJL is offline and its usage tracking is off once the engine is loaded")
    void djlNetworkSwitches_areOff() {
        DjlRuntime.engine();
        assertTrue(ai.djl.util.Utils.isOfflineMode());
        assertEquals("true", ai.djl.util.Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING"));
    }

    @Test
    void applyDefaults_setsOnlyWhatIsUnset() {
        String before = System.getProperty("ai.djl.offline");
        try {
            System.clearProperty("ai.djl.offline");
            DjlRuntime.applyDefaults();
            assertEquals("true", System.getProperty("ai.djl.offline"));
            System.setProperty("ai.djl.offline", "false");
            DjlRuntime.applyDefaults();
            assertEquals("false", System.getProperty("ai.djl.offline"));
        } finally {
            System.setProperty("ai.djl.offline", before == null ? "true" : before);
        }
    }

    @Test
    @DisplayName("the Guice module provides one DjlBackend on the configured device")
    void module_providesSingletonBackend() {
        PolygradConfig config = PolygradConfig.defaults().withBackend("djl").withDType(DType.FLOAT64);
        Injector injector = Guice.createInjector(provider.module(),
                binder -> binder.bind(PolygradConfig.class).toInstance(config));
        Backend backend = injector.getInstance(Backend.class);
        assertInstanceOf(DjlBackend.class, backend);
        assertEquals("djl", backend.name());
        assertEquals(Device.CPU, backend.device());
        assertSame(backend, injector.getInstance(Backend.class));
    }

    @Test
    void module_forMissingGpu_failsWithTheReason() {
        assumeTrue(!provider.devices().contains(Device.cuda(0)));
        PolygradConfig config = PolygradConfig.defaults().withBackend("djl").withDevice(Device.cuda(0));
        Injector injector = Guice.createInjector(new DjlModule(),
                binder -> binder.bind(PolygradConfig.class).toInstance(config));
        com.google.inject.ProvisionException e = org.junit.jupiter.api.Assertions.assertThrows(
                com.google.inject.ProvisionException.class, () -> injector.getInstance(Backend.class));
        assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
    }
}
