package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.conformance.ChildJvm;
import io.polygrad.conformance.ConcurrentCloseProbe;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Releasing a tensor while another thread multiplies it on libtorch: the other thread gets the
 * "released" error, the JVM never crashes. Runs {@link io.polygrad.conformance.ConcurrentCloseProbe} in child JVMs, so
 * that a native crash fails the test instead of killing the test runner.
 *
 * <p>The default is 2 child JVMs of 3 tries (seconds); {@code -Dpolygrad.soak.jvms=N} and
 * {@code -Dpolygrad.soak.tries=M} soak longer.
 */
class DjlConcurrentCloseTest {

    @Test
    void closingATensorWhileAnotherThreadMultipliesIt_givesTheReleasedError_neverACrash() throws Exception {
        int jvms = Integer.getInteger("polygrad.soak.jvms", 2);
        int tries = Integer.getInteger("polygrad.soak.tries", 3);
        int crashes = 0;
        int released = 0;
        StringBuilder report = new StringBuilder();
        for (int j = 0; j < jvms; j++) {
            ChildJvm.Result r = ChildJvm.exec(ConcurrentCloseProbe.class, s -> false, null, "-Xmx512m",
                    "-Dbackend=djl", "-Dtries=" + tries);
            int exit = r.exitCode();
            String printed = r.output();
            for (String line : Arrays.stream(printed.split("\n"))
                    .filter(l -> l.startsWith("RELEASED ") || l.startsWith("FAILED ")).toList()) {
                if (line.startsWith("RELEASED ") && line.contains("has been released")) {
                    released++;
                } else {
                    report.append("child ").append(j).append(": ").append(line).append('\n');
                }
            }
            if (exit != 0) {
                crashes++;
                report.append("child ").append(j).append(" exited ").append(exit).append(":\n")
                        .append(printed, 0, Math.min(printed.length(), 4000)).append('\n');
            }
        }
        System.out.println("djl concurrent close: " + jvms + " child JVMs, " + crashes + " crashed, " + released
                + " of " + jvms * tries + " tries got the released error");
        assertEquals(jvms * tries, released, report.toString());
        assertEquals(0, crashes, report.toString());
    }
}
