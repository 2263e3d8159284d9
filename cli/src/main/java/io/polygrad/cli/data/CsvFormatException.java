package io.polygrad.cli.data;

/**
 * The reason a CSV file could not be used as data: missing, unreadable, empty, or a malformed line,
 * with the file, the line number and the offending text in the message.
 */
public class CsvFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int lineNumber;

    /** Creates the exception for a problem with the whole file (no particular line). */
    public CsvFormatException(String message) {
        this(message, 0);
    }

    /** Creates the exception for a problem on line {@code lineNumber} (1-based). */
    public CsvFormatException(String message, int lineNumber) {
        super(message);
        this.lineNumber = lineNumber;
    }

    /** Returns the 1-based line the problem is on, or 0 when it concerns the whole file. */
    public int lineNumber() {
        return lineNumber;
    }
}
