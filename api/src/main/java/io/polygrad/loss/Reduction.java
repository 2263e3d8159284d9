package io.polygrad.loss;

/** The way a loss combines its per-element values, PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** The mean over all elements (PyTorch's default), a 0-d tensor. */
    MEAN,
    /** The sum over all elements, a 0-d tensor. */
    SUM,
    /** No reduction: the per-element losses, shaped like the input. */
    NONE;

    /** Returns {@code losses} reduced this way. */
    public io.polygrad.Tensor apply(io.polygrad.Tensor losses) {
        switch (this) {
            case MEAN:
                return losses.mean();
            case SUM:
                return losses.sum();
            default:
                return losses;
        }
    }
}
