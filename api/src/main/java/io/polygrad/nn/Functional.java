package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.spi.Shapes;
import java.util.Arrays;

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

    // ---------------------------------------------------------------- activations added for porting (issue 14)

    /** Returns {@code x.leakyRelu(negativeSlope)}, PyTorch's {@code F.leaky_relu(x, negative_slope)}. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return notNull(x, "Functional.leakyRelu", "x").leakyRelu(negativeSlope);
    }

    /** Returns {@code x.gelu(approximate)}, PyTorch's {@code F.gelu(x, approximate=...)} ("none" or "tanh"). */
    public static Tensor gelu(Tensor x, String approximate) {
        return notNull(x, "Functional.gelu", "x").gelu(approximate);
    }

    /** Returns {@code x.silu()}, PyTorch's {@code F.silu(x)}. */
    public static Tensor silu(Tensor x) {
        return notNull(x, "Functional.silu", "x").silu();
    }

    /** Returns {@code x.elu(alpha)}, PyTorch's {@code F.elu(x, alpha)}. */
    public static Tensor elu(Tensor x, double alpha) {
        return notNull(x, "Functional.elu", "x").elu(alpha);
    }

    /** Returns {@code x.logSigmoid()}, PyTorch's {@code F.logsigmoid(x)}. */
    public static Tensor logSigmoid(Tensor x) {
        return notNull(x, "Functional.logSigmoid", "x").logSigmoid();
    }

    // ---------------------------------------------------------------- normalisation (batch norm, layer norm)

    /**
     * Returns PyTorch's {@code F.batch_norm(input, runningMean, runningVar, weight, bias, training, momentum,
     * eps)} for {@code input} of shape {@code [N, C, *]} (channels on axis 1):
     * {@code (x - mean) / sqrt(var + eps) · weight + bias} per channel.
     *
     * <p>With {@code training} (or without running statistics) the mean and the <em>biased</em> variance are
     * those of the batch, over every axis but 1; then, when running statistics are given, they are updated in
     * place, outside autograd: {@code running_mean = (1 - momentum)·running_mean + momentum·mean} and
     * {@code running_var} likewise with the <em>unbiased</em> batch variance ({@code · n / (n - 1)}, {@code n}
     * values per channel). Otherwise the running statistics are used. {@code weight} and {@code bias} (shape
     * {@code [C]}) may be null; so may the running statistics (both or neither).
     *
     * <pre>{@code
     * jshell> var x = engine.tensor(new double[][] {{1, 10}, {3, 30}});
     * jshell> Functional.batchNorm(x, null, null, null, null, true, 0.1, 1e-5)
     * $2 ==> tensor([[-1.0000, -1.0000],
     *         [1.0000, 1.0000]])
     * }</pre>
     *
     * @throws IllegalArgumentException if the input has fewer than 2 dimensions, a statistic or affine tensor
     *     is not of shape {@code [C]}, only one running statistic is given, or a training batch has one value
     *     per channel (PyTorch's "Expected more than 1 value per channel when training")
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        String method = "Functional.batchNorm";
        notNull(input, method, "input");
        int[] shape = input.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("batchNorm: expected an input of shape [N, C, *] (at least 2 dimensions),"
                    + " got shape " + Shapes.toString(shape));
        }
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: give both running statistics or neither, got running_mean "
                    + (runningMean == null ? "null" : "of shape " + Shapes.toString(runningMean.shape()))
                    + " and running_var "
                    + (runningVar == null ? "null" : "of shape " + Shapes.toString(runningVar.shape())));
        }
        int channels = shape[1];
        checkPerChannel("running_mean", runningMean, channels, shape);
        checkPerChannel("running_var", runningVar, channels, shape);
        checkPerChannel("weight", weight, channels, shape);
        checkPerChannel("bias", bias, channels, shape);
        int[] axes = new int[shape.length - 1];
        int[] perChannel = new int[shape.length];
        Arrays.fill(perChannel, 1);
        perChannel[1] = channels;
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != 1) {
                axes[j++] = i;
            }
        }
        int n = channels == 0 ? 0 : input.numel() / channels;
        if (training && n <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + Shapes.toString(shape));
        }
        Tensor y;
        if (training || runningMean == null) {
            Tensor mean = input.mean(axes, true);
            Tensor centered = input.sub(mean);
            Tensor var = centered.square().mean(axes, true);
            y = centered.div(var.add(eps).sqrt());
            if (training && runningMean != null) {
                try (NoGrad ignored = NoGrad.enter()) {
                    runningMean.assign(runningMean.mul(1 - momentum).add(mean.reshape(channels).mul(momentum)));
                    runningVar.assign(runningVar.mul(1 - momentum)
                            .add(var.reshape(channels).mul(momentum * n / (n - 1.0))));
                }
            }
        } else {
            y = input.sub(runningMean.reshape(perChannel)).div(runningVar.reshape(perChannel).add(eps).sqrt());
        }
        if (weight != null) {
            y = y.mul(weight.reshape(perChannel));
        }
        return bias == null ? y : y.add(bias.reshape(perChannel));
    }

    private static void checkPerChannel(String name, Tensor t, int channels, int[] inputShape) {
        if (t != null && (t.rank() != 1 || t.shape()[0] != channels)) {
            throw new IllegalArgumentException("batchNorm: " + name + " should contain " + channels
                    + " elements (one per channel of the input of shape " + Shapes.toString(inputShape)
                    + "), but it has shape " + Shapes.toString(t.shape()));
        }
    }

    /**
     * Returns PyTorch's {@code F.layer_norm(input, normalizedShape, weight, bias, eps)}: over the last
     * {@code normalizedShape.length} axes, which must equal {@code normalizedShape},
     * {@code (x - mean) / sqrt(var + eps) · weight + bias} with the mean and the <em>biased</em> variance of
     * those axes. {@code weight} and {@code bias} (of shape {@code normalizedShape}) may be null.
     *
     * <pre>{@code
     * jshell> Functional.layerNorm(engine.tensor(new double[][] {{1, 3}, {0, 10}}), new int[] {2}, null, null, 1e-5)
     * $1 ==> tensor([[-1.0000, 1.0000],
     *         [-1.0000, 1.0000]])
     * }</pre>
     *
     * @throws IllegalArgumentException if the input's trailing shape is not {@code normalizedShape} (PyTorch's
     *     "expected input with shape [*, ...]") or {@code weight} or {@code bias} has another shape
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        String method = "Functional.layerNorm";
        notNull(input, method, "input");
        notNull(normalizedShape, method, "normalizedShape");
        int[] shape = input.shape();
        int k = normalizedShape.length;
        boolean fits = k >= 1 && k <= shape.length && Arrays.equals(
                Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape);
        if (!fits) {
            throw new IllegalArgumentException("layerNorm: given normalizedShape="
                    + Shapes.toString(normalizedShape) + ", expected input with shape [*, "
                    + Shapes.toString(normalizedShape).substring(1) + ", but got input of shape "
                    + Shapes.toString(shape));
        }
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && !Arrays.equals(t.shape(), normalizedShape)) {
                throw new IllegalArgumentException("layerNorm: " + (t == weight ? "weight" : "bias") + " of shape "
                        + Shapes.toString(t.shape()) + " differs from normalizedShape "
                        + Shapes.toString(normalizedShape));
            }
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = shape.length - k + i;
        }
        Tensor centered = input.sub(input.mean(axes, true));
        Tensor y = centered.div(centered.square().mean(axes, true).add(eps).sqrt());
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
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
