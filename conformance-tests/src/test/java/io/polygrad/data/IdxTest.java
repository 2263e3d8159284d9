package io.polygrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    @TempDir
    Path dir;

    static byte[] idx(int type, int[] shape, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + body.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) shape.length);
        for (int s : shape) {
            b.putInt(s);
        }
        return b.put(body).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void read_rawImageFile_givesShapeAndUnsignedBytes() throws IOException {
        byte[] body = {0, 1, (byte) 200, (byte) 255, 7, 8};
        IdxArray a = Idx.read(write("x-idx3-ubyte", idx(0x08, new int[] {3, 1, 2}, body)));
        assertArrayEquals(new int[] {3, 1, 2}, a.shape());
        assertEquals(3, a.count());
        assertEquals(2, a.recordSize());
        assertEquals(200, a.unsigned(2));
        assertEquals(255, a.unsigned(3));
    }

    @Test
    void read_gzipFile_isRecognisedByContentNotName() throws IOException {
        byte[] body = {3, 1, 4, 1, 5};
        IdxArray a = Idx.read(write("labels-without-gz-suffix", gzip(idx(0x08, new int[] {5}, body))));
        assertArrayEquals(new int[] {5}, a.shape());
        assertEquals(5, a.unsigned(4));
    }

    @Test
    void read_wrongMagicNumber_namesFileAndBytes() throws IOException {
        Path f = write("not-idx", "hello world, not an IDX file".getBytes());
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic number starts 0x68 0x65"), e.getMessage());
        assertEquals(f, e.file());
    }

    @Test
    void read_floatElementType_isRejectedNamingTheType() throws IOException {
        Path f = write("floats", idx(0x0D, new int[] {1}, new byte[4]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("element type 0x0d (float32)"), e.getMessage());
    }

    @Test
    void read_truncatedBody_saysHowManyBytesWereDeclaredAndFound() throws IOException {
        byte[] full = idx(0x08, new int[] {2, 2, 2}, new byte[8]);
        Path f = write("short", Arrays.copyOf(full, full.length - 3));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("truncated: its header declares shape [2, 2, 2] (8 bytes of data) "
                + "but only 5 bytes follow"), e.getMessage());
    }

    @Test
    void read_truncatedGzip_isReportedAsCorruptOrTruncated() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {100}, new byte[100]));
        Path f = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("corrupt or truncated gzip"), e.getMessage());
    }

    @Test
    void read_bytesAfterTheData_areAnError() throws IOException {
        byte[] ok = idx(0x08, new int[] {2}, new byte[] {1, 2});
        Path f = write("long", Arrays.copyOf(ok, ok.length + 4));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("has 4 bytes after the 2 bytes of data"), e.getMessage());
    }

    @Test
    void read_zeroSizedDimension_isAnError() throws IOException {
        Path f = write("empty", idx(0x08, new int[] {0, 28, 28}, new byte[0]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("dimension 0 of size 0"), e.getMessage());
    }

    @Test
    void read_headerDeclaringMoreThanAJavaArray_failsBeforeReadingTheBody() throws IOException {
        Path f = write("huge", idx(0x08, new int[] {60000, 60000, 28}, new byte[0]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("more than the 2^31-1 elements"), e.getMessage());
    }

    @Test
    void read_missingFile_throwsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> Idx.read(dir.resolve("absent.gz")));
    }

    @Test
    void read_directory_saysItIsADirectory() {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }
}
