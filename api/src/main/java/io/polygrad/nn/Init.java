package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;

/**
 * Initialisers that fill tensors in place with initial values, like PyTorch's
 * {@code torch.nn.init}; random values come from the tensor's engine's seeded
 * {@link io.polygrad.Generator}, so the same seed gives the same weights on every backend.
 *
 * <pre>{@code
 * Linear layer = new Linear(engine, 4, 2);
 * Init.xavierUniform(layer.weight(), 1.0);
 * Init.zeros(layer.bias());
 * }</pre>
 *
 * <p>Every method works on parameters too (it writes inside {@link NoGrad}) and returns its argument.
 * Fans follow PyTorch's {@code _calculate_fan_in_and_fan_out}: for a weight of shape
 * {@code [out, in, k...]}, fan in is {@code in·∏k} and fan out is {@code out·∏k}.
 */
public final class Init {

    /** The fan that the Kaiming initialisers scale by. */
    public enum FanMode {
        /** Keeps the variance of activations in the forward pass (PyTorch's default). */
        FAN_IN,
        /** Keeps the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /**
     * The nonlinearities that {@link #gain(Nonlinearity, double)} knows, as in
     * {@code calculate_gain}.
     */
    public enum Nonlinearity {
        /** Gain 1. */
        LINEAR,
        /** Gain 1 (a convolution is linear). */
        CONV1D,
        /** Gain 1. */
        CONV2D,
        /** Gain 1. */
        CONV3D,
        /** Gain 1. */
        CONV_TRANSPOSE1D,
        /** Gain 1. */
        CONV_TRANSPOSE2D,
        /** Gain 1. */
        CONV_TRANSPOSE3D,
        /** Gain 1. */
        SIGMOID,
        /** Gain 5/3. */
        TANH,
        /** Gain √2. */
        RELU,
        /** Gain √(2 / (1 + slope²)); the slope is 0.01 when none is given, as in PyTorch. */
        LEAKY_RELU,
        /** Gain 3/4. */
        SELU
    }

    private Init() {
    }

    /** Returns {@code t} filled with values drawn uniformly from {@code [low, high)}. */
    public static Tensor uniform(Tensor t, double low, double high) {
        notNull(t, "Init.uniform", "t");
        if (!(low <= high)) {
            throw new IllegalArgumentException("uniform: low " + low + " must not exceed high " + high);
        }
        Engine e = t.engine();
        return write(t, e.uniform(low, high, t.dtype(), t.shape()));
    }

    /** Returns {@code t} filled with values drawn from a normal distribution. */
    public static Tensor normal(Tensor t, double mean, double std) {
        notNull(t, "Init.normal", "t");
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        }
        return write(t, t.engine().normal(mean, std, t.dtype(), t.shape()));
    }

