package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.scratch.ScratchBackend;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Shows that the suite catches a backend with one planted fault, each with a message that says what
 * is wrong. Each faulty backend is scratch with one kernel changed.
 */
class PlantedFaultsTest {

    /** Scratch with every kernel delegated; subclasses change one. */
    static class Delegating implements Backend {
        final Backend d = new ScratchBackend();

        @Override public String name() { return "faulty"; }
        @Override public Device device() { return d.device(); }
        @Override public BackendArray fromDoubles(double[] v, int[] s, DType t) { return d.fromDoubles(v, s, t); }
        @Override public BackendArray fromFloats(float[] v, int[] s) { return d.fromFloats(v, s); }
        @Override public BackendArray full(int[] s, double v, DType t) { return d.full(s, v, t); }
        @Override public double[] toDoubleArray(BackendArray a) { return d.toDoubleArray(a); }
        @Override public float[] toFloatArray(BackendArray a) { return d.toFloatArray(a); }
        @Override public BackendArray unary(UnaryOp op, BackendArray a) { return d.unary(op, a); }
        @Override public BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) { return d.binary(op, a, b); }
        @Override public BackendArray where(BackendArray c, BackendArray a, BackendArray b) { return d.where(c, a, b); }
        @Override public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keep) {
            return d.reduce(op, a, axes, keep);
        }
        @Override public BackendArray matmul(BackendArray a, BackendArray b) { return d.matmul(a, b); }
        @Override public BackendArray reshape(BackendArray a, int[] s) { return d.reshape(a, s); }
        @Override public BackendArray permute(BackendArray a, int[] axes) { return d.permute(a, axes); }
        @Override public BackendArray broadcastTo(BackendArray a, int[] s) { return d.broadcastTo(a, s); }
        @Override public BackendArray slice(BackendArray a, int axis, int s, int e) { return d.slice(a, axis, s, e); }
        @Override public BackendArray concat(BackendArray[] p, int axis) { return d.concat(p, axis); }
        @Override public BackendArray cast(BackendArray a, DType t) { return d.cast(a, t); }
    }

    private static BackendUnderTest faulty(Backend backend) {
        return BackendUnderTest.of("faulty", new AbstractModule() {
            @Override
            protected void configure() {
                bind(Backend.class).toInstance(backend);
            }
        });
    }

    private static OpInfo op(String name) {
        return OpRegistry.all().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
    }

    private static void assertCaught(Runnable check, String... fragments) {
        AssertionError e = assertThrows(AssertionError.class, check::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    @DisplayName("a wrong gradient is caught by gradcheck even when every forward value is right")
    void wrongGradient_caughtByGradcheck() {
        // broadcastTo is used by the backward rules of sum and mean, not by their forward.
        BackendUnderTest b = faulty(new Delegating() {
            @Override
            public BackendArray broadcastTo(BackendArray a, int[] s) {
                BackendArray right = d.broadcastTo(a, s);
                return d.binary(BinaryOp.MUL, right, d.full(new int[0], 2.0, a.dtype()));
            }
        });
        assertDoesNotThrow(() -> OpChecks.forwardMatchesHandValues(b, op("mean[all]"), DType.FLOAT64));
        assertCaught(() -> OpChecks.gradientMatchesFiniteDifferences(b, op("mean[all]")),
                "faulty mean[all]", "differs from finite differences");
        assertCaught(() -> OpChecks.gradientMatchesReference(b, op("mean[all]"), DType.FLOAT32),
                "gradient of input 0 vs scratch float64");
    }

    @Test
    @DisplayName("a reduction over the wrong axis is caught, in forward and in broadcast gradients")
    void reductionOverWrongAxis_caught() {
        BackendUnderTest b = faulty(new Delegating() {
            @Override
            public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keep) {
                int rank = a.shape().length;
                if (axes.length == 1 && rank > 1 && a.shape()[rank - 1 - axes[0]] == a.shape()[axes[0]]) {
                    return d.reduce(op, a, new int[] {rank - 1 - axes[0]}, keep);
                }
                if (axes.length == 1 && rank > 1) {
                    BackendArray wrong = d.reduce(op, a, new int[] {rank - 1 - axes[0]}, true);
                    return d.reshape(d.broadcastTo(d.reduce(op, wrong, new int[] {rank - 1 - axes[0]}, true),
                            io.polygrad.spi.Shapes.reduced(a.shape(), axes, true)),
                            io.polygrad.spi.Shapes.reduced(a.shape(), axes, keep));
                }
                return d.reduce(op, a, axes, keep);
            }
        });
        assertCaught(() -> OpChecks.forwardMatchesHandValues(b, op("sum[axis 0]"), DType.FLOAT64),
                "faulty sum[axis 0]", "forward vs hand-computed values");
        assertCaught(() -> OpChecks.gradientMatchesFiniteDifferences(b, op("add[2x3 + 3]")),
                "add[2x3 + 3]", "gradient of input 1");
    }

    @Test
    @DisplayName("a float32 kernel that silently computes and returns float64 is caught by its dtype")
    void float32ComputedInFloat64_caught() {
        BackendUnderTest b = faulty(new Delegating() {
            @Override
            public BackendArray binary(BinaryOp op, BackendArray a, BackendArray c) {
                if (a.dtype() == DType.FLOAT32) {
                    return d.binary(op, d.cast(a, DType.FLOAT64), d.cast(c, DType.FLOAT64));
                }
                return d.binary(op, a, c);
            }
        });
        assertCaught(() -> OpChecks.forwardMatchesHandValues(b, op("div[2x3 / 3]"), DType.FLOAT32),
                "result dtype float64 for float32 inputs");
    }

    @Test
    @DisplayName("a float64 kernel that silently computes in float32 is caught by the float64 tolerance")
    void float64ComputedInFloat32_caught() {
        BackendUnderTest b = faulty(new Delegating() {
            @Override
            public BackendArray unary(UnaryOp op, BackendArray a) {
                if (a.dtype() == DType.FLOAT64) {
                    return d.cast(d.unary(op, d.cast(a, DType.FLOAT32)), DType.FLOAT64);
                }
                return d.unary(op, a);
            }
        });
        // On float32-exact inputs the rounding can hide inside float64's tolerance (rtol 1e-7) ...
        assertDoesNotThrow(() -> OpChecks.forwardMatchesReference(b, op("exp"), DType.FLOAT64));
        // ... which is why the suite also checks float64 kernels on full-precision inputs.
        assertCaught(() -> PrecisionChecks.float64KeepsFullPrecision(b), "faulty neg in float64 lost precision", "must not compute in float32");
    }

    @Test
    @DisplayName("a backend that makes initial values with its own RNG is caught by the bit-identity check")
    void backendRngForInit_caught() {
        BackendUnderTest b = faulty(new Delegating() {
            private final Random rng = new Random();

            @Override
            public BackendArray fromFloats(float[] v, int[] s) {
                float[] own = new float[v.length];
                for (int i = 0; i < own.length; i++) {
                    own[i] = (float) rng.nextGaussian();
                }
                return d.fromFloats(own, s);
            }
        });
        assertCaught(() -> InitChecks.initialValuesBitIdentical(b, DType.FLOAT32, 3),
                "not bit-identical to scratch", "never a backend RNG");
    }
}
