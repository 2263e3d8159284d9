package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private List<Double> lastLrs;

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
        lastLrs = this.schedulers.get(this.schedulers.size() - 1).lastLrs();
    }

    @Override
    public void step() {
        for (LrScheduler s : schedulers) {
            s.step();
        }
        lastLrs = schedulers.get(schedulers.size() - 1).lastLrs();
    }

    @Override
    public List<Double> lastLrs() {
        return lastLrs;
    }

    /** Returns the state: each schedule's, in order, under {@code _schedulers}. */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(States.KIND, "ChainedScheduler");
        List<Object> parts = new ArrayList<>();
        for (LrScheduler sc : schedulers) {
            parts.add(sc.stateDict());
        }
        s.put("_schedulers", parts);
        s.put("_last_lr", new ArrayList<>(lastLrs));
        return s;
    }

    @Override
    public void loadStateDict(Map<String, ?> state) {
        States.checkKind(state, "ChainedScheduler");
        List<Map<String, ?>> parts = States.nested(state, "_schedulers", schedulers.size());
        double[] last = States.numbers(state, "_last_lr", lastLrs.size());
        Snapshot.loadAll(schedulers, parts);
        lastLrs = States.list(last);
    }

    @Override
    public Optimizer optimizer() {
        return schedulers.get(0).optimizer();
    }
}
