package io.polygrad.loss;

import static io.polygrad.Checks.notNull;

import io.polygrad.DType;
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

    /** Returns the mean cross-entropy of logits; see {@link #crossEntropy(Tensor, Tensor, Reduction)}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, Reduction.MEAN);
    }

    /**
     * Returns PyTorch's {@code nn.CrossEntropyLoss} of unnormalised {@code logits} of shape {@code [C]},
     * {@code [N, C]} or {@code [N, C, d…]} (classes along axis 1, or 0 when unbatched), using a
     * log-softmax with the maximum subtracted. The target is either
     * <ul>
     *   <li>class indices, shaped like the logits without the class axis, holding whole numbers in
     *       {@code [0, C)}: the loss of each sample is {@code -log_softmax(x)[target]}; or</li>
     *   <li>class probabilities, shaped like the logits: the loss of each sample is
     *       {@code -Σ_c target_c·log_softmax(x)_c} (NaN where a class of probability 0 has a
     *       {@code -∞} logit, as in PyTorch).</li>
     * </ul>
     * {@link Reduction#MEAN} averages over the samples (every element but the class axis). With class
     * indices, {@code -∞} logits (masked classes) other than the target's leave the loss finite.
     *
     * @throws IllegalArgumentException if the target has neither shape, or an index is not a whole
     *     number in range
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        notNull(logits, "Losses.crossEntropy", "logits");
        notNull(target, "Losses.crossEntropy", "target");
        notNull(reduction, "Losses.crossEntropy", "reduction");
        int[] ls = logits.shape();
        int[] ts = target.shape();
        if (ls.length == 0) {
            throw new IllegalArgumentException("crossEntropy: logits must have a class axis, got a 0-d tensor");
        }
        int axis = ls.length == 1 ? 0 : 1;
        int classes = ls[axis];
        Tensor logp = Functional.logSoftmax(logits, axis);
        Tensor picked;
        if (Arrays.equals(ls, ts)) {
            picked = target.mul(logp);
        } else if (Arrays.equals(ts, withoutAxis(ls, axis))) {
            // Picks -log_softmax(x)[target] (PyTorch's nll_loss gathers it), so a masked (-inf) logit of
            // another class leaves the loss finite where 0 · -inf would make it NaN.
            Tensor oneHot = oneHot(target, classes, axis, ls.length, logits.dtype());
            picked = Tensor.where(oneHot, logp, logp.zerosLike());
        } else {
            throw new IllegalArgumentException("crossEntropy: target of shape " + Shapes.toString(ts)
                    + " is neither class indices of shape " + Shapes.toString(withoutAxis(ls, axis))
                    + " nor class probabilities of shape " + Shapes.toString(ls) + " for logits of shape "
                    + Shapes.toString(ls));
        }
        return reduction.apply(picked.sum(axis, false).neg());
    }

    private static Tensor oneHot(Tensor indices, int classes, int axis, int rank, DType dtype) {
        double[] values = indices.toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw new IllegalArgumentException("crossEntropy: target " + v + " at flat index " + i
                        + " is not a class index in [0, " + classes + ")");
            }
        }
        int[] classShape = new int[rank];
        Arrays.fill(classShape, 1);
        classShape[axis] = classes;
        int[] targetShape = indices.shape();
        int[] expanded = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            expanded[i] = i == axis ? 1 : targetShape[j++];
        }
        Tensor range = indices.engine().arange(classes).to(indices.dtype()).reshape(classShape);
        return indices.detach().reshape(expanded).eq(range).to(dtype);
    }

    private static int[] withoutAxis(int[] shape, int axis) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
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
