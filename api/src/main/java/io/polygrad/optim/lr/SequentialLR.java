package io.polygrad.optim.lr;

import io.polygrad.optim.Optimizer;
import io.polygrad.optim.ParamGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A learning-rate schedule like PyTorch's {@code SequentialLR}: one schedule after another,
 * switching at the milestone epochs. At a milestone the next schedule restarts at its own epoch 0
 * (its closed form), e.g. a linear warm-up followed by cosine annealing.
 *
 * <pre>{@code
 * LrScheduler schedule = new SequentialLR(optimizer, List.of(
 *         new LinearLR(optimizer, 0.1, 1.0, 5),
 *         new CosineAnnealingLR(optimizer, 95, 0.0)), new int[] {5});
 * }</pre>
 *
 * <p>As in PyTorch, construction resets the optimizer to its initial rate, steps every given schedule's
 * epoch counter back by one and makes the first schedule's initial step again.
 */
public final class SequentialLR implements LrScheduler {

    private final Optimizer optimizer;
    private final List<BaseLrScheduler> schedulers;
    private final int[] milestones;
    private int lastEpoch;
    private List<Double> lastLrs;

    /**
     * Creates the sequence; {@code milestones} has one entry fewer than {@code schedulers}, in
     * increasing order, and every schedule drives {@code optimizer}.
     */
    public SequentialLR(Optimizer optimizer, List<? extends BaseLrScheduler> schedulers, int[] milestones) {
        this.optimizer = optimizer;
        this.schedulers = new ArrayList<>(schedulers);
        this.milestones = milestones.clone();
        if (this.schedulers.isEmpty()) {
            throw new IllegalArgumentException("SequentialLR expects at least one scheduler");
        }
        if (this.milestones.length != this.schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expected " + (this.schedulers.size() - 1)
                    + " milestones for " + this.schedulers.size() + " schedulers, got " + this.milestones.length);
        }
        for (int i = 1; i < this.milestones.length; i++) {
            if (this.milestones[i] < this.milestones[i - 1]) {
                throw new IllegalArgumentException("SequentialLR: milestones must be increasing, got "
                        + java.util.Arrays.toString(milestones));
            }
        }
        for (int i = 0; i < this.schedulers.size(); i++) {
            if (this.schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + i
                        + " drives a different optimizer than the one given");
            }
        }
        for (ParamGroup g : optimizer.paramGroups()) {
            g.setLr(g.get(ParamGroup.INITIAL_LR));
        }
        for (BaseLrScheduler s : this.schedulers) {
            s.undoStep();
        }
        BaseLrScheduler first = this.schedulers.get(0);
        first.initialStep();
        lastLrs = first.lastLrs();
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) {
            idx++;
        }
        BaseLrScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) {
            s.restart();
        } else {
            s.step();
        }
        lastLrs = s.lastLrs();
    }

    @Override
    public List<Double> lastLrs() {
        return lastLrs;
    }

    /** Returns the state: {@code last_epoch}, {@code _last_lr} and each schedule's, under {@code _schedulers}. */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(States.KIND, "SequentialLR");
        s.put("last_epoch", lastEpoch);
        List<Object> parts = new ArrayList<>();
        for (BaseLrScheduler sc : schedulers) {
            parts.add(sc.stateDict());
        }
        s.put("_schedulers", parts);
        s.put("_last_lr", new ArrayList<>(lastLrs));
        return s;
    }

    @Override
    public void loadStateDict(Map<String, ?> state) {
        States.checkKind(state, "SequentialLR");
        int epoch = States.integer(state, "last_epoch");
        List<Map<String, ?>> parts = States.nested(state, "_schedulers", schedulers.size());
        double[] last = States.numbers(state, "_last_lr", lastLrs.size());
        Snapshot.loadAll(schedulers, parts);
        lastEpoch = epoch;
        lastLrs = States.list(last);
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }
}
