package io.polygrad.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the JSON-ready maps of {@link StatefulScheduler#stateDict()}, with errors naming what is wrong. */
final class States {

    static final String KIND = "scheduler";

    private States() {
    }

    /** Checks that {@code state} is of {@code kind}. */
    static void checkKind(Map<String, ?> state, String kind) {
        if (state == null) {
            throw new NullPointerException(kind + ".loadStateDict: state is null");
        }
        Object k = state.get(KIND);
        if (!kind.equals(k)) {
            throw new IllegalArgumentException(kind + ".loadStateDict: the state is of a " + k + " schedule, this is a "
                    + kind);
        }
    }

    static Object get(Map<String, ?> state, String key) {
        Object v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException("scheduler state " + state.get(KIND) + ": '" + key + "' is missing");
        }
        return v;
    }

    static double number(Map<String, ?> state, String key) {
        return number(get(state, key), key);
    }

    static double number(Object v, String key) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("scheduler state: '" + key + "' should be a number, got " + v);
    }

    static int integer(Map<String, ?> state, String key) {
        return (int) number(state, key);
    }

    /** Returns list {@code key} of {@code size} numbers. */
    static double[] numbers(Map<String, ?> state, String key, int size) {
        Object v = get(state, key);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("scheduler state: '" + key + "' should be a list, got " + v);
        }
        if (list.size() != size) {
            throw new IllegalArgumentException("scheduler state " + state.get(KIND) + ": '" + key + "' has "
                    + list.size() + " values, for " + size + " parameter groups");
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = number(list.get(i), key);
        }
        return out;
    }

    /** Returns {@code values} as a JSON-ready list. */
    static List<Double> list(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    /** Returns list {@code key} of nested states, one per schedule. */
    @SuppressWarnings("unchecked")
    static List<Map<String, ?>> nested(Map<String, ?> state, String key, int size) {
        Object v = get(state, key);
        if (!(v instanceof List<?> list) || list.size() != size) {
            throw new IllegalArgumentException("scheduler state " + state.get(KIND) + ": '" + key + "' should list "
                    + size + " schedule states, got " + v);
        }
        List<Map<String, ?>> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("scheduler state: '" + key + "' holds " + o + ", not a state");
            }
            out.add((Map<String, ?>) o);
        }
        return out;
    }
}
