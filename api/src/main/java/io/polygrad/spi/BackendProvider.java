package io.polygrad.spi;

import com.google.inject.Module;
import io.polygrad.Device;
import java.util.List;

/**
 * The entry through which polygrad finds and starts one backend; each backend jar lists its implementation in
 * {@code META-INF/services/io.polygrad.spi.BackendProvider}.
 *
 * <p>Providers are cheap to create: no native library is loaded until {@link #availability} or
 * {@link #module} is used.
 */
public interface BackendProvider {

    /** Returns the configuration name, e.g. {@code nd4j}. */
    String name();

    /** Returns the Maven coordinates a user adds to get this backend, e.g. {@code io.polygrad:polygrad-backend-nd4j}. */
    String artifact();

    /**
     * Returns whether this backend can really run on {@code device} here: loads the native library
     * and looks for the device. Never throws; a failure is returned with its reason.
     */
    Availability availability(Device device);

    /** Returns the devices this backend could use here (at least the CPU when it can load at all). */
    List<Device> devices();

    /** Returns versions of the libraries behind this backend, for diagnostics (e.g. {@code nd4j 1.0.0-M2.1}). */
    String versions();

    /**
     * Returns the Guice module binding {@link Backend}; it reads {@link io.polygrad.config.PolygradConfig}
     * from the injector for the device. The module's {@code configure} loads nothing.
     */
    Module module();
}
