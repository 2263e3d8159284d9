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

    /** Creates the schedule and sets the epoch-0 rate. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double chainedLr() {
        int count = 0;
        for (int m : milestones) {
            if (m == lastEpoch()) {
                count++;
            }
        }
        return count == 0 ? currentLr() : currentLr() * Math.pow(gamma, count);
    }

    @Override
    public double closedForm(int epoch) {
        int passed = 0;
        for (int m : milestones) {
            if (m <= epoch) {
                passed++;
            }
        }
        return baseLr() * Math.pow(gamma, passed);
    }
}
