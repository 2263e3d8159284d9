package io.polygrad.config;

/**
 * The failure to start a configured backend: absent from the classpath, or unable to load its
 * native library or device. The message names the available backends and what to add.
 */
public class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a complete message. */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
