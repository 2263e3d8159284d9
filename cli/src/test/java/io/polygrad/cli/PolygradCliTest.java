package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolygradCliTest {

    @Test
    void noSubcommand_isAUsageErrorListingTheSubcommands() {
        CliRunner.Result r = CliRunner.run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Missing subcommand"), r.err());
        assertTrue(r.err().contains("fit"), r.err());
    }

    @Test
    void unknownSubcommand_isAUsageError() {
        CliRunner.Result r = CliRunner.run("train");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("train"), r.err());
    }

    @Test
    void help_exitsZeroAndListsSubcommands() {
        CliRunner.Result r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        for (String sub : new String[] {"fit", "compare", "conformance", "backends"}) {
            assertTrue(r.out().contains(sub), r.out());
        }
    }

    @Test
    void subcommandHelp_exitsZeroAndShowsTheOptions() {
        CliRunner.Result r = CliRunner.run("fit", "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("--optimizer"), r.out());
        assertTrue(r.out().contains("Usage: polygrad fit"), r.out());
    }
}
