package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A list of modules whose parameters and buffers belong to the owning model, PyTorch's
 * {@code nn.ModuleList}: the children are named {@code 0, 1, 2, …}, so a model holding one as its field
 * {@code layers} has state names such as {@code layers.1.bias}. It is indexable and iterable but, like
 * PyTorch's, has no {@link #forward}: the owner decides how the layers are called.
 *
 * <pre>{@code
 * jshell> var layers = new ModuleList(new Linear(engine, 4, 4), new Linear(engine, 4, 4));
 * jshell> Tensor x = engine.randn(2, 4);
 * jshell> for (Module layer : layers) x = layer.forward(x).relu();
 * jshell> layers.size()
 * $4 ==> 2
 * }</pre>
 */
public final class ModuleList extends Module implements Iterable<Module> {

    private final List<Module> modules = new ArrayList<>();

    /** Creates a list of {@code modules} (none: an empty list). */
    public ModuleList(Module... modules) {
        Checks.noNulls(modules, "ModuleList", "modules");
        for (Module m : modules) {
            add(m);
        }
    }

    /**
     * Returns this list after appending {@code module} under the next index, PyTorch's {@code append}.
     *
     * <pre>{@code
     * jshell> new ModuleList().add(new ReLU()).add(new Tanh())
     * $1 ==> ModuleList(
     *   (0): ReLU()
     *   (1): Tanh()
     * )
     * }</pre>
     */
    public ModuleList add(Module module) {
        notNull(module, "ModuleList.add", "module");
        registerModule(String.valueOf(modules.size()), module);
        modules.add(module);
        return this;
    }

    /**
     * Returns the module at {@code index}; a negative index counts from the end, as in Python.
     *
     * <pre>{@code
     * jshell> new ModuleList(new ReLU(), new Tanh()).get(-1)
     * $1 ==> Tanh()
     * }</pre>
     *
     * @throws IndexOutOfBoundsException naming the index and the size when it is out of range
     */
    public Module get(int index) {
        int i = index < 0 ? index + modules.size() : index;
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList.get: index " + index + " is out of range for a list of "
                    + modules.size() + " modules");
        }
        return modules.get(i);
    }

    /** Returns the number of modules, e.g. {@code new ModuleList(new ReLU()).size()} is {@code 1}. */
    public int size() {
        return modules.size();
    }

    /**
     * Returns the modules in order, unmodifiable.
     *
     * <pre>{@code
     * jshell> new ModuleList(new ReLU(), new Tanh()).modules()
     * $1 ==> [ReLU(), Tanh()]
     * }</pre>
     */
    public List<Module> modules() {
        return Collections.unmodifiableList(modules);
    }

    /**
     * Returns an iterator over the modules in order.
     *
     * <pre>{@code
     * jshell> for (Module m : new ModuleList(new ReLU(), new Tanh())) System.out.println(m);
     * ReLU()
     * Tanh()
     * }</pre>
     */
    @Override
    public Iterator<Module> iterator() {
        return modules().iterator();
    }

    /**
     * Always throws: a module list has no forward of its own (PyTorch's raises {@code NotImplementedError}).
     *
     * @throws UnsupportedOperationException always, saying to call the layers in the owner's forward
     */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward: iterate over it (for (Module m : list))"
                + " in the forward of the module that owns it, or use Sequential to chain the layers");
    }
}
