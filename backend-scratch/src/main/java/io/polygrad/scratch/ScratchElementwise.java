package io.polygrad.scratch;

import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;

/**
 * The elementwise kernels of the scratch backend: unary, binary with broadcasting, and where.
 * Float inputs are computed in float (transcendental functions through {@link Math} and rounded
 * once), double inputs in double.
 *
 * <p>An index array maps each output element to its source element for broadcasting; {@code null}
 * means "element i" when the source is as long as the output, or "element 0" for a one-element source.
 */
final class ScratchElementwise {

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
        int[] ia = null;
        int[] ib = null;
        if (a.length() != n || b.length() != n) {
            if (a.length() != 1) {
                ia = ScratchIndex.broadcastOffsets(a.shape, shape);
            }
            if (b.length() != 1) {
                ib = ScratchIndex.broadcastOffsets(b.shape, shape);
            }
        }
        if (a.l != null) {
            return new ScratchArray(backend, ScratchLongs.binary(op, a.l, ia, b.l, ib, n), shape);
        }
        if (a.f != null) {
            return new ScratchArray(backend, binary(op, a.f, ia, b.f, ib, n), shape);
        }
        return new ScratchArray(backend, binary(op, a.d, ia, b.d, ib, n), shape);
    }

    /** Returns {@code c != 0 ? a : b} broadcast to {@code shape}. */
    static ScratchArray where(ScratchBackend backend, ScratchArray c, ScratchArray a, ScratchArray b, int[] shape) {
        int n = Shapes.size(shape);
        int[] ic = ScratchIndex.broadcastOffsets(c.shape, shape);
        int[] ia = ScratchIndex.broadcastOffsets(a.shape, shape);
        int[] ib = ScratchIndex.broadcastOffsets(b.shape, shape);
        if (a.l != null) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = c.l[ic[i]] != 0 ? a.l[ia[i]] : b.l[ib[i]];
            }
            return new ScratchArray(backend, out, shape);
        }
        if (a.f != null) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = c.f[ic[i]] != 0 ? a.f[ia[i]] : b.f[ib[i]];
            }
            return new ScratchArray(backend, out, shape);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.d[ic[i]] != 0 ? a.d[ia[i]] : b.d[ib[i]];
        }
        return new ScratchArray(backend, out, shape);
    }

    static float[] unary(UnaryOp op, float[] a) {
        int n = a.length;
        float[] out = new float[n];
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
                return ScratchSpecialFunctions.unary(op, a);
        }
        return out;
    }

    static double[] unary(UnaryOp op, double[] a) {
        int n = a.length;
        double[] out = new double[n];
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
                return ScratchSpecialFunctions.unary(op, a);
        }
        return out;
    }

    static float[] binary(BinaryOp op, float[] a, int[] ia, float[] b, int[] ib, int n) {
        float[] out = new float[n];
        boolean aFull = ia == null && a.length == n;
        boolean bFull = ib == null && b.length == n;
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
        if (aFull && ib == null) {
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
                    for (int i = 0; i < n; i++) {
                        out[i] = apply(op, a[i], s);
                    }
                    return out;
            }
        }
        if (bFull && ia == null) {
            float s = a[0];
            for (int i = 0; i < n; i++) {
                out[i] = apply(op, s, b[i]);
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            float x = ia != null ? a[ia[i]] : (aFull ? a[i] : a[0]);
            float y = ib != null ? b[ib[i]] : (bFull ? b[i] : b[0]);
            out[i] = apply(op, x, y);
        }
        return out;
    }

    static double[] binary(BinaryOp op, double[] a, int[] ia, double[] b, int[] ib, int n) {
        double[] out = new double[n];
        boolean aFull = ia == null && a.length == n;
        boolean bFull = ib == null && b.length == n;
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
        if (aFull && ib == null) {
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
        if (bFull && ia == null) {
            double s = a[0];
            for (int i = 0; i < n; i++) {
                out[i] = apply(op, s, b[i]);
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            double x = ia != null ? a[ia[i]] : (aFull ? a[i] : a[0]);
            double y = ib != null ? b[ib[i]] : (bFull ? b[i] : b[0]);
            out[i] = apply(op, x, y);
        }
        return out;
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
