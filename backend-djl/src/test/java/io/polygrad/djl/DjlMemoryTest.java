package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.conformance.AllocationFailureProbe;
import io.polygrad.conformance.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * An allocation that cannot succeed is a {@link io.polygrad.spi.BackendOutOfMemoryError} naming the
 * shape and bytes, never a crash. Runs in a child JVM under {@code ulimit -v}: on an overcommitting
 * machine libtorch might otherwise be granted 16 GiB and then fill it page by page.
 */
class DjlMemoryTest {

    @Test
    void sixteenGiBBeyondTheAddressSpace_isABackendOutOfMemoryError_andTheBackendStaysUsable() throws Exception {
        ChildJvm.Result r = AllocationFailureProbe.runInChildJvm("djl");
        String out = r.output();
        out.lines().filter(l -> l.startsWith("CAUGHT")).forEach(System.out::println);
        assertEquals(0, r.exitCode(), out);
        assertTrue(out.contains("CAUGHT io.polygrad.spi.BackendOutOfMemoryError: djl backend cannot allocate "
                + "17179869176 bytes (16.0 GiB) for a float64 array of shape [2147483647] in full: "), out);
        assertTrue(out.contains("AFTER 3.0"), out);
    }
}
