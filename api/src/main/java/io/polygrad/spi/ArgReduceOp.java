package io.polygrad.spi;

/**
 * The index reductions of {@link Backend#argReduce}: the position of the largest or smallest element
 * along one axis, as an int64 array, with PyTorch's rules: the first position on ties, and a NaN
 * counts as both the largest and the smallest (the first NaN wins).
 */
public enum ArgReduceOp {
    /** position of the largest element (PyTorch's {@code argmax}) */
    ARGMAX,
    /** position of the smallest element (PyTorch's {@code argmin}) */
    ARGMIN
}
