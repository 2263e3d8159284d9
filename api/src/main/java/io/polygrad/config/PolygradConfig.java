package io.polygrad.config;

import static io.polygrad.Checks.notNull;

import io.polygrad.DType;
import io.polygrad.Device;

/**
 * The settings that choose how polygrad runs: backend name, device, default dtype and seed.
 *
 * <p>{@link ConfigResolver} builds one from system properties, the environment and
 * {@code polygrad.properties}; Guice users may bind their own.
 *
 * @param backend backend name, e.g. {@code scratch}
 * @param device  where arrays live
 * @param dtype   dtype of tensors created without an explicit one
 * @param seed    seed of the generator that makes initial values
 */
public record PolygradConfig(String backend, Device device, DType dtype, long seed) {

    /** The seed used when none is configured. */
    public static final long DEFAULT_SEED = 42L;

    /** Creates a config, rejecting nulls. */
    public PolygradConfig {
        notNull(backend, "PolygradConfig", "backend");
        notNull(device, "PolygradConfig", "device");
        notNull(dtype, "PolygradConfig", "dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("PolygradConfig: dtype " + dtype + " is not a floating-point dtype; an "
                    + "engine's default dtype is float32 or float64 (create int64 tensors with "
                    + "Engine.tensor(long[], int...))");
        }
    }

    /** Returns the defaults: scratch, cpu, float32, seed 42. */
    public static PolygradConfig defaults() {
        return new PolygradConfig("scratch", Device.CPU, DType.FLOAT32, DEFAULT_SEED);
    }

    /** Returns a copy with another backend name. */
    public PolygradConfig withBackend(String name) {
        return new PolygradConfig(name, device, dtype, seed);
    }

    /** Returns a copy with another device. */
    public PolygradConfig withDevice(Device newDevice) {
        return new PolygradConfig(backend, newDevice, dtype, seed);
    }

    /** Returns a copy with another default dtype. */
    public PolygradConfig withDType(DType newDType) {
        return new PolygradConfig(backend, device, newDType, seed);
    }

    /** Returns a copy with another seed. */
    public PolygradConfig withSeed(long newSeed) {
        return new PolygradConfig(backend, device, dtype, newSeed);
    }
}
