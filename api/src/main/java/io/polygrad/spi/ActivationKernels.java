package io.polygrad.spi;

/**
 * Native activation kernels that a {@link Backend} may offer as a fast path through
 * {@link Backend#activationKernels()}: one native pass where {@code api}'s composite of the
 * primitives takes several (the composite's {@code relu} gradient is a mask {@code out ≠ 0} and a
 * product, two passes over the tensor, against one for libtorch's {@code threshold_backward}). {@code api} keeps the composite, which a
 * {@link io.polygrad.CompositePath} scope selects, and the conformance suite checks each kernel
 * against it; the conventions are PyTorch's.
 *
 * <p>Arguments have been checked by {@code api} (floating-point dtype, matching shapes) before a
 * kernel is called; every method returns a new array and leaves its arguments open. As with
 * {@link ConvolutionKernels}, a forward {@code ...ForBackward} may keep with its result what the
 * matching backward needs (freed with the result), and the backward must be right without it.
 */
public interface ActivationKernels {

    /** Returns PyTorch's {@code relu(input)}: {@code max(x, 0)} elementwise, NaN staying NaN. */
    BackendArray relu(BackendArray input);

    /**
     * Returns {@link #relu} for a backward to come through {@link #reluBackward}. The result may carry
     * what that backward needs; the default is {@link #relu}.
     */
    default BackendArray reluForBackward(BackendArray input) {
        return relu(input);
    }

    /**
     * Returns the gradient of relu from its result {@code output} (from {@link #reluForBackward} or
     * {@link #relu}, not changed): {@code gradOutput} where {@code output} is not 0 and 0 where it is,
     * PyTorch's {@code threshold_backward(grad, result, 0)}, so relu'(0) = 0 and relu'(NaN) = 1.
     */
    BackendArray reluBackward(BackendArray gradOutput, BackendArray output);
}
