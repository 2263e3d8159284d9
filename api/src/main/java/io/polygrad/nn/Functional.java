package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/**
 * Composite tensor functions built from {@link Tensor}'s primitive operations, so they run
 * and differentiate on every backend (PyTorch's {@code torch.nn.functional}).
 *
 * <pre>{@code
 * Tensor logp = Functional.logSoftmax(logits, 1);   // stable: max subtracted first
 * }</pre>
 */
public final class Functional {

    private Functional() {
    }

    /** Returns {@code input·weightᵀ + bias} ({@code bias} may be null), PyTorch's {@code F.linear}. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        notNull(input, "Functional.linear", "input");
        notNull(weight, "Functional.linear", "weight");
        Tensor y = input.rank() >= 2 && weight.rank() == 2 ? input.matmul(weight, false, true)
                : input.matmul(weight.transpose(-1, -2));
        return bias == null ? y : y.add(bias);
    }

    /**
     * Returns {@code log Σ exp(x)} over {@code axis}, computed as {@code m + log Σ exp(x - m)} with
     * {@code m} the (detached) maximum, so it neither overflows nor underflows; its gradient is the
     * softmax. Where a whole slice is {@code -∞} the result is {@code -∞} and where it contains
     * {@code +∞} it is {@code +∞}, as in PyTorch.
     */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        notNull(x, "Functional.logSumExp", "x");
        Tensor m = finiteMax(x, axis);
        Tensor lse = x.sub(m).exp().sum(axis, true).log().add(m);
        return keepDims ? lse : squeeze(lse, axis);
    }

    /** Returns {@code x - logSumExp(x)} over {@code axis}, PyTorch's {@code log_softmax}. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        notNull(x, "Functional.logSoftmax", "x");
        Tensor m = finiteMax(x, axis);
        Tensor shifted = x.sub(m);
        return shifted.sub(shifted.exp().sum(axis, true).log());
    }

    /** Returns {@code exp(x) / Σ exp(x)} over {@code axis}, with the maximum subtracted first. */
    public static Tensor softmax(Tensor x, int axis) {
        notNull(x, "Functional.softmax", "x");
        Tensor e = x.sub(finiteMax(x, axis)).exp();
        return e.div(e.sum(axis, true));
    }

    /**
     * Returns {@code log(1 + e^x)} in the stable form {@code max(x, 0) + log(1 + e^-|x|)}. The maximum
     * is {@link Tensor#maximum}, whose tie at {@code x = 0} splits the gradient, so the derivative is
     * the sigmoid everywhere, {@code 0.5} at 0 included.
     */
    public static Tensor softplus(Tensor x) {
        notNull(x, "Functional.softplus", "x");
        return x.maximum(x.zerosLike()).add(x.abs().neg().exp().add(1.0).log());
    }

    /** Returns the maximum over {@code axis} (kept), detached, with infinite maxima replaced by 0. */
    private static Tensor finiteMax(Tensor x, int axis) {
        Tensor m = x.max(axis, true).detach();
        Tensor infinite = m.abs().eq(Double.POSITIVE_INFINITY);
        return Tensor.where(infinite, m.zerosLike(), m);
    }

    private static Tensor squeeze(Tensor t, int axis) {
        int[] s = t.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != ax) {
                out[j++] = s[i];
            }
        }
        return t.reshape(out);
    }
}
