package io.polygrad.nn.utils;

import io.polygrad.Checks;
import io.polygrad.DType;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping as PyTorch 1.13's {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}:
 * the gradients of the given parameters are changed in place, between {@code backward()} and
 * {@code optimizer.step()}. Parameters without a gradient are skipped.
 *
 * <pre>{@code
 * jshell> loss.backward();
 * jshell> double total = ClipGrad.clipGradNorm(model.parameters(), 1.0);   // clip_grad_norm_(params, 1.0)
 * jshell> ClipGrad.clipGradNorm(model.parameters(), 5.0, Double.POSITIVE_INFINITY);   // norm_type=inf
 * jshell> ClipGrad.clipGradValue(model.parameters(), 0.5);                 // clip_grad_value_(params, 0.5)
 * jshell> optimizer.step();
 * }</pre>
 */
public final class ClipGrad {

    private ClipGrad() {
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} with the 2-norm and no error on a non-finite norm. */
    public static double clipGradNorm(List<Tensor> parameters, double maxNorm) {
        return clipGradNorm(parameters, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} with no error on a non-finite norm (PyTorch's default). */
    public static double clipGradNorm(List<Tensor> parameters, double maxNorm, double normType) {
        return clipGradNorm(parameters, maxNorm, normType, false);
    }

    /**
     * Scales the gradients so that their total {@code normType}-norm (all gradients as one vector) is at most
     * {@code maxNorm}, and returns that total norm before clipping, exactly as PyTorch: the total is the norm of
     * the per-gradient norms ({@code normType} {@code Double.POSITIVE_INFINITY}: the largest absolute value),
     * each gradient is multiplied by {@code min(1, maxNorm / (total + 1e-6))}, computed in the gradients' dtype
     * (the first gradient's). No gradient: returns 0.
     *
     * @param parameters       the parameters whose gradients are clipped
     * @param maxNorm          the largest total norm allowed
     * @param normType         the p of the p-norm, e.g. 2, 1 or {@code Double.POSITIVE_INFINITY}
     * @param errorIfNonfinite whether a NaN or infinite total norm throws instead of scaling (PyTorch's
     *                         {@code error_if_nonfinite})
     * @throws IllegalStateException if {@code errorIfNonfinite} and the total norm is not finite; the gradients
     *     are then unchanged
     * @throws IllegalArgumentException if {@code maxNorm} or {@code normType} is NaN
     */
    public static double clipGradNorm(List<Tensor> parameters, double maxNorm, double normType,
            boolean errorIfNonfinite) {
        Checks.noNulls(parameters, "ClipGrad.clipGradNorm", "parameters");
        if (Double.isNaN(maxNorm) || Double.isNaN(normType)) {
            throw new IllegalArgumentException("ClipGrad.clipGradNorm: maxNorm and normType must not be NaN, got "
                    + maxNorm + " and " + normType);
        }
        List<Tensor> grads = grads(parameters);
        if (grads.isEmpty()) {
            return 0.0;
        }
        DType dtype = grads.get(0).dtype();
        double total;
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            double[] norms = new double[grads.size()];
            for (int i = 0; i < norms.length; i++) {
                norms[i] = round(norm(grads.get(i), normType), dtype);
            }
            total = round(combine(norms, normType), dtype);
            if (errorIfNonfinite && !Double.isFinite(total)) {
                throw new IllegalStateException("The total norm of order " + normType + " for gradients from "
                        + "`parameters` is non-finite, so it cannot be clipped. To disable this error and scale the "
                        + "gradients by the non-finite norm anyway, set errorIfNonfinite to false");
            }
            double coef;
            if (dtype == DType.FLOAT32) {
                // PyTorch: max_norm / (total_norm + 1e-6) on a float32 tensor is reciprocal() * max_norm
                float denom = (float) total + (float) 1e-6;
                coef = Math.min((1f / denom) * (float) maxNorm, 1f);
            } else {
                coef = Math.min((1.0 / (total + 1e-6)) * maxNorm, 1.0);
            }
            if (!(coef == 1.0)) {
                for (Tensor g : grads) {
                    g.muli(coef);
                }
            }
        }
        return total;
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]}, in place (PyTorch's
     * {@code clip_grad_value_}).
     *
     * @throws IllegalArgumentException if {@code clipValue} is NaN
     */
    public static void clipGradValue(List<Tensor> parameters, double clipValue) {
        Checks.noNulls(parameters, "ClipGrad.clipGradValue", "parameters");
        if (Double.isNaN(clipValue)) {
            throw new IllegalArgumentException("ClipGrad.clipGradValue: clipValue must not be NaN");
        }
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            for (Tensor g : grads(parameters)) {
                g.assign(g.clamp(-clipValue, clipValue));
            }
        }
    }

    private static List<Tensor> grads(List<Tensor> parameters) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : parameters) {
            if (p.grad() != null) {
                out.add(p.grad());
            }
        }
        return out;
    }

    /** Returns {@code torch.norm(g, p)}. */
    private static double norm(Tensor g, double p) {
        Tensor a = g.abs();
        if (p == Double.POSITIVE_INFINITY) {
            return g.numel() == 0 ? 0 : a.max().item();
        }
        if (p == Double.NEGATIVE_INFINITY) {
            return g.numel() == 0 ? Double.POSITIVE_INFINITY : -a.neg().max().item();
        }
        if (p == 0) {
            return a.ne(0).sum().item();
        }
        if (p == 1) {
            return a.sum().item();
        }
        if (p == 2) {
            return g.square().sum().sqrt().item();
        }
        return a.pow(p).sum().pow(1 / p).item();
    }

    /** Returns {@code torch.norm(torch.stack(norms), p)}. */
    private static double combine(double[] norms, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (double n : norms) {
                m = Double.isNaN(n) ? n : Math.max(m, n);
                if (Double.isNaN(m)) {
                    return m;
                }
            }
            return m;
        }
        if (p == Double.NEGATIVE_INFINITY) {
            double m = Double.POSITIVE_INFINITY;
            for (double n : norms) {
                m = Math.min(m, n);
            }
            return m;
        }
        double s = 0;
        for (double n : norms) {
            s += p == 0 ? (n != 0 ? 1 : 0) : p == 1 ? Math.abs(n) : p == 2 ? n * n : Math.pow(Math.abs(n), p);
        }
        return p == 0 || p == 1 ? s : p == 2 ? Math.sqrt(s) : Math.pow(s, 1 / p);
    }

    private static double round(double v, DType dtype) {
        return dtype == DType.FLOAT32 ? (float) v : v;
    }
}
