package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import java.util.Arrays;

/**
 * A learning-rate schedule like PyTorch's {@code MultiStepLR}: the rate is multiplied by
 * {@code gamma} at each milestone epoch, {@code lr(e) = base·gamma^(number of milestones ≤ e)}; a
 * milestone listed twice counts twice.
 *
 * <pre>{@code
 * new MultiStepLR(optimizer, new int[] {30, 80}, 0.1);
 * }</pre>
 */
public final class MultiStepLR extends BaseLrScheduler {

    private final int[] milestones;
    private final double gamma;

    /** Creates the schedule and sets the epoch-0 rate (PyTorch's default gamma is 0.1). */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        this(optimizer, milestones, gamma, -1);
    }

    /** Creates the schedule resuming after epoch {@code lastEpoch} (PyTorch's {@code last_epoch}); see {@link BaseLrScheduler}. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma, int lastEpoch) {
        super(optimizer, lastEpoch);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double chainedLr(int group, double lr) {
        int count = 0;
        for (int m : milestones) {
            if (m == lastEpoch()) {
                count++;
            }
        }
        return count == 0 ? lr : lr * Math.pow(gamma, count);
    }

    @Override
    protected double closedFormLr(int group, int epoch) {
        int passed = 0;
        for (int m : milestones) {
            if (m <= epoch) {
                passed++;
            }
        }
        return baseLr(group) * Math.pow(gamma, passed);
    }
}
