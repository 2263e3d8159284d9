package io.polygrad.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.nn.Module;
import io.polygrad.scratch.ScratchModule;
import io.polygrad.train.Batch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference problems' names, data and seeded models, on the scratch backend. */
class ProblemsTest {

    private static Engine engine(DType dtype) {
        return engine(dtype, PolygradConfig.DEFAULT_SEED);
    }

    private static Engine engine(DType dtype, long seed) {
        return Polygrad.createEngine(new ScratchModule(),
                PolygradConfig.defaults().withBackend("scratch").withDType(dtype).withSeed(seed));
    }

    @Test
    void byName_knownNames_returnTheProblems() {
        assertEquals(List.of("line", "quadratic", "relu", "double-relu"), Problems.names());
        for (Problem p : Problems.all()) {
            assertSame(p, Problems.byName(p.name()));
            assertTrue(!p.settings().isEmpty() && !p.description().isEmpty(), p.name());
        }
    }

    @Test
    void byName_unknownName_listsTheKnownOnes() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Problems.byName("cubic"));
        assertEquals("Unknown problem 'cubic'; known problems: line, quadratic, relu, double-relu", ex.getMessage());
        IllegalArgumentException setting = assertThrows(IllegalArgumentException.class,
                () -> Problems.QUADRATIC.setting("adam"));
        assertEquals("Unknown setting 'adam' for problem 'quadratic'; known settings: zero-grad, literal",
                setting.getMessage());
    }

    @Test
    void quadraticData_isTheSharedCsvWithExactFloat32X() {
        double[][] p = Problems.noisyQuadraticPoints();
        assertEquals(20, p[0].length);
        for (double x : p[0]) {
            assertEquals(x, (double) (float) x, 0, "x is a float32 value written exactly");
        }
        // spot values and the sum of y, read from shared/data/noisy-quadratic.csv
        assertEquals(-2.0, p[0][0]);
        assertEquals(-1.7894736528396606, p[0][1]);
        assertEquals(2.0, p[0][19]);
        assertEquals(10.403388491025941, p[1][0]);
        assertEquals(0.85645639218207137, p[1][10]);
        assertEquals(13.497056179529569, p[1][19]);
        double sum = 0;
        for (double y : p[1]) {
            sum += y;
        }
        assertEquals(98.14992963637907, sum, 1e-12);
        Batch d = Problems.QUADRATIC.data(engine(DType.FLOAT32));
        assertArrayEquals(new int[] {20, 1}, d.x().shape());
        assertArrayEquals(p[0], d.x().toDoubleArray(), 0);
        assertEquals(DType.FLOAT32, d.y().dtype());
        assertArrayEquals(p[1], Problems.QUADRATIC.data(engine(DType.FLOAT64)).y().toDoubleArray(), 0);
    }

    @Test
    void lineData_isSeededAndFollowsTwoXMinusThree() {
        Engine e = engine(DType.FLOAT64);
        Batch a = Problems.LINE.data(e);
        e.randn(5);     // drawing in between does not change the next call's data
        Batch b = Problems.LINE.data(e);
        assertArrayEquals(a.x().toDoubleArray(), b.x().toDoubleArray(), 0);
        assertArrayEquals(a.y().toDoubleArray(), b.y().toDoubleArray(), 0);
        double[] x = a.x().toDoubleArray();
        double[] y = a.y().toDoubleArray();
        assertEquals(Problems.LINE_POINTS, x.length);
        double sq = 0;
        for (int i = 0; i < x.length; i++) {
            assertTrue(x[i] >= -1 && x[i] < 1);
            sq += Math.pow(y[i] - (2 * x[i] - 3), 2);
        }
        // the noise has standard deviation 0.1
        assertEquals(0.1, Math.sqrt(sq / x.length), 0.03);
    }

    @Test
    void models_sameSeed_haveBitIdenticalInitialWeightsOnEveryCall() {
        for (Problem p : Problems.all()) {
            Engine e = engine(DType.FLOAT32);
            Map<String, Tensor> first = p.model(e).namedParameters();
            e.rand(3);
            Map<String, Tensor> second = p.model(e).namedParameters();
            Map<String, Tensor> other = p.model(engine(DType.FLOAT32)).namedParameters();
            assertEquals(first.keySet(), second.keySet());
            for (String name : first.keySet()) {
                assertArrayEquals(first.get(name).toFloatArray(), second.get(name).toFloatArray(), p + " " + name);
                assertArrayEquals(first.get(name).toFloatArray(), other.get(name).toFloatArray(), p + " " + name);
            }
        }
        Engine seven = engine(DType.FLOAT32, 7);
        assertNotEquals(Problems.RELU.model(engine(DType.FLOAT32)).namedParameters().get("0.weight")
                .toDoubleArray()[0], Problems.RELU.model(seven).namedParameters().get("0.weight").toDoubleArray()[0]);
    }

    @Test
    void models_haveTheDocumentedParameters() {
        Engine e = engine(DType.FLOAT64);
        assertEquals(List.of("w", "b"), List.copyOf(Problems.LINE.model(e).namedParameters().keySet()));
        Module q = Problems.QUADRATIC.model(e);
        assertEquals(List.of("a", "b", "c"), List.copyOf(q.namedParameters().keySet()));
        for (Tensor t : q.parameters()) {
            assertEquals(1.1, t.item(), 0);
        }
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                List.copyOf(Problems.RELU.model(e).namedParameters().keySet()));
        assertEquals(3 * Problems.RELU_HIDDEN + 1, Problems.RELU.model(e).parameterCount());
        assertEquals(List.of("m1", "b1", "m2", "b2"),
                List.copyOf(Problems.DOUBLE_RELU.model(e).namedParameters().keySet()));
    }
}
