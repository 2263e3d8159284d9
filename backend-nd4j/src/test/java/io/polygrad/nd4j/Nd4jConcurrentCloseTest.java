package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.conformance.ChildJvm;
import io.polygrad.conformance.ConcurrentCloseProbe;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Releasing a tensor while another thread multiplies it: the other thread gets the "released"
 * error, the JVM never crashes. Runs {@link ConcurrentCloseProbe} in child JVMs, so that a native
 * crash fails the test instead of killing the test runner.
 *
 * <p>The default is 2 child JVMs of 3 tries (a few seconds); {@code -Dpolygrad.soak.jvms=N} and
 * {@code -Dpolygrad.soak.tries=M} soak longer (before the fix 2 of 5 tries crashed).
 */
class Nd4jConcurrentCloseTest {

    @Test
    void closingATensorWhileAnotherThreadMultipliesIt_givesTheReleasedError_neverACrash() throws Exception {
        Assumptions.assumeFalse(Fixtures.CUDA, "the child JVM runs the CPU backend");
        int jvms = Integer.getInteger("polygrad.soak.jvms", 2);
        String tries = Integer.toString(Integer.getInteger("polygrad.soak.tries", 3));
        int crashes = 0;
        int wrong = 0;
        int released = 0;
        int deferred = 0;
        StringBuilder report = new StringBuilder();
        for (int j = 0; j < jvms; j++) {
            ChildJvm.Result r = ChildJvm.exec(ConcurrentCloseProbe.class, s -> false, null, "-Xmx512m", "-Dbackend=nd4j",
                    "-Dtries=" + tries);
            List<String> lines = Arrays.stream(r.output().split("\n"))
                    .filter(l -> l.startsWith("RELEASED ") || l.startsWith("FAILED ")).toList();
            for (String line : lines) {
                if (line.startsWith("RELEASED ") && line.contains("has been released")) {
                    released++;
                    deferred += line.contains("at close: true") ? 1 : 0;
                } else {
                    wrong++;
                    report.append("child ").append(j).append(": ").append(line).append('\n');
                }
            }
            if (r.exitCode() != 0) {
                crashes++;
                report.append("child ").append(j).append(" exited ").append(r.exitCode()).append(" after ")
                        .append(lines.size()).append(" tries:\n").append(head(r.output())).append('\n');
            }
        }
        System.out.println("concurrent close: " + jvms + " child JVMs, " + crashes + " crashed, " + released
                + " tries got the released error (" + deferred + " of them closed under a running matmul), "
                + wrong + " another error");
        assertEquals(0, crashes + wrong, crashes + " of " + jvms + " child JVMs crashed, " + wrong
                + " tries failed with another error than the released one:\n" + report);
        assertEquals(jvms * Integer.parseInt(tries), released);
    }

    private static String head(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }
}
