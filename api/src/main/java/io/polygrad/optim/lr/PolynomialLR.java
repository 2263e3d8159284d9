package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule like PyTorch's {@code PolynomialLR} (new in PyTorch 1.13): the rate decays
 * polynomially to 0 over {@code totalIters} epochs and stays there,
 * {@code lr(e) = base·(1 - min(e, totalIters)/totalIters)^power}.
 *
 * <pre>{@code
 * jshell> new PolynomialLR(optimizer, 10, 2.0);   // PolynomialLR(optimizer, total_iters=10, power=2.0)
 * jshell> new PolynomialLR(optimizer);            // PyTorch's defaults: total_iters 5, power 1.0
 * }</pre>
 */
public final class PolynomialLR extends BaseLrScheduler {

    private final int totalIters;
    private final double power;

    /** Creates the schedule with PyTorch's defaults, 5 epochs, power 1. */
    public PolynomialLR(Optimizer optimizer) {
        this(optimizer, 5, 1.0);
    }

    /** Creates the schedule and sets the epoch-0 rate. */
    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        this(optimizer, totalIters, power, -1);
    }

    /**
     * Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see
     * {@link BaseLrScheduler}.
     *
     * @throws IllegalArgumentException if {@code totalIters} is not positive (PyTorch would divide by zero)
     */
    public PolynomialLR(Optimizer optimizer, int totalIters, double power, int lastEpoch) {
        super(optimizer, lastEpoch);
        if (totalIters <= 0) {
            throw new IllegalArgumentException("PolynomialLR: totalIters must be positive, got " + totalIters);
        }
        this.totalIters = totalIters;
        this.power = power;
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        int e = lastEpoch();
        if (e == 0 || e > totalIters) {
            return lr;
        }
        double decay = Math.pow((1.0 - (double) e / totalIters) / (1.0 - (double) (e - 1) / totalIters), power);
        return lr * decay;
    }

    @Override
    protected double closedFormLr(int group, int epoch) {
        return baseLr(group) * Math.pow(1.0 - (double) Math.min(totalIters, epoch) / totalIters, power);
    }
}
