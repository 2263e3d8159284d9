package io.polygrad.nn;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;
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
        super(notNull(name, "Lambda", "name"));
        this.function = notNull(function, "Lambda", "function");
    }

    /** Returns the function applied to {@code input}. */
    @Override
    public Tensor forward(Tensor input) {
        notNull(input, "Lambda.forward", "input");
        return function.apply(input);
    }
}
