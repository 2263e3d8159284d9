package io.polygrad.nn;

import io.polygrad.Tensor;
import java.util.Arrays;

/**
 * A layer that flattens a range of dimensions into one, as PyTorch's {@code nn.Flatten}: by default
 * every dimension but the first (the batch), so {@code [B, 1, 28, 28]} becomes {@code [B, 784]}.
 */
public final class Flatten extends Module {

    private final int startDim;
    private final int endDim;

    /** Creates the layer flattening dimensions 1 to the last, PyTorch's default. */
    public Flatten() {
        this(1, -1);
    }

    /** Creates the layer flattening dimensions {@code startDim} to {@code endDim} (inclusive; negative counts from the end). */
    public Flatten(int startDim, int endDim) {
        super("Flatten");
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /**
     * Returns {@code x} with dimensions {@code startDim..endDim} merged into one.
     *
     * @throws IllegalArgumentException naming the shape when a dimension is out of range or the range is empty
     */
    @Override
    public Tensor forward(Tensor x) {
        int[] shape = x.shape();
        int rank = Math.max(shape.length, 1);
        int s = startDim < 0 ? startDim + rank : startDim;
        int e = endDim < 0 ? endDim + rank : endDim;
        if (s < 0 || s >= rank || e < 0 || e >= rank || s > e) {
            throw new IllegalArgumentException("Flatten(" + startDim + ", " + endDim + "): dimensions out of range "
                    + "for an input of shape " + Arrays.toString(shape));
        }
        if (shape.length == 0) {
            return x.reshape(1);
        }
        int[] out = new int[shape.length - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            out[k++] = shape[i];
        }
        int merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= shape[i];
        }
        out[k++] = merged;
        for (int i = e + 1; i < shape.length; i++) {
            out[k++] = shape[i];
        }
        return x.reshape(out);
    }

    @Override
    public String toString() {
        return "Flatten(start_dim=" + startDim + ", end_dim=" + endDim + ")";
    }
}
