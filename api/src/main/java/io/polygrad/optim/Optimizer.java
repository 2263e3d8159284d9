package io.polygrad.optim;

import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The common part of an optimizer: the parameters, the learning rate that schedulers read and
 * set, and a {@link #step()} that updates every parameter holding a gradient in place, inside
 * {@link NoGrad} (so no graph is recorded) and inside a {@link TensorScope} (so intermediates are
 * freed on native backends).
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder(model.parameters()).lr(1e-3).build();
 * for (int i = 0; i < steps; i++) {
 *     try (TensorScope scope = TensorScope.open()) {
 *         opt.zeroGrad();
 *         Losses.mse(model.forward(x), y).backward();
 *         opt.step();
 *     }
 * }
 * }</pre>
 *
 * <p>A subclass implements {@link #update(int, Tensor, Tensor)}; state it keeps between steps (moments,
 * momentum buffers) must survive the step's scope: create it with {@link #persistent(Tensor)}. One
 * learning rate serves all parameters (PyTorch's single param group); use one optimizer per group when
 * groups need different rates.
 */
public abstract class Optimizer {

    private final List<Tensor> parameters;
    private double lr;
    private double initialLr = Double.NaN;

    /**
     * Creates an optimizer of {@code parameters} with learning rate {@code lr}.
     *
     * @throws IllegalArgumentException if the list is empty, holds a tensor twice or a non-leaf, or
     *     the learning rate is negative or NaN
     */
    protected Optimizer(List<Tensor> parameters, double lr) {
        Objects.requireNonNull(parameters, "parameters");
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " got an empty parameter list");
        }
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = Objects.requireNonNull(parameters.get(i), "parameter " + i);
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf Tensor (parameter " + i + " was made by "
                        + p.gradFn() + ")");
            }
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("parameter " + i + " appears more than once in the parameter list");
            }
        }
        this.parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        setLr(lr);
    }

    /**
     * Updates every parameter that has a gradient, in place; parameters whose gradient is {@code null}
     * (unused, frozen, or cleared) are skipped and their state does not advance, as in PyTorch.
     */
    public final void step() {
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < parameters.size(); i++) {
                Tensor p = parameters.get(i);
                Tensor g = p.grad();
                if (g != null) {
                    update(i, p, g);
                }
            }
        }
    }

    /**
     * Updates parameter {@code index} in place from its gradient; called by {@link #step()} inside
     * {@link NoGrad} and a {@link TensorScope}. {@code grad} must not be modified.
     */
    protected abstract void update(int index, Tensor param, Tensor grad);

    /** Clears the gradient of every parameter (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : parameters) {
            p.zeroGrad();
        }
    }

    /** Returns the parameters, in the order given. */
    public final List<Tensor> parameters() {
        return parameters;
    }

    /** Returns the current learning rate. */
    public final double lr() {
        return lr;
    }

    /** Sets the learning rate used by the next {@link #step()}; schedulers call this. */
    public final void setLr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        this.lr = lr;
    }

    /**
     * Returns the learning rate schedules start from (PyTorch's {@code initial_lr}): the learning rate
     * at the first call of this method, which the first scheduler makes.
     */
    public final double initialLr() {
        if (Double.isNaN(initialLr)) {
            initialLr = lr;
        }
        return initialLr;
    }

    /** Returns {@code t} taken out of every {@link TensorScope}, for state kept across steps. */
    protected static Tensor persistent(Tensor t) {
        return TensorScope.escape(t);
    }

    /**
     * Replaces {@code self} in place by {@code lerp(self, end, weight)} exactly as PyTorch's
     * {@code lerp_} computes it: {@code self + weight·(end - self)} for {@code |weight| < 0.5}, else
     * {@code end - (end - self)·(1 - weight)}.
     */
    static void lerpInPlace(Tensor self, Tensor end, double weight) {
        Tensor diff = end.sub(self);
        if (Math.abs(weight) < 0.5) {
            self.addi(diff.mul(weight));
        } else {
            self.assign(end.sub(diff.mul(1 - weight)));
        }
    }

    static void checkNonNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException("Invalid " + name + " value: " + value);
        }
    }
}
