package io.polygrad.optim;

import io.polygrad.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of an {@link Optimizer}, PyTorch's {@code optimizer.state_dict()}: the optimizer's name, every
 * parameter group's options with the (flat) indices of its parameters, and each parameter's update count,
 * scalars and buffers. {@link Optimizer#stateDict()} makes one (with copies of the buffers),
 * {@link Optimizer#loadStateDict(OptimizerState)} restores it, and
 * {@link io.polygrad.io.Checkpoint} writes it: the buffers as tensors named {@code state.<index>.<name>},
 * the rest as JSON ({@link #toJson()}).
 *
 * <pre>{@code
 * jshell> OptimizerState s = adam.stateDict();
 * jshell> s.tensors().keySet()
 * $2 ==> [state.0.exp_avg, state.0.exp_avg_sq, state.1.exp_avg, state.1.exp_avg_sq]
 * jshell> other.loadStateDict(s);       // other: an Adam of parameters with the same shapes
 * }</pre>
 *
 * @param optimizer   the optimizer's class name, e.g. {@code Adam}
 * @param paramGroups the groups, in order
 * @param state       the state of each parameter that has one, by flat parameter index
 */
public record OptimizerState(String optimizer, List<Group> paramGroups, Map<Integer, Param> state) {

    /**
     * One group: its options and the flat indices of its parameters.
     *
     * @param options the options ({@link ParamGroup#options()})
     * @param params  the flat indices of the group's parameters
     */
    public record Group(Map<String, Double> options, List<Integer> params) {
        /** Copies the lists. */
        public Group {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
            params = List.copyOf(params);
        }
    }

    /**
     * One parameter's state.
     *
     * @param step    its update count
     * @param scalars its scalars by name
     * @param tensors its buffers by name
     */
    public record Param(long step, Map<String, Double> scalars, Map<String, Tensor> tensors) {
        /** Copies the maps, keeping their order. */
        public Param {
            scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
            tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }
    }

    /** Checks for {@code null}s and copies the collections. */
    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
        paramGroups = List.copyOf(paramGroups);
        state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    /** Returns every buffer, named {@code state.<index>.<name>}. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((i, p) -> p.tensors().forEach((name, t) -> out.put("state." + i + "." + name, t)));
        return out;
    }

    /**
     * Returns everything but the buffers as JSON-ready maps and lists: {@code optimizer}, {@code param_groups}
     * (each with its options and {@code params}) and {@code state} (index → {@code step}, scalars, and the
     * names of its buffers under {@code tensors}).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("optimizer", optimizer);
        List<Object> groups = new ArrayList<>();
        for (Group g : paramGroups) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("options", g.options());
            m.put("params", g.params());
            groups.add(m);
        }
        out.put("param_groups", groups);
        Map<String, Object> st = new LinkedHashMap<>();
        state.forEach((i, p) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", p.step());
            m.put("scalars", p.scalars());
            m.put("tensors", new ArrayList<>(p.tensors().keySet()));
            st.put(Integer.toString(i), m);
        });
        out.put("state", st);
        return out;
    }

    /**
     * Rebuilds a state from {@link #toJson()}'s maps (as a JSON parser returns them) and the buffers
     * named as {@link #tensors()} names them.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    @SuppressWarnings("unchecked")
    public static OptimizerState fromJson(Map<String, ?> json, Map<String, Tensor> tensors) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(tensors, "tensors");
        try {
            String name = (String) required(json, "optimizer");
            List<Group> groups = new ArrayList<>();
            for (Object o : (List<Object>) required(json, "param_groups")) {
                Map<String, Object> g = (Map<String, Object>) o;
                Map<String, Double> options = new LinkedHashMap<>();
                ((Map<String, Object>) required(g, "options")).forEach((k, v) -> options.put(k, number(v)));
                List<Integer> params = new ArrayList<>();
                for (Object p : (List<Object>) required(g, "params")) {
                    params.add(((Number) p).intValue());
                }
                groups.add(new Group(options, params));
            }
            Map<Integer, Param> state = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) required(json, "state")).entrySet()) {
                int index = Integer.parseInt(e.getKey());
                Map<String, Object> p = (Map<String, Object>) e.getValue();
                Map<String, Double> scalars = new LinkedHashMap<>();
                ((Map<String, Object>) required(p, "scalars")).forEach((k, v) -> scalars.put(k, number(v)));
                Map<String, Tensor> buffers = new LinkedHashMap<>();
                for (Object n : (List<Object>) required(p, "tensors")) {
                    String key = "state." + index + "." + n;
                    Tensor t = tensors.get(key);
                    if (t == null) {
                        throw new IllegalArgumentException("tensor '" + key + "' is missing");
                    }
                    buffers.put((String) n, t);
                }
                state.put(index, new Param(((Number) required(p, "step")).longValue(), scalars, buffers));
            }
            return new OptimizerState(name, groups, state);
        } catch (ClassCastException | NumberFormatException e) {
            throw new IllegalArgumentException("malformed optimizer state: " + e.getMessage(), e);
        }
    }

    private static Object required(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("malformed optimizer state: '" + key + "' is missing");
        }
        return v;
    }

    /** Returns a JSON number, or a number written as a string ({@code "Infinity"}), as a double. */
    static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            return Double.parseDouble(s);
        }
        throw new IllegalArgumentException("malformed optimizer state: expected a number, got " + v);
    }
}