    /** Returns {@code t} filled with {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        notNull(t, "Init.constant", "t");
        try (NoGrad ignored = NoGrad.enter()) {
            return t.fill(value);
        }
    }

    /** Returns {@code t} filled with zeros. */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0.0);
    }

    /** Returns {@code t} filled with ones. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1.0);
    }

    /**
     * Returns {@code t} filled from {@code U(-a, a)} with {@code a = gain·√(6 / (fan_in + fan_out))}
     * (Glorot and Bengio 2010).
     */
    public static Tensor xavierUniform(Tensor t, double gain) {
        notNull(t, "Init.xavierUniform", "t");
        double a = xavierUniformBound(t.shape(), gain);
        return uniform(t, -a, a);
    }

    /** Returns the bound {@code a} of {@link #xavierUniform}: {@code gain·√3·√(2 / (fan_in + fan_out))}. */
    public static double xavierUniformBound(int[] shape, double gain) {
        return Math.sqrt(3.0) * xavierNormalStd(shape, gain);
    }

    /** Returns the standard deviation of {@link #xavierNormal}: {@code gain·√(2 / (fan_in + fan_out))}. */
    public static double xavierNormalStd(int[] shape, double gain) {
        notNull(shape, "Init.xavierNormalStd", "shape");
        long[] fans = fans(shape);
        return gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
    }

    /** Returns {@code t} filled from {@code N(0, std²)} with {@code std = gain·√(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal(Tensor t, double gain) {
        notNull(t, "Init.xavierNormal", "t");
        return normal(t, 0.0, xavierNormalStd(t.shape(), gain));
    }

    /**
     * Returns {@code t} filled from {@code U(-bound, bound)} with {@code bound = √3 · gain / √fan}
     * (He et al. 2015); {@code a} is the negative slope of a leaky ReLU. As in PyTorch, a tensor with no
     * elements is left as it is.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        notNull(t, "Init.kaimingUniform", "t");
        notNull(mode, "Init.kaimingUniform", "mode");
        notNull(nonlinearity, "Init.kaimingUniform", "nonlinearity");
        if (t.numel() == 0) {
            return t;
        }
        double bound = kaimingUniformBound(t.shape(), a, mode, nonlinearity);
        return uniform(t, -bound, bound);
    }

    /**
     * Returns the bound of {@link #kaimingUniform(Tensor, double, FanMode, Nonlinearity)}:
     * {@code √3·gain(nonlinearity, a) / √fan}.
     *
     * @throws IllegalArgumentException if the shape has fewer than 2 dimensions or the fan is 0
     */
    public static double kaimingUniformBound(int[] shape, double a, FanMode mode, Nonlinearity nonlinearity) {
        return Math.sqrt(3.0) * kaimingNormalStd(shape, a, mode, nonlinearity);
    }

    /**
     * Returns the standard deviation of {@link #kaimingNormal(Tensor, double, FanMode, Nonlinearity)}:
     * {@code gain(nonlinearity, a) / √fan}.
     *
     * @throws IllegalArgumentException if the shape has fewer than 2 dimensions or the fan is 0
     */
    public static double kaimingNormalStd(int[] shape, double a, FanMode mode, Nonlinearity nonlinearity) {
        notNull(shape, "Init.kaimingNormalStd", "shape");
        notNull(mode, "Init.kaimingNormalStd", "mode");
        notNull(nonlinearity, "Init.kaimingNormalStd", "nonlinearity");
        return gain(nonlinearity, a) / Math.sqrt(fan(shape, mode));
    }

    /** Returns {@code t} filled as {@code kaiming_uniform_} does by default: a = 0, fan in, leaky ReLU. */
    public static Tensor kaimingUniform(Tensor t) {
        return kaimingUniform(t, 0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /**
     * Returns {@code t} filled from {@code N(0, std²)} with {@code std = gain / √fan} (He et al. 2015); as in
     * PyTorch, a tensor with no elements is left as it is.
     */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        notNull(t, "Init.kaimingNormal", "t");
        notNull(mode, "Init.kaimingNormal", "mode");
        notNull(nonlinearity, "Init.kaimingNormal", "nonlinearity");
        if (t.numel() == 0) {
            return t;
        }
        return normal(t, 0.0, kaimingNormalStd(t.shape(), a, mode, nonlinearity));
    }

    /** Returns {@code t} filled as {@code kaiming_normal_} does by default: a = 0, fan in, leaky ReLU. */
    public static Tensor kaimingNormal(Tensor t) {
        return kaimingNormal(t, 0.0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
    }

    /**
     * Returns the recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain(nonlinearity)}:
     * for {@link Nonlinearity#LEAKY_RELU} with PyTorch's default negative slope 0.01.
     */
    public static double gain(Nonlinearity nonlinearity) {
        return gain(nonlinearity, nonlinearity == Nonlinearity.LEAKY_RELU ? 0.01 : 0.0);
    }

    /**
     * Returns the recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain(nonlinearity,
     * param)}; {@code param} is the negative slope for {@link Nonlinearity#LEAKY_RELU} and ignored otherwise.
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        notNull(nonlinearity, "Init.gain", "nonlinearity");
        switch (nonlinearity) {
            case LINEAR:
            case CONV1D:
            case CONV2D:
            case CONV3D:
            case CONV_TRANSPOSE1D:
            case CONV_TRANSPOSE2D:
            case CONV_TRANSPOSE3D:
            case SIGMOID:
                return 1.0;
            case TANH:
                return 5.0 / 3;
            case RELU:
                return Math.sqrt(2.0);
            case LEAKY_RELU:
                return Math.sqrt(2.0 / (1 + param * param));
            case SELU:
                return 3.0 / 4;
            default:
                throw new IllegalArgumentException("Unknown nonlinearity " + nonlinearity);
        }
    }

    /**
     * Returns {@code {fan_in, fan_out}} of a weight shape as PyTorch computes them.
     *
     * @throws IllegalArgumentException for fewer than 2 dimensions
     */
    public static long[] fans(int[] shape) {
        notNull(shape, "Init.fans", "shape");
        if (shape.length < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for a tensor with fewer "
                    + "than 2 dimensions, got shape " + java.util.Arrays.toString(shape));
        }
        long receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return new long[] {shape[1] * receptive, shape[0] * receptive};
    }

    private static long fan(int[] shape, FanMode mode) {
        long[] f = fans(shape);
        long fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (fan == 0) {
            throw new IllegalArgumentException("Kaiming init of a tensor with zero elements in shape "
                    + java.util.Arrays.toString(shape));
        }
        return fan;
    }

    private static Tensor write(Tensor t, Tensor values) {
        try (NoGrad ignored = NoGrad.enter()) {
            t.assign(values);
        }
        values.close();
        return t;
    }
}
