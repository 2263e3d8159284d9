package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceCommandTest {

    @Test
    @DisplayName("the op-level suite passes on every backend of the CLI (scratch, nd4j, djl) and the report names each")
    void conformance_opsOnAllBackends_passesAndReportsEachBackend(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("conformance.md");
        CliRunner.Result r = CliRunner.run("conformance", "--ops-only", "--report", report.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String markdown = Files.readString(report);
        for (String backend : new String[] {"scratch", "nd4j", "djl"}) {
            assertTrue(markdown.contains("| " + backend + " |"), () -> backend + " missing from\n" + markdown);
        }
        assertTrue(r.out().contains(markdown.strip().substring(0, 40)), "the report is printed too");
    }

    @Test
    @DisplayName("the report has the autograd and random-program rows of the suite's list, run without JUnit's help")
    void conformance_opsOnly_reportsAutogradAndRandomPrograms(@TempDir Path dir) throws IOException {
        Path report = dir.resolve("conformance.md");
        CliRunner.Result r = CliRunner.run("conformance", "--ops-only", "--backend", "scratch", "--report",
                report.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        String markdown = Files.readString(report);
        assertTrue(markdown.contains("## Autograd semantics"), markdown);
        assertTrue(markdown.contains("| scratch | `autograd/backward_calledTwice_accumulatesIntoGrad` | "), markdown);
        assertTrue(markdown.contains("## Random programs"), markdown);
        assertTrue(markdown.contains("| scratch | `differential/float32` | "), markdown);
        assertTrue(markdown.contains("| scratch | `differential/float64` | "), markdown);
    }

    @Test
    void conformance_unknownBackend_isAUsageError() {
        CliRunner.Result r = CliRunner.run("conformance", "--backend", "tensorflow");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown backend 'tensorflow'"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());
    }
}
