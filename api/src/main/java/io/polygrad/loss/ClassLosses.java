package io.polygrad.loss;

import static io.polygrad.Checks.notNull;

import io.polygrad.Checks;
import io.polygrad.DType;
import io.polygrad.Tensor;
import io.polygrad.nn.Functional;
import io.polygrad.spi.Shapes;
import java.util.Arrays;

/**
 * The class-index losses behind {@link Losses#crossEntropy} and {@link Losses#nll}, with PyTorch
 * 1.13's definitions ({@code aten/src/ATen/native/LossNLL.cpp}): the target's log-probability is
 * picked with {@link Tensor#gather}, weighted by its class weight; the mean divides by the sum of the
 * picked weights of the samples not ignored (NaN, with a zero gradient, when all are); label smoothing
 * mixes in {@code -Σ_c w_c·log p_c / C}, whose mean divides by the same sum (the count of samples not
 * ignored without a weight).
 */
final class ClassLosses {

    private ClassLosses() {
    }

    static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions o) {
        String method = "Losses.crossEntropy";
        notNull(logits, method, "logits");
        notNull(target, method, "target");
        notNull(o, method, "options");
        int[] ls = logits.shape();
        if (ls.length == 0) {
            throw new IllegalArgumentException("crossEntropy: logits must have a class axis, got a 0-d tensor");
        }
        if (!logits.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("crossEntropy: logits must be floating point, got " + logits.dtype()
                    + " of shape " + Shapes.toString(ls));
        }
        int axis = ls.length == 1 ? 0 : 1;
        int classes = ls[axis];
        Tensor weight = checkWeight("crossEntropy", o.weight(), classes, logits);
        double eps = o.labelSmoothing();
        int[] ts = target.shape();
        if (Arrays.equals(ls, ts) && target.dtype().isFloatingPoint()) {
            return probabilities(logits, target, weight, eps, axis, classes, o.reduction());
        }
        checkIndexTarget("crossEntropy", ls, axis, target);
        Tensor logp = Functional.logSoftmax(logits, axis);
        Tensor nll = nllOf(logp, target, weight, o.ignoreIndex(), axis, classes, o.reduction(), "crossEntropy");
        if (eps == 0) {
            return nll;
        }
        Tensor perClass = weight == null ? logp : logp.mul(weight.reshape(classShape(ls.length, axis, classes)));
        Tensor ignored = target.eq((double) o.ignoreIndex());
        Tensor smooth = perClass.sum(axis, false).neg().maskedFill(ignored, 0.0);
        Tensor reduced;
        switch (o.reduction()) {
            case MEAN:
                // PyTorch 1.13: the sum over the picked weights, or over the samples not ignored
                reduced = meanOver(smooth.sum(), weight == null ? ignored.rsub(1.0).to(logits.dtype()).sum()
                        : pickedWeights(weight, target, ignored).sum());
                break;
            case SUM:
                reduced = smooth.sum();
                break;
            default:
                reduced = smooth;
        }
        return nll.mul(1 - eps).add(reduced.mul(eps / classes));
    }

    static Tensor nll(Tensor logp, Tensor target, CrossEntropyOptions o) {
        String method = "Losses.nll";
        notNull(logp, method, "input");
        notNull(target, method, "target");
        notNull(o, method, "options");
        int[] ls = logp.shape();
        if (ls.length == 0) {
            throw new IllegalArgumentException("nll: input must have a class axis, got a 0-d tensor");
        }
        if (o.labelSmoothing() != 0) {
            throw new IllegalArgumentException("nll: labelSmoothing applies to crossEntropy only (NLLLoss has none), got "
                    + o.labelSmoothing());
        }
        int axis = ls.length == 1 ? 0 : 1;
        int classes = ls[axis];
        Tensor weight = checkWeight("nll", o.weight(), classes, logp);
        checkIndexTarget("nll", ls, axis, target);
        return nllOf(logp, target, weight, o.ignoreIndex(), axis, classes, o.reduction(), "nll");
    }

    /** Returns NLL of checked int64 {@code target} against log-probabilities {@code logp}, PyTorch's {@code nll_loss_nd}. */
    private static Tensor nllOf(Tensor logp, Tensor target, Tensor weight, long ignoreIndex, int axis, int classes,
            Reduction reduction, String op) {
        Checks.classIndicesInRange(op, target, ignoreIndex, classes, logp.shape());
        Tensor ignored = target.eq((double) ignoreIndex);
        Tensor safe = target.maskedFill(ignored, 0);
        int[] ls = logp.shape();
        int[] picked = ls.clone();
        picked[axis] = 1;
        Tensor logpy = logp.gather(axis, safe.reshape(picked)).reshape(target.shape());
        Tensor w = weight == null ? ignored.rsub(1.0).to(logp.dtype()) : pickedWeights(weight, target, ignored);
        Tensor losses = logpy.mul(w).neg();
        switch (reduction) {
            case MEAN:
                return meanOver(losses.sum(), w.sum());
            case SUM:
                return losses.sum();
            default:
                return losses;
        }
    }

    /**
     * Returns {@code sum / total}; where every sample is ignored ({@code total} 0) the value is NaN and the
     * gradient 0, as PyTorch's {@code nll_loss} (whose backward skips a zero total weight), not 0/0's NaN.
     */
    private static Tensor meanOver(Tensor sum, Tensor total) {
        Tensor none = total.eq(0.0);
        Tensor safe = Tensor.where(none, total.onesLike(), total);
        return sum.div(safe).add(none.mul(Double.NaN).maskedFill(none.rsub(1.0), 0.0));
    }

    /** Returns {@code weight[target]} with 0 where the sample is ignored. */
    private static Tensor pickedWeights(Tensor weight, Tensor target, Tensor ignored) {
        Tensor safe = target.maskedFill(ignored, 0);
        return weight.gather(0, safe.reshape(-1)).reshape(target.shape()).maskedFill(ignored, 0.0);
    }

    /** PyTorch's class-probability cross-entropy with smoothing {@code eps}: the mean divides by the sample count. */
    private static Tensor probabilities(Tensor logits, Tensor target, Tensor weight, double eps, int axis, int classes,
            Reduction reduction) {
        int[] ls = logits.shape();
        Tensor p = eps == 0 ? target : target.mul(1 - eps).add(eps / classes);
        Tensor logp = Functional.logSoftmax(logits, axis);
        Tensor terms = p.mul(logp);
        if (weight != null) {
            terms = terms.mul(weight.reshape(classShape(ls.length, axis, classes)));
        }
        Tensor losses = terms.sum(axis, false).neg();
        switch (reduction) {
            case MEAN:
                return losses.sum().div((double) (Shapes.size(ls) / classes));
            case SUM:
                return losses.sum();
            default:
                return losses;
        }
    }

    private static int[] classShape(int rank, int axis, int classes) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[axis] = classes;
        return s;
    }

    private static Tensor checkWeight(String op, Tensor weight, int classes, Tensor input) {
        if (weight == null) {
            return null;
        }
        if (weight.rank() != 1 || weight.size(0) != classes || !weight.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": weight must be a 1-d float tensor of " + classes
                    + " class weights, got " + weight.dtype() + " of shape " + Shapes.toString(weight.shape()));
        }
        return weight;
    }

    /** Fails, naming dtypes and shapes, unless {@code target} is int64 class indices for input of shape {@code ls}. */
    private static void checkIndexTarget(String op, int[] ls, int axis, Tensor target) {
        int[] ts = target.shape();
        int[] indexShape = withoutAxis(ls, axis);
        if (Arrays.equals(ts, indexShape)) {
            if (target.dtype() != DType.INT64) {
                throw new IllegalArgumentException(op + ": class-index target must be int64, got " + target.dtype()
                        + " of shape " + Shapes.toString(ts) + " for input of shape " + Shapes.toString(ls)
                        + "; cast it with to(DType.INT64) (a float target of the input's shape is read as class "
                        + "probabilities)");
            }
            return;
        }
        if (Arrays.equals(ts, ls)) {
            throw new IllegalArgumentException(op + ": class-probability target must be floating point, got "
                    + target.dtype() + " of shape " + Shapes.toString(ts)
                    + (op.equals("nll") ? " (nll takes int64 class indices of shape " + Shapes.toString(indexShape)
                    + ")" : "; int64 class indices have shape " + Shapes.toString(indexShape)));
        }
        throw new IllegalArgumentException(op + ": target of " + target.dtype() + " and shape " + Shapes.toString(ts)
                + " is neither int64 class indices of shape " + Shapes.toString(indexShape)
                + (op.equals("nll") ? "" : " nor class probabilities of shape " + Shapes.toString(ls))
                + " for input of shape " + Shapes.toString(ls));
    }

    static int[] withoutAxis(int[] shape, int axis) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
