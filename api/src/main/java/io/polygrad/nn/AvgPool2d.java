package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.ConvolutionOps;
import io.polygrad.Tensor;

/**
 * 2-D average pooling over NCHW input, PyTorch's {@code nn.AvgPool2d} (floor mode): the mean of each window
 * of the zero-padded input, divided by the kernel area when {@code countIncludePad} (PyTorch's default),
 * else by the number of input elements in the window. The stride defaults to the kernel size.
 *
 * <pre>{@code
 * Tensor y = new AvgPool2d(2).forward(engine.randn(8, 32, 28, 28));          // [8, 32, 14, 14]
 * Tensor z = new AvgPool2d(3, 1, 1, false).forward(x);                       // padding not counted
 * }</pre>
 */
public final class AvgPool2d extends Module {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean countIncludePad;

    /** Creates a layer with a square {@code kernel}, stride = kernel, no padding. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0, true);
    }

    /**
     * Creates a layer with a square kernel, the given stride and padding (at most half the kernel), and
     * whether padded elements count in the divisor.
     *
     * @throws IllegalArgumentException on a non-positive kernel or stride, or a padding above half the kernel
     */
    public AvgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        super("AvgPool2d");
        this.kernel = new int[] {kernel, kernel};
        this.stride = new int[] {stride, stride};
        this.padding = new int[] {padding, padding};
        this.countIncludePad = countIncludePad;
        try {
            new io.polygrad.spi.Pool2dSpec(this.kernel, this.stride, this.padding, countIncludePad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AvgPool2d: " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
        }
    }

    /** Returns the average pooling of {@code input} {@code [N, C, H, W]} or {@code [C, H, W]}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "AvgPool2d.forward", "input");
        try {
            return ConvolutionOps.avgPool2d(input, kernel, stride, padding, countIncludePad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel_size=" + kernel[0] + ", stride=" + stride[0] + ", padding=" + padding[0]
                + (countIncludePad ? "" : ", count_include_pad=False") + ")";
    }
}
