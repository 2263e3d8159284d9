package io.polygrad.scratch;

import com.google.inject.Module;
import io.polygrad.Device;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendProvider;
import java.util.List;

/** The {@code ServiceLoader} entry of the scratch backend: always available, CPU only. */
public final class ScratchBackendProvider implements BackendProvider {

    /** Creates the provider (for {@code ServiceLoader}); loads nothing. */
    public ScratchBackendProvider() {
    }

    @Override
    public String name() {
        return ScratchBackend.NAME;
    }

    @Override
    public String artifact() {
        return "io.polygrad:polygrad-backend-scratch";
    }

    @Override
    public Availability availability(Device device) {
        return device.type() == Device.Type.CPU ? Availability.yes()
                : Availability.no("the scratch backend has no " + device + " support (CPU only)");
    }

    @Override
    public List<Device> devices() {
        return List.of(Device.CPU);
    }

    @Override
    public String versions() {
        return "pure Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    @Override
    public Module module() {
        return new ScratchModule();
    }
}
