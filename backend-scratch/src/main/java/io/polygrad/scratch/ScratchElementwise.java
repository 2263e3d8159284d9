package io.polygrad.scratch;

import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;

/**
 * The elementwise kernels of the scratch backend: unary, binary with broadcasting, and where.
 * Float inputs are computed in float (transcendental functions through {@link Math} and rounded
 * once), double inputs in double.
 *
 * <p>Operands as long as the result or of one element are read directly; any other broadcast is
 * walked row by row with {@link ScratchIndex.Walk}, so no kernel allocates more than its result
 * (the int64 kernels, rare and small, still map each element through an index array).
 */
final class ScratchElementwise {

    /** The bits of {@code 1f}, which a comparison masks to give 1 or 0. */
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    private ScratchElementwise() {
    }

    /** Returns {@code op(a)}. */
    static ScratchArray unary(ScratchBackend backend, UnaryOp op, ScratchArray a) {
        if (a.l != null) {
            return new ScratchArray(backend, ScratchLongs.unary(op, a.l), a.shape);
        }
        if (a.f != null) {
            return new ScratchArray(backend, unary(op, a.f), a.shape);
        }
        return new ScratchArray(backend, unary(op, a.d), a.shape);
    }

    /** Returns {@code op(a, b)} broadcast to {@code shape}. */
    static ScratchArray binary(ScratchBackend backend, BinaryOp op, ScratchArray a, ScratchArray b, int[] shape) {
        int n = Shapes.size(shape);
        boolean direct = isDirect(a, n) && isDirect(b, n);
        if (a.l != null) {
            int[] ia = isDirect(a, n) ? null : ScratchIndex.broadcastOffsets(a.shape, shape);
            int[] ib = isDirect(b, n) ? null : ScratchIndex.broadcastOffsets(b.shape, shape);
            return new ScratchArray(backend, ScratchLongs.binary(op, a.l, ia, b.l, ib, n), shape);
        }
        if (direct) {
            if (a.f != null) {
                return new ScratchArray(backend, direct(op, a.f, b.f, n), shape);
            }
            return new ScratchArray(backend, direct(op, a.d, b.d, n), shape);
        }
        ScratchIndex.Walk w = ScratchIndex.walk(shape, Shapes.broadcastStrides(a.shape, shape),
                Shapes.broadcastStrides(b.shape, shape));
        if (a.f != null) {
            float[] out = new float[n];
            for (int o = 0, len = w.length(); o < n; o += len) {
                row(op, a.f, w.offset(0), w.step(0), b.f, w.offset(1), w.step(1), out, o, len);
                w.next();
            }
            return new ScratchArray(backend, out, shape);
        }
        double[] out = new double[n];
        for (int o = 0, len = w.length(); o < n; o += len) {
            row(op, a.d, w.offset(0), w.step(0), b.d, w.offset(1), w.step(1), out, o, len);
            w.next();
        }
        return new ScratchArray(backend, out, shape);
    }

    /** Returns whether {@code a} is read without broadcast offsets: as long as the result, or one element. */
    static boolean isDirect(ScratchArray a, int n) {
        int len = a.length();
        return len == n || len == 1;
    }

    /** Returns {@code c != 0 ? a : b} broadcast to {@code shape}. */
    /**
     * Returns {@code a + alpha·b} for two arrays of one floating-point dtype and shape in one pass: alpha
     * rounded to the dtype, the product rounded before the sum (Java never fuses them), so the values are
     * those of {@code MUL} then {@code ADD}.
     */
    static ScratchArray addScaled(ScratchBackend backend, ScratchArray a, double alpha, ScratchArray b) {
        if (a.f != null) {
            return new ScratchArray(backend, addScaled(a.f, alpha, b.f, new float[a.f.length]), a.shape.clone());
        }
        return new ScratchArray(backend, addScaled(a.d, alpha, b.d, new double[a.d.length]), a.shape.clone());
    }

