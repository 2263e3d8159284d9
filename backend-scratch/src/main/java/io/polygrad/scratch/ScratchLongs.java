package io.polygrad.scratch;

import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;

/**
 * The int64 kernels of the scratch backend: the elementwise ops and reductions the SPI allows on
 * {@code long[]} arrays (Java's two's-complement arithmetic, which wraps on overflow as PyTorch's
 * int64 does). Comparisons give 0/1 longs.
 */
final class ScratchLongs {

    private ScratchLongs() {
    }

    /** Returns {@code op(a)} for NEG, ABS or SIGN. */
    static long[] unary(UnaryOp op, long[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            long x = a[i];
            switch (op) {
                case NEG: out[i] = -x; break;
                case ABS: out[i] = Math.abs(x); break;
                case SIGN: out[i] = Long.signum(x); break;
                default: throw new UnsupportedOperationException("scratch: unary " + op + " on int64");
            }
        }
        return out;
    }

    /** Returns {@code op(a, b)} with the broadcast offsets {@code ia}, {@code ib} ({@code null}: element i or 0). */
    static long[] binary(BinaryOp op, long[] a, int[] ia, long[] b, int[] ib, int n) {
        long[] out = new long[n];
        boolean aFull = ia == null && a.length == n;
        boolean bFull = ib == null && b.length == n;
        for (int i = 0; i < n; i++) {
            long x = ia != null ? a[ia[i]] : (aFull ? a[i] : a[0]);
            long y = ib != null ? b[ib[i]] : (bFull ? b[i] : b[0]);
            out[i] = apply(op, x, y);
        }
        return out;
    }

    private static long apply(BinaryOp op, long x, long y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case MAXIMUM: return Math.max(x, y);
            case MINIMUM: return Math.min(x, y);
            case GREATER: return x > y ? 1 : 0;
            case GREATER_EQUAL: return x >= y ? 1 : 0;
            case LESS: return x < y ? 1 : 0;
            case LESS_EQUAL: return x <= y ? 1 : 0;
            case EQUAL: return x == y ? 1 : 0;
            case NOT_EQUAL: return x != y ? 1 : 0;
            default: throw new UnsupportedOperationException("scratch: binary " + op + " on int64");
        }
    }

    /** Returns SUM or MAX of {@code a} into {@code outSize} cells ({@code target} null: one cell). */
    static long[] reduce(ReduceOp op, long[] a, int[] target, int outSize) {
        long[] out = new long[outSize];
        if (op == ReduceOp.MAX) {
            java.util.Arrays.fill(out, Long.MIN_VALUE);
            for (int i = 0; i < a.length; i++) {
                int t = target == null ? 0 : target[i];
                out[t] = Math.max(out[t], a[i]);
            }
            return out;
        }
        if (op == ReduceOp.MIN) {
            java.util.Arrays.fill(out, Long.MAX_VALUE);
            for (int i = 0; i < a.length; i++) {
                int t = target == null ? 0 : target[i];
                out[t] = Math.min(out[t], a[i]);
            }
            return out;
        }
        if (op == ReduceOp.PROD) {
            java.util.Arrays.fill(out, 1L);
            for (int i = 0; i < a.length; i++) {
                out[target == null ? 0 : target[i]] *= a[i];
            }
            return out;
        }
        if (op != ReduceOp.SUM) {
            throw new UnsupportedOperationException("scratch: reduce " + op + " on int64");
        }
        for (int i = 0; i < a.length; i++) {
            out[target == null ? 0 : target[i]] += a[i];
        }
        return out;
    }
}
