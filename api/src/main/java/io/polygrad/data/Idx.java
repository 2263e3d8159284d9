package io.polygrad.data;

import io.polygrad.Checks;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The reader of IDX files, the format of MNIST, Fashion-MNIST and KMNIST: a 4-byte magic number
 * ({@code 0x00 0x00}, the element type, the number of dimensions), the dimensions as big-endian
 * 32-bit integers, then the elements in row-major order. Files may be gzip-compressed (recognised
 * by their content, not their name). polygrad reads the unsigned-byte type ({@code 0x08}) these
 * data sets use.
 *
 * <pre>{@code
 * IdxArray images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // shape [60000, 28, 28]
 * }</pre>
 */
public final class Idx {

    /** The element type code of unsigned bytes, the only one MNIST-family files use. */
    public static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /**
     * Returns the array in {@code file}, checking the magic number, the element type, that every
     * dimension is positive, and that the body holds exactly the elements the header announces.
     *
     * @throws NoSuchFileException  if the file does not exist
     * @throws IdxFormatException   naming the file and the problem when it is not a valid IDX file
     * @throws IOException          when it cannot be read
     */
    public static IdxArray read(Path file) throws IOException {
        Checks.notNull(file, "Idx.read", "file");
        if (Files.isDirectory(file)) {
            throw new IdxFormatException(file, "is a directory, not an IDX file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = isGzip(raw) ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(file, in);
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(file, "is a corrupt or truncated gzip file (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static IdxArray read(Path file, InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(file, "is too short for an IDX header (" + magic.length + " bytes)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(file, String.format(
                    "is not an IDX file: the magic number starts 0x%02x 0x%02x, expected 0x00 0x00",
                    magic[0] & 0xFF, magic[1] & 0xFF));
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(file, String.format(
                    "has IDX element type 0x%02x (%s); polygrad reads unsigned-byte (0x08) files, as MNIST, "
                    + "Fashion-MNIST and KMNIST ship them", type, typeName(type)));
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new IdxFormatException(file, "declares 0 dimensions");
        }
        int[] shape = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            byte[] dim = in.readNBytes(4);
            if (dim.length < 4) {
                throw new IdxFormatException(file, "is truncated inside its header: " + rank
                        + " dimensions declared, " + i + " found");
            }
            shape[i] = ((dim[0] & 0xFF) << 24) | ((dim[1] & 0xFF) << 16) | ((dim[2] & 0xFF) << 8) | (dim[3] & 0xFF);
            if (shape[i] <= 0) {
                throw new IdxFormatException(file, "declares dimension " + i + " of size "
                        + Integer.toUnsignedString(shape[i]) + "; sizes must be positive");
            }
            size *= shape[i];
            if (size > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(file, "declares shape " + shapeText(shape, i + 1)
                        + ", more than the 2^31-1 elements one Java array holds");
            }
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new IdxFormatException(file, "is truncated: its header declares shape " + Arrays.toString(shape)
                    + " (" + size + " bytes of data) but only " + data.length + " bytes follow");
        }
        long extra = 0;
        while (in.read() >= 0) {
            extra++;
        }
        if (extra > 0) {
            throw new IdxFormatException(file, "has " + extra + " bytes after the " + size
                    + " bytes of data its header declares (shape " + Arrays.toString(shape) + ")");
        }
        return new IdxArray(shape, data);
    }

    private static String shapeText(int[] shape, int n) {
        return Arrays.toString(Arrays.copyOf(shape, n)).replace("]", n < shape.length ? ", ...]" : "]");
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "16-bit integer";
            case 0x0C -> "32-bit integer";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "unknown";
        };
    }
}
