package io.polygrad.nn;

import io.polygrad.Tensor;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A module without parameters made from a function, to put any tensor expression in a
 * {@link Sequential}.
 *
 * <pre>{@code
 * Module square = new Lambda("Square", x -> x.square());
 * Sequential net = new Sequential(new Linear(engine, 1, 4), square, new Linear(engine, 4, 1));
 * }</pre>
 */
public final class Lambda extends Module {

    private final UnaryOperator<Tensor> function;

    /** Creates a module shown as {@code name} that returns {@code function.apply(input)}. */
    public Lambda(String name, UnaryOperator<Tensor> function) {
        super(Objects.requireNonNull(name, "name"));
        this.function = Objects.requireNonNull(function, "function");
    }

    /** Returns the function applied to {@code input}. */
    @Override
    public Tensor forward(Tensor input) {
        return function.apply(input);
    }
}
