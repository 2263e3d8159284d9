package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import java.util.Arrays;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, PyTorch's
 * {@code nn.Embedding}: {@code forward} takes int64 indices of any shape and returns their rows, shape
 * {@code [..., embeddingDim]}, through {@link Tensor#indexSelect} (so repeated indices add their
 * gradients). The weight starts as {@code N(0, 1)} drawn from the engine's generator, as PyTorch's
 * {@code reset_parameters}; with a {@code paddingIdx} that row starts at zero and never gets a gradient.
 *
 * <pre>{@code
 * jshell> Embedding emb = new Embedding(engine, 10, 3);
 * jshell> emb.forward(engine.tensor(new long[] {1, 2, 4, 5}, 2, 2)).shape()
 * $2 ==> int[3] { 2, 2, 3 }
 * }</pre>
 */
public final class Embedding extends Module {

    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;
    private final Tensor weight;

    /** Creates a table without a padding index, in the engine's default dtype. */
    public Embedding(Engine engine, int numEmbeddings, int embeddingDim) {
        this(engine, numEmbeddings, embeddingDim, null, notNull(engine, "Embedding", "engine").dtype());
    }

    /**
     * Creates a table in {@code dtype} whose row {@code paddingIdx} (negative counts from the end;
     * {@code null}: none) is zero and gets no gradient.
     *
     * @throws IllegalArgumentException if a size is negative or {@code paddingIdx} is out of range
     */
    public Embedding(Engine engine, int numEmbeddings, int embeddingDim, Integer paddingIdx, DType dtype) {
        notNull(engine, "Embedding", "engine");
        notNull(dtype, "Embedding", "dtype");
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: sizes must be >= 0, got numEmbeddings=" + numEmbeddings
                    + ", embeddingDim=" + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: paddingIdx " + paddingIdx + " must be within "
                    + "[-numEmbeddings, numEmbeddings) = [" + -numEmbeddings + ", " + numEmbeddings + ")");
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.weight = registerParameter("weight", engine.zeros(dtype, numEmbeddings, embeddingDim));
        resetParameters();
    }

    /** Draws the weight from {@code N(0, 1)} and zeroes the padding row, as PyTorch's {@code reset_parameters}. */
    public void resetParameters() {
        if (weight.numel() > 0) {
            Init.normal(weight, 0, 1);
        }
        if (paddingIdx != null) {
            try (NoGrad ignored = NoGrad.enter()) {
                Tensor mask = weight.engine().arange(numEmbeddings).eq(paddingIdx).reshape(numEmbeddings, 1);
                weight.assign(weight.maskedFill(mask, 0.0));
            }
        }
    }

    /** Returns the weight, shape {@code [numEmbeddings, embeddingDim]}. */
    public Tensor weight() {
        return weight;
    }

    /** Returns the padding index (non-negative), or {@code null} when there is none. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    /**
     * Returns the rows of {@code input}'s int64 indices, shape {@code input.shape() + [embeddingDim]}.
     *
     * @throws IllegalArgumentException if {@code input} is not int64 or an index is outside {@code [0, numEmbeddings)}
     */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Embedding.forward", "input");
        if (input.dtype() != DType.INT64) {
            throw new IllegalArgumentException("Embedding.forward: input must be int64 indices, got " + input.dtype()
                    + " of shape " + Arrays.toString(input.shape()) + "; cast it with to(DType.INT64)");
        }
        int[] shape = Arrays.copyOf(input.shape(), input.rank() + 1);
        shape[input.rank()] = embeddingDim;
        Tensor flat = input.reshape(-1);
        Tensor rows = weight.indexSelect(0, flat);
        if (paddingIdx != null) {
            // The padding row's value, without a path back to the weight: its gradient stays 0.
            Tensor pad = flat.eq(paddingIdx).reshape(flat.numel(), 1);
            rows = Tensor.where(pad, rows.detach(), rows);
        }
        return rows.reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
