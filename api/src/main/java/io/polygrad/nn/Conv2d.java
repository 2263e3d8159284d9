package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.ConvolutionOps;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import java.util.Arrays;

/**
 * A 2-D convolution layer over NCHW input, PyTorch's {@code nn.Conv2d}: weight
 * {@code [out_channels, in_channels / groups, kH, kW]}, bias {@code [out_channels]}, zero padding, and
 * {@link ConvolutionOps#conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int)} as its forward (the
 * backend's fused kernel where it has one, else unfold + matmul).
 *
 * <p>Initial values follow PyTorch's {@code reset_parameters}: the weight from
 * {@code kaiming_uniform_(a=√5)}, which is {@code U(-1/√fan_in, 1/√fan_in)} with
 * {@code fan_in = in_channels / groups · kH · kW}, then the bias from the same interval, both drawn (weight
 * first) from the engine's seeded generator.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(engine, 1, 32, 5, 1, 2);                // 5x5, stride 1, padding 2
 * Tensor y = conv.forward(engine.randn(8, 1, 28, 28));            // [8, 32, 28, 28]
 * Conv2d depthwise = Conv2d.builder(engine, 32, 32, 3).padding(1).groups(32).bias(false).build();
 * }</pre>
 */
public final class Conv2d extends Module {

    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** Creates a {@code kernel}×{@code kernel} layer with stride 1, no padding and a bias, in the engine's dtype. */
    public Conv2d(Engine engine, int inChannels, int outChannels, int kernel) {
        this(builder(engine, inChannels, outChannels, kernel));
    }

    /** Creates a square-kernel layer with the given stride and padding and a bias, in the engine's dtype. */
    public Conv2d(Engine engine, int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(builder(engine, inChannels, outChannels, kernel).stride(stride).padding(padding));
    }

    private Conv2d(Builder b) {
        super("Conv2d");
        if (b.inChannels < 1 || b.outChannels < 1) {
            throw new IllegalArgumentException("Conv2d: channels must be at least 1, got in_channels=" + b.inChannels
                    + ", out_channels=" + b.outChannels);
        }
        if (b.groups < 1 || b.inChannels % b.groups != 0 || b.outChannels % b.groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups = " + b.groups + " must be at least 1 and divide both "
                    + "in_channels = " + b.inChannels + " and out_channels = " + b.outChannels);
        }
        check("kernel_size", b.kernel, 1);
        check("stride", b.stride, 1);
        check("padding", b.padding, 0);
        check("dilation", b.dilation, 1);
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernel = b.kernel.clone();
        this.stride = b.stride.clone();
        this.padding = b.padding.clone();
        this.dilation = b.dilation.clone();
        this.groups = b.groups;
        DType dtype = b.dtype == null ? b.engine.dtype() : b.dtype;
        this.weight = registerParameter("weight",
                b.engine.zeros(dtype, outChannels, inChannels / groups, kernel[0], kernel[1]));
        this.bias = b.bias ? registerParameter("bias", b.engine.zeros(dtype, outChannels)) : null;
        resetParameters();
    }

    private static void check(String name, int[] pair, int min) {
        if (pair[0] < min || pair[1] < min) {
            throw new IllegalArgumentException("Conv2d: every " + name + " must be at least " + min + ", got "
                    + Arrays.toString(pair));
        }
    }

    /** Returns a builder for a layer with PyTorch's defaults: stride 1, padding 0, dilation 1, one group, a bias. */
    public static Builder builder(Engine engine, int inChannels, int outChannels, int kernel) {
        return new Builder(notNull(engine, "Conv2d", "engine"), inChannels, outChannels, new int[] {kernel, kernel});
    }

    /** Returns a builder for a layer with a {@code {kH, kW}} kernel. */
    public static Builder builder(Engine engine, int inChannels, int outChannels, int[] kernel) {
        notNull(kernel, "Conv2d", "kernel");
        return new Builder(notNull(engine, "Conv2d", "engine"), inChannels, outChannels, pairOf("kernel_size", kernel));
    }

    private static int[] pairOf(String name, int[] v) {
        notNull(v, "Conv2d", name);
        if (v.length != 2) {
            throw new IllegalArgumentException("Conv2d: " + name + " must be a {height, width} pair, got "
                    + Arrays.toString(v));
        }
        return v.clone();
    }

    /** Draws fresh initial values exactly as PyTorch's {@code _ConvNd.reset_parameters} does. */
    public void resetParameters() {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU);
        if (bias != null) {
            double bound = 1 / Math.sqrt(Init.fans(weight.shape())[0]);
            Init.uniform(bias, -bound, bound);
        }
    }

    /** Returns the weight, shape {@code [out_channels, in_channels / groups, kH, kW]}. */
    public Tensor weight() {
        return weight;
    }

    /** Returns the bias, shape {@code [out_channels]}, or {@code null} when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    /** Returns the number of input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Returns the number of output channels. */
    public int outChannels() {
        return outChannels;
    }

    /**
     * Returns the convolution of {@code input} {@code [N, C, H, W]} or {@code [C, H, W]}.
     *
     * @throws IllegalArgumentException naming this layer and both shapes when the input's channels are not
     *         {@code in_channels}, or when the input is too small for the kernel
     */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Conv2d.forward", "input");
        try {
            return ConvolutionOps.conv2d(input, weight, bias, stride, padding, dilation, groups);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Conv2d(").append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(tuple(kernel)).append(", stride=").append(tuple(stride));
        if (padding[0] != 0 || padding[1] != 0) {
            s.append(", padding=").append(tuple(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            s.append(", dilation=").append(tuple(dilation));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.append(')').toString();
    }

    static String tuple(int[] pair) {
        return "(" + pair[0] + ", " + pair[1] + ")";
    }

    /** Builds a {@link Conv2d}; every setter takes PyTorch's argument of the same name. */
    public static final class Builder {
        private final Engine engine;
        private final int inChannels;
        private final int outChannels;
        private final int[] kernel;
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};
        private int[] dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true;
        private DType dtype;

        private Builder(Engine engine, int inChannels, int outChannels, int[] kernel) {
            this.engine = engine;
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernel = kernel;
        }

        /** Sets the same stride along both axes (default 1). */
        public Builder stride(int stride) {
            return stride(new int[] {stride, stride});
        }

        /** Sets the {@code {height, width}} stride. */
        public Builder stride(int[] stride) {
            this.stride = pairOf("stride", stride);
            return this;
        }

        /** Sets the same zero padding on every side (default 0). */
        public Builder padding(int padding) {
            return padding(new int[] {padding, padding});
        }

        /** Sets the {@code {height, width}} zero padding (each on both sides). */
        public Builder padding(int[] padding) {
            this.padding = pairOf("padding", padding);
            return this;
        }

        /** Sets the same dilation along both axes (default 1). */
        public Builder dilation(int dilation) {
            return dilation(new int[] {dilation, dilation});
        }

        /** Sets the {@code {height, width}} dilation. */
        public Builder dilation(int[] dilation) {
            this.dilation = pairOf("dilation", dilation);
            return this;
        }

        /** Sets the number of channel groups (default 1); it must divide both channel counts. */
        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Sets whether the layer has a bias (default true). */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Sets the parameters' dtype (default: the engine's). */
        public Builder dtype(DType dtype) {
            this.dtype = notNull(dtype, "Conv2d.Builder.dtype", "dtype");
            return this;
        }

        /** Returns the layer, its parameters drawn from the engine's generator. */
        public Conv2d build() {
            return new Conv2d(this);
        }
    }
}
