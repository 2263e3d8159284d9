package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.ConvolutionOps;
import io.polygrad.Tensor;

/**
 * 2-D max pooling over NCHW input, PyTorch's {@code nn.MaxPool2d} (dilation 1, floor mode): the maximum of
 * each window, the input padded with −∞; the gradient goes to the first maximum of each window in
 * row-major order. The stride defaults to the kernel size.
 *
 * <pre>{@code
 * Tensor y = new MaxPool2d(2).forward(engine.randn(8, 32, 28, 28));   // [8, 32, 14, 14]
 * Tensor z = new MaxPool2d(3, 1, 1).forward(x);                        // overlapping windows, same size
 * }</pre>
 */
public final class MaxPool2d extends Module {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;

    /** Creates a layer with a square {@code kernel}, stride = kernel, no padding. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /**
     * Creates a layer with a square kernel and the given stride and padding (at most half the kernel).
     *
     * @throws IllegalArgumentException on a non-positive kernel or stride, or a padding above half the kernel
     */
    public MaxPool2d(int kernel, int stride, int padding) {
        super("MaxPool2d");
        this.kernel = new int[] {kernel, kernel};
        this.stride = new int[] {stride, stride};
        this.padding = new int[] {padding, padding};
        try {
            new io.polygrad.spi.Pool2dSpec(this.kernel, this.stride, this.padding, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MaxPool2d: " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
        }
    }

    /** Returns the max pooling of {@code input} {@code [N, C, H, W]} or {@code [C, H, W]}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "MaxPool2d.forward", "input");
        try {
            return ConvolutionOps.maxPool2d(input, kernel, stride, padding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel_size=" + kernel[0] + ", stride=" + stride[0] + ", padding=" + padding[0] + ")";
    }
}
