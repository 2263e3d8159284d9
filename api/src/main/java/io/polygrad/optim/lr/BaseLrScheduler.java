package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import java.util.Objects;

/**
 * The base of the formula schedules ({@link StepLR}, {@link MultiStepLR},
 * {@link ExponentialLR}, {@link CosineAnnealingLR}, {@link LinearLR}): each {@link #step()} sets the
 * optimizer's learning rate by PyTorch's {@code torch.optim.lr_scheduler} formulas.
 *
 * <p>As in PyTorch, constructing a schedule makes its first step (epoch 0) at once, so the optimizer
 * already holds the epoch-0 rate; call {@link #step()} after each {@code optimizer.step()}. The rate
 * is computed by PyTorch's chainable (recursive) form from the optimizer's current rate, so several
 * schedules can act on one optimizer ({@link ChainedScheduler}); {@link #closedForm(int)} gives the
 * closed form from the base rate ({@link Optimizer#initialLr()}).
 *
 * <pre>{@code
 * Optimizer opt = SGD.builder(params).lr(0.1).build();
 * BaseLrScheduler schedule = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(...);               // optimizer.step() inside
 *     schedule.step();
 * }
 * }</pre>
 */
public abstract class BaseLrScheduler implements LrScheduler {

    private final Optimizer optimizer;
    private final double baseLr;
    private int lastEpoch = -1;
    private double lastLr;

    /** Creates a schedule of {@code optimizer} starting from its {@link Optimizer#initialLr()}. */
    protected BaseLrScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.initialLr();
        this.lastLr = optimizer.lr();
    }

    /**
     * Makes the first step; each concrete schedule calls it at the end of its constructor, after its own
     * fields are set (PyTorch's {@code _initial_step}).
     */
    protected final void initialStep() {
        step();
    }

    @Override
    public final void step() {
        lastEpoch++;
        apply(chainedLr());
    }

    /**
     * Restarts at epoch 0 with the closed form's rate, as PyTorch's {@code step(0)} does when
     * {@link SequentialLR} switches to this schedule.
     */
    void restart() {
        lastEpoch = 0;
        apply(closedForm(0));
    }

    /** Moves the epoch counter back by one, as {@link SequentialLR} does to the schedules it is given. */
    void undoStep() {
        lastEpoch--;
    }

    private void apply(double lr) {
        optimizer.setLr(lr);
        lastLr = lr;
    }

    /**
     * Returns the learning rate for {@link #lastEpoch()} from the optimizer's current rate (PyTorch's
     * {@code get_lr}).
     */
    protected abstract double chainedLr();

    /** Returns the learning rate at {@code epoch} from the base rate (PyTorch's {@code _get_closed_form_lr}). */
    public abstract double closedForm(int epoch);

    @Override
    public final Optimizer optimizer() {
        return optimizer;
    }

    /** Returns the rate the schedule starts from (PyTorch's {@code base_lrs}). */
    public final double baseLr() {
        return baseLr;
    }

    /** Returns the index of the last step, 0 right after construction. */
    public final int lastEpoch() {
        return lastEpoch;
    }

    @Override
    public final double lastLr() {
        return lastLr;
    }

    /** Returns the optimizer's current learning rate. */
    protected final double currentLr() {
        return optimizer.lr();
    }
}
