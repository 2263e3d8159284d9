package io.polygrad.cli.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * An output file that is never left half-written: the content goes to a temporary file in the
 * same directory, which is then moved into place in one step.
 *
 * <pre>{@code
 * OutputFile png = OutputFile.checked(Path.of("polygrad-quadratic.png"));   // fails before any work
 * png.write(out -> ImageIO.write(image, "png", out));
 * }</pre>
 */
public final class OutputFile {

    /** Content that writes itself to a stream. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;

    private OutputFile(Path target) {
        this.target = target;
    }

    /**
     * Returns an output file for {@code path} after checking, by creating and deleting a temporary file
     * next to it, that it can be written.
     *
     * @throws IOException with a message fit for a user when the path cannot be written: missing
     *                     directory, a directory in the way, no permission
     */
    public static OutputFile checked(Path path) throws IOException {
        Path target = path.toAbsolutePath().normalize();
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) {
            throw new IOException(path + ": not a file path");
        }
        if (!Files.exists(dir)) {
            throw new IOException(path + ": directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(path + ": " + dir + " is not a directory");
        }
        if (Files.isDirectory(target)) {
            throw new IOException(path + ": is a directory");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new IOException(path + ": file exists and is not writable");
        }
        Path probe;
        try {
            probe = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException | SecurityException e) {
            throw new IOException(path + ": cannot write in directory " + dir
                    + " (" + e.getClass().getSimpleName().replace("Exception", "").toLowerCase(Locale.ROOT)
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        Files.deleteIfExists(probe);
        return new OutputFile(target);
    }

    /** Returns the absolute path of the file. */
    public Path path() {
        return target;
    }

    /**
     * Writes {@code content} to a temporary file beside the target and moves it into place, replacing
     * any existing file; on failure the temporary file is deleted and the target left as it was.
     */
    public void write(Content content) throws IOException {
        // Not Files.createTempFile: its files are private (0600); a plot gets the user's usual permissions.
        Path tmp = null;
        OutputStream stream = null;
        for (int attempt = 0; stream == null; attempt++) {
            tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong())
                    + ".tmp");
            try {
                stream = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
        boolean moved = false;
        try {
            try (OutputStream out = stream) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Returns the path as text. */
    @Override
    public String toString() {
        return target.toString();
    }
}
