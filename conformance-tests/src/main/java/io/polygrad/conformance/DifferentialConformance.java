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
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import org.opentest4j.TestAbortedException;

/**
 * Returns the differential specification: random op programs ({@link RandomProgram}) give the same
 * forward values and gradients on the backend under test as on scratch float64. jqwik shrinks a
 * failing program to a minimal one and prints it as Java code.
 *
 * <p>Subclass it and name the backend, as with {@link TensorOpsConformance}. Check ids:
 * {@code differential/float32} and {@code differential/float64}; a property in a dtype the backend does
 * not declare, or an excluded one that fails, is reported as aborted with the reason.
 */
@AddLifecycleHook(DifferentialConformance.Exclusions.class)
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

    /**
     * Returns jqwik's outcome of a property with the backend's capabilities and exclusions applied:
     * aborted (with the reason) for an undeclared dtype or an excluded failure, failed for a stale exclusion.
     */
    public static final class Exclusions implements AroundPropertyHook {

        /** Creates the hook (jqwik instantiates it). */
        public Exclusions() {
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            DifferentialConformance test = (DifferentialConformance) context.testInstance();
            BackendUnderTest backend = test.backend();
            DType dtype = context.targetMethod().getName().contains("float32") ? DType.FLOAT32 : DType.FLOAT64;
            if (!backend.supports(dtype)) {
                return property.execute().mapToAborted(new TestAbortedException("not applicable: " + backend.label()
                        + " declares only " + backend.dtypes()));
            }
            String id = "differential/" + JUnitChecks.id(dtype);
            PropertyExecutionResult result = property.execute();
            var exclusion = backend.exclusionFor(id);
            if (exclusion.isEmpty()) {
                return result;
            }
            if (result.status() == PropertyExecutionResult.Status.SUCCESSFUL) {
                return result.mapToFailed(backend.label() + ": " + id + " is excluded (" + exclusion.get().reason()
                        + ") but now passes: remove the exclusion");
            }
            return result.mapToAborted(new TestAbortedException(id + " excluded: " + exclusion.get().reason()));
        }
    }
}
