package io.polygrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.config.PolygradConfig;
import io.polygrad.scratch.ScratchBackend;
import io.polygrad.train.Batch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    static LabelledImages train;

    @BeforeAll
    static void load() throws IOException {
        train = FashionMnist.load(FashionMnistTest.subset()).train();
    }

    static Engine engine(DType dtype, long seed) {
        return new Engine(new ScratchBackend(), new PolygradConfig("scratch", io.polygrad.Device.CPU, dtype, seed));
    }

    /** Returns the labels of each batch of one epoch, in order. */
    static List<double[]> epochLabels(DataLoader loader) {
        List<double[]> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b.y().toDoubleArray());
        }
        return out;
    }

    @Test
    void iterator_withoutShuffle_givesTheDataSetInOrderWithALastPartialBatch() {
        LabelledImages part = train.slice(0, 10);
        DataLoader loader = DataLoader.of(part, engine(DType.FLOAT32, 1)).batchSize(4).build();
        assertEquals(3, loader.batchCount());
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {4, 1, 28, 28}, batches.get(0).x().shape());
        assertArrayEquals(new int[] {2, 1, 28, 28}, batches.get(2).x().shape());
        assertArrayEquals(new int[] {2}, batches.get(2).y().shape());
        assertEquals(part.label(9), batches.get(2).y().toDoubleArray()[1]);
        float[] expected = new float[784];
        part.copyInput(5, expected, 0);
        float[] second = batches.get(1).x().toFloatArray();
        assertArrayEquals(expected, Arrays.copyOfRange(second, 784, 2 * 784));
    }

    @Test
    void dropLast_dropsTheSmallerBatch() {
        DataLoader loader = DataLoader.of(train.slice(0, 10), engine(DType.FLOAT32, 1)).batchSize(4).dropLast(true)
                .build();
        assertEquals(2, loader.batchCount());
        assertEquals(2, epochLabels(loader).size());
    }

    @Test
    void shuffle_visitsEverySampleOncePerEpochInANewOrder() {
        DataLoader loader = DataLoader.of(train, engine(DType.FLOAT32, 3)).batchSize(128).shuffle(true).build();
        int[] first = loader.order();
        int[] second = loader.order();
        assertFalse(Arrays.equals(first, second), "each epoch draws a new order");
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertNotEquals(0, first[0] + first[1] + first[2], "the order is not the identity");
    }

    @Test
    void shuffle_sameSeed_sameBatchesOnEveryEngineAndDtype() {
        List<double[]> a = epochLabels(DataLoader.of(train, engine(DType.FLOAT32, 42)).batchSize(100).shuffle(true)
                .build());
        List<double[]> b = epochLabels(DataLoader.of(train, engine(DType.FLOAT64, 42)).batchSize(100).shuffle(true)
                .build());
        assertEquals(20, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "batch " + i);
        }
    }

    @Test
    void float64Engine_getsFloat64InputsOfTheSameValues() {
        Engine e = engine(DType.FLOAT64, 1);
        Batch batch = DataLoader.of(train.slice(0, 2), e).batchSize(2).build().iterator().next();
        assertEquals(DType.FLOAT64, batch.x().dtype());
        assertEquals(DType.INT64, batch.y().dtype(), "labels are int64 class indices whatever the engine's dtype");
        float[] expected = new float[784];
        train.copyInput(1, expected, 0);
        double[] got = batch.x().toDoubleArray();
        for (int k = 0; k < 784; k++) {
            assertEquals(expected[k], got[784 + k]);
        }
    }

    @Test
    void normalized_appliesMeanAndStdToEveryInput() {
        LabelledImages norm = train.normalized(0.2860f, 0.3530f);
        Batch batch = DataLoader.of(norm.slice(0, 1), engine(DType.FLOAT32, 1)).build().iterator().next();
        float[] x = batch.x().toFloatArray();
        float min = Float.MAX_VALUE;
        for (float v : x) {
            min = Math.min(min, v);
        }
        assertEquals(-0.2860f / 0.3530f, min, 1e-6f);
    }

    @Test
    void builder_badArguments_areRejectedByName() {
        Engine e = engine(DType.FLOAT32, 1);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.of(train, e).batchSize(0));
        assertTrue(size.getMessage().contains("batchSize must be positive, got 0"), size.getMessage());
        IllegalArgumentException drop = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.of(train.slice(0, 3), e).batchSize(4).dropLast(true).build());
        assertTrue(drop.getMessage().contains("leaves no batch"), drop.getMessage());
        assertThrows(NullPointerException.class, () -> DataLoader.of(null, e));
        assertThrows(IllegalArgumentException.class, () -> train.normalized(0f, 0f));
    }
}
