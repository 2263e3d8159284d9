package io.polygrad.optim;

import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an {@link Optimizer} keeps for one parameter between steps, PyTorch's {@code optimizer.state[p]}:
 * the number of updates it has received ({@code step}), its buffers under PyTorch's names
 * ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq}, {@code square_avg},
 * {@code grad_avg}, {@code sum}, {@code exp_inf}) and scalars ({@code mu_product} of NAdam).
 *
 * <pre>{@code
 * jshell> adam.state(w).tensor("exp_avg")     // the first moment of w, null before its first step
 * jshell> adam.state(w).step()
 * $3 ==> 10
 * }</pre>
 *
 * <p>Buffers are taken out of every {@link TensorScope} when stored, so they survive the step's scope.
 */
public final class ParamState {

    private long step;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, Double> scalars = new LinkedHashMap<>();

    ParamState() {
    }

    /** Returns how many updates the parameter has received (PyTorch's {@code state['step']}). */
    public long step() {
        return step;
    }

    /** Sets the update count. */
    void setStep(long step) {
        this.step = step;
    }

    /** Returns whether the state is empty: no steps, buffers or scalars (the parameter was never updated). */
    public boolean isEmpty() {
        return step == 0 && tensors.isEmpty() && scalars.isEmpty();
    }

    /** Returns buffer {@code name}, or {@code null} if there is none yet. */
    public Tensor tensor(String name) {
        return tensors.get(name);
    }

    /** Stores buffer {@code name}, taken out of every {@link TensorScope}; returns it. */
    Tensor put(String name, Tensor value) {
        Tensor t = TensorScope.escape(value);
        tensors.put(name, t);
        return t;
    }

    /** Returns scalar {@code name}, or {@code fallback} if there is none yet. */
    public double scalar(String name, double fallback) {
        Double v = scalars.get(name);
        return v == null ? fallback : v;
    }

    /** Stores scalar {@code name}. */
    void putScalar(String name, double value) {
        scalars.put(name, value);
    }

    /** Returns the buffers by name (a read-only view). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Returns the scalars by name (a read-only view). */
    public Map<String, Double> scalars() {
        return Collections.unmodifiableMap(scalars);
    }

    /** Forgets everything, before a state is loaded. */
    void clear() {
        step = 0;
        tensors.clear();
        scalars.clear();
    }
}
