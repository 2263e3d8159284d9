package io.polygrad.optim;

import io.polygrad.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parameter group of an {@link Optimizer}, PyTorch's {@code optimizer.param_groups[i]}: its
 * parameters and its options ({@code lr}, {@code weightDecay}, {@code momentum}, ... with the
 * {@link OptimizerSpec} keys), which every step reads afresh, so changing an option here changes the
 * next step, as assigning {@code param_groups[i]['lr']} does in PyTorch.
 *
 * <pre>{@code
 * jshell> Optimizer opt = SGD.builder().lr(0.1).group(List.of(w)).group(List.of(b), g -> g.lr(0.01)).build();
 * jshell> opt.paramGroups().get(1).lr()
 * $2 ==> 0.01
 * jshell> opt.paramGroups().get(1).set("momentum", 0.9);   // param_groups[1]['momentum'] = 0.9
 * }</pre>
 *
 * <p>Besides the optimizer's own options a group holds what schedulers keep in it, as in PyTorch:
 * {@code initialLr} (PyTorch's {@code initial_lr}, set by the first schedule), and OneCycleLR's
 * {@code maxLr}, {@code minLr}, {@code maxMomentum} and {@code baseMomentum}. All of them are saved by
 * {@link Optimizer#stateDict()}.
 */
public final class ParamGroup {

    /** The option key of the learning rate. */
    public static final String LR = "lr";
    /** The option key of the rate schedules start from, PyTorch's {@code initial_lr}. */
    public static final String INITIAL_LR = "initialLr";

    private final List<Tensor> params;
    private final Map<String, Double> options;

    ParamGroup(List<Tensor> params, Map<String, Double> options) {
        this.params = List.copyOf(params);
        this.options = new LinkedHashMap<>(options);
    }

    /** Returns the group's parameters, in the order given. */
    public List<Tensor> params() {
        return params;
    }

    /** Returns the group's learning rate. */
    public double lr() {
        return options.get(LR);
    }

    /**
     * Sets the group's learning rate for the next step; schedulers call this.
     *
     * @throws IllegalArgumentException if {@code lr} is negative or NaN
     */
    public void setLr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        options.put(LR, lr);
    }

    /** Returns whether the group has option {@code key}. */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /**
     * Returns option {@code key}; flags ({@code nesterov}, {@code amsgrad}, {@code maximize}, ...) are 1 or 0.
     *
     * @throws IllegalArgumentException naming the group's options if it has no such option
     */
    public double get(String key) {
        Double v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException("parameter group has no option '" + key + "'; its options are "
                    + options.keySet());
        }
        return v;
    }

    /** Returns flag {@code key} ({@code get(key) != 0}). */
    public boolean flag(String key) {
        return get(key) != 0;
    }

    /**
     * Sets option {@code key} (a new key is added, as a PyTorch group is a dict); {@code lr} goes through
     * {@link #setLr(double)}'s check.
     *
     * @throws IllegalArgumentException if the value is NaN, or {@code key} is {@code lr} and the value negative
     */
    public void set(String key, double value) {
        if (key == null) {
            throw new NullPointerException("ParamGroup.set: key is null");
        }
        if (LR.equals(key)) {
            setLr(value);
            return;
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("ParamGroup.set: option '" + key + "' cannot be NaN");
        }
        options.put(key, value);
    }

    /** Returns the options, in insertion order (a read-only view). */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /** Replaces every option by {@code loaded}'s (used by {@link Optimizer#loadStateDict}). */
    void replaceOptions(Map<String, Double> loaded) {
        options.clear();
        options.putAll(loaded);
    }

    @Override
    public String toString() {
        return "ParamGroup" + options + " of " + params.size() + " parameter" + (params.size() == 1 ? "" : "s");
    }
}
