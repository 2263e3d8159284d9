package io.polygrad.spi;

import java.util.Arrays;

/**
 * The geometry of a 2-D max or average pooling over NCHW arrays, with PyTorch's {@code nn.MaxPool2d}
 * and {@code nn.AvgPool2d} meaning (floor mode, no dilation): {@code kernel}, {@code stride} and
 * {@code padding} are {@code {height, width}} pairs. Max pooling pads with −∞; average pooling pads
 * with zeros and, when {@code countIncludePad} is true (PyTorch's default), divides by the full
 * kernel area, otherwise by the number of input elements in the window. PyTorch requires
 * {@code padding ≤ kernel / 2}.
 *
 * @param kernel the window size, each element at least 1
 * @param stride the step between windows, each element at least 1 (PyTorch's default is the kernel)
 * @param padding the padding on each side, each element in {@code [0, kernel / 2]}
 * @param countIncludePad whether average pooling counts padded elements in the divisor
 */
public record Pool2dSpec(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {

    /** Checks the pairs and copies them, so the record cannot be changed from outside. */
    public Pool2dSpec {
        kernel = Conv2dSpec.pair("kernel", kernel, 1);
        stride = Conv2dSpec.pair("stride", stride, 1);
        padding = Conv2dSpec.pair("padding", padding, 0);
        if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
            throw new IllegalArgumentException("pool2d: padding " + Arrays.toString(padding)
                    + " must be at most half the kernel " + Arrays.toString(kernel));
        }
    }

    /** Returns the output size along one spatial axis (0 = height, 1 = width), or a value below 1 when the input is too small. */
    public int outputSize(int axis, int inputSize) {
        return Math.floorDiv(inputSize + 2 * padding[axis] - kernel[axis], stride[axis]) + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pool2dSpec s && Arrays.equals(kernel, s.kernel) && Arrays.equals(stride, s.stride)
                && Arrays.equals(padding, s.padding) && countIncludePad == s.countIncludePad;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(kernel) + Arrays.hashCode(stride)) + Arrays.hashCode(padding))
                + Boolean.hashCode(countIncludePad);
    }

    @Override
    public String toString() {
        return "Pool2dSpec[kernel=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ", countIncludePad=" + countIncludePad + "]";
    }
}
