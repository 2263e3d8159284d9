package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.polygrad.Device;
import io.polygrad.config.PolygradConfig;
import io.polygrad.config.PolygradModule;
import io.polygrad.spi.Availability;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks ServiceLoader discovery, availability answers and the Guice module. */
class Nd4jProviderTest {

    private static BackendProvider nd4jProvider() {
        List<BackendProvider> found = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("nd4j"))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), "exactly one provider named nd4j");
        return found.get(0);
    }

    @Test
    void serviceLoader_findsTheNd4jProvider() {
        BackendProvider p = nd4jProvider();
        assertInstanceOf(Nd4jBackendProvider.class, p);
        assertEquals("io.polygrad:polygrad-backend-nd4j", p.artifact());
    }

    @Test
    void availability_cpuIsAvailable_afterReallyLoadingNatives() {
        assumeFalse(Fixtures.CUDA, "CPU build only");
        Availability a = nd4jProvider().availability(Device.CPU);
        assertTrue(a.available(), a.reason());
        assertEquals("", a.reason());
        assertEquals(List.of(Device.CPU), nd4jProvider().devices());
    }

    @Test
    void availability_cudaWithoutCudaBuild_isRefusedWithTheArtifactToAdd() {
        assumeFalse(Fixtures.CUDA, "CPU build only");
        Availability a = nd4jProvider().availability(Device.cuda(0));
        assertFalse(a.available());
        assertTrue(a.reason().contains("nd4j-cuda-11.6") && a.reason().contains("-Pcuda"), a.reason());
    }

    @Test
    void versions_nameNd4jAndPlatform_withoutThrowing() {
        String v = nd4jProvider().versions();
        assertTrue(v.contains("nd4j 1.0.0-M2.1") && v.contains("platform"), v);
    }

    @Test
    void guiceModule_providesOneNd4jBackendForTheConfiguredDevice() {
        assumeFalse(Fixtures.CUDA, "CPU build only");
        PolygradConfig config = PolygradConfig.defaults().withBackend("nd4j");
        Injector injector = Guice.createInjector(new PolygradModule(config), new Nd4jModule());
        Backend backend = injector.getInstance(Backend.class);
        assertInstanceOf(Nd4jBackend.class, backend);
        assertEquals(Device.CPU, backend.device());
        assertSame(backend, injector.getInstance(Backend.class), "singleton");
    }

    @Test
    void guiceModule_unsupportedDevice_failsWithAClearMessage() {
        assumeFalse(Fixtures.CUDA, "CPU build only");
        PolygradConfig config = PolygradConfig.defaults().withBackend("nd4j").withDevice(Device.cuda(0));
        Injector injector = Guice.createInjector(new PolygradModule(config), new Nd4jModule());
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(Backend.class));
        assertTrue(e.getMessage().contains("cannot use device cuda:0"), e.getMessage());
    }

    @Test
    void availability_inACudaBuild_offersTheGpusAndRefusesTheCpu() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Fixtures.CUDA, "CUDA build on a GPU machine only");
        assertTrue(nd4jProvider().availability(Device.cuda(0)).available());
        assertFalse(nd4jProvider().availability(Device.CPU).available());
    }

    @Test
    void providerModule_isAnNd4jModule() {
        assertInstanceOf(Nd4jModule.class, nd4jProvider().module());
    }
}
