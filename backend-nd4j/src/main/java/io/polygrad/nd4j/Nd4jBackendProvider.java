package io.polygrad.nd4j;

import com.google.inject.Module;
import io.polygrad.Device;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendProvider;
import java.util.List;

/**
 * The {@code ServiceLoader} entry of the ND4J backend ({@code nd4j}): whether ND4J's native
 * libraries load here, which devices they offer, and the Guice module.
 *
 * <p>Creating the provider is free; {@link #availability} and {@link #devices} load ND4J (once per
 * JVM, quietly) and report a failure with the jar or classifier that is missing instead of
 * throwing. The CPU is available with {@code nd4j-native}; {@code cuda:N} only when
 * {@code nd4j-cuda-11.6} is on the classpath (Maven profile {@code cuda}) and ND4J found GPU N.
 */
public final class Nd4jBackendProvider implements BackendProvider {

    /** Creates the provider; loads nothing. */
    public Nd4jBackendProvider() {
    }

    @Override
    public String name() {
        return Nd4jBackend.NAME;
    }

    @Override
    public String artifact() {
        return "io.polygrad:polygrad-backend-nd4j";
    }

    @Override
    public Availability availability(Device device) {
        try {
            Nd4jRuntime.State state = Nd4jRuntime.state();
            if (!state.loaded()) {
                return Availability.no(state.failure());
            }
            if (!state.devices().contains(device)) {
                return Availability.no(deviceProblem(state, device));
            }
            return Availability.yes();
        } catch (Throwable t) {
            return Availability.no(Nd4jRuntime.diagnose(t));
        }
    }

    /** Returns why a loaded ND4J cannot use {@code device}. */
    static String deviceProblem(Nd4jRuntime.State state, Device device) {
        if (device.type() == Device.Type.CUDA && !state.cuda()) {
            return "ND4J runs on the CPU here (nd4j-native); for " + device + " use the cuda build ("
                    + Nd4jRuntime.CUDA_ARTIFACT + ":" + Nd4jRuntime.ND4J_VERSION
                    + ", Maven profile -Pcuda of polygrad-backend-nd4j) on a machine with an NVIDIA GPU";
        }
        if (device.type() == Device.Type.CPU && state.cuda()) {
            return "ND4J loaded its CUDA backend, and ND4J runs one backend per JVM; use device cuda:N, "
                    + "or drop nd4j-cuda from the classpath to run on the CPU";
        }
        return "ND4J found devices " + state.devices() + ", not " + device;
    }

    @Override
    public List<Device> devices() {
        try {
            return Nd4jRuntime.state().devices();
        } catch (Throwable t) {
            return List.of();
        }
    }

    @Override
    public String versions() {
        try {
            return Nd4jRuntime.versions();
        } catch (Throwable t) {
            return "nd4j " + Nd4jRuntime.ND4J_VERSION + " (versions unreadable: " + t + ")";
        }
    }

    @Override
    public Module module() {
        return new Nd4jModule();
    }
}
