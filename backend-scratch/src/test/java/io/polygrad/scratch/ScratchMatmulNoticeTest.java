package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one-line notice that scratch logs when its SIMD float32 matmul is off for want of the module. */
class ScratchMatmulNoticeTest {

    private static final String MARK = "the SIMD float32 matmul is off";

    /**
     * Runs two float32 products, one float64 product and a float32 comparison long enough for SIMD on
     * scratch, then prints "done".
     */
    public static final class Products {
        public static void main(String[] args) {
            Backend b = new ScratchBackend();
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT32, DType.FLOAT64}) {
                BackendArray x = b.fromDoubles(new double[] {1, 2, 3, 4}, new int[] {2, 2}, dt);
                b.matmul(x, x);
            }
            BackendArray v = b.fromDoubles(new double[64], new int[] {64}, DType.FLOAT32);
            b.binary(BinaryOp.NOT_EQUAL, v, v);
            System.out.println("done");
        }
    }

    private static String run(String... jvmArgs) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.addAll(List.of("-cp", cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator),
                Products.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("done"), out);
        return out;
    }

    private static int count(String text, String mark) {
        int n = 0;
        for (int i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    @DisplayName("without jdk.incubator.vector the first float32 product logs one line saying how to turn SIMD on")
    void withoutVectorModule_logsTheNoticeOnce() throws Exception {
        String out = run();
        assertEquals(1, count(out, MARK), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), out);
        assertTrue(out.contains("-Dpolygrad.scratch.vector=false"), out);
    }

    @Test
    @DisplayName("-Dpolygrad.scratch.vector=false turns SIMD off deliberately, without the notice")
    void vectorTurnedOffDeliberately_logsNothing() throws Exception {
        assertFalse(run("-Dpolygrad.scratch.vector=false").contains(MARK));
    }

    @Test
    @DisplayName("with jdk.incubator.vector SIMD is on and nothing is logged")
    void withVectorModule_logsNothing() throws Exception {
        assertFalse(run("--add-modules", "jdk.incubator.vector").contains(MARK));
    }

    @Test
    void notice_namesTheSwitches() {
        assertTrue(ScratchMatmul.vectorNotice().contains("--add-modules jdk.incubator.vector"));
        assertTrue(ScratchMatmul.vectorNotice().contains("-D" + ScratchMatmul.VECTOR_PROPERTY + "=false"));
    }
}
