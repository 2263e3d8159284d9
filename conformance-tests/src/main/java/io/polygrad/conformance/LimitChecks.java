package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The size limit every backend shares: a shape of more than 2^31-1 elements (e.g. four dimensions
 * of 65,536, whose product wraps to 0 in 64-bit arithmetic) fails with the same
 * {@link IllegalArgumentException} wherever it arises (creation, reshape, broadcasts, matmul
 * results), before any memory is asked for. It never becomes a 0-element tensor, and no backend
 * accepts it to fail later. The check allocates nothing large: the error comes first.
 */
public final class LimitChecks {

    private LimitChecks() {
    }

    /** Returns the check {@code limits/shapeOver2pow31Elements_isTheSameIllegalArgumentException}. */
    public static List<Check> checks() {
        List<Check> out = new ArrayList<>();
        out.add(Check.of("limits/shapeOver2pow31Elements_isTheSameIllegalArgumentException", Part.AUTOGRAD,
                "shapeOver2pow31Elements_isTheSameIllegalArgumentException", null,
                "a shape of more than 2^31-1 elements fails with one IllegalArgumentException naming it, on every op",
                s -> overflowingShapesFail(s.backend().engine(DType.FLOAT32))));
        return out;
    }

    /** Checks creation, reshape, broadcastTo, broadcasting binary ops and matmul results. */
    static void overflowingShapesFail(Engine e) {
        String four = "Shape [65536, 65536, 65536, 65536] has 18446744073709551616 elements, "
                + "more than the limit of 2^31-1 (2147483647) elements per tensor";
        String two = "Shape [65536, 65536] has 4294967296 elements, "
                + "more than the limit of 2^31-1 (2147483647) elements per tensor";
        String three = "Shape [65536, 65536, 1] has 4294967296 elements, "
                + "more than the limit of 2^31-1 (2147483647) elements per tensor";
        int k = 65536;
        expect("zeros(65536, 65536, 65536, 65536)", four, () -> e.zeros(k, k, k, k));
        expect("full(1, 65536, 65536)", two, () -> e.full(1.0, k, k));
        expect("randn(65536, 65536, 65536, 65536)", four, () -> e.randn(k, k, k, k));
        expect("zeros(0).reshape(65536, 65536, 65536, 65536)", four, () -> e.zeros(0).reshape(k, k, k, k));
        expect("ones(1).broadcastTo(65536, 65536, 65536, 65536)", four, () -> e.ones(1).broadcastTo(k, k, k, k));
        expect("zeros(65536, 1, 1).add(zeros(65536, 1))", three, () -> e.zeros(k, 1, 1).add(e.zeros(k, 1)));
        expect("zeros(65536, 1).matmul(zeros(1, 65536))", two, () -> e.zeros(k, 1).matmul(e.zeros(1, k)));
    }

    private static void expect(String what, String message, Supplier<Tensor> op) {
        Tensor t;
        try {
            t = op.get();
        } catch (IllegalArgumentException ex) {
            if (!message.equals(ex.getMessage())) {
                throw new AssertionError(what + " failed with the message \"" + ex.getMessage() + "\", expected \""
                        + message + "\"", ex);
            }
            return;
        } catch (RuntimeException | OutOfMemoryError ex) {
            throw new AssertionError(what + " must fail with IllegalArgumentException(\"" + message + "\"), got " + ex,
                    ex);
        }
        int[] shape = t.shape();
        t.close();
        throw new AssertionError(what + " must fail with IllegalArgumentException(\"" + message
                + "\"), but returned a tensor of shape " + java.util.Arrays.toString(shape));
    }
}
