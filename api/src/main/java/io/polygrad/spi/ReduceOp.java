package io.polygrad.spi;

/** The reductions every backend implements over a set of axes. */
public enum ReduceOp {
    /** sum of the elements */
    SUM,
    /** arithmetic mean of the elements */
    MEAN,
    /** largest element; NaN if any element is NaN */
    MAX,

    // ---- added for the PyTorch-porting ops (issue 14)

    /** smallest element; NaN if any element is NaN (never over an axis of size 0, as {@link #MAX}) */
    MIN,
    /** product of the elements; 1 over no elements */
    PROD
}
