package io.polygrad;

import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Shapes;
import java.lang.reflect.Method;

/**
 * The range check of class indices, run where a loss reads them ({@link Checks#classIndicesInRange}) and,
 * as a recorded call of its own, on every replay of a {@link CapturedStep}: the one read of values back
 * to Java that a captured step repeats, since it only decides whether the step fails.
 */
final class ClassIndexCheck {

    /** The recorded call's method: {@link #checkClassIndices}. */
    static final Method METHOD;

    static {
        try {
            METHOD = ClassIndexCheck.class.getDeclaredMethod("checkClassIndices", Backend.class, BackendArray.class,
                    String.class, long.class, int.class, int[].class);
            METHOD.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ClassIndexCheck() {
    }

    /**
     * Fails, naming the label and its position, when an int64 label of {@code labels} other than
     * {@code ignoreIndex} is outside {@code [0, classes)} for input of shape {@code inputShape}.
     */
    static void checkClassIndices(Backend backend, BackendArray labels, String op, long ignoreIndex, int classes,
            int[] inputShape) {
        long[] values = backend.toLongArray(labels);
        int[] shape = labels.shape();
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v != ignoreIndex && (v < 0 || v >= classes)) {
                throw new IllegalArgumentException(op + ": target " + v + " at position "
                        + Shapes.toString(Shapes.unravel(i, shape)) + " is outside [0, " + classes
                        + ") for input of shape " + Shapes.toString(inputShape));
            }
        }
    }
}
