package io.polygrad.cli;

/** The optimizers {@code --optimizer} accepts. */
public enum OptimizerChoice {
    /** Plain stochastic gradient descent. */
    SGD,
    /** Adam with PyTorch's default betas and epsilon. */
    ADAM;

    /** Returns the lower-case name used on the command line. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
