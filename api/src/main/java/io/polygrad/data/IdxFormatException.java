package io.polygrad.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid IDX file, or not the one expected: a wrong magic number, an unsupported
 * element type, a truncated or over-long body, or counts that do not match. The message names the
 * file and what is wrong.
 */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** Creates the exception for {@code file} with a message saying what is wrong. */
    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** Creates the exception for {@code file}, keeping the I/O failure that revealed the problem. */
    public IdxFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** Returns the file the problem is in. */
    public Path file() {
        return file;
    }
}
