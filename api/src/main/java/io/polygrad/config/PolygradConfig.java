package io.polygrad.config;

import static io.polygrad.Checks.notNull;

import io.polygrad.DType;
import io.polygrad.Device;

/**
 * The settings that choose how polygrad runs: backend name, device, default dtype, seed and the
 * number of threads a backend's kernels use.
 *
 * <p>{@link ConfigResolver} builds one from system properties, the environment and
 * {@code polygrad.properties}; Guice users may bind their own.
 *
 * @param backend backend name, e.g. {@code scratch}
 * @param device  where arrays live
 * @param dtype   dtype of tensors created without an explicit one
 * @param seed    seed of the generator that makes initial values
 * @param threads threads a backend's kernels use (libtorch's intra-op threads, libnd4j's OpenMP
 *                threads, scratch's matmul workers), at least 1; a process-wide setting of each
 *                native library, applied when a backend is created from this config
 */
public record PolygradConfig(String backend, Device device, DType dtype, long seed, int threads) {

    /** The seed used when none is configured. */
    public static final long DEFAULT_SEED = 42L;

    /** Creates a config, rejecting nulls and a thread count below 1. */
    public PolygradConfig {
        notNull(backend, "PolygradConfig", "backend");
        notNull(device, "PolygradConfig", "device");
        notNull(dtype, "PolygradConfig", "dtype");
        if (threads < 1) {
            throw new IllegalArgumentException("PolygradConfig: threads must be at least 1, got " + threads);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("PolygradConfig: dtype " + dtype + " is not a floating-point dtype; an "
                    + "engine's default dtype is float32 or float64 (create int64 tensors with "
                    + "Engine.tensor(long[], int...))");
        }
    }

    /** Creates a config with the {@linkplain #defaultThreads() default thread count}. */
    public PolygradConfig(String backend, Device device, DType dtype, long seed) {
        this(backend, device, dtype, seed, defaultThreads());
    }

    /** Returns the defaults: scratch, cpu, float32, seed 42, {@link #defaultThreads()} threads. */
    public static PolygradConfig defaults() {
        return new PolygradConfig("scratch", Device.CPU, DType.FLOAT32, DEFAULT_SEED);
    }

    /**
     * Returns the thread count used when none is configured: the processors available to the JVM,
     * as PyTorch's own default. On a machine whose cores are shared with other busy processes,
     * set {@code polygrad.threads=1}: a parallel kernel waits at a barrier for every descheduled
     * thread, which made small training steps 10–20× slower in our measurements.
     */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Returns a copy with another thread count. */
    public PolygradConfig withThreads(int newThreads) {
        return new PolygradConfig(backend, device, dtype, seed, newThreads);
    }

    /** Returns a copy with another backend name. */
    public PolygradConfig withBackend(String name) {
        return new PolygradConfig(name, device, dtype, seed, threads);
    }

    /** Returns a copy with another device. */
    public PolygradConfig withDevice(Device newDevice) {
        return new PolygradConfig(backend, newDevice, dtype, seed, threads);
    }

    /** Returns a copy with another default dtype. */
    public PolygradConfig withDType(DType newDType) {
        return new PolygradConfig(backend, device, newDType, seed, threads);
    }

    /** Returns a copy with another seed. */
    public PolygradConfig withSeed(long newSeed) {
        return new PolygradConfig(backend, device, dtype, newSeed, threads);
    }
}
