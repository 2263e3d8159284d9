package io.polygrad.spi;

/** The reductions every backend implements over a set of axes. */
public enum ReduceOp {
    /** sum of the elements */
    SUM,
    /** arithmetic mean of the elements */
    MEAN,
    /** largest element; NaN if any element is NaN */
    MAX
}
