package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.conformance.Check.Part;
import java.util.Arrays;

/**
 * The checks that initial values are made by api's seeded generator and copied into the backend
 * unchanged: the same seed must give bit-identical values on every backend.
 */
public final class InitChecks {

    /** The seed of {@link #check(DType)}. */
    public static final long SEED = 7;

    private InitChecks() {
    }

    /** Returns the check {@code init/<dtype>}: {@link #initialValuesBitIdentical} for {@link #SEED}. */
    public static Check check(DType dtype) {
        return Check.of("init/" + Check.id(dtype), Part.INIT, "init", dtype,
                "the same seed gives initial values bit-identical to scratch's",
                s -> initialValuesBitIdentical(s.backend(), dtype, SEED));
    }

    /** Checks that rand, randn, uniform and created data are bit-identical to scratch's for one seed. */
    public static void initialValuesBitIdentical(BackendUnderTest backend, DType dtype, long seed) {
        Engine mine = backend.engine(dtype, seed);
        Engine ref = OpChecks.REFERENCE.engine(dtype, seed);
        compare(backend, dtype, "randn(4, 5)", mine.randn(4, 5).toDoubleArray(), ref.randn(4, 5).toDoubleArray());
        compare(backend, dtype, "rand(7)", mine.rand(7).toDoubleArray(), ref.rand(7).toDoubleArray());
        compare(backend, dtype, "uniform(-0.3, 0.3, 3, 2)", mine.uniform(-0.3, 0.3, 3, 2).toDoubleArray(),
                ref.uniform(-0.3, 0.3, 3, 2).toDoubleArray());
        compare(backend, dtype, "linspace(-2, 2, 20)", mine.linspace(-2, 2, 20).toDoubleArray(),
                ref.linspace(-2, 2, 20).toDoubleArray());
    }

    private static void compare(BackendUnderTest backend, DType dtype, String what, double[] mine, double[] ref) {
        for (int i = 0; i < ref.length; i++) {
            if (Double.doubleToLongBits(mine[i]) != Double.doubleToLongBits(ref[i])) {
                throw new AssertionError(backend.name() + " in " + dtype + ": " + what + " is not bit-identical to "
                        + "scratch at element " + i + " (" + mine[i] + " vs " + ref[i] + "); initial values must come "
                        + "from api's Generator, never a backend RNG\n  " + backend.name() + ": " + Arrays.toString(mine)
                        + "\n  scratch: " + Arrays.toString(ref));
            }
        }
    }
}
