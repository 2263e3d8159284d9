package io.polygrad.data;

import java.nio.file.NoSuchFileException;

/**
 * A data set whose files are in none of the places polygrad looked. The message lists each place
 * (and which setting named it) and how to get the files; polygrad never downloads them.
 */
public final class DatasetNotFoundException extends NoSuchFileException {

    private static final long serialVersionUID = 1L;

    private final String message;

    /** Creates the exception with the full explanation. */
    public DatasetNotFoundException(String message) {
        super(message);
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