    /** Writes {@code x + alpha·y} into {@code out} (alpha rounded to float first) and returns it. */
    static float[] addScaled(float[] x, double alpha, float[] y, float[] out) {
        float s = (float) alpha;
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] + s * y[i];
        }
        return out;
    }

    /** Writes {@code x + alpha·y} into {@code out} and returns it. */
    static double[] addScaled(double[] x, double alpha, double[] y, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i] + alpha * y[i];
        }
        return out;
    }

    static ScratchArray where(ScratchBackend backend, ScratchArray c, ScratchArray a, ScratchArray b, int[] shape) {
        int n = Shapes.size(shape);
        ScratchIndex.Walk w = ScratchIndex.walk(shape, Shapes.broadcastStrides(c.shape, shape),
                Shapes.broadcastStrides(a.shape, shape), Shapes.broadcastStrides(b.shape, shape));
        int len = w.length();
        int sc = w.step(0);
        int sa = w.step(1);
        int sb = w.step(2);
        if (a.l != null) {
            long[] out = new long[n];
            for (int o = 0; o < n; o += len, w.next()) {
                for (int j = 0, ic = w.offset(0), ia = w.offset(1), ib = w.offset(2); j < len;
                        j++, ic += sc, ia += sa, ib += sb) {
                    out[o + j] = c.l[ic] != 0 ? a.l[ia] : b.l[ib];
                }
            }
            return new ScratchArray(backend, out, shape);
        }
        if (a.f != null) {
            float[] out = new float[n];
            for (int o = 0; o < n; o += len, w.next()) {
                for (int j = 0, ic = w.offset(0), ia = w.offset(1), ib = w.offset(2); j < len;
                        j++, ic += sc, ia += sa, ib += sb) {
                    out[o + j] = c.f[ic] != 0 ? a.f[ia] : b.f[ib];
                }
            }
            return new ScratchArray(backend, out, shape);
        }
        double[] out = new double[n];
        for (int o = 0; o < n; o += len, w.next()) {
            for (int j = 0, ic = w.offset(0), ia = w.offset(1), ib = w.offset(2); j < len;
                    j++, ic += sc, ia += sa, ib += sb) {
                out[o + j] = c.d[ic] != 0 ? a.d[ia] : b.d[ib];
            }
        }
        return new ScratchArray(backend, out, shape);
    }

    static float[] unary(UnaryOp op, float[] a) {
        return unary(op, a, new float[a.length]);
    }

    /** Writes {@code op(a)} into {@code out}, as long as {@code a}, and returns it. */
    static float[] unary(UnaryOp op, float[] a, float[] out) {
        int n = a.length;
        switch (op) {
            case NEG:
                for (int i = 0; i < n; i++) {
                    out[i] = -a[i];
                }
                break;
            case EXP:
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.exp(a[i]);
                }
                break;
            case LOG:
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.log(a[i]);
                }
                break;
            case SQRT:
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.sqrt(a[i]);
                }
                break;
            case ABS:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.abs(a[i]);
                }
                break;
            case SIGN:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.signum(a[i]);
                }
                break;
            case TANH:
                for (int i = 0; i < n; i++) {
                    out[i] = (float) Math.tanh(a[i]);
                }
                break;
            default:
                System.arraycopy(ScratchSpecialFunctions.unary(op, a), 0, out, 0, n);
                break;
        }
        return out;
    }

    static double[] unary(UnaryOp op, double[] a) {
        return unary(op, a, new double[a.length]);
    }

    /** Writes {@code op(a)} into {@code out}, as long as {@code a}, and returns it. */
    static double[] unary(UnaryOp op, double[] a, double[] out) {
        int n = a.length;
        switch (op) {
            case NEG:
                for (int i = 0; i < n; i++) {
                    out[i] = -a[i];
                }
                break;
            case EXP:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.exp(a[i]);
                }
                break;
            case LOG:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.log(a[i]);
                }
                break;
            case SQRT:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.sqrt(a[i]);
                }
                break;
            case ABS:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.abs(a[i]);
                }
                break;
            case SIGN:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.signum(a[i]);
                }
                break;
            case TANH:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.tanh(a[i]);
                }
                break;
            default:
                System.arraycopy(ScratchSpecialFunctions.unary(op, a), 0, out, 0, n);
                break;
        }
        return out;
    }

    /** Returns {@code op(a, b)} for operands of {@code n} elements or of one (repeated). */
    static float[] direct(BinaryOp op, float[] a, float[] b, int n) {
        return direct(op, a, b, new float[n], n);
    }

    /** Writes {@code op(a, b)} into {@code out} ({@code n} elements) as {@link #direct(BinaryOp, float[], float[], int)} computes it, and returns it. */
    static float[] direct(BinaryOp op, float[] a, float[] b, float[] out, int n) {
        boolean aFull = a.length == n;
        boolean bFull = b.length == n;
        if (aFull && bFull) {
            switch (op) {
                case ADD:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] + b[i];
                    }
                    return out;
                case SUB:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] - b[i];
                    }
                    return out;
                case MUL:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] * b[i];
                    }
                    return out;
                case DIV:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] / b[i];
                    }
                    return out;
                default:
                    if (!selectOrCompare(op, a, b, out, n)) {
                        for (int i = 0; i < n; i++) {
                            out[i] = apply(op, a[i], b[i]);
                        }
                    }
                    return out;
            }
        }
        if (aFull) {
            float s = b[0];
            switch (op) {
                case ADD:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] + s;
                    }
                    return out;
                case SUB:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] - s;
                    }
                    return out;
                case MUL:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] * s;
                    }
                    return out;
                default:
                    if (!selectOrCompare(op, a, s, out, n)) {
                        for (int i = 0; i < n; i++) {
                            out[i] = apply(op, a[i], s);
                        }
                    }
                    return out;
            }
        }
        if (bFull) {
            float s = a[0];
            for (int i = 0; i < n; i++) {
                out[i] = apply(op, s, b[i]);
            }
            return out;
        }
        java.util.Arrays.fill(out, apply(op, a[0], b[0]));
        return out;
    }

    /**
     * Writes {@code out[i] = op(a[i], b[i])} for MAXIMUM, MINIMUM and the comparisons, one loop per op
     * so that the JIT compiles each to branch-free code (SIMD max and min; a comparison selects an
     * {@code int} mask for the bits of {@code 1f}, which becomes a conditional move, where a
     * {@code float} select would be a branch, mispredicted on data such as a ReLU mask); returns false
     * for any other op. {@link Math#max(float, float)} already gives NaN for a NaN operand, as
     * {@link #apply(BinaryOp, float, float)} does.
     */
    private static boolean selectOrCompare(BinaryOp op, float[] a, float[] b, float[] out, int n) {
        switch (op) {
            case MAXIMUM:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.max(a[i], b[i]);
                }
                return true;
            case MINIMUM:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.min(a[i], b[i]);
                }
                return true;
            case GREATER:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] > b[i] ? -1 : 0));
                }
                return true;
            case GREATER_EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] >= b[i] ? -1 : 0));
                }
                return true;
            case LESS:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] < b[i] ? -1 : 0));
                }
                return true;
            case LESS_EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] <= b[i] ? -1 : 0));
                }
                return true;
            case EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] == b[i] ? -1 : 0));
                }
                return true;
            case NOT_EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] != b[i] ? -1 : 0));
                }
                return true;
            default:
                return false;
        }
    }

    /** Writes {@code out[i] = op(a[i], s)}; see {@link #selectOrCompare(BinaryOp, float[], float[], float[], int)}. */
    private static boolean selectOrCompare(BinaryOp op, float[] a, float s, float[] out, int n) {
        switch (op) {
            case MAXIMUM:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.max(a[i], s);
                }
                return true;
            case MINIMUM:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.min(a[i], s);
                }
                return true;
            case GREATER:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] > s ? -1 : 0));
                }
                return true;
            case GREATER_EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] >= s ? -1 : 0));
                }
                return true;
            case LESS:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] < s ? -1 : 0));
                }
                return true;
            case LESS_EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] <= s ? -1 : 0));
                }
                return true;
            case EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] == s ? -1 : 0));
                }
                return true;
            case NOT_EQUAL:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(ONE_BITS & (a[i] != s ? -1 : 0));
                }
                return true;
            default:
                return false;
        }
    }

    /** Returns {@code op(a, b)} for operands of {@code n} elements or of one (repeated). */
    static double[] direct(BinaryOp op, double[] a, double[] b, int n) {
        return direct(op, a, b, new double[n], n);
    }

    /** Writes {@code op(a, b)} into {@code out} ({@code n} elements) as {@link #direct(BinaryOp, double[], double[], int)} computes it, and returns it. */
    static double[] direct(BinaryOp op, double[] a, double[] b, double[] out, int n) {
        boolean aFull = a.length == n;
        boolean bFull = b.length == n;
        if (aFull && bFull) {
            switch (op) {
                case ADD:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] + b[i];
                    }
                    return out;
                case SUB:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] - b[i];
                    }
                    return out;
                case MUL:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] * b[i];
                    }
                    return out;
                case DIV:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] / b[i];
                    }
                    return out;
                default:
                    for (int i = 0; i < n; i++) {
                        out[i] = apply(op, a[i], b[i]);
                    }
                    return out;
            }
        }
        if (aFull) {
            double s = b[0];
            switch (op) {
                case ADD:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] + s;
                    }
                    return out;
                case SUB:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] - s;
                    }
                    return out;
                case MUL:
                    for (int i = 0; i < n; i++) {
                        out[i] = a[i] * s;
                    }
                    return out;
                default:
                    for (int i = 0; i < n; i++) {
                        out[i] = apply(op, a[i], s);
                    }
                    return out;
            }
        }
        if (bFull) {
            double s = a[0];
            for (int i = 0; i < n; i++) {
                out[i] = apply(op, s, b[i]);
            }
            return out;
        }
        java.util.Arrays.fill(out, apply(op, a[0], b[0]));
        return out;
    }

    /**
     * Writes {@code len} elements {@code out[o + j] = op(a[oa + j·sa], b[ob + j·sb])}; the strides of a
     * walked broadcast are 1 along the row, or 0 for an operand repeated along it.
     */
    private static void row(BinaryOp op, float[] a, int oa, int sa, float[] b, int ob, int sb, float[] out, int o,
            int len) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD:
                    for (int j = 0; j < len; j++) {
                        out[o + j] = a[oa + j] + b[ob + j];
                    }
                    return;
                case SUB:
                    for (int j = 0; j < len; j++) {
                        out[o + j] = a[oa + j] - b[ob + j];
                    }
                    return;
                case MUL:
                    for (int j = 0; j < len; j++) {
                        out[o + j] = a[oa + j] * b[ob + j];
                    }
                    return;
                default:
                    break;
            }
        }
        for (int j = 0; j < len; j++) {
            out[o + j] = apply(op, a[oa + j * sa], b[ob + j * sb]);
        }
    }

    private static void row(BinaryOp op, double[] a, int oa, int sa, double[] b, int ob, int sb, double[] out, int o,
            int len) {
        if (sa == 1 && sb == 1) {
            switch (op) {
                case ADD:
                    for (int j = 0; j < len; j++) {
                        out[o + j] = a[oa + j] + b[ob + j];
                    }
                    return;
                case SUB:
                    for (int j = 0; j < len; j++) {
                        out[o + j] = a[oa + j] - b[ob + j];
                    }
                    return;
                case MUL:
                    for (int j = 0; j < len; j++) {
                        out[o + j] = a[oa + j] * b[ob + j];
                    }
                    return;
                default:
                    break;
            }
        }
        for (int j = 0; j < len; j++) {
            out[o + j] = apply(op, a[oa + j * sa], b[ob + j * sb]);
        }
    }

    private static float apply(BinaryOp op, float x, float y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case POW: return (float) Math.pow(x, y);
            case MAXIMUM: return Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.max(x, y);
            case MINIMUM: return Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.min(x, y);
            case GREATER: return x > y ? 1f : 0f;
            case GREATER_EQUAL: return x >= y ? 1f : 0f;
            case LESS: return x < y ? 1f : 0f;
            case LESS_EQUAL: return x <= y ? 1f : 0f;
            case EQUAL: return x == y ? 1f : 0f;
            case NOT_EQUAL: return x != y ? 1f : 0f;
            default: throw new UnsupportedOperationException("scratch: binary op " + op);
        }
    }

    private static double apply(BinaryOp op, double x, double y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case POW: return Math.pow(x, y);
            case MAXIMUM: return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MINIMUM: return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            case GREATER: return x > y ? 1 : 0;
            case GREATER_EQUAL: return x >= y ? 1 : 0;
            case LESS: return x < y ? 1 : 0;
            case LESS_EQUAL: return x <= y ? 1 : 0;
            case EQUAL: return x == y ? 1 : 0;
            case NOT_EQUAL: return x != y ? 1 : 0;
            default: throw new UnsupportedOperationException("scratch: binary op " + op);
        }
    }
}
