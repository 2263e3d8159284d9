package io.polygrad;

import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;

/**
 * The argument checks shared by polygrad's public methods, so every bad argument fails the same
 * way, at the method the caller called.
 *
 * <p>The convention, Java's own ({@link java.util.Objects#requireNonNull(Object, String)}): a
 * {@code null} where a tensor, shape, dtype, module, path or other object is required throws a
 * {@link NullPointerException} whose message names the method and the argument, e.g.
 * {@code Engine.tensor: dtype is null}; a value of the right type but out of range throws an
 * {@link IllegalArgumentException} naming the method, the argument and the value.
 *
 * <p>This class serves polygrad's own packages; it is public only because they are several.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * Returns {@code value}, or throws a {@link NullPointerException} with the message
     * {@code "<method>: <argument> is null"} when it is {@code null}.
     *
     * @param value    the argument to check
     * @param method   the public method that received it, e.g. {@code Engine.tensor}
     * @param argument the argument's name, e.g. {@code dtype}, or a phrase such as {@code layer 2}
     */
    public static <T> T notNull(T value, String method, String argument) {
        if (value == null) {
            throw new NullPointerException(method + ": " + argument + " is null");
        }
        return value;
    }

    /**
     * Returns {@code values} after checking that neither the array nor any element is {@code null};
     * an element is named {@code <argument>[i]}.
     */
    public static <T> T[] noNulls(T[] values, String method, String argument) {
        notNull(values, method, argument);
        for (int i = 0; i < values.length; i++) {
            notNull(values[i], method, argument + "[" + i + "]");
        }
        return values;
    }

    /**
     * Returns {@code values} after checking that neither the collection nor any element is
     * {@code null}; an element is named {@code <argument>[i]} in iteration order.
     */
    public static <C extends Iterable<?>> C noNulls(C values, String method, String argument) {
        notNull(values, method, argument);
        int i = 0;
        for (Object v : values) {
            notNull(v, method, argument + "[" + i++ + "]");
        }
        return values;
    }

    /**
     * Fails with an {@link IllegalArgumentException} naming {@code op}, the label and its position when a
     * class index of {@code target} (int64) other than {@code ignoreIndex} is outside {@code [0, classes)}
     * for input of shape {@code inputShape}. It reads the labels back to Java; inside a step being
     * captured it is recorded too, so every {@link CapturedStep#run()} checks that run's labels.
     */
    public static void classIndicesInRange(String op, Tensor target, long ignoreIndex, int classes,
            int[] inputShape) {
        BackendArray labels = target.data();
        Backend backend = target.engine().realBackend();
        StepRecorder recorder = StepRecorder.active;
        if (recorder != null) {
            recorder.recordCheck(ClassIndexCheck.METHOD, backend, labels, op, ignoreIndex, classes, inputShape);
        }
        ClassIndexCheck.checkClassIndices(backend, labels, op, ignoreIndex, classes, inputShape);
    }
}
