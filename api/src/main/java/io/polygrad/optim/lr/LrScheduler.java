package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;

/**
 * A learning-rate schedule: each {@link #step()} (once per epoch, or per optimizer step, as
 * the schedule is meant) sets the learning rate of every parameter group of its optimizer, as PyTorch's
 * {@code LRScheduler} does.
 *
 * <pre>{@code
 * jshell> LrScheduler warmupThenCosine = new SequentialLR(optimizer, List.of(
 *    ...>         new LinearLR(optimizer, 0.1, 1.0, 5),
 *    ...>         new CosineAnnealingLR(optimizer, 95, 0.0)), new int[] {5});
 * jshell> warmupThenCosine.step();
 * jshell> warmupThenCosine.lastLr()
 * }</pre>
 */
public interface LrScheduler extends StatefulScheduler {

    /** Advances one epoch and sets the optimizer's learning rates. */
    void step();

    /** Returns the first group's learning rate set by the last step (PyTorch's {@code get_last_lr()[0]}). */
    default double lastLr() {
        return lastLrs().get(0);
    }

    /** Returns the optimizer this schedule drives. */
    @Override
    Optimizer optimizer();
}
