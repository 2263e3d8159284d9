package io.polygrad.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.problems.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void load_headerAndPoints_readsEveryPoint() throws Exception {
        XyData d = CsvData.load(write("d.csv", "x,y\n-2,10.4\n0,1\n2.5e0,-3.25\n"));
        assertArrayEquals(new double[] {-2, 0, 2.5}, d.x());
        assertArrayEquals(new double[] {10.4, 1, -3.25}, d.y());
    }

    @Test
    void load_noHeaderBlankLinesCommentsCrlfAndBom_areAccepted() throws Exception {
        XyData d = CsvData.load(write("d.csv", "\uFEFF# a comment\r\n1, 2\r\n\r\n 3 ,4 \r\n"));
        assertEquals(2, d.size());
        assertArrayEquals(new double[] {1, 3}, d.x());
    }

    @Test
    void load_bundledNoisyQuadratic_hasTwentyPoints() throws Exception {
        Path csv = dir.resolve("noisy-quadratic.csv");
        try (InputStream in = Problems.class.getResourceAsStream("noisy-quadratic.csv")) {
            Files.copy(in, csv);
        }
        assertEquals(20, CsvData.load(csv).size());
    }

    @Test
    void load_missingFile_saysNoSuchFile() {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvData.load(dir.resolve("nope.csv")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void load_directory_saysItIsADirectory() {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvData.load(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void load_emptyFile_saysEmpty() throws Exception {
        Path p = write("e.csv", "");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvData.load(p));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void load_headerOnly_saysNoDataLines() throws Exception {
        Path p = write("h.csv", "x,y\n\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvData.load(p));
        assertTrue(e.getMessage().contains("no data lines"), e.getMessage());
    }

    @Test
    void load_nonNumericValue_namesLineNumberAndText() throws Exception {
        Path p = write("bad.csv", "x,y\n1,2\n3,four\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvData.load(p));
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().contains("bad.csv:3"), e.getMessage());
        assertTrue(e.getMessage().contains("\"3,four\""), e.getMessage());
    }

    @Test
    void load_wrongFieldCount_namesLineNumberAndText() throws Exception {
        Path p = write("bad.csv", "1,2\n3,4,5\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvData.load(p));
        assertEquals(2, e.lineNumber());
        assertTrue(e.getMessage().contains("3 fields"), e.getMessage());
        assertTrue(e.getMessage().contains("\"3,4,5\""), e.getMessage());
    }

    @Test
    void parse_nanInfinityAndJavaSuffixes_areRejected() {
        for (String bad : List.of("NaN,1", "1,Infinity", "1d,2", "0x10,1", "1e999,2", ",2")) {
            CsvFormatException e = assertThrows(CsvFormatException.class,
                    () -> CsvData.parse(List.of("0,0", bad), "t.csv"), bad);
            assertEquals(2, e.lineNumber(), bad);
        }
    }
}
