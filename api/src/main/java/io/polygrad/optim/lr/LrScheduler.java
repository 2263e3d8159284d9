package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule: each {@link #step()} (once per epoch, or per optimizer step, as
 * the schedule is meant) sets its optimizer's learning rate, as PyTorch's {@code LRScheduler} does.
 *
 * <pre>{@code
 * LrScheduler warmupThenCosine = new SequentialLR(optimizer, List.of(
 *         new LinearLR(optimizer, 0.1, 1.0, 5),
 *         new CosineAnnealingLR(optimizer, 95, 0.0)), new int[] {5});
 * }</pre>
 */
public interface LrScheduler {

    /** Advances one epoch and sets the optimizer's learning rate. */
    void step();

    /** Returns the learning rate set by the last step (PyTorch's {@code get_last_lr()}). */
    double lastLr();

    /** Returns the optimizer this schedule drives. */
    Optimizer optimizer();
}
