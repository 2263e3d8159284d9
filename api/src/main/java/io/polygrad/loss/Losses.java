package io.polygrad.loss;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;
import io.polygrad.nn.Functional;
import io.polygrad.spi.Shapes;
import java.util.Arrays;

/**
 * The standard losses with PyTorch's definitions, written in {@link Tensor} operations so they
 * differentiate on every backend. Each takes an {@code input} (prediction), a {@code target} of the
 * same shape (class indices for {@link #crossEntropy}) and a {@link Reduction} (the mean when left
 * out).
 *
 * <pre>{@code
 * Tensor loss = Losses.mse(model.forward(x), y);                       // mean((x - y)²)
 * Tensor perElement = Losses.huber(prediction, y, 1.0, Reduction.NONE);
 * }</pre>
 *
 * <p>Unlike PyTorch, which only warns, an input and target of different shapes are rejected: the
 * broadcast of {@code [n, 1]} against {@code [n]} silently computes an {@code [n, n]} loss.
 */
public final class Losses {

    private Losses() {
    }

    // ---------------------------------------------------------------- regression

    /** Returns the mean squared error {@code mean((input - target)²)}, {@code nn.MSELoss}. */
    public static Tensor mse(Tensor input, Tensor target) {
        return mse(input, target, Reduction.MEAN);
    }

    /** Returns the squared error {@code (input - target)²} reduced by {@code reduction}. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        checkArguments("mse", "input", input, target, reduction);
        return reduction.apply(input.sub(target).square());
    }

    /** Returns the mean absolute error {@code mean(|input - target|)}, {@code nn.L1Loss}. */
    public static Tensor mae(Tensor input, Tensor target) {
        return mae(input, target, Reduction.MEAN);
    }

    /** Returns the absolute error {@code |input - target|} reduced by {@code reduction}; its gradient at 0 is 0. */
    public static Tensor mae(Tensor input, Tensor target, Reduction reduction) {
        checkArguments("mae", "input", input, target, reduction);
        return reduction.apply(input.sub(target).abs());
    }

