package io.polygrad.spi;

/**
 * Native 2-D convolution and pooling kernels (NCHW) that a {@link Backend} may offer as a fast path
 * through {@link Backend#convolutionKernels()}. {@code api} always has a composite of the same ops,
 * built from the backend's primitives, and the conformance suite checks each kernel against it; a
 * kernel must give the composite's result to rounding, with PyTorch's conventions.
 *
 * <p>Arguments have been checked by {@code api} (ranks, channel counts, dtypes, non-empty output)
 * before a kernel is called; every method returns a new array and leaves its arguments open.
 * Shapes: input {@code [N, C, H, W]}, weight {@code [O, C / groups, kH, kW]}, bias {@code [O]},
 * output {@code [N, O, outH, outW]}.
 *
 * <p><b>Forward and backward as a pair.</b> When {@code api} records a convolution or a max pooling
 * for autograd, it runs the forward through {@link #conv2dForBackward} / {@link #maxPool2dForBackward}
 * and the backward through {@link #conv2dBackward} / {@link #maxPool2dBackward(BackendArray,
 * BackendArray, BackendArray, Pool2dSpec)}, giving the backward the forward's result. A backend whose
 * library computes the gradients best from state of the forward (libtorch's autograd graph with its
 * saved pooling indices, on the djl backend) may keep that state with the result; it is freed with
 * the result, and the backward must still be right when the result no longer carries it (released,
 * made by the plain forward, or its state used up by an earlier backward of a retained graph). The defaults keep nothing and
 * call the single-gradient methods.
 */
public interface ConvolutionKernels {

    /** Returns the convolution of {@code input} with {@code weight}, plus {@code bias} per output channel when it is not null. */
    BackendArray conv2d(BackendArray input, BackendArray weight, BackendArray bias, Conv2dSpec spec);

    /** Returns the gradient of the convolution with respect to its input, of shape {@code inputShape}. */
    BackendArray conv2dBackwardInput(BackendArray gradOutput, BackendArray weight, int[] inputShape, Conv2dSpec spec);

    /** Returns the gradient of the convolution with respect to its weight, of shape {@code weightShape}. */
    BackendArray conv2dBackwardWeight(BackendArray gradOutput, BackendArray input, int[] weightShape, Conv2dSpec spec);

    /**
     * Returns {@link #conv2d} for a backward to come, which will ask {@link #conv2dBackward} for the
     * input gradient when {@code inputGrad} and for the weight gradient when {@code weightGrad}. The
     * result may carry what that backward needs; the default is {@link #conv2d}.
     */
    default BackendArray conv2dForBackward(BackendArray input, BackendArray weight, BackendArray bias,
            Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
        return conv2d(input, weight, bias, spec);
    }

    /**
     * Returns {@code {gradInput, gradWeight}}, the gradients of the convolution with respect to its
     * input (when {@code inputGrad}, else null) and its weight (when {@code weightGrad}, else null).
     * {@code output} is the forward's result, from {@link #conv2dForBackward} or {@link #conv2d}, or
     * null when it has been released; it may be closed meanwhile by another thread, and is not changed. The default calls {@link #conv2dBackwardInput}
     * and {@link #conv2dBackwardWeight}.
     */
    default BackendArray[] conv2dBackward(BackendArray gradOutput, BackendArray input, BackendArray weight,
            BackendArray output, Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
        BackendArray gi = inputGrad ? conv2dBackwardInput(gradOutput, weight, input.shape(), spec) : null;
        try {
            return new BackendArray[] {gi, weightGrad ? conv2dBackwardWeight(gradOutput, input, weight.shape(), spec)
                    : null};
        } catch (RuntimeException | Error e) {
            if (gi != null) {
                gi.close();
            }
            throw e;
        }
    }

    /** Returns the max pooling of {@code input}. */
    BackendArray maxPool2d(BackendArray input, Pool2dSpec spec);

    /**
     * Returns the gradient of max pooling with respect to {@code input}: each output's gradient goes to
     * the position of its window's maximum (the first one in row-major order on a tie, as PyTorch's
     * CPU kernel), summed where windows overlap.
     */
    BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, Pool2dSpec spec);

    /**
     * Returns {@link #maxPool2d} for a backward to come through
     * {@link #maxPool2dBackward(BackendArray, BackendArray, BackendArray, Pool2dSpec)}. The result may
     * carry what that backward needs (where each window's maximum is); the default is
     * {@link #maxPool2d}.
     */
    default BackendArray maxPool2dForBackward(BackendArray input, Pool2dSpec spec) {
        return maxPool2d(input, spec);
    }

    /**
     * Returns {@link #maxPool2dBackward(BackendArray, BackendArray, Pool2dSpec)}, given also the
     * forward's result {@code output} (from {@link #maxPool2dForBackward} or {@link #maxPool2d}, or null
     * when it has been released; it may be closed meanwhile, and is not changed). The default ignores
     * {@code output}.
     */
    default BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, BackendArray output,
            Pool2dSpec spec) {
        return maxPool2dBackward(gradOutput, input, spec);
    }

    /** Returns the average pooling of {@code input}. */
    BackendArray avgPool2d(BackendArray input, Pool2dSpec spec);

    /** Returns the gradient of average pooling with respect to its input, of shape {@code inputShape}. */
    BackendArray avgPool2dBackward(BackendArray gradOutput, int[] inputShape, Pool2dSpec spec);
}
