package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BackendsCommandTest {

    @Test
    void backends_onThisClasspath_listsScratchAsReady() {
        CliRunner.Result r = CliRunner.run("backends");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("scratch"), r.out());
        assertTrue(r.out().contains("ready"), r.out());
        assertTrue(r.out().contains("Configured backend:"), r.out());
    }

    @Test
    void backends_json_isParseableAndNamesKnownAbsentBackends() throws Exception {
        CliRunner.Result r = CliRunner.run("backends", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        boolean scratchReady = false;
        for (JsonNode b : root.get("backends")) {
            if (b.get("name").asText().equals("scratch")) {
                scratchReady = b.get("available").asBoolean();
            }
        }
        assertTrue(scratchReady, r.out());
        assertEquals(3, root.get("backends").size(), "scratch, nd4j and djl, present or not");
    }
}
