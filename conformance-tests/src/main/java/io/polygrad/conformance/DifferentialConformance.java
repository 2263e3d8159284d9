package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Returns the differential specification: random op programs ({@link RandomProgram}) give the same
 * forward values and gradients on the backend under test as on scratch float64. jqwik shrinks a
 * failing program to a minimal one and prints it as Java code.
 *
 * <p>Subclass it and name the backend, as with {@link TensorOpsConformance}.
 */
public abstract class DifferentialConformance {

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    @Provide
    Arbitrary<RandomProgram> programs() {
        Arbitrary<RandomProgram.Step> step = Combinators.combine(
                Arbitraries.integers().between(0, RandomProgram.opCount() - 1),
                Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 20)).as(RandomProgram.Step::new);
        return Combinators.combine(Arbitraries.longs().between(0, 1_000_000), step.list().ofMinSize(1).ofMaxSize(Tolerances.CHAIN_LENGTH))
                .as(RandomProgram::new);
    }

    @Property(tries = 60)
    void randomProgram_float64_matchesScratchReference(@ForAll("programs") RandomProgram program) {
        compare(program, DType.FLOAT64);
    }

    @Property(tries = 60)
    void randomProgram_float32_matchesScratchReference(@ForAll("programs") RandomProgram program) {
        compare(program, DType.FLOAT32);
    }

    private void compare(RandomProgram program, DType dtype) {
        double[][] mine = evaluate(backend().engine(dtype), dtype, program);
        double[][] reference = evaluate(OpChecks.REFERENCE.engine(DType.FLOAT64), DType.FLOAT64, program);
        Tolerances tol = dtype == DType.FLOAT32 ? Tolerances.FLOAT32_CHAIN : Tolerances.FLOAT64;
        String[] what = {"forward", "grad v0", "grad v1", "grad v2"};
        for (int i = 0; i < mine.length; i++) {
            Comparison c = Comparison.of(mine[i], reference[i], tol);
            if (!c.withinTolerance()) {
                throw new AssertionError(backend().name() + " in " + dtype + ": " + what[i] + " differs from scratch "
                        + "float64 (" + c.describe() + ")\n  " + backend().name() + ": " + Arrays.toString(mine[i])
                        + "\n  scratch: " + Arrays.toString(reference[i]) + program);
            }
        }
    }

    private static double[][] evaluate(Engine engine, DType dtype, RandomProgram program) {
        Tensor[] leaves = program.leaves(engine, dtype, true);
        Tensor out = program.run(engine, dtype, leaves);
        double[][] result = new double[1 + leaves.length][];
        result[0] = out.toDoubleArray();
        if (out.requiresGrad()) {
            out.sum().backward();
        }
        for (int i = 0; i < leaves.length; i++) {
            result[i + 1] = leaves[i].grad() == null ? new double[leaves[i].numel()] : leaves[i].grad().toDoubleArray();
        }
        return result;
    }

    /** Returns the programs' op names, for reports. */
    public static List<String> ops() {
        return List.of(RandomProgram.OPS);
    }
}
