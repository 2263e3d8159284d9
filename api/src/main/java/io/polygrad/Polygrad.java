package io.polygrad;

import static io.polygrad.Checks.notNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.ConfigResolver;
import io.polygrad.config.PolygradConfig;
import io.polygrad.config.PolygradModule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one static entry point for users who do not use Guice: engines made from configuration.
 *
 * <pre>{@code
 * Engine engine = Polygrad.engine();                 // backend from -Dpolygrad.backend, POLYGRAD_BACKEND,
 *                                                    // polygrad.properties, else scratch
 * Engine nd4j = Polygrad.createEngine(PolygradConfig.defaults().withBackend("nd4j"));
 * Engine mine = Polygrad.createEngine(new ScratchModule());   // an explicit module wins
 * Engine f64 = Polygrad.engine(DType.FLOAT64);      // the configured backend, float64 by default
 * }</pre>
 */
public final class Polygrad {

    private static volatile Engine defaultEngine;
    /** The engines of {@link #engine(Device, DType)}, one per device and dtype. */
    private static final Map<String, Engine> ENGINES = new ConcurrentHashMap<>();

    private Polygrad() {
    }

    /** Returns the process-wide engine, created on first use from {@link ConfigResolver#resolveDefault()}. */
    public static Engine engine() {
        Engine e = defaultEngine;
        if (e == null) {
            synchronized (Polygrad.class) {
                e = defaultEngine;
                if (e == null) {
                    e = createEngine(ConfigResolver.resolveDefault());
                    defaultEngine = e;
                }
            }
        }
        return e;
    }

    // ---------------------------------------------------------------- engines in another dtype or device

    /**
     * Returns the process-wide engine of the configured backend and device whose tensors default to
     * {@code dtype}: {@link #engine()}{@code .withDType(dtype)}, the same instance on every call. It shares the
     * default engine's backend and generator (see {@link Engine#withDType}).
     *
     * <pre>{@code
     * jshell> Polygrad.engine(DType.FLOAT64)
     * $1 ==> Engine[backend=scratch, device=cpu, dtype=float64, seed=42]
     * jshell> Polygrad.engine(DType.FLOAT32) == Polygrad.engine()   // when float32 is configured
     * $2 ==> true
     * }</pre>
     */
    public static Engine engine(DType dtype) {
        notNull(dtype, "Polygrad.engine", "dtype");
        Engine base = engine();
        return ENGINES.computeIfAbsent(base.device() + "/" + dtype, k -> base.withDType(dtype));
    }

    /**
     * Returns the process-wide engine of the configured backend on {@code device} whose tensors default to
     * {@code dtype}, the same instance on every call: {@link #engine(DType)} on the configured device;
     * on another device an engine made once from the configuration with that device (its own backend
     * instance and its own generator, seeded with the configured seed). No config package is needed.
     *
     * <pre>{@code
     * jshell> Polygrad.engine(Device.CPU, DType.FLOAT64)
     * $1 ==> Engine[backend=scratch, device=cpu, dtype=float64, seed=42]
     * jshell> Polygrad.engine(Device.parse("cuda:1"), DType.FLOAT32)   // with -Dpolygrad.backend=djl
     * }</pre>
     *
     * @throws IllegalArgumentException or the backend's error when the backend cannot run on {@code device}
     */
    public static Engine engine(Device device, DType dtype) {
        notNull(device, "Polygrad.engine", "device");
        notNull(dtype, "Polygrad.engine", "dtype");
        Engine base = engine();
        if (device.equals(base.device())) {
            return engine(dtype);
        }
        Engine onDevice = ENGINES.computeIfAbsent(device + "/" + base.dtype(),
                k -> createEngine(base.config().withDevice(device)));
        return ENGINES.computeIfAbsent(device + "/" + dtype, k -> onDevice.withDType(dtype));
    }

    /** Creates an engine for {@code config}, choosing the backend by name among those on the classpath. */
    public static Engine createEngine(PolygradConfig config) {
        notNull(config, "Polygrad.createEngine", "config");
        return createInjector(config).getInstance(Engine.class);
    }

    /** Creates an injector holding {@link PolygradModule} and the configured backend's module. */
    public static Injector createInjector(PolygradConfig config) {
        notNull(config, "Polygrad.createInjector", "config");
        Module backendModule = BackendRegistry.fromClasspath().select(config).module();
        return Guice.createInjector(new PolygradModule(config), backendModule);
    }

    /**
     * Creates an engine on the backend bound by {@code backendModule}, which outranks every configured
     * backend name; device, dtype and seed still come from configuration.
     */
    public static Engine createEngine(Module backendModule) {
        notNull(backendModule, "Polygrad.createEngine", "backendModule");
        return createEngine(backendModule, ConfigResolver.resolveDefault());
    }

    /** Creates an engine on the backend bound by {@code backendModule} with an explicit config. */
    public static Engine createEngine(Module backendModule, PolygradConfig config) {
        notNull(backendModule, "Polygrad.createEngine", "backendModule");
        notNull(config, "Polygrad.createEngine", "config");
        return Guice.createInjector(new PolygradModule(config), backendModule).getInstance(Engine.class);
    }
}
