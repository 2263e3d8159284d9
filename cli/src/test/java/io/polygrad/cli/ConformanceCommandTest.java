package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ConformanceCommandTest {

    @Test
    void conformance_suiteAbsent_saysSoAndFails() {
        Assumptions.assumeFalse(ConformanceCommand.suiteOnClasspath(), "the suite is on this classpath");
        CliRunner.Result r = CliRunner.run("conformance");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("the conformance suite is not available in this build"), r.err());
    }

    @Test
    void conformance_unknownBackend_isAUsageError() {
        CliRunner.Result r = CliRunner.run("conformance", "--backend", "tensorflow");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown backend 'tensorflow'"), r.err());
        assertTrue(r.err().contains("Usage:"), r.err());
    }
}
