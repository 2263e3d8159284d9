package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer as plain data: its name and hyper-parameters, from which {@link #create} builds the
 * real optimizer through its builder. A command line, a report or a configuration file reads the name
 * and the values instead of probing an optimizer object, and two specs that are equal build optimizers
 * that take the same steps.
 *
 * <pre>{@code
 * OptimizerSpec spec = OptimizerSpec.of("sgd").with("lr", 0.01).with("momentum", 0.9);
 * Optimizer sgd = spec.create(model.parameters());       // SGD.builder(...).lr(0.01).momentum(0.9).build()
 * double lr = spec.lr();                                 // 0.01
 * }</pre>
 *
 * <p>The optimizers and their hyper-parameters (a key left out keeps PyTorch's default, which
 * {@link #value} returns):
 * <table>
 *   <caption>names and keys</caption>
 *   <tr><th>name</th><th>keys (default)</th></tr>
 *   <tr><td>{@code sgd}</td><td>{@code lr} (required, no default), {@code momentum} (0), {@code dampening} (0),
 *       {@code weightDecay} (0), {@code nesterov} (0), {@code maximize} (0)</td></tr>
 *   <tr><td>{@code adam}</td><td>{@code lr} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999),
 *       {@code eps} (1e-8), {@code weightDecay} (0), {@code amsgrad} (0), {@code maximize} (0)</td></tr>
 *   <tr><td>{@code adamw}</td><td>as {@code adam}, but {@code weightDecay} (1e-2) is decoupled</td></tr>
 *   <tr><td>{@code rmsprop}</td><td>{@code lr} (1e-2), {@code alpha} (0.99), {@code eps} (1e-8),
 *       {@code weightDecay} (0), {@code momentum} (0), {@code centered} (0), {@code maximize} (0)</td></tr>
 *   <tr><td>{@code adagrad}</td><td>{@code lr} (1e-2), {@code lrDecay} (0), {@code weightDecay} (0),
 *       {@code initialAccumulatorValue} (0), {@code eps} (1e-10), {@code maximize} (0)</td></tr>
 *   <tr><td>{@code adamax}</td><td>{@code lr} (2e-3), {@code beta1} (0.9), {@code beta2} (0.999),
 *       {@code eps} (1e-8), {@code weightDecay} (0), {@code maximize} (0)</td></tr>
 *   <tr><td>{@code nadam}</td><td>{@code lr} (2e-3), {@code beta1} (0.9), {@code beta2} (0.999),
 *       {@code eps} (1e-8), {@code weightDecay} (0), {@code momentumDecay} (4e-3)</td></tr>
 *   <tr><td>{@code radam}</td><td>{@code lr} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999),
 *       {@code eps} (1e-8), {@code weightDecay} (0)</td></tr>
 * </table>
 * As in PyTorch, {@code sgd} has no default learning rate: {@link #lr()} and {@link #create} fail, naming
 * {@code lr}, until it is set. The flags {@code nesterov}, {@code amsgrad}, {@code centered} and
 * {@code maximize} are 1 (on) or 0 (off). Names and keys
 * are checked when the spec is made; value ranges are checked by the optimizer's builder in
 * {@link #create}, with PyTorch's messages.
 *
 * @param name            the optimizer's name, e.g. {@code sgd}
 * @param hyperParameters the hyper-parameters that differ from the defaults, in the order given
 */
public record OptimizerSpec(String name, Map<String, Double> hyperParameters) {

    private static final List<String> FLAGS = List.of("nesterov", "amsgrad", "centered", "maximize");

    /**
     * Creates a spec, keeping the order of {@code hyperParameters} and rejecting unknown names and
     * keys, {@code null}s and flags other than 0 and 1.
     *
     * @throws IllegalArgumentException naming the known optimizers, or the optimizer's known keys
     */
    public OptimizerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hyperParameters, "hyperParameters");
        Kind kind = Kind.of(name);
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : hyperParameters.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "hyper-parameter name");
            Double v = Objects.requireNonNull(e.getValue(), () -> "hyper-parameter '" + key + "' of " + name);
            kind.defaultOf(key);
            if (FLAGS.contains(key) && v != 0 && v != 1) {
                throw new IllegalArgumentException("Hyper-parameter '" + key + "' of optimizer '" + name
                        + "' is a flag, 1 (on) or 0 (off); got " + v);
            }
            copy.put(key, v);
        }
        hyperParameters = Collections.unmodifiableMap(copy);
    }

    /**
     * Returns the spec of optimizer {@code name} with all of PyTorch's defaults.
     *
     * @throws IllegalArgumentException naming the known optimizers
     */
    public static OptimizerSpec of(String name) {
        return new OptimizerSpec(name, Map.of());
    }

    /** Returns the names of the optimizers a spec builds: {@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop},
     * {@code adagrad}, {@code adamax}, {@code nadam}, {@code radam}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Kind k : Kind.values()) {
            names.add(k.key);
        }
        return names;
    }

    /**
     * Returns a copy with hyper-parameter {@code key} set to {@code value}: in its place if it was set,
     * else last.
     *
     * @throws IllegalArgumentException if the optimizer has no such hyper-parameter
     */
    public OptimizerSpec with(String key, double value) {
        Map<String, Double> copy = new LinkedHashMap<>(hyperParameters);
        copy.put(key, value);
        return new OptimizerSpec(name, copy);
    }

    /**
     * Returns the value of hyper-parameter {@code key}: the one set, else PyTorch's default.
     *
     * @throws IllegalArgumentException if the optimizer has no such hyper-parameter, or it has no default
     *     and is not set ({@code sgd}'s {@code lr})
     */
    public double value(String key) {
        Double v = hyperParameters.get(key);
        if (v != null) {
            return v;
        }
        double d = Kind.of(name).defaultOf(key);
        if (Double.isNaN(d)) {
            throw new IllegalArgumentException("Optimizer '" + name + "' has no default for hyper-parameter '" + key
                    + "' (as in PyTorch): set it, e.g. with(\"" + key + "\", 0.01)");
        }
        return d;
    }

    /**
     * Returns the learning rate: the one set, else the optimizer's default.
     *
     * @throws IllegalArgumentException for {@code sgd} without a learning rate (it has no default)
     */
    public double lr() {
        return value("lr");
    }

    /**
     * Creates the optimizer of {@code parameters} through its builder, with the hyper-parameters set
     * here and the builder's defaults for the rest.
     *
     * @throws IllegalArgumentException if a value is out of the optimizer's range (the builder's message)
     */
    public Optimizer create(List<Tensor> parameters) {
        Checks.noNulls(parameters, "OptimizerSpec.create", "parameters");
        return builder().group(parameters).build();
    }

    /**
     * Returns the optimizer's builder without parameter groups and with this spec's hyper-parameters, to add
     * groups to:
     * <pre>{@code
     * jshell> Optimizer opt = OptimizerSpec.of("sgd").with("lr", 0.1).builder()
     *    ...>     .group(List.of(w)).group(List.of(b), g -> g.option("lr", 0.01)).build();
     * }</pre>
     */
    public OptimizerBuilder<?> builder() {
        return switch (Kind.of(name)) {
            case SGD -> configure(SGD.builder());
            case ADAM -> configure(Adam.builder());
            case ADAMW -> configure(AdamW.builder());
            case RMSPROP -> configure(RMSprop.builder());
            case ADAGRAD -> configure(Adagrad.builder());
            case ADAMAX -> configure(Adamax.builder());
            case NADAM -> configure(NAdam.builder());
            case RADAM -> configure(RAdam.builder());
        };
    }

    private <B extends OptimizerBuilder<B>> B configure(B b) {
        hyperParameters.forEach(b::option);
        return b;
    }

    /** An optimizer a spec can build, with its hyper-parameters' defaults in documentation order. */
    private enum Kind {
        SGD(io.polygrad.optim.SGD.DEFAULTS),
        ADAM(AdaptiveMoments.defaults(0)),
        ADAMW(AdaptiveMoments.defaults(1e-2)),
        RMSPROP(RMSprop.DEFAULTS),
        ADAGRAD(Adagrad.DEFAULTS),
        ADAMAX(Adamax.DEFAULTS),
        NADAM(NAdam.DEFAULTS),
        RADAM(RAdam.DEFAULTS);

        final String key = name().toLowerCase(Locale.ROOT);
        final Map<String, Double> defaults;

        Kind(Map<String, Double> defaults) {
            this.defaults = defaults;
        }

        /**
         * Returns PyTorch's default of {@code hyperParameter} (NaN when it has none: SGD's lr), rejecting a key
         * this optimizer does not have.
         */
        double defaultOf(String hyperParameter) {
            Double d = defaults.get(hyperParameter);
            if (d == null) {
                throw new IllegalArgumentException("Unknown hyper-parameter '" + hyperParameter + "' for optimizer '"
                        + key + "'; known hyper-parameters: " + String.join(", ", defaults.keySet()));
            }
            return d;
        }

        /** Returns the kind called {@code name}, rejecting unknown names. */
        static Kind of(String name) {
            for (Kind k : values()) {
                if (k.key.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown optimizer '" + name + "'; known optimizers: "
                    + String.join(", ", names()));
        }
    }
}
