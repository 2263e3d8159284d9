package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.polygrad.conformance.ChildJvm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Checks, each in a fresh JVM, that starting the backend prints nothing with an INFO-level SLF4J
 * binding (slf4j-simple is on the test classpath), and that a missing native jar is named.
 */
class Nd4jStartupTest {

    @org.junit.jupiter.api.BeforeEach
    void cpuBuildOnly() {
        assumeFalse(Fixtures.CUDA, "the child JVMs assume the default nd4j-native build");
    }

    @Test
    @DisplayName("starting ND4J through the backend prints nothing at default log levels")
    void startup_isSilent_withAnInfoLevelBinding() throws Exception {
        String printed = ChildJvm.run(StartupProbeMain.class, s -> false);
        assertEquals("", printed, "start-up printed:\n" + printed);
    }

    @Test
    @DisplayName("with -Dpolygrad.nd4j.quiet=false ND4J's INFO lines come back (so the silence above is real)")
    void startup_quietSwitchedOff_showsNd4jInfo() throws Exception {
        String printed = ChildJvm.run(StartupProbeMain.class, s -> false, "-Dpolygrad.nd4j.quiet=false");
        assertTrue(printed.contains("CpuBackend"), "expected ND4J's start-up lines, got:\n" + printed);
    }

    @Test
    @DisplayName("without the OpenBLAS classifier jar, availability names org.bytedeco:openblas")
    void availability_missingOpenBlasNatives_namesTheJar() throws Exception {
        String printed = ChildJvm.run(StartupProbeMain.class,
                s -> s.contains("openblas") && s.endsWith("-linux-x86_64.jar"));
        assertTrue(printed.contains("UNAVAILABLE") && printed.contains("org.bytedeco:openblas:0.3.19-1.5.7:linux-x86_64"),
                printed);
    }

    @Test
    @DisplayName("without the nd4j-native classifier jar, availability names org.nd4j:nd4j-native with its classifier")
    void availability_missingNd4jNatives_namesTheJar() throws Exception {
        String printed = ChildJvm.run(StartupProbeMain.class,
                s -> s.contains("nd4j-native-1.0.0-M2.1-linux-x86_64"));
        assertTrue(printed.contains("UNAVAILABLE") && printed.contains("org.nd4j:nd4j-native:1.0.0-M2.1:linux-x86_64"),
                printed);
    }
}
