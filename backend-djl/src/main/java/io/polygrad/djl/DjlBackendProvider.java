package io.polygrad.djl;

import com.google.inject.Module;
import io.polygrad.Device;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link java.util.ServiceLoader} entry of the djl backend: name {@code djl}, artifact
 * {@code io.polygrad:polygrad-backend-djl}.
 *
 * <p>Creating the provider loads nothing; {@link #availability}, {@link #devices} and {@link #module}'s
 * backend load libtorch (once per JVM) from the native jar on the classpath, offline.
 */
public final class DjlBackendProvider implements BackendProvider {

    /** Creates the provider (for {@code ServiceLoader}). */
    public DjlBackendProvider() {
    }

    @Override
    public String name() {
        return DjlBackend.NAME;
    }

    @Override
    public String artifact() {
        return DjlRuntime.ARTIFACT;
    }

    @Override
    public Availability availability(Device device) {
        try {
            String problem = DjlRuntime.problemWith(device);
            return problem == null ? Availability.yes() : Availability.no(problem);
        } catch (Throwable t) { // never throws, by contract
            return Availability.no(t instanceof IllegalStateException && t.getMessage() != null ? t.getMessage()
                    : DjlRuntime.explainFailure(t, DjlBackendProvider.class.getClassLoader()));
        }
    }

    @Override
    public List<Device> devices() {
        List<Device> devices = new ArrayList<>();
        try {
            DjlRuntime.engine();
            devices.add(Device.CPU);
            for (int i = 0, n = DjlRuntime.gpuCount(); i < n; i++) {
                devices.add(Device.cuda(i));
            }
        } catch (RuntimeException | LinkageError e) {
            // cannot load: no devices
        }
        return List.copyOf(devices);
    }

    @Override
    public String versions() {
        return DjlRuntime.versions(DjlBackendProvider.class.getClassLoader());
    }

    @Override
    public Module module() {
        return new DjlModule();
    }

    /** Returns e.g. {@code DjlBackendProvider[djl]}. */
    @Override
    public String toString() {
        return "DjlBackendProvider[" + name() + "]";
    }
}
