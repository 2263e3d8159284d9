package io.polygrad.nn;

import io.polygrad.Tensor;

/**
 * A dropout layer, PyTorch's {@code nn.Dropout}: in training mode each element is zeroed with
 * probability {@code p} and the rest are scaled by {@code 1 / (1 - p)}, so the expected output equals
 * the input; in evaluation mode ({@link Module#eval()}) it is the identity. The mask is drawn from
 * the input's engine's {@link io.polygrad.Generator}, in Java, so with the same seed every backend
 * drops the same units.
 *
 * <pre>{@code
 * Module mlp = new Sequential(new Linear(e, 784, 256), new ReLU(), new Dropout(0.4), new Linear(e, 256, 10));
 * mlp.eval();                     // dropout off for testing
 * }</pre>
 */
public final class Dropout extends Module {

    private final double p;

    /**
     * Creates the layer dropping each element with probability {@code p}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    /** Returns the drop probability. */
    public double p() {
        return p;
    }

    /** Returns {@code x} with dropout applied in training mode, {@code x} itself in evaluation mode. */
    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0.0);
        }
        Tensor keep = x.engine().rand(x.shape()).lt(1 - p);
        Tensor scale = keep.to(x.dtype()).mul(1 / (1 - p));
        return x.mul(scale);
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
