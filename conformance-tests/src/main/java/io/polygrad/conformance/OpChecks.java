package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.scratch.ScratchModule;
import java.util.Arrays;

/**
 * Returns the op-level checks of the suite as plain methods, so JUnit classes, the report and the
 * planted-fault tests all run the same code. Each check throws an {@link AssertionError} naming the
 * backend, the op sample, the dtype and the measured difference, or returns the comparison.
 */
public final class OpChecks {

    /** The reference every backend is compared with: scratch in float64. */
    public static final BackendUnderTest REFERENCE = BackendUnderTest.of("scratch", new ScratchModule());

    private OpChecks() {
    }

    /** Returns the forward output of {@code op} on {@code backend} in {@code dtype}. */
    static Tensor run(Engine engine, OpInfo op, DType dtype) {
        Tensor[] inputs = new Tensor[op.inputs().length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = OpInfo.tensor(engine, op.inputs()[i], dtype, op.shapes()[i]);
        }
        return op.op().apply(inputs);
    }

    /** Checks shape, dtype and values of the forward output against the hand-computed values. */
    public static Comparison forwardMatchesHandValues(BackendUnderTest backend, OpInfo op, DType dtype) {
        Tensor out = run(backend.engine(dtype), op, dtype);
        checkShapeAndDType(backend, op, dtype, out);
        return require(backend, op, dtype, "forward vs hand-computed values", out.toDoubleArray(), op.expected(),
                Tolerances.forDType(dtype));
    }

    /** Checks the forward output against scratch in float64. */
    public static Comparison forwardMatchesReference(BackendUnderTest backend, OpInfo op, DType dtype) {
        Tensor out = run(backend.engine(dtype), op, dtype);
        checkShapeAndDType(backend, op, dtype, out);
        double[] reference = run(REFERENCE.engine(DType.FLOAT64), op, DType.FLOAT64).toDoubleArray();
        return require(backend, op, dtype, "forward vs scratch float64", out.toDoubleArray(), reference,
                Tolerances.forDType(dtype));
    }

    /** Checks the float64 gradient of every input against central finite differences. */
    public static void gradientMatchesFiniteDifferences(BackendUnderTest backend, OpInfo op) {
        GradCheck.check(backend.name() + " " + op.name(), backend.engine(DType.FLOAT64), op.op(), op.inputs(),
                op.shapes());
    }

    /** Checks the gradient of every input in {@code dtype} against autograd on scratch float64; returns the merged comparison. */
    public static Comparison gradientMatchesReference(BackendUnderTest backend, OpInfo op, DType dtype) {
        double[][] grads = gradients(backend.engine(dtype), op, dtype);
        double[][] reference = gradients(REFERENCE.engine(DType.FLOAT64), op, DType.FLOAT64);
        Comparison all = Comparison.exact();
        for (int i = 0; i < grads.length; i++) {
            all = all.merge(require(backend, op, dtype, "gradient of input " + i + " vs scratch float64", grads[i],
                    reference[i], Tolerances.forDType(dtype)));
        }
        return all;
    }

    private static double[][] gradients(Engine engine, OpInfo op, DType dtype) {
        Tensor[] leaves = new Tensor[op.inputs().length];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = OpInfo.tensor(engine, op.inputs()[i], dtype, op.shapes()[i]).requiresGrad(true);
        }
        Tensor out = op.op().apply(leaves);
        out.mul(engine.tensor(GradCheck.weights(out.numel()), dtype, out.shape())).sum().backward();
        double[][] grads = new double[leaves.length][];
        for (int i = 0; i < leaves.length; i++) {
            if (leaves[i].grad() != null && leaves[i].grad().dtype() != dtype) {
                throw new AssertionError(op.name() + ": gradient of input " + i + " has dtype "
                        + leaves[i].grad().dtype() + " but the input is " + dtype);
            }
            grads[i] = leaves[i].grad() == null ? new double[op.inputs()[i].length] : leaves[i].grad().toDoubleArray();
        }
        return grads;
    }

    private static void checkShapeAndDType(BackendUnderTest backend, OpInfo op, DType dtype, Tensor out) {
        if (!Arrays.equals(op.expectedShape(), out.shape())) {
            throw new AssertionError(backend.name() + " " + op.name() + " in " + dtype + ": shape "
                    + Arrays.toString(out.shape()) + ", expected " + Arrays.toString(op.expectedShape()));
        }
        if (out.dtype() != dtype) {
            throw new AssertionError(backend.name() + " " + op.name() + ": result dtype " + out.dtype()
                    + " for " + dtype + " inputs");
        }
        if (dtype == DType.FLOAT32) {
            for (double v : out.toDoubleArray()) {
                if (Double.isFinite(v) && (double) (float) v != v) {
                    throw new AssertionError(backend.name() + " " + op.name() + ": float32 result " + v
                            + " is not a float32 value (computed or stored in float64?)");
                }
            }
        }
    }

    private static Comparison require(BackendUnderTest backend, OpInfo op, DType dtype, String what, double[] actual,
            double[] expected, Tolerances tol) {
        Comparison c = Comparison.of(actual, expected, tol);
        if (!c.withinTolerance()) {
            int i = c.worstIndex();
            throw new AssertionError(backend.name() + " " + op.name() + " in " + dtype + ", " + what + ": element " + i
                    + " is " + actual[i] + ", expected " + expected[i] + " (" + c.describe() + "; tolerance rtol "
                    + tol.rtol() + ", atol " + tol.atol() + ")\n  actual   " + Arrays.toString(actual)
                    + "\n  expected " + Arrays.toString(expected));
        }
        return c;
    }
}
