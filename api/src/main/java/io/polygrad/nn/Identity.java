package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/**
 * The placeholder layer that returns its input unchanged, PyTorch's {@code nn.Identity}: handy to switch
 * a layer off without changing a model's structure or its {@link Module#stateDict()} names.
 *
 * <pre>{@code
 * jshell> var net = new Sequential(new Linear(engine, 2, 2), new Identity(), new ReLU());
 * jshell> new Identity().forward(engine.tensor(new double[] {1, -2}))
 * $2 ==> tensor([1.0000, -2.0000])
 * }</pre>
 */
public final class Identity extends Module {

    /** Creates the layer. */
    public Identity() {
    }

    /**
     * Returns {@code input} itself (the same tensor, as PyTorch's).
     *
     * <pre>{@code
     * jshell> var x = engine.ones(2);
     * jshell> new Identity().forward(x) == x
     * $2 ==> true
     * }</pre>
     */
    @Override
    public Tensor forward(Tensor input) {
        return notNull(input, "Identity.forward", "input");
    }
}
