package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.polygrad.spi.Im2col;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ScratchIm2col}'s unfold, transposed unfold and fold give {@link Im2col}'s values to the bit
 * (the reference the composite path runs), over strides, paddings, dilations and odd sizes, including
 * windows that reach past the padded edge and whole rows of padding.
 */
class ScratchIm2colTest {

    /** {@code {c, h, w, kh, kw, dh, dw, ph, pw, sh, sw}}. */
    static Stream<int[]> geometries() {
        List<int[]> g = new ArrayList<>();
        g.add(new int[] {1, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1});
        g.add(new int[] {3, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1});
        g.add(new int[] {2, 9, 8, 3, 2, 1, 1, 0, 0, 2, 3});
        g.add(new int[] {2, 6, 7, 3, 3, 2, 2, 2, 1, 1, 2});
        g.add(new int[] {1, 5, 5, 1, 1, 1, 1, 3, 3, 2, 2});
        g.add(new int[] {4, 1, 9, 1, 4, 1, 3, 0, 4, 1, 1});
        g.add(new int[] {2, 4, 4, 4, 4, 1, 1, 3, 3, 3, 3});
        g.add(new int[] {1, 3, 11, 2, 5, 2, 1, 1, 0, 1, 4});
        return g.stream();
    }

    private static Im2col.Geometry geometry(int[] s) {
        return Im2col.geometry(new int[] {1, s[0], s[1], s[2]}, new int[] {s[3], s[4]}, new int[] {s[5], s[6]},
                new int[] {s[7], s[8]}, new int[] {s[9], s[10]});
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void unfold_anyGeometry_matchesIm2colInBothDTypesAndLeavesOtherColumnsAlone(int[] s) {
        Im2col.Geometry g = geometry(s);
        Random r = new Random(s[0] * 31 + s[1]);
        float[] x = new float[3 + g.imageSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        int rows = g.rows();
        int l = g.blocks();
        float[] expected = new float[rows * l];
        Im2col.unfold(g, x, 3, expected, 0);
        // the image as the second of three side by side: row stride 3·L, column offset L
        float[] wide = new float[rows * 3 * l];
        java.util.Arrays.fill(wide, 7f);
        ScratchIm2col.unfold(g, x, 3, wide, l, 3 * l);
        float[] got = new float[rows * l];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(wide, row * 3 * l + l, got, row * l, l);
            for (int j = 0; j < l; j++) {
                assertArrayEquals(new float[] {7f, 7f}, new float[] {wide[row * 3 * l + j], wide[row * 3 * l + 2 * l + j]});
            }
        }
        assertArrayEquals(expected, got);
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
        }
        double[] expectedD = new double[rows * l];
        Im2col.unfold(g, xd, 3, expectedD, 0);
        double[] gotD = new double[rows * l];
        java.util.Arrays.fill(gotD, 7.0);
        ScratchIm2col.unfold(g, xd, 3, gotD, 0, l);
        assertArrayEquals(expectedD, gotD);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void unfoldTransposed_anyGeometry_matchesIm2colOverStaleBuffers(int[] s) {
        Im2col.Geometry g = geometry(s);
        Random r = new Random(s[2] * 17 + s[3]);
        float[] x = new float[g.imageSize()];
        double[] xd = new double[g.imageSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
            xd[i] = x[i];
        }
        int n = g.rows() * g.blocks();
        float[] expected = new float[n];
        Im2col.unfoldTransposed(g, x, 0, expected, 0);
        float[] got = new float[n];
        java.util.Arrays.fill(got, Float.NaN);
        ScratchIm2col.unfoldTransposed(g, x, 0, got, 0);
        assertArrayEquals(expected, got);
        double[] expectedD = new double[n];
        Im2col.unfoldTransposed(g, xd, 0, expectedD, 0);
        double[] gotD = new double[n];
        java.util.Arrays.fill(gotD, Double.NaN);
        ScratchIm2col.unfoldTransposed(g, xd, 0, gotD, 0);
        assertArrayEquals(expectedD, gotD);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void fold_anyGeometry_addsIm2colsSumsToTheBit(int[] s) {
        Im2col.Geometry g = geometry(s);
        Random r = new Random(s[4] * 13 + s[9]);
        int n = g.rows() * g.blocks();
        float[] cols = new float[n];
        double[] colsD = new double[n];
        for (int i = 0; i < n; i++) {
            cols[i] = (float) r.nextGaussian();
            colsD[i] = r.nextGaussian();
        }
        float[] expected = new float[2 + g.imageSize()];
        float[] got = new float[2 + g.imageSize()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i * 0.25f;
            got[i] = i * 0.25f;
        }
        Im2col.fold(g, cols, 0, expected, 2);
        ScratchIm2col.fold(g, cols, 0, got, 2);
        assertArrayEquals(expected, got);
        double[] expectedD = new double[g.imageSize()];
        double[] gotD = new double[g.imageSize()];
        Im2col.fold(g, colsD, 0, expectedD, 0);
        ScratchIm2col.fold(g, colsD, 0, gotD, 0);
        assertArrayEquals(expectedD, gotD);
    }
}
