package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.spi.Shapes;

/**
 * Layer normalisation over the last dimensions, PyTorch's {@code nn.LayerNorm}: each sample is normalised
 * over its trailing {@code normalizedShape} with its own mean and biased variance,
 * {@code (x - mean) / sqrt(var + eps) · weight + bias}, the same in training and evaluation mode. With
 * {@code elementwiseAffine} (the default) the parameters {@code weight} (ones) and {@code bias} (zeros) have
 * shape {@code normalizedShape}.
 *
 * <pre>{@code
 * jshell> var ln = new LayerNorm(engine, 4)
 * ln ==> LayerNorm((4,), eps=1e-05, elementwise_affine=True)
 * jshell> new LayerNorm(engine, new int[] {2, 3}, 1e-6, false)
 * $2 ==> LayerNorm((2, 3), eps=1e-06, elementwise_affine=False)
 * }</pre>
 */
public final class LayerNorm extends Module {

    private final int[] normalizedShape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** Creates the layer over the last dimension of size {@code size}, with {@code eps = 1e-5} and affine parameters. */
    public LayerNorm(Engine engine, int size) {
        this(engine, new int[] {size}, BatchNorm.DEFAULT_EPS, true);
    }

    /** Creates the layer over the trailing {@code normalizedShape}, with {@code eps = 1e-5} and affine parameters. */
    public LayerNorm(Engine engine, int[] normalizedShape) {
        this(engine, normalizedShape, BatchNorm.DEFAULT_EPS, true);
    }

    /**
     * Creates the layer with every option, its tensors in the engine's default dtype.
     *
     * @throws IllegalArgumentException if {@code normalizedShape} is empty or has a dimension below 1, or
     *     {@code eps} is negative or not finite
     */
    public LayerNorm(Engine engine, int[] normalizedShape, double eps, boolean elementwiseAffine) {
        notNull(engine, "LayerNorm", "engine");
        notNull(normalizedShape, "LayerNorm", "normalizedShape");
        if (normalizedShape.length == 0 || java.util.Arrays.stream(normalizedShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must have at least one dimension, each"
                    + " >= 1, got " + Shapes.toString(normalizedShape));
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("LayerNorm: eps must be finite and >= 0, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", engine.ones(this.normalizedShape)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", engine.zeros(this.normalizedShape)) : null;
    }

    /**
     * Returns the input normalised over its trailing {@code normalizedShape}.
     *
     * <pre>{@code
     * jshell> new LayerNorm(engine, 2).forward(engine.tensor(new double[][] {{1, 3}, {0, 10}}))
     * $1 ==> tensor([[-1.0000, 1.0000],
     *         [-1.0000, 1.0000]], grad_fn=<AddBackward>)
     * }</pre>
     *
     * @throws IllegalArgumentException naming both shapes if the input does not end in {@code normalizedShape}
     */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "LayerNorm.forward", "input");
        return Functional.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    /**
     * Returns a copy of the normalised trailing shape.
     *
     * <pre>{@code
     * jshell> new LayerNorm(engine, 4).normalizedShape()
     * $1 ==> int[1] { 4 }
     * }</pre>
     */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /**
     * Returns {@code eps}.
     *
     * <pre>{@code
     * jshell> new LayerNorm(engine, 4).eps()
     * $1 ==> 1.0E-5
     * }</pre>
     */
    public double eps() {
        return eps;
    }

    /**
     * Returns the scale {@code weight}, or {@code null} without {@code elementwiseAffine}.
     *
     * <pre>{@code
     * jshell> new LayerNorm(engine, 2).weight()
     * $1 ==> tensor([1.0000, 1.0000], requires_grad=True)
     * }</pre>
     */
    public Tensor weight() {
        return weight;
    }

    /**
     * Returns the shift {@code bias}, or {@code null} without {@code elementwiseAffine}.
     *
     * <pre>{@code
     * jshell> new LayerNorm(engine, new int[] {2}, 1e-5, false).bias()
     * $1 ==> null
     * }</pre>
     */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < normalizedShape.length; i++) {
            shape.append(i == 0 ? "" : ", ").append(normalizedShape[i]);
        }
        shape.append(normalizedShape.length == 1 ? ",)" : ")");
        return shape + ", eps=" + PyRepr.of(eps) + ", elementwise_affine=" + PyRepr.of(weight != null);
    }
}
