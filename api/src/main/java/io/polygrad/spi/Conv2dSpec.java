package io.polygrad.spi;

import java.util.Arrays;

/**
 * The geometry of a 2-D convolution over NCHW arrays, with PyTorch's {@code nn.Conv2d} meaning:
 * {@code stride}, {@code padding} (zeros, on both sides) and {@code dilation} are {@code {height,
 * width}} pairs, and {@code groups} splits the input and output channels into that many independent
 * convolutions. The output height is {@code (H + 2·padding[0] − dilation[0]·(kH − 1) − 1) / stride[0]
 * + 1} (floor division), and the width likewise.
 *
 * @param stride the step between windows, each element at least 1
 * @param padding the zeros added on each side, each element at least 0
 * @param dilation the spacing between kernel elements, each element at least 1
 * @param groups the number of channel groups, at least 1
 */
public record Conv2dSpec(int[] stride, int[] padding, int[] dilation, int groups) {

    /** Checks the pairs and copies them, so the record cannot be changed from outside. */
    public Conv2dSpec {
        stride = pair("stride", stride, 1);
        padding = pair("padding", padding, 0);
        dilation = pair("dilation", dilation, 1);
        if (groups < 1) {
            throw new IllegalArgumentException("conv2d: groups must be at least 1, got " + groups);
        }
    }

    /** Returns the output size along one spatial axis (0 = height, 1 = width), or a value below 1 when the input is too small. */
    public int outputSize(int axis, int inputSize, int kernelSize) {
        return Math.floorDiv(inputSize + 2 * padding[axis] - dilation[axis] * (kernelSize - 1) - 1, stride[axis]) + 1;
    }

    static int[] pair(String name, int[] value, int min) {
        if (value == null || value.length != 2) {
            throw new IllegalArgumentException("conv2d: " + name + " must be a {height, width} pair, got "
                    + (value == null ? "null" : Arrays.toString(value)));
        }
        if (value[0] < min || value[1] < min) {
            throw new IllegalArgumentException("conv2d: every " + name + " must be at least " + min
                    + ", got " + Arrays.toString(value));
        }
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv2dSpec s && Arrays.equals(stride, s.stride) && Arrays.equals(padding, s.padding)
                && Arrays.equals(dilation, s.dilation) && groups == s.groups;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(stride) + Arrays.hashCode(padding)) + Arrays.hashCode(dilation)) + groups;
    }

    @Override
    public String toString() {
        return "Conv2dSpec[stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups + "]";
    }
}
