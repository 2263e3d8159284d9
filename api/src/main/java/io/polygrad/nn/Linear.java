package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;

/**
 * A fully connected (linear) layer {@code y = x·Wᵀ + b}, PyTorch's {@code nn.Linear}: the weight
 * has shape {@code [out, in]}, the bias {@code [out]}.
 *
 * <p>Initial values follow PyTorch's {@code reset_parameters}: the weight from
 * {@code kaiming_uniform_(a=√5)}, which is {@code U(-1/√in, 1/√in)}, then the bias from the same
 * interval, both drawn (weight first) from the engine's seeded generator.
 *
 * <pre>{@code
 * Linear layer = new Linear(engine, 3, 2);
 * Tensor y = layer.forward(engine.randn(5, 3));   // shape [5, 2]
 * }</pre>
 */
public final class Linear extends Module {

    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** Creates a layer with a bias, in the engine's default dtype. */
    public Linear(Engine engine, int inFeatures, int outFeatures) {
        this(engine, inFeatures, outFeatures, true, notNull(engine, "Linear", "engine").dtype());
    }

    /** Creates a layer with or without a bias, in {@code dtype}. */
    public Linear(Engine engine, int inFeatures, int outFeatures, boolean bias, DType dtype) {
        notNull(engine, "Linear", "engine");
        notNull(dtype, "Linear", "dtype");
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: features must be >= 0, got in=" + inFeatures + ", out="
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", engine.zeros(dtype, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", engine.zeros(dtype, outFeatures)) : null;
        resetParameters();
    }

    /** Draws fresh initial values exactly as PyTorch's {@code Linear.reset_parameters} does. */
    public void resetParameters() {
        if (weight.numel() > 0) {
            Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU);
        }
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform(bias, -bound, bound);
        }
    }

    /** Returns the weight, shape {@code [out, in]}. */
    public Tensor weight() {
        return weight;
    }

    /** Returns the bias, shape {@code [out]}, or {@code null} when the layer has none. */
    public Tensor bias() {
        return bias;
    }

    /** Returns the number of input features. */
    public int inFeatures() {
        return inFeatures;
    }

    /** Returns the number of output features. */
    public int outFeatures() {
        return outFeatures;
    }

    /** Returns {@code input·Wᵀ + b} for input of shape {@code [..., in]}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Linear.forward", "input");
        int[] s = input.shape();
        if (s.length == 0 || s[s.length - 1] != inFeatures) {
            throw new IllegalArgumentException("Linear(in_features=" + inFeatures + ", out_features=" + outFeatures
                    + "): input shape " + java.util.Arrays.toString(s) + " does not match the weight shape "
                    + java.util.Arrays.toString(weight.shape()) + ": the last dimension must be " + inFeatures);
        }
        return Functional.linear(input, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True"
                : "False");
    }
}
