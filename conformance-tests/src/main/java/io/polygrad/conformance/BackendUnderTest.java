package io.polygrad.conformance;

import com.google.inject.Module;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Returns a backend the suite runs against: its name and the Guice module that binds it.
 *
 * <pre>{@code
 * BackendUnderTest nd4j = BackendUnderTest.of("nd4j", new Nd4jModule());
 * Engine f64 = nd4j.engine(DType.FLOAT64);
 * }</pre>
 *
 * @param name   the backend's name, used in test names and reports
 * @param module the Guice module binding {@link io.polygrad.spi.Backend}
 */
public record BackendUnderTest(String name, Module module) {

    /** Creates a backend under test, rejecting nulls. */
    public BackendUnderTest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
    }

    /** Returns a backend under test. */
    public static BackendUnderTest of(String name, Module module) {
        return new BackendUnderTest(name, module);
    }

    /** Creates an engine on this backend with default dtype {@code dtype} and the default seed. */
    public Engine engine(DType dtype) {
        return engine(dtype, PolygradConfig.DEFAULT_SEED);
    }

    /** Creates an engine on this backend with default dtype {@code dtype} and generator seed {@code seed}. */
    public Engine engine(DType dtype, long seed) {
        return Polygrad.createEngine(module,
                PolygradConfig.defaults().withBackend(name).withDType(dtype).withSeed(seed));
    }

    /** Returns every backend on the classpath that can run on the CPU here, scratch first. */
    public static List<BackendUnderTest> onClasspath() {
        List<BackendUnderTest> out = new ArrayList<>();
        for (BackendProvider p : BackendRegistry.fromClasspath().providers()) {
            if (p.availability(io.polygrad.Device.CPU).available()) {
                BackendUnderTest b = of(p.name(), p.module());
                if (p.name().equals("scratch")) {
                    out.add(0, b);
                } else {
                    out.add(b);
                }
            }
        }
        return out;
    }

    /** Returns the name, so parameterised test names read {@code [scratch]}. */
    @Override
    public String toString() {
        return name;
    }
}
