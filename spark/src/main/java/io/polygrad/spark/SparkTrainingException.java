package io.polygrad.spark;

/**
 * An exception that says why data-parallel training on Spark cannot start or did not finish: bad
 * input, a cluster too small for the barrier stage, replicas that differ, or a task's failure.
 */
public class SparkTrainingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with {@code message}. */
    public SparkTrainingException(String message) {
        super(message);
    }

    /** Creates an exception with {@code message} and its {@code cause}. */
    public SparkTrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
