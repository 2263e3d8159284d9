package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Returns the op-level specification every backend must meet: each sample of {@link OpRegistry}
 * gives its hand-computed output in float32 and float64, and its float64 gradient matches central
 * finite differences.
 *
 * <p>A backend author runs it by naming the backend in a subclass:
 * <pre>{@code
 * class MyBackendOpsTest extends TensorOpsConformance {
 *     protected BackendUnderTest backend() { return BackendUnderTest.of("mine", new MyModule()); }
 * }
 * }</pre>
 */
public abstract class TensorOpsConformance {

    /** Returns the backend to test. */
    protected abstract BackendUnderTest backend();

    static Stream<Arguments> samplesInBothDTypes() {
        return OpRegistry.all().stream()
                .flatMap(op -> Stream.of(Arguments.of(op, DType.FLOAT32), Arguments.of(op, DType.FLOAT64)));
    }

    static Stream<OpInfo> differentiableSamples() {
        return OpRegistry.all().stream().filter(OpInfo::differentiable);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("samplesInBothDTypes")
    void forward_sample_matchesHandComputedValuesShapeAndDType(OpInfo op, DType dtype) {
        Engine engine = backend().engine(dtype);
        Tensor[] inputs = new Tensor[op.inputs().length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = OpInfo.tensor(engine, op.inputs()[i], dtype, op.shapes()[i]);
        }
        Tensor out = op.op().apply(inputs);
        assertArrayEquals(op.expectedShape(), out.shape(), () -> op.name() + ": shape " + Arrays.toString(out.shape()));
        assertEquals(dtype, out.dtype(), () -> op.name() + ": result dtype");
        Comparison c = Comparison.of(out.toDoubleArray(), op.expected(), Tolerances.forDType(dtype));
        if (!c.withinTolerance()) {
            throw new AssertionError(backend().name() + " " + op.name() + " in " + dtype + ": got "
                    + Arrays.toString(out.toDoubleArray()) + ", expected " + Arrays.toString(op.expected()) + " ("
                    + c.describe() + ", tolerance " + Tolerances.forDType(dtype) + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentiableSamples")
    void backward_sample_matchesCentralFiniteDifferencesInFloat64(OpInfo op) {
        GradCheck.check(backend().name() + " " + op.name(), backend().engine(DType.FLOAT64), op.op(), op.inputs(),
                op.shapes());
    }
}
