package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A learning-rate schedule like PyTorch's {@code ChainedScheduler}: every step, each schedule steps
 * in turn on the same optimizer, so their chainable forms compose (e.g. a warm-up factor times an
 * exponential decay).
 *
 * <pre>{@code
 * LrScheduler schedule = new ChainedScheduler(List.of(
 *         new LinearLR(optimizer, 0.1, 1.0, 3),
 *         new ExponentialLR(optimizer, 0.9)));
 * }</pre>
 */
public final class ChainedScheduler implements LrScheduler {

    private final List<LrScheduler> schedulers;
    private double lastLr;

    /** Creates the chain; every schedule must drive the same optimizer. */
    public ChainedScheduler(List<? extends LrScheduler> schedulers) {
        if (schedulers.isEmpty()) {
            throw new IllegalArgumentException("ChainedScheduler expects at least one scheduler");
        }
        this.schedulers = new ArrayList<>(schedulers);
        Optimizer opt = this.schedulers.get(0).optimizer();
        for (int i = 1; i < this.schedulers.size(); i++) {
            if (this.schedulers.get(i).optimizer() != opt) {
                throw new IllegalArgumentException("ChainedScheduler: scheduler " + i
                        + " drives a different optimizer than scheduler 0");
            }
        }
        lastLr = opt.lr();
    }

    @Override
    public void step() {
        for (LrScheduler s : schedulers) {
            s.step();
        }
        lastLr = optimizer().lr();
    }

    @Override
    public double lastLr() {
        return lastLr;
    }

    @Override
    public Optimizer optimizer() {
        return schedulers.get(0).optimizer();
    }
}
