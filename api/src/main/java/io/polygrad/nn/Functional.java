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
     * Returns PyTorch's {@code F.softplus(x)} with its defaults {@code beta = 1}, {@code threshold = 20}:
     * see {@link #softplus(Tensor, double, double)}.
     */
    public static Tensor softplus(Tensor x) {
        return softplus(x, 1.0, 20.0);
    }

    /**
     * Returns PyTorch's {@code F.softplus(x, beta, threshold)}: {@code log(1 + e^(beta·x)) / beta}, and
     * {@code x} itself where {@code beta·x > threshold} (PyTorch's switch to the linear function, whose
     * gradient there is exactly 1). Below the threshold it is computed in the stable form
     * {@code (max(bx, 0) + log(1 + e^-|bx|)) / beta} with {@code bx = beta·x}; the maximum is
     * {@link Tensor#maximum}, whose tie at {@code bx = 0} splits the gradient, so the derivative is the
     * sigmoid of {@code bx}, {@code 0.5} at 0 included.
     *
     * @throws IllegalArgumentException if {@code beta} is not positive and finite
     */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        notNull(x, "Functional.softplus", "x");
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("softplus: beta must be positive and finite, got " + beta);
        }
        Tensor bx = beta == 1.0 ? x : x.mul(beta);
        Tensor smooth = bx.maximum(bx.zerosLike()).add(bx.abs().neg().exp().add(1.0).log());
        if (beta != 1.0) {
            smooth = smooth.div(beta);
        }
        return Tensor.where(bx.gt(threshold), x, smooth);
    }

    // ---------------------------------------------------------------- convolution and pooling (ConvolutionOps)

    /**
     * Returns PyTorch's {@code F.conv2d(input, weight, bias, stride, padding, dilation, groups)}; see
     * {@link io.polygrad.ConvolutionOps#conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int)}.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
            int groups) {
        return io.polygrad.ConvolutionOps.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** Returns PyTorch's {@code F.max_pool2d(input, kernel, stride, padding)}; see {@link io.polygrad.ConvolutionOps#maxPool2d(Tensor, int[], int[], int[])}. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding) {
        return io.polygrad.ConvolutionOps.maxPool2d(input, kernel, stride, padding);
    }

    /**
     * Returns PyTorch's {@code F.avg_pool2d(input, kernel, stride, padding, count_include_pad)}; see
     * {@link io.polygrad.ConvolutionOps#avgPool2d(Tensor, int[], int[], int[], boolean)}.
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        return io.polygrad.ConvolutionOps.avgPool2d(input, kernel, stride, padding, countIncludePad);
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