    /**
     * Returns PyTorch's {@code nn.HuberLoss(delta)}: with {@code d = input - target},
     * {@code 0.5·d²} where {@code |d| < delta}, else {@code delta·(|d| - 0.5·delta)}.
     */
    public static Tensor huber(Tensor input, Tensor target, double delta, Reduction reduction) {
        checkArguments("huber", "input", input, target, reduction);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be > 0, got " + delta);
        }
        Tensor d = input.sub(target);
        Tensor ad = d.abs();
        Tensor quadratic = d.square().mul(0.5);
        Tensor linear = ad.sub(0.5 * delta).mul(delta);
        return reduction.apply(Tensor.where(ad.lt(delta), quadratic, linear));
    }

    /**
     * Returns PyTorch's {@code nn.SmoothL1Loss(beta)}: with {@code d = input - target},
     * {@code 0.5·d²/beta} where {@code |d| < beta}, else {@code |d| - 0.5·beta}; {@code beta = 0} is
     * the L1 loss. For {@code beta > 0} it equals {@code huber(delta = beta) / beta}.
     */
    public static Tensor smoothL1(Tensor input, Tensor target, double beta, Reduction reduction) {
        checkArguments("smoothL1", "input", input, target, reduction);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1: beta must be >= 0, got " + beta);
        }
        if (beta == 0) {
            return mae(input, target, reduction);
        }
        Tensor d = input.sub(target);
        Tensor ad = d.abs();
        Tensor quadratic = d.square().mul(0.5).div(beta);
        Tensor linear = ad.sub(0.5 * beta);
        return reduction.apply(Tensor.where(ad.lt(beta), quadratic, linear));
    }

    // ---------------------------------------------------------------- default-argument overloads, BCE, KL divergence

    /**
     * Returns PyTorch's {@code nn.HuberLoss()} with its defaults {@code delta = 1.0} and the mean; see
     * {@link #huber(Tensor, Tensor, double, Reduction)}.
     *
     * <pre>{@code
     * jshell> Losses.huber(engine.tensor(new double[] {0.5, 3}), engine.zeros(2))
     * $1 ==> tensor(1.3125)
     * }</pre>
     */
    public static Tensor huber(Tensor input, Tensor target) {
        return huber(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Returns PyTorch's {@code nn.HuberLoss(reduction=...)} with its default {@code delta = 1.0}.
     *
     * <pre>{@code
     * jshell> Losses.huber(engine.tensor(new double[] {0.5, 3}), engine.zeros(2), Reduction.NONE)
     * $1 ==> tensor([0.1250, 2.5000])
     * }</pre>
     */
    public static Tensor huber(Tensor input, Tensor target, Reduction reduction) {
        return huber(input, target, 1.0, reduction);
    }

    /**
     * Returns PyTorch's {@code nn.SmoothL1Loss()} with its defaults {@code beta = 1.0} and the mean; see
     * {@link #smoothL1(Tensor, Tensor, double, Reduction)}.
     *
     * <pre>{@code
     * jshell> Losses.smoothL1(engine.tensor(new double[] {0.5, 3}), engine.zeros(2))
     * $1 ==> tensor(1.3125)
     * }</pre>
     */
    public static Tensor smoothL1(Tensor input, Tensor target) {
        return smoothL1(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Returns PyTorch's {@code nn.SmoothL1Loss(reduction=...)} with its default {@code beta = 1.0}.
     *
     * <pre>{@code
     * jshell> Losses.smoothL1(engine.tensor(new double[] {0.5, 3}), engine.zeros(2), Reduction.SUM)
     * $1 ==> tensor(2.6250)
     * }</pre>
     */
    public static Tensor smoothL1(Tensor input, Tensor target, Reduction reduction) {
        return smoothL1(input, target, 1.0, reduction);
    }

    /**
     * Returns the mean binary cross-entropy of probabilities, PyTorch's {@code nn.BCELoss()}; see
     * {@link #binaryCrossEntropy(Tensor, Tensor, Tensor, Reduction)}.
     *
     * <pre>{@code
     * jshell> Losses.binaryCrossEntropy(engine.tensor(new double[] {0.5, 0.9}), engine.tensor(new double[] {1, 1}))
     * $1 ==> tensor(0.3993)
     * }</pre>
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * Returns {@code nn.BCELoss(reduction=...)}; see {@link #binaryCrossEntropy(Tensor, Tensor, Tensor, Reduction)}.
     *
     * <pre>{@code
     * jshell> Losses.binaryCrossEntropy(engine.tensor(new double[] {0.5, 0.9}), engine.tensor(new double[] {1, 1}), Reduction.SUM)
     * $1 ==> tensor(0.7985)
     * }</pre>
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) {
        return binaryCrossEntropy(input, target, null, reduction);
    }

    /**
     * Returns PyTorch's {@code nn.BCELoss(weight, reduction)} of probabilities {@code x} in {@code [0, 1]}
     * (e.g. a sigmoid's output) against targets {@code y}:
     * {@code -w·[y·log x + (1-y)·log(1-x)]}, each log clamped at {@code -100} as PyTorch does, so a
     * confident wrong prediction costs 100 rather than infinity. {@code weight} (null: none) rescales each
     * element and broadcasts to the input's shape. The gradient is PyTorch's,
     * {@code w·(x - y) / max(x·(1-x), 1e-12)}, finite at 0 and 1; prefer
     * {@link #binaryCrossEntropyWithLogits} on logits, which is stabler. The gradient of the target is
     * {@code -w·(log x - log(1-x))} with the clamped logs ({@code ±100·w} at {@code x = 0} or 1, where
     * PyTorch gives {@code ±inf}).
     *
     * <pre>{@code
     * jshell> var p = engine.tensor(new double[] {0.5, 0.9, 0});
     * jshell> Losses.binaryCrossEntropy(p, engine.tensor(new double[] {1, 0, 1}), null, Reduction.NONE)
     * $2 ==> tensor([0.6931, 2.3026, 100.0000])
     * }</pre>
     *
     * @throws IllegalArgumentException if the shapes differ, {@code weight} does not broadcast to the input's
     *     shape, or an input value lies outside {@code [0, 1]} (PyTorch's "all elements of input should be
     *     between 0 and 1")
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        checkArguments("binaryCrossEntropy", "input", input, target, reduction);
        checkWeight("binaryCrossEntropy", "weight", weight, input);
        double[] values = input.toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0 && values[i] <= 1)) {
                throw new IllegalArgumentException("binaryCrossEntropy: all elements of input should be between 0"
                        + " and 1, but element " + i + " is " + values[i] + " (apply sigmoid first, or use"
                        + " binaryCrossEntropyWithLogits on logits)");
            }
        }
        Tensor x = input.detach();
        Tensor logX = x.log().clamp(-100, Double.POSITIVE_INFINITY);
        Tensor log1mX = x.rsub(1).log().clamp(-100, Double.POSITIVE_INFINITY);
        // Value and target gradient from the clamped logs; the input's gradient is PyTorch's formula, attached
        // by g·(x - x.detach()), which is 0 in value (the composite's chain rule would give 0·inf = NaN at 0, 1).
        Tensor loss = target.mul(logX.sub(log1mX)).add(log1mX).neg();
        if (input.requiresGrad()) {
            // PyTorch's EPSILON is the float 1e-12f (9.999999960041972e-13 as a double), in both dtypes
            Tensor g = x.sub(target.detach()).div(x.mul(x.rsub(1)).maximum(x.zerosLike().add((double) 1e-12f)));
            loss = loss.add(g.mul(input.sub(x)));
        }
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return reduction.apply(loss);
    }

    /**
     * Returns PyTorch's {@code nn.BCEWithLogitsLoss(weight, reduction, pos_weight)} of logits {@code x}
     * against targets {@code y}: {@code -w·[p·y·log σ(x) + (1-y)·log(1-σ(x))]}, computed stably as
     * {@code w·[(1-y)·x + (1 + (p-1)·y)·(max(-x, 0) + log(1 + e^-|x|))]}. {@code weight} {@code w} rescales
     * each element and broadcasts to the input's shape; {@code posWeight} {@code p} weighs the positive
     * examples and broadcasts along the last (class) axis, e.g. shape {@code [C]} for {@code [N, C]} logits
     * ({@code p = #negatives / #positives} balances a class). Either may be null (PyTorch's {@code None}).
     *
     * <pre>{@code
     * jshell> var logits = engine.tensor(new double[][] {{0, 2}, {-1, 1}});
     * jshell> var y = engine.tensor(new double[][] {{1, 0}, {1, 1}});
     * jshell> Losses.binaryCrossEntropyWithLogits(logits, y, null, engine.tensor(new double[] {3, 1}), Reduction.NONE)
     * $3 ==> tensor([[2.0794, 2.1269],
     *         [3.9398, 0.3133]])
     * }</pre>
     *
     * @throws IllegalArgumentException if the shapes differ or {@code weight} or {@code posWeight} does not
     *     broadcast to the input's shape
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight,
            Reduction reduction) {
        checkArguments("binaryCrossEntropyWithLogits", "logits", logits, target, reduction);
        checkWeight("binaryCrossEntropyWithLogits", "weight", weight, logits);
        checkWeight("binaryCrossEntropyWithLogits", "posWeight", posWeight, logits);
        Tensor loss;
        if (posWeight == null) {
            loss = Functional.softplus(logits).sub(logits.mul(target));
        } else {
            Tensor logSigmoidNeg = logits.neg().maximum(logits.zerosLike()).add(logits.abs().neg().exp().add(1).log());
            Tensor logWeight = posWeight.sub(1).mul(target).add(1);
            loss = target.rsub(1).mul(logits).add(logWeight.mul(logSigmoidNeg));
        }
        if (weight != null) {
            loss = loss.mul(weight);
        }
        return reduction.apply(loss);
    }

    /**
     * Returns PyTorch's {@code nn.KLDivLoss()} with its defaults ({@code reduction='mean'},
     * {@code log_target=False}); see {@link #klDiv(Tensor, Tensor, Reduction, boolean)}. PyTorch warns that
     * this mean is not the KL divergence; {@link #klDivBatchMean} is.
     *
     * <pre>{@code
     * jshell> var logq = Functional.logSoftmax(engine.tensor(new double[][] {{1, 2, 3}}), 1);
     * jshell> Losses.klDiv(logq, engine.tensor(new double[][] {{0.2, 0.3, 0.5}}))
     * $2 ==> tensor(0.0260)
     * }</pre>
     */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    /**
     * Returns PyTorch's {@code nn.KLDivLoss(reduction, log_target)}: with {@code input} holding
     * log-probabilities {@code log q}, the pointwise {@code p·(log p - log q)} for a {@code target} of
     * probabilities {@code p} (0 where {@code p = 0}), or {@code e^t·(t - log q)} for a target of
     * log-probabilities {@code t} when {@code logTarget}, reduced by {@code reduction} (for the true KL
     * divergence, the sum per sample, use {@link #klDivBatchMean}).
     *
     * <pre>{@code
     * jshell> Losses.klDiv(engine.tensor(new double[] {-0.5, -1}), engine.tensor(new double[] {0.5, 0}),
     *    ...>         Reduction.NONE, false)
     * $1 ==> tensor([-0.0966, 0.0000])
     * }</pre>
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        checkArguments("klDiv", "input", input, target, reduction);
        return reduction.apply(klDivPointwise(input, target, logTarget));
    }

    /**
     * Returns PyTorch's {@code nn.KLDivLoss(reduction='batchmean', log_target)}: the pointwise loss of
     * {@link #klDiv(Tensor, Tensor, Reduction, boolean)} summed and divided by the batch size
     * {@code input.size(0)} (just summed for a 0-d input), which is the mean KL divergence per sample, as
     * PyTorch recommends.
     *
     * <pre>{@code
     * jshell> var logq = Functional.logSoftmax(engine.tensor(new double[][] {{1, 2, 3}, {0, 0, 0}}), 1);
     * jshell> Losses.klDivBatchMean(logq, engine.tensor(new double[][] {{0.2, 0.3, 0.5}, {0.2, 0.3, 0.5}}), false)
     * $2 ==> tensor(0.0735)
     * }</pre>
     */
    public static Tensor klDivBatchMean(Tensor input, Tensor target, boolean logTarget) {
        checkArguments("klDivBatchMean", "input", input, target, Reduction.SUM);
        Tensor sum = klDivPointwise(input, target, logTarget).sum();
        return input.rank() == 0 ? sum : sum.div(input.size(0));
    }

    private static Tensor klDivPointwise(Tensor input, Tensor target, boolean logTarget) {
        if (logTarget) {
            return target.exp().mul(target.sub(input));
        }
        // xlogy(p, p) - p·input, as PyTorch 1.13: 0 where p = 0 (its log is not evaluated there).
        Tensor zero = target.eq(0.0);
        Tensor safe = Tensor.where(zero, target.onesLike(), target);
        Tensor xlogx = Tensor.where(zero, target.zerosLike(), target.mul(safe.log()));
        return xlogx.sub(target.mul(input));
    }

    /** Rejects a {@code weight} that does not broadcast to {@code input}'s shape (the result must keep that shape). */
    private static void checkWeight(String name, String argument, Tensor weight, Tensor input) {
        if (weight == null) {
            return;
        }
        int[] b = Shapes.broadcast(weight.shape(), input.shape());
        if (b == null || !Arrays.equals(b, input.shape())) {
            throw new IllegalArgumentException(name + ": " + argument + " of shape " + Shapes.toString(weight.shape())
                    + " does not broadcast to the input shape " + Shapes.toString(input.shape()));
        }
    }

    // ---------------------------------------------------------------- classification

    /** Returns the mean binary cross-entropy of logits; see {@link #binaryCrossEntropyWithLogits(Tensor, Tensor, Reduction)}. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return binaryCrossEntropyWithLogits(logits, target, Reduction.MEAN);
    }

    /**
     * Returns PyTorch's {@code nn.BCEWithLogitsLoss}: {@code -[y·log σ(x) + (1-y)·log(1-σ(x))]} in the
     * stable form {@code max(x, 0) - x·y + log(1 + e^-|x|)}, with targets {@code y} in {@code [0, 1]}.
     * Its gradient is {@code σ(x) - y} everywhere, {@code x = 0} included.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        checkArguments("binaryCrossEntropyWithLogits", "logits", logits, target, reduction);
        return reduction.apply(Functional.softplus(logits).sub(logits.mul(target)));
    }

    // ---------------------------------------------------------------- cross-entropy and NLL (class indices)

    /** Returns the mean cross-entropy of logits; see {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, CrossEntropyOptions.defaults());
    }

    /** Returns the cross-entropy of logits reduced by {@code reduction}; see {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        notNull(reduction, "Losses.crossEntropy", "reduction");
        return crossEntropy(logits, target, CrossEntropyOptions.of(reduction));
    }

    /**
     * Returns PyTorch's {@code nn.CrossEntropyLoss(weight, ignore_index, reduction, label_smoothing)} of
     * unnormalised {@code logits} of shape {@code [C]}, {@code [N, C]} or {@code [N, C, d…]} (classes
     * along axis 1, or 0 when unbatched), using a log-softmax with the maximum subtracted. The target is
     * either
     * <ul>
     *   <li>int64 class indices, shaped like the logits without the class axis, in {@code [0, C)} or equal
     *       to {@code ignoreIndex}: the loss of a sample is {@code -w[y]·log_softmax(x)[y]}, picked with
     *       {@link Tensor#gather} (so {@code -∞} logits of other classes leave it finite); the mean is
     *       {@code Σ w[y]·l / Σ w[y]} over the samples not ignored. With smoothing {@code ε} the loss is
     *       {@code (1-ε)·nll + ε/C · smooth}, where {@code smooth = -Σ_c w_c·log_softmax(x)_c} (0 for an
     *       ignored sample) is reduced as PyTorch 1.13 does: its mean divides by {@code Σ w[y]} with a
     *       weight and by the number of samples not ignored without; when every sample is ignored the
     *       mean is NaN with a zero gradient, as PyTorch's;</li>
     *   <li>float class probabilities, shaped like the logits: the loss of a sample is
     *       {@code -Σ_c w_c·p_c·log_softmax(x)_c} with {@code p = (1-ε)·target + ε/C}; the mean divides by
     *       the sample count (NaN where a class of probability 0 has a {@code -∞} logit, as in PyTorch).</li>
     * </ul>
     *
     * <pre>{@code
     * jshell> Losses.crossEntropy(logits, e.tensor(new long[] {2, 0}),
     *    ...>         CrossEntropyOptions.builder().labelSmoothing(0.1).build())
     * }</pre>
     *
     * @throws IllegalArgumentException if the target has neither shape, class indices are not int64 or
     *     probabilities not float (naming both dtypes and shapes), or a label lies outside {@code [0, C)}
     *     (naming the label and its position)
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions options) {
        return ClassLosses.crossEntropy(logits, target, options);
    }

    /** Returns the mean negative log-likelihood; see {@link #nll(Tensor, Tensor, CrossEntropyOptions)}. */
    public static Tensor nll(Tensor logProbabilities, Tensor target) {
        return nll(logProbabilities, target, CrossEntropyOptions.defaults());
    }

    /** Returns the negative log-likelihood reduced by {@code reduction}; see {@link #nll(Tensor, Tensor, CrossEntropyOptions)}. */
    public static Tensor nll(Tensor logProbabilities, Tensor target, Reduction reduction) {
        notNull(reduction, "Losses.nll", "reduction");
        return nll(logProbabilities, target, CrossEntropyOptions.of(reduction));
    }

    /**
     * Returns PyTorch's {@code nn.NLLLoss(weight, ignore_index, reduction)} of log-probabilities of shape
     * {@code [C]}, {@code [N, C]} or {@code [N, C, d…]} against int64 class indices: a sample's loss is
     * {@code -w[y]·input[y]}, the mean {@code Σ w[y]·l / Σ w[y]} over the samples whose label is not
     * {@code ignoreIndex}. {@code labelSmoothing} must be 0.
     *
     * <pre>{@code
     * jshell> Losses.nll(Functional.logSoftmax(logits, 1), e.tensor(new long[] {2, 0}))
     * }</pre>
     *
     * @throws IllegalArgumentException as {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)}
     */
    public static Tensor nll(Tensor logProbabilities, Tensor target, CrossEntropyOptions options) {
        return ClassLosses.nll(logProbabilities, target, options);
    }

    /**
     * Rejects a null argument, naming it ({@code inputName} for the input) and {@code Losses.<name>}, and
     * an input and target of different shapes.
     */
    private static void checkArguments(String name, String inputName, Tensor input, Tensor target,
            Reduction reduction) {
        String method = "Losses." + name;
        notNull(input, method, inputName);
        notNull(target, method, "target");
        notNull(reduction, method, "reduction");
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(name + ": input shape " + Shapes.toString(input.shape())
                    + " differs from target shape " + Shapes.toString(target.shape())
                    + "; reshape one so they match (broadcasting here is almost always a bug)");
        }
    }
}
