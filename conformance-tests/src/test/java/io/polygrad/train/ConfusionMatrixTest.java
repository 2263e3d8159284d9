package io.polygrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.config.PolygradConfig;
import io.polygrad.scratch.ScratchBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    static final Engine E = new Engine(new ScratchBackend(), new PolygradConfig("scratch", Device.CPU, DType.FLOAT64, 1));

    @Test
    void add_countsArgmaxAgainstTrueClass() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(E.tensor(new double[][] {{0, 5, 1}, {2, 1, 0}, {0, 0, 9}, {1, 3, 2}}), E.tensor(new long[] {1, 0, 1, 2}));
        assertEquals(1, m.count(1, 1));
        assertEquals(1, m.count(0, 0));
        assertEquals(1, m.count(1, 2));
        assertEquals(1, m.count(2, 1));
        assertEquals(4, m.total());
        assertEquals(0.5, m.accuracy());
    }

    @Test
    void add_tiedLogits_predictTheFirstClassAsArgmax() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(E.tensor(new double[][] {{1, 4, 4}}), E.tensor(new long[] {1}));
        assertEquals(1, m.count(1, 1));
    }

    @Test
    void add_wrongShapesOrLabels_areRejectedWithTheShapes() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> m.add(E.zeros(4, 2), E.zeros(DType.INT64, 4)));
        assertTrue(shapes.getMessage().contains("expects logits [B, 3] and labels [B], got [4, 2] and [4]"),
                shapes.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> m.add(E.zeros(2, 3), E.tensor(new long[] {0, 3})));
        assertTrue(label.getMessage().contains("label 3 at position 1 is outside [0, 3)"), label.getMessage());
        IllegalArgumentException floats = assertThrows(IllegalArgumentException.class,
                () -> m.add(E.zeros(2, 3), E.tensor(new double[] {0, 1})));
        assertTrue(floats.getMessage().contains("labels must be int64 class indices, got float64 of shape [2]"),
                floats.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
    }

    @Test
    void accuracy_ofAnEmptyMatrix_isNaN() {
        assertTrue(Double.isNaN(new ConfusionMatrix(2).accuracy()));
    }

    @Test
    void toTable_listsTrueClassesAsRows() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(E.tensor(new double[][] {{0, 1}, {0, 1}}), E.tensor(new long[] {0, 1}));
        String table = m.toTable(List.of("cat", "dog"));
        assertTrue(table.contains("0 cat"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("1 dog") && l.trim().endsWith("1")), table);
    }
}
