package io.polygrad.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {

    @TempDir
    Path dir;

    @Test
    void checked_missingDirectory_failsBeforeWriting() {
        IOException e = assertThrows(IOException.class, () -> OutputFile.checked(dir.resolve("no/such/out.png")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void checked_parentIsAFile_fails() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> OutputFile.checked(file.resolve("out.png")));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void checked_targetIsADirectory_fails() {
        IOException e = assertThrows(IOException.class, () -> OutputFile.checked(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void checked_writableDirectory_leavesNoProbeFile() throws IOException {
        OutputFile.checked(dir.resolve("out.png"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void write_replacesTargetAtomically() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old");
        OutputFile.checked(target).write(out -> out.write("new".getBytes()));
        assertEquals("new", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void write_failingContent_leavesTargetUntouchedAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old");
        OutputFile file = OutputFile.checked(target);
        assertThrows(IOException.class, () -> file.write(out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void write_newFile_isReadableByOthersLikeAnyFileTheUserCreates() throws IOException {
        Path target = dir.resolve("plot.png");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        OutputFile.checked(target).write(out -> out.write(1));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
        }
    }
}
