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
