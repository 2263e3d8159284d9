package io.polygrad.optim;

import io.polygrad.Checks;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The common part of an optimizer, PyTorch's {@code torch.optim.Optimizer}: parameter groups each with
 * its own options ({@link #paramGroups()}), per-parameter state ({@link #state(Tensor)}), a
 * {@link #step()} that updates every parameter holding a gradient in place, inside {@link NoGrad} (so no
 * graph is recorded) and inside a {@link TensorScope} (so intermediates are freed on native backends), and
 * {@link #stateDict()} / {@link #loadStateDict(OptimizerState)} for checkpoints.
 *
 * <pre>{@code
 * jshell> Optimizer opt = Adam.builder(model.parameters()).lr(1e-3).build();
 * jshell> for (int i = 0; i < steps; i++) {
 *    ...>     try (TensorScope scope = TensorScope.open()) {
 *    ...>         opt.zeroGrad();
 *    ...>         Losses.mse(model.forward(x), y).backward();
 *    ...>         opt.step();
 *    ...>     }
 *    ...> }
 * jshell> opt.addParamGroup(extra.parameters(), Map.of("lr", 1e-4));   // optimizer.add_param_group(...)
 * }</pre>
 *
 * <p>{@link #lr()} is the first group's learning rate and {@link #setLr(double)} sets every group's; a
 * schedule ({@link io.polygrad.optim.lr}) acts on every group from each group's own initial rate. A
 * subclass implements {@link #update} (reading its options from the group on every step, so a changed
 * option takes effect at the next step) and {@link #validate}.
 */
public abstract class Optimizer {

    private final Map<String, Double> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<Tensor> parameters = new ArrayList<>();
    private final List<ParamState> states = new ArrayList<>();
    private final Map<Tensor, Integer> indexOf = new IdentityHashMap<>();

    /** Creates the optimizer of the builder's groups, each validated. */
    Optimizer(OptimizerBuilder<?> b) {
        this.defaults = b.resolvedDefaults();
        if (b.groupParams().isEmpty()) {
            throw new IllegalArgumentException(b.optimizerName() + " got no parameters: pass them to builder(...) "
                    + "or add a group with group(...)");
        }
        for (int i = 0; i < b.groupParams().size(); i++) {
            addGroup(b.groupParams().get(i), b.groupOptions().get(i));
        }
    }

    /**
     * Creates an optimizer of one group of {@code parameters} with options {@code defaults} (for optimizers
     * written outside this package).
     *
     * @throws IllegalArgumentException if the list is empty, holds a tensor twice or a non-leaf, or the
     *     options are out of range
     */
    protected Optimizer(List<Tensor> parameters, Map<String, Double> defaults) {
        Checks.noNulls(parameters, getClass().getSimpleName(), "parameters");
        Checks.notNull(defaults, getClass().getSimpleName(), "defaults");
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        addGroup(parameters, Map.of());
    }

    /**
     * Adds a group of {@code parameters} with the optimizer's default options (PyTorch's
     * {@code add_param_group({'params': parameters})}).
     *
     * @throws IllegalArgumentException if the list is empty, or a parameter is already optimized or not a leaf
     */
    public final void addParamGroup(List<Tensor> parameters) {
        addParamGroup(parameters, Map.of());
    }

    /**
     * Adds a group of {@code parameters} with the default options overridden by {@code options}, keyed as
     * in {@link OptimizerSpec} (PyTorch's {@code add_param_group({'params': parameters, 'lr': ...})}).
     *
     * @throws IllegalArgumentException if the list is empty, a parameter is already optimized or not a leaf,
     *     an option is unknown or out of range
     */
    public final void addParamGroup(List<Tensor> parameters, Map<String, Double> options) {
        Checks.noNulls(parameters, "Optimizer.addParamGroup", "parameters");
        Checks.notNull(options, "Optimizer.addParamGroup", "options");
        for (String key : options.keySet()) {
            if (!defaults.containsKey(key)) {
                throw new IllegalArgumentException("Unknown hyper-parameter '" + key + "' for optimizer '" + name()
                        + "'; known: " + String.join(", ", defaults.keySet()));
            }
        }
        addGroup(parameters, options);
    }

    private void addGroup(List<Tensor> params, Map<String, Double> overrides) {
        String who = name();
        if (params.isEmpty()) {
            throw new IllegalArgumentException(who + " got an empty parameter list"
                    + (groups.isEmpty() ? "" : " for parameter group " + groups.size()));
        }
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = Objects.requireNonNull(params.get(i), "parameter " + i);
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf Tensor (parameter " + i + " was made by "
                        + p.gradFn() + ")");
            }
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("parameter " + i + " appears more than once in the parameter list");
            }
            if (indexOf.containsKey(p)) {
                throw new IllegalArgumentException("some parameters appear in more than one parameter group "
                        + "(parameter " + i + " of the new group is in group " + groupOf(indexOf.get(p)) + ")");
            }
        }
        Map<String, Double> options = new LinkedHashMap<>(defaults);
        options.putAll(overrides);
        ParamGroup group = new ParamGroup(params, options);
        validate(group);
        groups.add(group);
        for (Tensor p : params) {
            indexOf.put(p, parameters.size());
            parameters.add(p);
            ParamState s = new ParamState();
            states.add(s);
            try (NoGrad ignored = NoGrad.enter()) {
                initState(group, p, s);
            }
        }
    }

    private int groupOf(int flatIndex) {
        int start = 0;
        for (int g = 0; g < groups.size(); g++) {
            start += groups.get(g).params().size();
            if (flatIndex < start) {
                return g;
            }
        }
        return -1;
    }

    /**
     * Checks a group's options as PyTorch checks the constructor's arguments, with PyTorch's messages.
     *
     * @throws IllegalArgumentException if an option is out of range
     */
    protected abstract void validate(ParamGroup group);

    /**
     * Sets up a parameter's state when its group is added; PyTorch's Adagrad fills its {@code sum} here.
     * The default does nothing (state is made at the first update).
     */
    protected void initState(ParamGroup group, Tensor param, ParamState state) {
    }

    /**
     * Updates every parameter that has a gradient, in place, each with its group's options; parameters
     * whose gradient is {@code null} (unused, frozen, or cleared) are skipped and their state does not
     * advance, as in PyTorch.
     */
    public final void step() {
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            int i = 0;
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Tensor g = p.grad();
                    if (g != null) {
                        update(group, p, g, states.get(i));
                    }
                    i++;
                }
            }
        }
    }

    /**
     * Updates {@code param} in place from its gradient with {@code group}'s options; called by {@link #step()}
     * inside {@link NoGrad} and a {@link TensorScope}. {@code grad} must not be modified; buffers stored in
     * {@code state} survive the scope.
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, ParamState state);

    /** Clears the gradient of every parameter (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : parameters) {
            p.zeroGrad();
        }
    }

    /** Returns the parameters of every group, in order (the flat indices of {@link OptimizerState}). */
    public final List<Tensor> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** Returns the parameter groups, in order (PyTorch's {@code param_groups}). */
    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Returns the options a new group gets: PyTorch's defaults with the builder's settings (PyTorch's {@code defaults}). */
    public final Map<String, Double> defaults() {
        return defaults;
    }

    /**
     * Returns the state of {@code param} (PyTorch's {@code state[param]}).
     *
     * @throws IllegalArgumentException if this optimizer does not optimize {@code param}
     */
    public final ParamState state(Tensor param) {
        Checks.notNull(param, "Optimizer.state", "param");
        Integer i = indexOf.get(param);
        if (i == null) {
            throw new IllegalArgumentException("Optimizer.state: the tensor " + Shapes.toString(param.shape())
                    + " is not a parameter of this " + name());
        }
        return states.get(i);
    }

    /** Returns the first group's learning rate. */
    public final double lr() {
        return groups.get(0).lr();
    }

    /** Sets the learning rate of every group for the next {@link #step()}. */
    public final void setLr(double lr) {
        for (ParamGroup g : groups) {
            g.setLr(lr);
        }
    }

    /**
     * Returns the first group's initial learning rate (PyTorch's {@code initial_lr}), setting it to the
     * group's current rate if no schedule has set it yet.
     */
    public final double initialLr() {
        ParamGroup g = groups.get(0);
        if (!g.has(ParamGroup.INITIAL_LR)) {
            g.set(ParamGroup.INITIAL_LR, g.lr());
        }
        return g.get(ParamGroup.INITIAL_LR);
    }

    /** Returns the optimizer's name, its class's simple name ({@code Adam}). */
    public String name() {
        return getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- state dict

    /**
     * Returns the optimizer's state (PyTorch's {@code state_dict()}): every group's options and parameter
     * indices, and every parameter's step count, scalars and buffers (copies, outside every
     * {@link TensorScope}, so later steps do not change them).
     */
    public final OptimizerState stateDict() {
        List<OptimizerState.Group> gs = new ArrayList<>();
        int i = 0;
        for (ParamGroup g : groups) {
            List<Integer> idx = new ArrayList<>();
            for (int k = 0; k < g.params().size(); k++) {
                idx.add(i++);
            }
            gs.add(new OptimizerState.Group(g.options(), idx));
        }
        Map<Integer, OptimizerState.Param> st = new LinkedHashMap<>();
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            for (int k = 0; k < states.size(); k++) {
                ParamState s = states.get(k);
                if (s.isEmpty()) {
                    continue;
                }
                Map<String, Tensor> copies = new LinkedHashMap<>();
                s.tensors().forEach((name, t) -> copies.put(name, TensorScope.escape(copy(t, t))));
                st.put(k, new OptimizerState.Param(s.step(), s.scalars(), copies));
            }
        }
        return new OptimizerState(name(), gs, st);
    }

    /**
     * Restores a state from {@link #stateDict()} (PyTorch's {@code load_state_dict}): every group's options
     * and every parameter's state; buffers are copied to the parameter's engine and dtype. Everything is
     * checked first, so on any error this optimizer is unchanged.
     *
     * @throws IllegalArgumentException if the state is of another optimizer, has another number of groups or
     *     group sizes, a buffer's shape differs from its parameter's, or an option is out of range
     */
    public final void loadStateDict(OptimizerState state) {
        Checks.notNull(state, "Optimizer.loadStateDict", "state");
        if (!state.optimizer().equals(name())) {
            throw new IllegalArgumentException("Optimizer.loadStateDict: the state is of a " + state.optimizer()
                    + " optimizer, this is a " + name());
        }
        if (state.paramGroups().size() != groups.size()) {
            throw new IllegalArgumentException("Optimizer.loadStateDict: loaded state has " + state.paramGroups().size()
                    + " parameter groups, this " + name() + " has " + groups.size());
        }
        List<ParamGroup> checked = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            OptimizerState.Group lg = state.paramGroups().get(g);
            if (lg.params().size() != groups.get(g).params().size()) {
                throw new IllegalArgumentException("Optimizer.loadStateDict: loaded parameter group " + g + " has "
                        + lg.params().size() + " parameters, this optimizer's has " + groups.get(g).params().size());
            }
            ParamGroup candidate = new ParamGroup(groups.get(g).params(), lg.options());
            validate(candidate);
            checked.add(candidate);
        }
        for (Map.Entry<Integer, OptimizerState.Param> e : state.state().entrySet()) {
            int k = e.getKey();
            if (k < 0 || k >= parameters.size()) {
                throw new IllegalArgumentException("Optimizer.loadStateDict: state of parameter " + k + ", but this "
                        + name() + " has " + parameters.size() + " parameters");
            }
            int[] shape = parameters.get(k).shape();
            for (Map.Entry<String, Tensor> t : e.getValue().tensors().entrySet()) {
                if (!Arrays.equals(t.getValue().shape(), shape)) {
                    throw new IllegalArgumentException("Optimizer.loadStateDict: buffer '" + t.getKey() + "' of parameter "
                            + k + " has shape " + Shapes.toString(t.getValue().shape()) + ", the parameter "
                            + Shapes.toString(shape));
                }
            }
        }
        List<ParamState> loaded = new ArrayList<>();
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            for (int k = 0; k < parameters.size(); k++) {
                ParamState s = new ParamState();
                OptimizerState.Param p = state.state().get(k);
                if (p != null) {
                    Tensor param = parameters.get(k);
                    s.setStep(p.step());
                    p.scalars().forEach(s::putScalar);
                    p.tensors().forEach((name, t) -> s.put(name, copy(param, t)));
                }
                loaded.add(s);
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).replaceOptions(checked.get(g).options());
        }
        for (int k = 0; k < states.size(); k++) {
            ParamState s = states.get(k);
            s.clear();
            ParamState l = loaded.get(k);
            s.setStep(l.step());
            l.scalars().forEach(s::putScalar);
            l.tensors().forEach(s::put);
        }
    }

    /** Returns a new tensor like {@code like} (engine, dtype) holding {@code source}'s values. */
    private static Tensor copy(Tensor like, Tensor source) {
        Tensor out = like.zerosLike();
        Tensor src = source;
        if (src.engine() != like.engine()) {
            src = src.toEngine(like.engine());
        }
        if (src.dtype() != like.dtype()) {
            src = src.to(like.dtype());
        }
        out.assign(src);
        return out;
    }

    // ---------------------------------------------------------------- helpers for the optimizers

    /**
     * Replaces {@code self} in place by {@code lerp(self, end, weight)} exactly as PyTorch's
     * {@code lerp_} computes it: {@code self + weight·(end - self)} for {@code |weight| < 0.5}, else
     * {@code end - (end - self)·(1 - weight)}.
     */
    static void lerpInPlace(Tensor self, Tensor end, double weight) {
        Tensor diff = end.sub(self);
        if (Math.abs(weight) < 0.5) {
            self.addi(diff, weight);
        } else {
            self.assign(end.sub(diff.mul(1 - weight)));
        }
    }

    static void checkNonNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException("Invalid " + name + " value: " + value);
        }
    }

    static void checkLr(ParamGroup g) {
        if (!(g.get(ParamGroup.LR) >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + g.get(ParamGroup.LR));
        }
    }

    static void checkBetas(ParamGroup g) {
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        if (!(b1 >= 0 && b1 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + b1);
        }
        if (!(b2 >= 0 && b2 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + b2);
        }
    }

    /** Checks lr, eps, betas and weight decay as PyTorch's Adam-like optimizers do, in their order. */
    static void checkAdamLike(ParamGroup g) {
        checkLr(g);
        checkNonNegative("epsilon", g.get("eps"));
        checkBetas(g);
        checkNonNegative("weight_decay", g.get("weightDecay"));
    }

    /** Returns the gradient, negated when the group maximizes. */
    static Tensor signed(ParamGroup g, Tensor grad) {
        return g.flag("maximize") ? grad.neg() : grad;
    }

    /** Returns {@code grad + weight_decay·param} (PyTorch's L2 penalty), or {@code grad} when it is 0. */
    static Tensor withWeightDecay(ParamGroup g, Tensor grad, Tensor param) {
        double wd = g.get("weightDecay");
        return wd != 0 ? grad.add(param.mul(wd)) : grad;
    }
}
