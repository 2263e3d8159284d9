package io.polygrad.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.spi.Availability;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendProvider;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {

    /** A backend whose kernels are never called here: these tests are about choosing it. */
    static Backend namedBackend(String name) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "name": return name;
                        case "device": return Device.CPU;
                        case "toString": return "Backend[" + name + "]";
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    static final class FakeProvider implements BackendProvider {
        private final String name;
        private final Availability availability;

        FakeProvider(String name, Availability availability) {
            this.name = name;
            this.availability = availability;
        }

        @Override public String name() { return name; }
        @Override public String artifact() { return "test:" + name; }
        @Override public Availability availability(Device device) { return availability; }
        @Override public List<Device> devices() { return List.of(Device.CPU); }
        @Override public String versions() { return "test"; }
        @Override public Module module() {
            Backend b = namedBackend(name);
            return new AbstractModule() {
                @Override protected void configure() {
                    bind(Backend.class).toInstance(b);
                }
            };
        }
    }

    private final BackendRegistry registry = new BackendRegistry(List.of(
            new FakeProvider("scratch", Availability.yes()),
            new FakeProvider("nd4j", Availability.no("libnd4jcpu.so not found: add org.nd4j:nd4j-native:linux-x86_64"))));

    @Test
    @DisplayName("an absent backend fails at once, naming the available backends and the artifact to add")
    void select_absentBackend_namesAvailableBackendsAndArtifact() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> registry.select(PolygradConfig.defaults().withBackend("djl")));
        assertTrue(e.getMessage().contains("'djl' is not on the classpath"), e.getMessage());
        assertTrue(e.getMessage().contains("Available backends: scratch, nd4j"), e.getMessage());
        assertTrue(e.getMessage().contains("io.polygrad:polygrad-backend-djl"), e.getMessage());
    }

    @Test
    @DisplayName("an unknown backend name lists the known ones")
    void select_unknownBackend_listsKnownBackends() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> registry.select(PolygradConfig.defaults().withBackend("tensorflow")));
        assertTrue(e.getMessage().contains("Known backends: djl, nd4j, scratch"), e.getMessage());
    }

    @Test
    @DisplayName("a backend that cannot load fails with its reason, never falling back")
    void select_unloadableBackend_failsWithReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> registry.select(PolygradConfig.defaults().withBackend("nd4j")));
        assertTrue(e.getMessage().contains("libnd4jcpu.so not found"), e.getMessage());
    }

    @Test
    @DisplayName("the configured backend's module is what the engine runs on")
    void select_availableBackend_engineUsesIt() {
        PolygradConfig config = PolygradConfig.defaults();
        Module module = registry.select(config).module();
        Engine engine = Guice.createInjector(new PolygradModule(config), module).getInstance(Engine.class);
        assertEquals("scratch", engine.backend().name());
    }

    @Test
    @DisplayName("Modules.override swaps the backend in a user's own injector")
    void polygradModule_modulesOverride_swapsBackend() {
        Backend replacement = namedBackend("replacement");
        Module base = new FakeProvider("scratch", Availability.yes()).module();
        Module override = new AbstractModule() {
            @Override protected void configure() {
                bind(Backend.class).toInstance(replacement);
            }
        };
        Engine engine = Guice.createInjector(new PolygradModule(PolygradConfig.defaults()),
                Modules.override(base).with(override)).getInstance(Engine.class);
        assertSame(replacement, engine.backend());
    }
}
