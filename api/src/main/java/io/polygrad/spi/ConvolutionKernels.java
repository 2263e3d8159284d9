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
 */
public interface ConvolutionKernels {

    /** Returns the convolution of {@code input} with {@code weight}, plus {@code bias} per output channel when it is not null. */
    BackendArray conv2d(BackendArray input, BackendArray weight, BackendArray bias, Conv2dSpec spec);

    /** Returns the gradient of the convolution with respect to its input, of shape {@code inputShape}. */
    BackendArray conv2dBackwardInput(BackendArray gradOutput, BackendArray weight, int[] inputShape, Conv2dSpec spec);

    /** Returns the gradient of the convolution with respect to its weight, of shape {@code weightShape}. */
    BackendArray conv2dBackwardWeight(BackendArray gradOutput, BackendArray input, int[] weightShape, Conv2dSpec spec);

    /** Returns the max pooling of {@code input}. */
    BackendArray maxPool2d(BackendArray input, Pool2dSpec spec);

    /**
     * Returns the gradient of max pooling with respect to {@code input}: each output's gradient goes to
     * the position of its window's maximum (the first one in row-major order on a tie, as PyTorch's
     * CPU kernel), summed where windows overlap.
     */
    BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, Pool2dSpec spec);

    /** Returns the average pooling of {@code input}. */
    BackendArray avgPool2d(BackendArray input, Pool2dSpec spec);

    /** Returns the gradient of average pooling with respect to its input, of shape {@code inputShape}. */
    BackendArray avgPool2dBackward(BackendArray gradOutput, int[] inputShape, Pool2dSpec spec);
}
