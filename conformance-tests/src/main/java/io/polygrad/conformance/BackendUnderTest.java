package io.polygrad.conformance;

import com.google.inject.Module;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.BackendProvider;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A backend the suite runs against: its name, the Guice module that binds it, and what it
 * declares about itself (Guava testlib's features): the device it runs on, the dtypes it supports,
 * and its known gaps as an explicit list of {@link Exclusion}s, each with a reason.
 *
 * <pre>{@code
 * BackendUnderTest nd4j = BackendUnderTest.of("nd4j", new Nd4jModule())
 *         .excluding("problems/relu/adam/float32/trajectory", "issue #42: ...");
 * Engine f64 = nd4j.engine(DType.FLOAT64);
 * }</pre>
 *
 * <p>The suite runs only what applies: checks in a dtype the backend does not declare are not
 * applicable (and reported so). An excluded check still runs and must still fail; one that passes is
 * reported as a stale exclusion, so the list cannot silently outlive the gap it describes.
 *
 * @param name       the backend's name, used in test names and reports
 * @param module     the Guice module binding {@link io.polygrad.spi.Backend}
 * @param device     the device every engine of the run is created on
 * @param dtypes     the dtypes the backend supports
 * @param exclusions the known gaps: checks expected to fail, with their reasons
 */
public record BackendUnderTest(String name, Module module, Device device, Set<DType> dtypes,
        List<Exclusion> exclusions) {

    /** Creates a backend under test, rejecting nulls and an empty dtype set. */
    public BackendUnderTest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(device, "device");
        if (dtypes.isEmpty()) {
            throw new IllegalArgumentException(name + ": a backend must support at least one dtype");
        }
        dtypes = Set.copyOf(dtypes);
        exclusions = List.copyOf(exclusions);
    }

    /** Creates a backend under test on the CPU, supporting float32 and float64, with no exclusions. */
    public BackendUnderTest(String name, Module module) {
        this(name, module, Device.CPU, EnumSet.allOf(DType.class), List.of());
    }

    /** Returns a backend under test on the CPU, supporting float32 and float64, with no exclusions. */
    public static BackendUnderTest of(String name, Module module) {
        return new BackendUnderTest(name, module);
    }

    /** Returns a copy whose engines are created on {@code newDevice}. */
    public BackendUnderTest onDevice(Device newDevice) {
        return new BackendUnderTest(name, module, newDevice, dtypes, exclusions);
    }

    /** Returns a copy declaring support for exactly {@code supported}. */
    public BackendUnderTest withDTypes(DType... supported) {
        return new BackendUnderTest(name, module, device, EnumSet.copyOf(List.of(supported)), exclusions);
    }

    /**
     * Returns a copy with one more known gap: every check whose id is {@code checkId} or starts with
     * {@code checkId + "/"} is expected to fail, for {@code reason}. Check ids are listed in the
     * module's README, e.g. {@code ops/exp[large]/float32/forward-reference},
     * {@code problems/quadratic/literal/float32/trajectory}, {@code autograd/backward_longChain_doesNotOverflowStack}.
     */
    public BackendUnderTest excluding(String checkId, String reason) {
        List<Exclusion> more = new ArrayList<>(exclusions);
        more.add(new Exclusion(checkId, reason));
        return new BackendUnderTest(name, module, device, dtypes, more);
    }

    /** Returns whether the backend declares {@code dtype}. */
    public boolean supports(DType dtype) {
        return dtypes.contains(dtype);
    }

    /** Returns the exclusion covering {@code checkId}, if any. */
    public Optional<Exclusion> exclusionFor(String checkId) {
        return exclusions.stream().filter(e -> e.covers(checkId)).findFirst();
    }

    /** Creates an engine on this backend with default dtype {@code dtype} and the default seed. */
    public Engine engine(DType dtype) {
        return engine(dtype, PolygradConfig.DEFAULT_SEED);
    }

    /** Creates an engine on this backend with default dtype {@code dtype} and generator seed {@code seed}. */
    public Engine engine(DType dtype, long seed) {
        return Polygrad.createEngine(module,
                PolygradConfig.defaults().withBackend(name).withDevice(device).withDType(dtype).withSeed(seed));
    }

    /** Returns e.g. {@code scratch} on the CPU and {@code djl (cuda:0)} elsewhere, for test names and reports. */
    public String label() {
        return device.equals(Device.CPU) ? name : name + " (" + device + ")";
    }

    /** Returns every backend on the classpath that can run on the CPU here, scratch first. */
    public static List<BackendUnderTest> onClasspath() {
        List<BackendUnderTest> out = new ArrayList<>();
        for (BackendProvider p : BackendRegistry.fromClasspath().providers()) {
            if (p.availability(Device.CPU).available()) {
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

    /** Returns the label, so parameterised test names read {@code [scratch]}. */
    @Override
    public String toString() {
        return label();
    }
}
