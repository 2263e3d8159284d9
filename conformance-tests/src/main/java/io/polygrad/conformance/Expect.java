package io.polygrad.conformance;

import java.util.Arrays;
import java.util.Objects;

/**
 * The assertions of the suite's check bodies, in plain Java so the checks run without JUnit: each
 * throws an {@link AssertionError} whose message reads like JUnit's ({@code expected: <…> but was: <…>}).
 */
public final class Expect {

    /** A piece of code expected to throw. */
    @FunctionalInterface
    public interface Code {
        /** Runs the code. */
        void run();
    }

    private Expect() {
    }

    /** Checks that {@code condition} holds. */
    public static void isTrue(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(prefix(message) + "expected: <true> but was: <false>");
        }
    }

    /** Checks that {@code condition} does not hold. */
    public static void isFalse(boolean condition, String message) {
        if (condition) {
            throw new AssertionError(prefix(message) + "expected: <false> but was: <true>");
        }
    }

    /** Checks that {@code actual} is {@code null}. */
    public static void isNull(Object actual, String message) {
        if (actual != null) {
            throw new AssertionError(prefix(message) + "expected: <null> but was: <" + actual + ">");
        }
    }

    /** Checks that {@code actual} is not {@code null}. */
    public static void notNull(Object actual, String message) {
        if (actual == null) {
            throw new AssertionError(prefix(message) + "expected: not <null>");
        }
    }

    /** Checks that {@code actual} equals {@code expected}. */
    public static void equal(Object expected, Object actual, String message) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(prefix(message) + "expected: <" + expected + "> but was: <" + actual + ">");
        }
    }

    /** Checks that {@code actual} is within {@code delta} of {@code expected}. */
    public static void equal(double expected, double actual, double delta, String message) {
        if (!(Double.doubleToLongBits(expected) == Double.doubleToLongBits(actual)
                || Math.abs(expected - actual) <= delta)) {
            throw new AssertionError(prefix(message) + "expected: <" + expected + "> but was: <" + actual + ">");
        }
    }

    /** Checks that every element of {@code actual} is within {@code delta} of {@code expected}'s. */
    public static void equal(double[] expected, double[] actual, double delta, String message) {
        if (expected.length != actual.length) {
            throw new AssertionError(prefix(message) + "array lengths differ, expected: <" + expected.length
                    + "> but was: <" + actual.length + ">");
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Double.doubleToLongBits(expected[i]) == Double.doubleToLongBits(actual[i])
                    || Math.abs(expected[i] - actual[i]) <= delta)) {
                throw new AssertionError(prefix(message) + "array contents differ at index [" + i + "], expected: <"
                        + expected[i] + "> but was: <" + actual[i] + ">; expected " + Arrays.toString(expected)
                        + ", was " + Arrays.toString(actual));
            }
        }
    }

    /** Checks that {@code actual} equals {@code expected} element by element. */
    public static void equal(int[] expected, int[] actual, String message) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(prefix(message) + "expected: <" + Arrays.toString(expected) + "> but was: <"
                    + Arrays.toString(actual) + ">");
        }
    }

    /** Returns what {@code code} throws, checking that it throws a {@code type}. */
    public static <T extends Throwable> T throwsA(Class<T> type, Code code) {
        try {
            code.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError("expected " + type.getSimpleName() + " to be thrown, but "
                    + t.getClass().getSimpleName() + " was thrown: " + t.getMessage(), t);
        }
        throw new AssertionError("expected " + type.getSimpleName() + " to be thrown, but nothing was thrown");
    }

    private static String prefix(String message) {
        return message == null || message.isEmpty() ? "" : message + " ==> ";
    }
}
