package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("compare runs the reference and every backend, reports differences and plots them together")
    void compare_quadratic_reportsEveryRunAgainstTheReference() throws Exception {
        Path plot = dir.resolve("cmp.png");
        CliRunner.Result r = CliRunner.run("compare", "quadratic", "--steps", "50", "--json", "--plot",
                plot.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode runs = json.get("runs");
        assertTrue(runs.size() >= 2, "reference and scratch float32 at least");
        assertEquals("scratch", runs.get(0).get("backend").asText());
        assertEquals("float64", runs.get(0).get("dtype").asText());
        assertTrue(runs.get(0).get("isReference").asBoolean());
        JsonNode f32 = null;
        for (JsonNode run : runs) {
            if (run.get("backend").asText().equals("scratch") && run.get("dtype").asText().equals("float32")) {
                f32 = run;
            }
        }
        assertTrue(f32 != null, r.out());
        assertEquals("completed", f32.get("status").asText());
        double dParam = f32.get("maxAbsDiffVsReference").get("parameters").asDouble();
        assertTrue(dParam < 1e-4, "float32 stays within 1e-4 of float64 over 50 steps, was " + dParam);
        assertTrue(Files.size(plot) > 0);
    }

    @Test
    void compare_text_showsSideBySideTables() {
        CliRunner.Result r = CliRunner.run("compare", "double-relu", "--steps", "10", "--no-plot");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("First-step gradients"), r.out());
        assertTrue(r.out().contains("Final parameters"), r.out());
        assertTrue(r.out().contains("scratch float64"), r.out());
        assertTrue(r.out().contains("reference"), r.out());
    }

    @Test
    void compare_unknownProblem_isAUsageError() {
        CliRunner.Result r = CliRunner.run("compare", "cubic", "--no-plot");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown problem 'cubic'"), r.err());
        assertTrue(r.err().contains("Usage: polygrad compare"), r.err());
    }

    @Test
    void compare_unknownBackendInList_isAUsageError() {
        CliRunner.Result r = CliRunner.run("compare", "line", "--backends", "scratch,mxnet", "--no-plot");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown backend 'mxnet'"), r.err());
    }

    @Test
    void compare_badLearningRate_isAUsageError() {
        CliRunner.Result r = CliRunner.run("compare", "line", "--lr", "-1", "--no-plot");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--lr"), r.err());
    }
}
