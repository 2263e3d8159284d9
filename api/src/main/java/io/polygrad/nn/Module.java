package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A building block of a model: it owns parameters (leaf tensors that require a gradient)
 * and child modules, and maps an input tensor to an output in {@link #forward(Tensor)}, like
 * PyTorch's {@code nn.Module}.
 *
 * <p>Parameters are registered with {@link #registerParameter(String, Tensor)} and children with
 * {@link #registerModule(String, Module)}; both keep their registration order, which gives the
 * stable hierarchical names of {@link #namedParameters()} ({@code 0.weight}, {@code 0.bias}, …)
 * used by optimizers and by {@link io.polygrad.io.SafeTensors}. A user-defined model is a few lines:
 *
 * <pre>{@code
 * // the quadratic a·x² + b·x + c
 * Module quadratic = new Module("Quadratic") {
 *     final Tensor a = registerParameter("a", engine.scalar(1.1));
 *     final Tensor b = registerParameter("b", engine.scalar(1.1));
 *     final Tensor c = registerParameter("c", engine.scalar(1.1));
 *
 *     public Tensor forward(Tensor x) {
 *         return a.mul(x.square()).add(b.mul(x)).add(c);
 *     }
 * };
 *
 * // the "double ReLU" relu(m1·x + b1) + relu(m2·x + b2)
 * Module doubleRelu = new Module("DoubleReLU") {
 *     final Tensor m1 = registerParameter("m1", engine.scalar(-1.0));
 *     final Tensor b1 = registerParameter("b1", engine.scalar(0.5));
 *     final Tensor m2 = registerParameter("m2", engine.scalar(1.0));
 *     final Tensor b2 = registerParameter("b2", engine.scalar(0.5));
 *
 *     public Tensor forward(Tensor x) {
 *         return m1.mul(x).add(b1).relu().add(m2.mul(x).add(b2).relu());
 *     }
 * };
 * }</pre>
 *
 * <p>Non-parameter state (a batch norm's running statistics) is registered with
 * {@link #registerBuffer(String, Tensor)}; {@link #stateDict()} holds the parameters and the buffers
 * under PyTorch's {@code state_dict} names, and {@link #loadStateDict(Map)} copies them back:
 *
 * <pre>{@code
 * jshell> var net = new Sequential(new Linear(engine, 3, 4), new BatchNorm1d(engine, 4));
 * jshell> net.stateDict().keySet()
 * $2 ==> [0.weight, 0.bias, 1.weight, 1.bias, 1.running_mean, 1.running_var, 1.num_batches_tracked]
 * }</pre>
 *
 * <p>{@link #toString()} prints the structure as PyTorch's {@code repr} does; {@link #summary()}
 * adds every parameter with its shape and count.
 */
public abstract class Module {

    private final String typeName;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training = true;

    /** Creates a module named after its class (or {@code Module} for an anonymous class). */
    protected Module() {
        this(null);
    }

    /** Creates a module shown as {@code typeName} by {@link #toString()}, handy for anonymous classes. */
    protected Module(String typeName) {
        String simple = getClass().getSimpleName();
        this.typeName = typeName != null ? typeName : simple.isEmpty() ? "Module" : simple;
    }

    /** Returns the output of this module for {@code input}. */
    public abstract Tensor forward(Tensor input);

    // ---------------------------------------------------------------- registration

    /**
     * Returns {@code tensor} after registering it as the parameter {@code name}: it is made to require
     * a gradient and is taken out of every {@link TensorScope}, so it lives as long as the module.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot or is taken, or the tensor
     *     is not a leaf (detach it first)
     */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        checkName(name, "parameter", "Module.registerParameter");
        notNull(tensor, "Module.registerParameter", "tensor");
        if (!tensor.isLeaf()) {
            throw new IllegalArgumentException("parameter '" + name + "' of " + typeName
                    + " must be a leaf tensor, but it was made by " + tensor.gradFn() + "; register tensor.detach()");
        }
        tensor.requiresGrad(true);
        TensorScope.escape(tensor);
        parameters.put(name, tensor);
        return tensor;
    }

    /**
     * Returns {@code module} after registering it as the child {@code name}; its parameters appear in
     * {@link #namedParameters()} as {@code name.parameter}.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot or is taken, or the module is
     *     this one or already contains it (a cycle, which would make walking the parameters endless); the
     *     message names both modules and the path back to this one
     */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name, "module", "Module.registerModule");
        notNull(module, "Module.registerModule", "module");
        if (module == this) {
            throw new IllegalArgumentException("Module.registerModule: a module cannot be its own child: "
                    + typeName + " registered as its own child '" + name + "'");
        }
        String back = pathTo(module, this, name);
        if (back != null) {
            throw new IllegalArgumentException("Module.registerModule: registering " + module.typeName() + " as child '"
                    + name + "' of " + typeName + " would make a cycle: " + typeName + " is already inside "
                    + module.typeName() + " at '" + back.substring(name.length() + 1) + "', so the path " + back
                    + " would lead back to " + typeName);
        }
        children.put(name, module);
        return module;
    }

    /**
     * Returns the dotted path from {@code from} (itself reached by {@code prefix}) down to {@code target}
     * through the children, or {@code null} when {@code target} is not inside {@code from}.
     */
    private static String pathTo(Module from, Module target, String prefix) {
        for (Map.Entry<String, Module> e : from.children.entrySet()) {
            String path = prefix + "." + e.getKey();
            if (e.getValue() == target) {
                return path;
            }
            String deeper = pathTo(e.getValue(), target, path);
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }

    private void checkName(String name, String kind, String method) {
        notNull(name, method, "name");
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(kind + " name '" + name + "' of " + typeName
                    + " must be non-empty and contain no '.'");
        }
        if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException(kind + " name '" + name + "' is already registered in " + typeName);
        }
    }

    // ---------------------------------------------------------------- parameters

    /** Returns every parameter, this module's own first, then each child's in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Returns the parameters by hierarchical name in a stable order: this module's own parameters, then
     * each child's prefixed by the child's name, e.g. {@code 0.weight, 0.bias, 2.weight, 2.bias}. A
     * tensor shared by several modules appears once, under its first name, as in PyTorch.
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), m -> m.parameters);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Adds each tensor of {@code own} (a module's parameters or buffers) once, under the first name it is
     * reached by (a shared tensor is listed once).
     */
    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen,
            java.util.function.Function<Module, Map<String, Tensor>> own) {
        for (Map.Entry<String, Tensor> e : own.apply(this).entrySet()) {
            if (seen.add(e.getValue())) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, seen, own);
        }
    }

    /** Returns the child modules by name, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Returns the total number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.numel();
        }
        return n;
    }

    /** Clears the gradient of every parameter (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) {
            t.zeroGrad();
        }
    }

    // ---------------------------------------------------------------- buffers and state dicts

    /**
     * Returns {@code tensor} after registering it as the buffer {@code name}: state that is not a
     * parameter (no gradient, not seen by optimizers) but belongs to the module, such as a batch norm's
     * {@code running_mean}, PyTorch's {@code register_buffer}. A buffer is in {@link #stateDict()}, is
     * saved and loaded with the module, and is taken out of every {@link TensorScope}.
     *
     * <pre>{@code
     * jshell> var counter = new Module("Counter") {
     *    ...>     final Tensor seen = registerBuffer("seen", engine.zeros(1));
     *    ...>     public Tensor forward(Tensor x) { return x; }
     *    ...> };
     * jshell> counter.namedBuffers()
     * $2 ==> {seen=tensor([0.0000])}
     * }</pre>
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot or is taken, or the tensor
     *     requires a gradient (a buffer is not trained; register it as a parameter instead)
     */
    protected final Tensor registerBuffer(String name, Tensor tensor) {
        checkName(name, "buffer", "Module.registerBuffer");
        notNull(tensor, "Module.registerBuffer", "tensor");
        if (tensor.requiresGrad()) {
            throw new IllegalArgumentException("buffer '" + name + "' of " + typeName
                    + " requires a gradient; a buffer is not trained: register tensor.detach(), or register a"
                    + " parameter");
        }
        TensorScope.escape(tensor);
        buffers.put(name, tensor);
        return tensor;
    }

    /**
     * Returns the buffers by hierarchical name, this module's own first, then each child's prefixed by the
     * child's name (e.g. {@code 1.running_mean}); a tensor shared by several modules appears once.
     *
     * <pre>{@code
     * jshell> new Sequential(new Linear(engine, 2, 2), new BatchNorm1d(engine, 2)).namedBuffers().keySet()
     * $1 ==> [1.running_mean, 1.running_var, 1.num_batches_tracked]
     * }</pre>
     */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), m -> m.buffers);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Returns the module's whole state by PyTorch's {@code state_dict} names, in PyTorch's order: for this
     * module its parameters then its buffers, then each child's state prefixed by the child's name. The
     * values are the module's own tensors (not copies). Unlike {@link #namedParameters()}, a tensor shared
     * by two modules is listed under both names, as in PyTorch.
     *
     * <pre>{@code
     * jshell> var net = new Sequential(new Linear(engine, 3, 4), new BatchNorm1d(engine, 4),
     *    ...>         new ModuleList(new Linear(engine, 4, 2), new LayerNorm(engine, 2)));
     * jshell> net.stateDict().keySet()
     * $2 ==> [0.weight, 0.bias, 1.weight, 1.bias, 1.running_mean, 1.running_var, 1.num_batches_tracked,
     *         2.0.weight, 2.0.bias, 2.1.weight, 2.1.bias]
     * }</pre>
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectState(prefix + e.getKey() + ".", out);
        }
    }

    /**
     * Copies {@code state} into this module's parameters and buffers, strictly: PyTorch's
     * {@code load_state_dict(state, strict=True)}. See {@link #loadStateDict(Map, boolean)}.
     *
     * <pre>{@code
     * jshell> var a = new Linear(engine, 2, 1);  var b = new Linear(engine, 2, 1);
     * jshell> b.loadStateDict(a.stateDict())
     * $3 ==> IncompatibleKeys[missingKeys=[], unexpectedKeys=[]]
     * }</pre>
     *
     * @throws IllegalArgumentException naming every missing and unexpected key and every shape mismatch;
     *     the module is then unchanged
     */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies {@code state} into this module's parameters and buffers, matched by their
     * {@link #stateDict()} names, PyTorch's {@code load_state_dict(state, strict)}. Values are copied in
     * place (so an optimizer holding the parameters keeps working), cast to each target's dtype, and may
     * come from another backend. Everything is checked before the first value is written: a key of the
     * module absent from {@code state} (missing) or a key of {@code state} that the module lacks
     * (unexpected) is an error when {@code strict}, and a shape that differs from the module's is always
     * one; the error lists them all, as PyTorch's does.
     *
     * <pre>{@code
     * jshell> var net = new Sequential(new Linear(engine, 2, 1));
     * jshell> net.loadStateDict(Map.of("0.weight", engine.zeros(1, 2)), false)
     * $2 ==> IncompatibleKeys[missingKeys=[0.bias], unexpectedKeys=[]]
     * jshell> net.loadStateDict(Map.of("0.weight", engine.zeros(1, 3)))
     * |  Exception java.lang.IllegalArgumentException: Error(s) in loading state_dict for Sequential:
     * |  	Missing key(s) in state_dict: "0.bias".
     * |  	size mismatch for 0.weight: copying a param with shape [1, 3] from checkpoint, the shape in current
     * |  model is [1, 2].
     * }</pre>
     *
     * @return the missing and unexpected keys (both empty after a strict load)
     * @throws IllegalArgumentException as described; the module is then unchanged
     */
    public final IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        notNull(state, "Module.loadStateDict", "state");
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            if (!state.containsKey(e.getKey())) {
                missing.add(e.getKey());
                continue;
            }
            Tensor source = notNull(state.get(e.getKey()), "Module.loadStateDict", "state['" + e.getKey() + "']");
            if (!java.util.Arrays.equals(source.shape(), e.getValue().shape())) {
                mismatched.add("size mismatch for " + e.getKey() + ": copying a param with shape "
                        + Shapes.toString(source.shape()) + " from checkpoint, the shape in current model is "
                        + Shapes.toString(e.getValue().shape()) + ".");
            }
        }
        for (String key : state.keySet()) {
            if (!own.containsKey(key)) {
                unexpected.add(key);
            }
        }
        List<String> errors = new ArrayList<>();
        if (strict && !unexpected.isEmpty()) {
            errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
        }
        if (strict && !missing.isEmpty()) {
            errors.add("Missing key(s) in state_dict: " + quoted(missing) + ".");
        }
        errors.addAll(mismatched);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + typeName + ":\n\t"
                    + String.join("\n\t", errors));
        }
        try (TensorScope scope = TensorScope.open(); io.polygrad.NoGrad ignored = io.polygrad.NoGrad.enter()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor source = state.get(e.getKey());
                if (source == null) {
                    continue;
                }
                Tensor target = e.getValue();
                if (source != target) {
                    target.assign(sameBackend(source, target) ? source : source.toEngine(target.engine()));
                }
            }
        }
        notifyStateLoaded();
        return new IncompatibleKeys(missing, unexpected);
    }

    private static boolean sameBackend(Tensor a, Tensor b) {
        return a.engine().backend() == b.engine().backend()
                || (a.engine().backend().name().equals(b.engine().backend().name())
                        && a.engine().device().equals(b.engine().device()));
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            sb.append(sb.length() == 0 ? "" : ", ").append('"').append(k).append('"');
        }
        return sb.toString();
    }

    private void notifyStateLoaded() {
        stateLoaded();
        for (Module child : children.values()) {
            child.notifyStateLoaded();
        }
    }

    /**
     * Called on every module of the tree after {@link #loadStateDict} (or {@link io.polygrad.io.SafeTensors})
     * wrote new values into its tensors, so a module that mirrors a buffer in a Java field can refresh it.
     */
    void stateLoaded() {
    }

    // ---------------------------------------------------------------- mode

    /** Returns whether this module is in training mode (the default), as opposed to evaluation mode. */
    public final boolean isTraining() {
        return training;
    }

    /** Returns this module after setting training mode on it and every descendant. */
    public Module train(boolean mode) {
        training = mode;
        for (Module child : children.values()) {
            child.train(mode);
        }
        return this;
    }

    /** Returns this module after putting it and every descendant in training mode. */
    public final Module train() {
        return train(true);
    }

    /** Returns this module after putting it and every descendant in evaluation mode. */
    public final Module eval() {
        return train(false);
    }

    // ---------------------------------------------------------------- printing

    /** Returns the name shown by {@link #toString()}, e.g. {@code Linear}. */
    public final String typeName() {
        return typeName;
    }

    /** Returns the text inside this module's parentheses in {@link #toString()}; empty by default. */
    protected String extraRepr() {
        return "";
    }

    /**
     * Returns the structure as PyTorch prints it, e.g.
     * <pre>
     * Sequential(
     *   (0): Linear(in_features=1, out_features=8, bias=True)
     *   (1): ReLU()
     * )
     * </pre>
     */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            lines.addAll(List.of(extra.split("\n")));
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            lines.add("(" + e.getKey() + "): " + indent(e.getValue().toString()));
        }
        StringBuilder sb = new StringBuilder(typeName).append('(');
        if (children.isEmpty() && lines.size() <= 1) {
            return sb.append(extra).append(')').toString();
        }
        for (String line : lines) {
            sb.append("\n  ").append(line);
        }
        return sb.append("\n)").toString();
    }

    private static String indent(String text) {
        return text.replace("\n", "\n  ");
    }

    /**
     * Returns {@link #toString()} followed by a table of the parameters (name, shape, dtype, count) and
     * the totals, e.g.
     * <pre>
     * name      shape   dtype    params
     * 0.weight  [8, 1]  float32       8
     * ...
     * Total parameters: 25 (trainable: 25)
     * </pre>
     */
    public String summary() {
        Map<String, Tensor> named = namedParameters();
        String[] head = {"name", "shape", "dtype", "params"};
        List<String[]> rows = new ArrayList<>();
        long total = 0;
        long trainable = 0;
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            Tensor t = e.getValue();
            rows.add(new String[] {e.getKey(), Shapes.toString(t.shape()), t.dtype().toString(),
                String.valueOf(t.numel())});
            total += t.numel();
            if (t.requiresGrad()) {
                trainable += t.numel();
            }
        }
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            width[i] = head[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder(toString()).append('\n');
        appendRow(sb, head, width);
        for (String[] r : rows) {
            appendRow(sb, r, width);
        }
        return sb.append("Total parameters: ").append(total).append(" (trainable: ").append(trainable).append(')')
                .toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            boolean last = i == cells.length - 1;
            if (last) {
                sb.append(" ".repeat(width[i] - cells[i].length())).append(cells[i]);
            } else {
                sb.append(cells[i]).append(" ".repeat(width[i] - cells[i].length() + 2));
            }
        }
        sb.append('\n');
    }
}
