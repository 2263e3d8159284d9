package io.polygrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polygrad.DType;
import io.polygrad.scratch.ScratchModule;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The PyTorch fixture checks catch planted faults, and every fixture case becomes a check. */
class PyTorchOptimChecksTest {

    private static final BackendUnderTest SCRATCH = BackendUnderTest.of("scratch", new ScratchModule());

    private static JsonNode optimCase(JsonNode fixture, String id) {
        return StreamSupport.stream(fixture.get("cases").spliterator(), false)
                .filter(c -> c.get("id").asText().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void everyFixtureCase_isACheck() {
        JsonNode optim = PyTorchOptimChecks.fixture("optim-trajectories.json");
        JsonNode lr = PyTorchOptimChecks.fixture("lr-schedules.json");
        assertEquals(2 * optim.get("cases").size() + 1 + lr.get("cases").size() + 5,
                PyTorchOptimChecks.checks().size());
        assertTrue(optim.get("cases").size() >= 31);
    }

    @Test
    void aSlightlyWrongHyperParameter_fails_inBothDtypes() {
        JsonNode optim = PyTorchOptimChecks.fixture("optim-trajectories.json");
        ObjectNode c = optimCase(optim, "adam-amsgrad").deepCopy();
        ((ObjectNode) c.get("options")).put("lr", 0.05 * (1 + 1e-3));
        for (DType dtype : DType.floatingPoint()) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> PyTorchOptimChecks.trajectory(SCRATCH, optim, c, dtype));
            assertTrue(e.getMessage().contains("departs from PyTorch's trajectory"), e.getMessage());
        }
        ObjectNode sgd = optimCase(optim, "sgd-dampening").deepCopy();
        ((ObjectNode) sgd.get("options")).put("dampening", 0.49);
        assertThrows(AssertionError.class, () -> PyTorchOptimChecks.trajectory(SCRATCH, optim, sgd, DType.FLOAT32));
    }

    @Test
    void theRightSettings_pass() {
        JsonNode optim = PyTorchOptimChecks.fixture("optim-trajectories.json");
        Comparison c = PyTorchOptimChecks.trajectory(SCRATCH, optim, optimCase(optim, "adam-amsgrad"), DType.FLOAT64);
        assertTrue(c.maxAbs() < 1e-13, c.describe());
    }

    @Test
    void anOffByOneSchedule_fails() {
        JsonNode lr = PyTorchOptimChecks.fixture("lr-schedules.json");
        ObjectNode c = StreamSupport.stream(lr.get("cases").spliterator(), false)
                .filter(n -> n.get("id").asText().equals("step")).findFirst().orElseThrow().deepCopy();
        ((ObjectNode) c.get("scheduler")).put("step_size", 4);
        assertThrows(AssertionError.class, () -> PyTorchOptimChecks.schedule(SCRATCH, lr, c));
    }
}
