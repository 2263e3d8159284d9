package io.polygrad;

import static io.polygrad.Autograd.record;
import static io.polygrad.Autograd.savesCrossed;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Shapes;
import java.util.Arrays;

/**
 * The matrix product behind {@link Tensor}'s two {@code matmul} overloads: PyTorch's rules for
 * 1-d operands and broadcast batch dimensions, the shape checks once for both, and one recorded
 * op, {@code op(a) · op(b)} with optional transposes of the last two axes, whose gradients are
 * products of the same kind, so no transpose is ever materialised.
 */
final class MatmulOps {

    private MatmulOps() {
    }

    /** Returns {@code x · y}; a 1-d operand becomes a matrix and the added dimension is removed afterwards. */
    static Tensor matmul(Tensor x, Tensor y) {
        x.checkSameBackend(y, "matmul");
        int[] sx = x.data().shape();
        int[] sy = y.data().shape();
        if (sx.length == 0 || sy.length == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Shapes.toString(sx) + " and " + Shapes.toString(sy));
        }
        Tensor a = sx.length == 1 ? x.reshape(1, sx[0]) : x;
        Tensor b = sy.length == 1 ? y.reshape(sy[0], 1) : y;
        Tensor out = broadcastProduct(a, false, b, false, sx, sy);
        if (sx.length == 1 && sy.length == 1) {
            return out.reshape();
        }
        if (sx.length == 1) {
            int[] os = out.data().shape();
            int[] squeezed = new int[os.length - 1];
            System.arraycopy(os, 0, squeezed, 0, os.length - 2);
            squeezed[squeezed.length - 1] = os[os.length - 1];
            return out.reshape(squeezed);
        }
        if (sy.length == 1) {
            int[] os = out.data().shape();
            return out.reshape(Arrays.copyOf(os, os.length - 1));
        }
        return out;
    }

    /** Returns {@code op(x) · op(y)}, {@code op} transposing the last two axes where asked. */
    static Tensor matmul(Tensor x, Tensor y, boolean tx, boolean ty) {
        x.checkSameBackend(y, "matmul");
        int[] sx = x.data().shape();
        int[] sy = y.data().shape();
        if (sx.length < 2 || sy.length < 2) {
            throw new IllegalArgumentException("matmul with transposes: both arguments need at least 2 dimensions, "
                    + "got shapes " + Shapes.toString(sx) + " and " + Shapes.toString(sy));
        }
        return broadcastProduct(x, tx, y, ty, sx, sy);
    }

    /**
     * Returns {@code op(a) · op(b)} for operands of at least 2 dimensions after checking that the inner
     * dimensions agree and the batch dimensions broadcast; {@code sx} and {@code sy} are the shapes
     * the caller was given, for the error messages.
     */
    private static Tensor broadcastProduct(Tensor a, boolean ta, Tensor b, boolean tb, int[] sx, int[] sy) {
        int[] sa = a.data().shape();
        int[] sb = b.data().shape();
        int m = sa[sa.length - (ta ? 1 : 2)];
        int k = sa[sa.length - (ta ? 2 : 1)];
        int kb = sb[sb.length - (tb ? 1 : 2)];
        int n = sb[sb.length - (tb ? 2 : 1)];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.toString(sx) + (ta ? "ᵀ" : "")
                    + " and " + Shapes.toString(sy) + (tb ? "ᵀ" : "") + " cannot be multiplied (" + m
                    + "x" + k + " and " + kb + "x" + n + ")");
        }
        int[] batchA = Arrays.copyOf(sa, sa.length - 2);
        int[] batchB = Arrays.copyOf(sb, sb.length - 2);
        int[] batch = Shapes.broadcast(batchA, batchB);
        if (batch == null) {
            throw new IllegalArgumentException("matmul: batch dimensions " + Shapes.toString(batchA) + " and "
                    + Shapes.toString(batchB) + " cannot be broadcast together");
        }
        if (a.dtype() != b.dtype()) {
            a = a.to(DType.FLOAT64);
            b = b.to(DType.FLOAT64);
        }
        Tensor ea = a.broadcastTo(batchShape(batch, sa[sa.length - 2], sa[sa.length - 1]));
        Tensor eb = b.broadcastTo(batchShape(batch, sb[sb.length - 2], sb[sb.length - 1]));
        return product(ea, ta, eb, tb);
    }

    private static int[] batchShape(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }

    /**
     * Returns {@code op(a) · op(b)} for operands with equal batch dimensions, recorded as one node.
     * The gradients are products of the same kind: for {@code C = A·Bᵀ}, {@code dA = G·B} and
     * {@code dB = Gᵀ·A}.
     */
    private static Tensor product(Tensor a, boolean ta, Tensor b, boolean tb) {
        BackendArray values = a.backend().matmul(a.data(), ta, b.data(), tb);
        return record(a.engine(), values, "Mm", savesCrossed(a, b), (g, out, in) -> {
            Tensor ga = null;
            Tensor gb = null;
            if (in[0].requiresGrad()) {
                ga = ta ? product(in[1], tb, g, true) : product(g, false, in[1], !tb);
            }
            if (in[1].requiresGrad()) {
                gb = tb ? product(g, true, in[0], ta) : product(in[0], !ta, g, false);
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }
}
