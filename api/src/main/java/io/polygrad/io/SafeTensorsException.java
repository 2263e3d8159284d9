package io.polygrad.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The error for a safetensors file that cannot be read or does not fit the model; the message
 * names the file, the tensor (when one is at fault) and the problem.
 */
public final class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;

    /** Creates an error about {@code tensor} (null when the file as a whole is at fault) in {@code file}. */
    public SafeTensorsException(Path file, String tensor, String problem) {
        super(message(file, tensor, problem));
        this.file = file;
        this.tensor = tensor;
    }

    /** Creates an error with a cause. */
    public SafeTensorsException(Path file, String tensor, String problem, Throwable cause) {
        super(message(file, tensor, problem), cause);
        this.file = file;
        this.tensor = tensor;
    }

    private static String message(Path file, String tensor, String problem) {
        return "safetensors file " + file + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem;
    }

    /** Returns the file at fault. */
    public Path file() {
        return file;
    }

    /** Returns the name of the tensor at fault, or {@code null} when the file as a whole is. */
    public String tensor() {
        return tensor;
    }
}
