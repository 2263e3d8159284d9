package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data that float32 cannot hold is bad input: a usage error (exit 2) naming the point and the value,
 * before training and before the plotting library sees an infinity, writing no file.
 */
class BadInputCliTest {

    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        return Files.writeString(dir.resolve("data.csv"), content);
    }

    private List<Path> written() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.toString().endsWith(".csv")).toList();
        }
    }

    private void assertUsageError(CliRunner.Result r, String command, String... expected) throws IOException {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "stderr should contain '" + e + "' but was:\n" + r.err());
        }
        assertTrue(r.err().contains("Usage: polygrad " + command), r.err());
        assertEquals(List.of(), written(), "no file may be written on bad input");
    }

    @Test
    @DisplayName("fit: a CSV value beyond float32 (1e39) with --dtype f32 is a usage error, not a plotting failure")
    void fit_csvValueOverflowingFloat32_isAUsageError() throws IOException {
        Path data = csv("x,y\n1,2\n2,1e39\n3,4\n");
        CliRunner.Result r = CliRunner.run("fit", "quadratic", "--data", data.toString(), "--dtype", "f32",
                "--plot", dir.resolve("fit.png").toString());
        assertUsageError(r, "fit", "Invalid value for option '--data': " + data + ": point 2 has y = 1.0E39, which"
                + " overflows float32 (largest 3.4028235E38); use --dtype f64 or rescale the data");
        assertEquals("", r.out());
    }

    @Test
    @DisplayName("fit: an x beyond float32 (-4e38) is named as x")
    void fit_csvXOverflowingFloat32_namesTheColumn() throws IOException {
        Path data = csv("1,2\n-4e38,1\n");
        assertUsageError(CliRunner.run("fit", "line", "--data", data.toString(), "--plot",
                dir.resolve("fit.png").toString()), "fit", "point 2 has x = -4.0E38", "overflows float32");
    }

    @Test
    @DisplayName("fit: the same 1e39 value is fine in float64")
    void fit_csvValueBeyondFloat32_isAcceptedInFloat64() throws IOException {
        Path data = csv("x,y\n1,2\n2,1e39\n3,4\n");
        CliRunner.Result r = CliRunner.run("fit", "line", "--data", data.toString(), "--dtype", "f64", "--steps", "3",
                "--no-plot", "--json");
        assertTrue(r.exitCode() == 0 || r.exitCode() == 1, r.out() + r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    @Test
    @DisplayName("compare: a CSV value beyond float32 is a usage error before any backend runs")
    void compare_csvValueOverflowingFloat32_isAUsageError() throws IOException {
        Path data = csv("x,y\n1,2\n2,1e39\n");
        assertUsageError(CliRunner.run("compare", "line", "--data", data.toString(), "--backends", "scratch",
                "--plot", dir.resolve("cmp.png").toString()), "compare", "point 2 has y = 1.0E39", "overflows float32");
    }

    @Test
    @DisplayName("fit: data inside float32 whose loss overflows at step 1 is a usage error naming the dtype, no plot")
    void fit_lossInfiniteBeforeAnyUpdate_isAUsageError() throws IOException {
        Path data = csv("x,y\n1,3e38\n2,-3e38\n");
        CliRunner.Result r = CliRunner.run("fit", "line", "--data", data.toString(), "--plot",
                dir.resolve("fit.png").toString());
        assertUsageError(r, "fit", "The loss is Infinity at step 1, before any update: the data overflow float32 in the"
                + " mse loss; use --dtype f64 or rescale the data");
    }

    @Test
    @DisplayName("fit: a bad polygrad.dtype is a usage error naming the key and where it was set")
    void fit_badConfiguredDType_isAUsageErrorNamingTheSource() throws IOException {
        String previous = System.getProperty("polygrad.dtype");
        System.setProperty("polygrad.dtype", "float16");
        try {
            assertUsageError(CliRunner.run("fit", "line", "--plot", dir.resolve("fit.png").toString()), "fit",
                    "Invalid polygrad configuration: Invalid polygrad.dtype 'float16' in system property"
                            + " polygrad.dtype: Unknown dtype 'float16'");
        } finally {
            if (previous == null) {
                System.clearProperty("polygrad.dtype");
            } else {
                System.setProperty("polygrad.dtype", previous);
            }
        }
    }
}
