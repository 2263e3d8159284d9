package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The Adagrad optimizer, with PyTorch 1.13's {@code torch.optim.Adagrad} equations. For each parameter
 * {@code p} with gradient {@code g}, at its step {@code t} (the sum {@code s} starts at
 * {@code initial_accumulator_value}, filled when the group is added; as in PyTorch 1.13 the builder's value,
 * not a group's own):
 * <pre>
 * g ← -g                                              (if maximize)
 * g ← g + weight_decay·p                              (if weight_decay ≠ 0)
 * clr = lr / (1 + (t - 1)·lr_decay)
 * s ← s + g·g
 * p ← p - clr·g / (√s + eps)
 * </pre>
 * State: {@code step}, {@code sum}. Options (PyTorch's name): {@code lr} 1e-2, {@code lrDecay}
 * ({@code lr_decay}) 0, {@code weightDecay} 0, {@code initialAccumulatorValue}
 * ({@code initial_accumulator_value}) 0, {@code eps} 1e-10, {@code maximize} off. Sparse gradients and
 * {@code foreach} are not offered.
 *
 * <pre>{@code
 * jshell> Adagrad ada = Adagrad.builder(model.parameters()).lr(0.05).lrDecay(1e-3).build();
 * }</pre>
 */
public final class Adagrad extends Optimizer {

    /** PyTorch's defaults, in its order. */
    static final Map<String, Double> DEFAULTS = OptimizerBuilder.defaults("lr", 1e-2, "lrDecay", 0, "weightDecay", 0,
            "initialAccumulatorValue", 0, "eps", 1e-10, "maximize", 0);

    private Adagrad(Builder b) {
        super(b);
    }

    /** Creates a builder of one group of {@code parameters} with PyTorch's defaults. */
    public static Builder builder(List<Tensor> parameters) {
        Checks.noNulls(parameters, "Adagrad.builder", "parameters");
        return new Builder(false).group(parameters);
    }

    /** Creates a builder without groups (add them with {@link Builder#group}), with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder(false);
    }

    @Override
    protected void validate(ParamGroup g) {
        checkLr(g);
        checkNonNegative("lr_decay", g.get("lrDecay"));
        checkNonNegative("weight_decay", g.get("weightDecay"));
        checkNonNegative("initial_accumulator_value", g.get("initialAccumulatorValue"));
        checkNonNegative("epsilon", g.get("eps"));
    }

    /**
     * Fills the sum with the optimizer's {@code initialAccumulatorValue}: as in PyTorch 1.13, whose constructor
     * fills every parameter's sum from its own argument, a group's own value does not change it.
     */
    @Override
    protected void initState(ParamGroup group, Tensor param, ParamState state) {
        state.put("sum", param.zerosLike().fill(defaults().get("initialAccumulatorValue")));
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        long step = state.step() + 1;
        state.setStep(step);
        Tensor g = withWeightDecay(group, signed(group, grad), param);
        double clr = group.lr() / (1 + (step - 1) * group.get("lrDecay"));
        Tensor sum = state.tensor("sum");
        sum.addi(g.mul(g));
        Tensor std = sum.sqrt().add(group.get("eps"));
        param.addi(g.mul(-clr).div(std));
    }

    /** A builder that configures an {@link Adagrad} step by step, starting from PyTorch's defaults. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private Builder(boolean forGroup) {
            super("Adagrad", DEFAULTS, forGroup);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        Builder groupBuilder() {
            return new Builder(true);
        }

        /** Returns this builder with learning-rate decay {@code lrDecay} (PyTorch's {@code lr_decay}, default 0). */
        public Builder lrDecay(double lrDecay) {
            return option("lrDecay", lrDecay);
        }

        /** Returns this builder with the sum's starting value (PyTorch's {@code initial_accumulator_value}, default 0). */
        public Builder initialAccumulatorValue(double value) {
            return option("initialAccumulatorValue", value);
        }

        /** Returns this builder with {@code eps} added to the denominator (default 1e-10). */
        public Builder eps(double eps) {
            return option("eps", eps);
        }

        /** Returns this builder maximizing the objective instead of minimizing it (default off). */
        public Builder maximize(boolean maximize) {
            return flag("maximize", maximize);
        }

        /** Creates the optimizer, validating every group's settings as PyTorch does. */
        public Adagrad build() {
            return new Adagrad(this);
        }
    }
}
