package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every optimizer's builder shares: the options (PyTorch's defaults, then the values set on the
 * builder) and the parameter groups, PyTorch's {@code torch.optim.X(param_groups, **defaults)}. A group
 * takes every option from the builder except those its own configurer sets:
 *
 * <pre>{@code
 * jshell> Adam adam = Adam.builder().lr(1e-3)
 *    ...>     .group(backbone.parameters())                    // lr 1e-3
 *    ...>     .group(head.parameters(), g -> g.lr(1e-2).weightDecay(0.01))
 *    ...>     .build();
 * // PyTorch: Adam([{'params': backbone.parameters()},
 * //                {'params': head.parameters(), 'lr': 1e-2, 'weight_decay': 0.01}], lr=1e-3)
 * }</pre>
 *
 * <p>{@code X.builder(parameters)} is {@code X.builder().group(parameters)}. Options are named as in
 * {@link OptimizerSpec}; every group's options are checked when the optimizer is built (PyTorch checks only
 * the defaults).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class OptimizerBuilder<B extends OptimizerBuilder<B>> {

    private final String optimizer;
    private final Map<String, Double> defaults;
    private final Map<String, Double> options = new LinkedHashMap<>();
    private final List<List<Tensor>> groupParams = new ArrayList<>();
    private final List<Map<String, Double>> groupOptions = new ArrayList<>();
    private final boolean forGroup;

    /**
     * Creates a builder of optimizer {@code optimizer} with PyTorch's {@code defaults} (NaN for an option
     * without default); {@code forGroup} builders only record a group's options.
     */
    OptimizerBuilder(String optimizer, Map<String, Double> defaults, boolean forGroup) {
        this.optimizer = optimizer;
        this.defaults = defaults;
        this.forGroup = forGroup;
    }

    abstract B self();

    /** Returns a builder that only records options, for a group's configurer. */
    abstract B groupBuilder();

    /**
     * Returns this builder with option {@code key} set to {@code value}, as {@link OptimizerSpec} names it
     * (flags are 1 or 0).
     *
     * @throws IllegalArgumentException naming the optimizer's options if it has no such option
     */
    public B option(String key, double value) {
        Checks.notNull(key, optimizer + ".Builder.option", "key");
        if (!defaults.containsKey(key)) {
            throw new IllegalArgumentException("Unknown hyper-parameter '" + key + "' for optimizer '"
                    + optimizer.toLowerCase(java.util.Locale.ROOT) + "'; known hyper-parameters: " + String.join(", ", defaults.keySet()));
        }
        options.put(key, value);
        return self();
    }

    /** Returns this builder with learning rate {@code lr} (PyTorch's default is on each optimizer; SGD has none). */
    public B lr(double lr) {
        return option("lr", lr);
    }

    /**
     * Returns this builder with weight decay {@code weightDecay} (default 0; AdamW's 1e-2): an L2 penalty added to
     * the gradient, except AdamW's, which is decoupled.
     */
    public B weightDecay(double weightDecay) {
        return option("weightDecay", weightDecay);
    }

    B flag(String key, boolean on) {
        return option(key, on ? 1 : 0);
    }

    /**
     * Returns this builder with a parameter group of {@code parameters} taking every option from this
     * builder (PyTorch's {@code {'params': parameters}}).
     */
    public B group(List<Tensor> parameters) {
        return group(parameters, g -> { });
    }

    /**
     * Returns this builder with a parameter group of {@code parameters} whose options are this builder's
     * except those {@code configurer} sets on the builder it is given (PyTorch's
     * {@code {'params': parameters, 'lr': ...}}).
     */
    public B group(List<Tensor> parameters, Consumer<? super B> configurer) {
        String where = optimizer + ".Builder.group";
        Checks.noNulls(parameters, where, "parameters");
        Checks.notNull(configurer, where, "configurer");
        if (forGroup) {
            throw new IllegalStateException(where + ": a group's configurer sets options, not more groups");
        }
        B g = groupBuilder();
        configurer.accept(g);
        groupParams.add(new ArrayList<>(parameters));
        groupOptions.add(new LinkedHashMap<>(g.options()));
        return self();
    }

    /**
     * Creates the optimizer, validating every group's options as PyTorch validates its arguments.
     *
     * @throws IllegalArgumentException if there is no group, a group is empty, holds a parameter twice or one
     *     of another group, or an option is out of range
     */
    public abstract Optimizer build();

    Map<String, Double> options() {
        return options;
    }

    /** Returns the defaults with this builder's options over them, the options a new group gets. */
    Map<String, Double> resolvedDefaults() {
        Map<String, Double> d = new LinkedHashMap<>(defaults);
        d.putAll(options);
        return Collections.unmodifiableMap(d);
    }

    List<List<Tensor>> groupParams() {
        return groupParams;
    }

    List<Map<String, Double>> groupOptions() {
        return groupOptions;
    }

    String optimizerName() {
        return optimizer;
    }

    /** Returns an ordered map of the keys and values given in pairs. */
    static Map<String, Double> defaults(Object... keysAndValues) {
        Map<String, Double> d = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            d.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).doubleValue());
        }
        return Collections.unmodifiableMap(d);
    }
}
