package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Checks;
import io.polygrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of modules applied in order, PyTorch's {@code nn.Sequential}; the children are
 * named {@code 0, 1, 2, …}, so parameters are named {@code 0.weight}, {@code 2.bias} and so on.
 *
 * <pre>{@code
 * Sequential net = new Sequential(
 *         new Linear(engine, 1, 8),
 *         new ReLU(),
 *         new Linear(engine, 8, 1));
 * Tensor y = net.forward(x);       // x: [n, 1] -> y: [n, 1]
 * }</pre>
 */
public final class Sequential extends Module {

    private final List<Module> layers = new ArrayList<>();

    /** Creates a chain of {@code layers}. */
    public Sequential(Module... layers) {
        Checks.noNulls(layers, "Sequential", "layers");
        for (Module m : layers) {
            add(m);
        }
    }

    /** Returns this chain after appending {@code layer} under the next index. */
    public Sequential add(Module layer) {
        notNull(layer, "Sequential.add", "layer");
        registerModule(String.valueOf(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    /** Returns the layer at {@code index}. */
    public Module get(int index) {
        return layers.get(index);
    }

    /** Returns the number of layers. */
    public int size() {
        return layers.size();
    }

    /** Returns the input passed through every layer in order (the input itself when empty). */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Sequential.forward", "input");
        Tensor x = input;
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }
}
