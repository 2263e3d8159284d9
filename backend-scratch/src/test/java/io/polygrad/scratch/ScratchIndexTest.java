package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.polygrad.spi.Shapes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The row walk of broadcasts, permutations and reductions visits the offsets the index arrays list. */
class ScratchIndexTest {

    private static int[] dims(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split("x");
        int[] d = new int[parts.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Integer.parseInt(parts[i]);
        }
        return d;
    }

    /** Returns, for each element of {@code shape}, operand {@code k}'s offset as the walk gives it. */
    private static int[] walked(int[] shape, int k, int[]... strides) {
        int n = Shapes.size(shape);
        int[] out = new int[n];
        ScratchIndex.Walk w = ScratchIndex.walk(shape, strides);
        for (int o = 0; o < n; o += w.length(), w.next()) {
            for (int j = 0; j < w.length(); j++) {
                out[o + j] = w.offset(k) + j * w.step(k);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} onto {1}")
    @CsvSource({"'',3x4", "1,3x4", "4,3x4", "3x1,3x4", "1x4,3x4", "3x4,3x4", "5,2x3x5", "3x1,2x3x5", "2x1x5,2x3x5",
        "1x3x1,2x3x5", "2x1x1x4,2x3x1x4", "1,1", "1x1,1x1", "7,1x7", "1x6x1,4x6x5"})
    @DisplayName("a broadcast walk gives each output element the source offset broadcastOffsets lists")
    void walk_broadcast_visitsTheOffsetsOfTheIndexArray(String from, String to) {
        int[] f = dims(from);
        int[] t = dims(to);
        int[] strides = Shapes.broadcastStrides(f, t);
        int[] contiguous = Shapes.strides(t);
        assertArrayEquals(ScratchIndex.broadcastOffsets(f, t), walked(t, 0, strides, contiguous));
        int[] identity = new int[Shapes.size(t)];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        assertArrayEquals(identity, walked(t, 1, strides, contiguous), "the output operand walks row-major");
    }

    @ParameterizedTest(name = "{0} permuted by {1}")
    @CsvSource({"3x4,1-0", "2x3x4,2-0-1", "2x3x4,0-2-1", "2x1x4,2-1-0", "5,0", "2x3x4x5,3-1-2-0"})
    @DisplayName("a walk with permuted strides visits the source in the permuted order")
    void walk_permutedStrides_visitsTheTransposedSource(String shape, String axesText) {
        int[] s = dims(shape);
        String[] parts = axesText.split("-");
        int[] axes = new int[parts.length];
        int[] out = new int[axes.length];
        int[] src = Shapes.strides(s);
        int[] strides = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = Integer.parseInt(parts[i]);
            out[i] = s[axes[i]];
            strides[i] = src[axes[i]];
        }
        assertArrayEquals(ScratchIndex.strided(out, strides), walked(out, 0, strides));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"3x4,0", "3x4,1", "2x3x5,0-2", "2x3x5,1", "2x3x5,0-1", "2x1x5,2", "4x6x5x2,1-3"})
    @DisplayName("a walk with zero steps along the reduced axes names the cell reductionTargets names")
    void walk_reductionStrides_namesTheTargetCells(String shape, String axesText) {
        int[] s = dims(shape);
        String[] parts = axesText.split("-");
        int[] axes = new int[parts.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = Integer.parseInt(parts[i]);
        }
        int[] cells = Shapes.strides(Shapes.reduced(s, axes, true));
        for (int a : axes) {
            cells[a] = 0;
        }
        int[] walkedInput = walked(s, 0, Shapes.strides(s), cells);
        for (int i = 0; i < walkedInput.length; i++) {
            assertEquals(i, walkedInput[i], "the input is walked in row-major order");
        }
        assertArrayEquals(ScratchIndex.reductionTargets(s, axes), walked(s, 1, Shapes.strides(s), cells));
    }
}
