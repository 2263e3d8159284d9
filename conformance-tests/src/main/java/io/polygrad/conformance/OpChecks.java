package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.scratch.ScratchModule;
import io.polygrad.conformance.Check.Part;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The op-level checks of the suite, as plain methods and as entries of the suite's list
 * ({@link #checks(DType)}), so the JUnit classes, the report and the planted-fault tests all run the
 * same code. Each check throws an {@link AssertionError} naming the backend, the op sample, the dtype
 * and the measured difference, or returns the comparison.
 */
public final class OpChecks {

    /** The reference every backend is compared with: scratch in float64. */
    public static final BackendUnderTest REFERENCE = BackendUnderTest.of("scratch", new ScratchModule());

    private OpChecks() {
    }

    /**
     * Returns the checks of every sample of {@link OpRegistry} in {@code dtype}: {@code forward-hand},
     * {@code forward-reference} and, for differentiable samples, {@code gradient-reference} and (in
     * float64) {@code gradcheck}, each with the id {@code ops/<sample>/<dtype>/<check>}.
     */
    public static List<Check> checks(DType dtype) {
        return checks(dtype, OpRegistry.all());
    }

    /** Returns the checks of {@link #checks(DType)} for the given samples (e.g. {@link NormChecks}'s). */
    public static List<Check> checks(DType dtype, List<OpInfo> samples) {
        List<Check> out = new ArrayList<>();
        for (OpInfo op : samples) {
            out.add(Check.measuring(checkId(op, dtype, "forward-hand"), Part.OPS, op.name(), dtype,
                    "forward vs hand-computed", s -> forwardMatchesHandValues(s.backend(), op, dtype)));
            out.add(Check.measuring(checkId(op, dtype, "forward-reference"), Part.OPS, op.name(), dtype,
                    "forward vs scratch float64", s -> forwardMatchesReference(s.backend(), op, dtype)));
            if (op.differentiable()) {
                out.add(Check.measuring(checkId(op, dtype, "gradient-reference"), Part.OPS, op.name(), dtype,
                        "gradient vs scratch float64", s -> gradientMatchesReference(s.backend(), op, dtype)));
                if (dtype == DType.FLOAT64) {
                    out.add(Check.of(checkId(op, dtype, "gradcheck"), Part.OPS, op.name(), dtype,
                            "gradient vs central finite differences",
                            s -> gradientMatchesFiniteDifferences(s.backend(), op)));
                }
            }
        }
        return out;
    }

    /** Returns the id of one op check, e.g. {@code ops/exp[large]/float32/forward-reference}. */
    public static String checkId(OpInfo op, DType dtype, String check) {
        return "ops/" + op.name() + "/" + Check.id(dtype) + "/" + check;
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
