package io.polygrad.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The edge cases that {@link AbstractBackend} answers before any kernel runs. */
class AbstractBackendTest {

    /** An array that only knows its shape, dtype and (for fills) its value. */
    private record Fake(int[] shape, DType dtype, double value, Backend backend) implements BackendArray {
        @Override public boolean isClosed() { return false; }
        @Override public void close() { }
    }

    /** A backend whose kernels record their name and the result shape they were given. */
    private static class Recording extends AbstractBackend {
        final List<String> calls = new ArrayList<>();

        private BackendArray kernel(String name, int[] shape, DType dtype) {
            calls.add(name + Shapes.toString(shape));
            return new Fake(shape, dtype, Double.NaN, this);
        }

        @Override public String name() { return "recording"; }
        @Override public Device device() { return Device.CPU; }
        @Override protected BackendArray fullKernel(int[] shape, double value, DType dtype) {
            return new Fake(shape.clone(), dtype, value, this);
        }
        @Override protected BackendArray fromDoublesKernel(double[] d, int[] s, DType t) { return kernel("fromDoubles", s, t); }
        @Override protected BackendArray fromFloatsKernel(float[] d, int[] s) { return kernel("fromFloats", s, DType.FLOAT32); }
        @Override protected double[] toDoubleArrayKernel(BackendArray a) { calls.add("toDoubleArray"); return new double[1]; }
        @Override protected float[] toFloatArrayKernel(BackendArray a) { calls.add("toFloatArray"); return new float[1]; }
        @Override protected BackendArray fromLongsKernel(long[] d, int[] s) { return kernel("fromLongs", s, DType.INT64); }
        @Override protected long[] toLongArrayKernel(BackendArray a) { calls.add("toLongArray"); return new long[1]; }
        @Override protected BackendArray castKernel(BackendArray a, DType t) { return kernel("cast", a.shape(), t); }
        @Override protected BackendArray unaryKernel(UnaryOp op, BackendArray a) { return kernel("unary", a.shape(), a.dtype()); }
        @Override protected BackendArray binaryKernel(BinaryOp op, BackendArray a, BackendArray b, int[] s) {
            return kernel("binary", s, a.dtype());
        }
        @Override protected BackendArray whereKernel(BackendArray c, BackendArray a, BackendArray b, int[] s) {
            return kernel("where", s, a.dtype());
        }
        @Override protected BackendArray reduceKernel(ReduceOp op, BackendArray a, int[] axes, boolean k, int[] s) {
            return kernel("reduce", s, a.dtype());
        }
        @Override protected BackendArray matmulKernel(BackendArray a, boolean ta, BackendArray b, boolean tb, int[] s) {
            return kernel("matmul", s, a.dtype());
        }
        @Override protected BackendArray reshapeKernel(BackendArray a, int[] s) { return kernel("reshape", s, a.dtype()); }
        @Override protected BackendArray permuteKernel(BackendArray a, int[] axes, int[] s) {
            return kernel("permute", s, a.dtype());
        }
        @Override protected BackendArray broadcastToKernel(BackendArray a, int[] s) { return kernel("broadcastTo", s, a.dtype()); }
        @Override protected BackendArray unfoldKernel(BackendArray a, int[] k, int[] d, int[] p, int[] st, int[] s) {
            return kernel("unfold", s, a.dtype());
        }
        @Override protected BackendArray foldKernel(BackendArray a, int[] k, int[] d, int[] p, int[] st, int[] s) {
            return kernel("fold", s, a.dtype());
        }
        @Override protected BackendArray sliceKernel(BackendArray a, int axis, int start, int end, int[] s) {
            return kernel("slice", s, a.dtype());
        }
        @Override protected BackendArray concatKernel(BackendArray[] parts, int axis, int[] s) {
            return kernel("concat" + parts.length, s, parts[0].dtype());
        }
        @Override protected BackendArray cumsumKernel(BackendArray a, int axis, boolean reverse) {
            return kernel("cumsum", a.shape(), a.dtype());
        }
    }

    private final Recording b = new Recording();

    private BackendArray array(int... shape) {
        return new Fake(shape, DType.FLOAT64, 1, b);
    }

    private static void assertFill(BackendArray a, double value, int... shape) {
        assertArrayEquals(shape, a.shape());
        assertEquals(value, ((Fake) a).value());
    }

    @Test
    @DisplayName("a size-0 result is a fill: no kernel ever sees one")
    void sizeZeroResults_neverReachAKernel() {
        BackendArray e = array(0, 3);
        assertFill(b.unary(UnaryOp.EXP, e), 0, 0, 3);
        assertFill(b.binary(BinaryOp.ADD, e, array(3)), 0, 0, 3);
        assertFill(b.where(array(1), e, array(1, 3)), 0, 0, 3);
        assertFill(b.reduce(ReduceOp.SUM, e, new int[] {1}, true), 0, 0, 1);
        assertFill(b.matmul(array(0, 2), array(2, 3)), 0, 0, 3);
        assertFill(b.matmul(array(2, 4), true, array(0, 4), true), 0, 4, 0);
        assertFill(b.reshape(e, new int[] {3, 0}), 0, 3, 0);
        assertFill(b.permute(e, new int[] {1, 0}), 0, 3, 0);
        assertFill(b.broadcastTo(array(1, 3), new int[] {0, 3}), 0, 0, 3);
        assertFill(b.slice(array(4, 3), 0, 2, 2), 0, 0, 3);
        assertFill(b.concat(new BackendArray[] {e, e}, 0), 0, 0, 3);
        assertFill(b.cast(e, DType.FLOAT32), 0, 0, 3);
        assertFill(b.fromDoubles(new double[0], new int[] {2, 0}, DType.FLOAT64), 0, 2, 0);
        assertFill(b.fromFloats(new float[0], new int[] {0}), 0, 0);
        assertEquals(0, b.toDoubleArray(e).length);
        assertEquals(0, b.toFloatArray(e).length);
        assertEquals(List.of(), b.calls);
    }

    @Test
    @DisplayName("unfold and fold compute their result shapes, answer an empty batch with a fill, and reject bad geometry")
    void unfoldFold_shapesEmptyBatchesAndBadGeometry() {
        int[] one = {1, 1};
        int[] k = {2, 3};
        BackendArray cols = b.unfold(array(2, 3, 5, 6), k, one, new int[] {1, 0}, new int[] {2, 1});
        assertArrayEquals(new int[] {2, 18, 3 * 4}, cols.shape());
        assertArrayEquals(new int[] {2, 3, 5, 6},
                b.fold(array(2, 18, 12), new int[] {5, 6}, k, one, new int[] {1, 0}, new int[] {2, 1}).shape());
        assertEquals(List.of("unfold[2, 18, 12]", "fold[2, 3, 5, 6]"), b.calls);
        b.calls.clear();
        assertFill(b.unfold(array(0, 3, 5, 6), k, one, new int[] {0, 0}, one), 0, 0, 18, 16);
        assertFill(b.fold(array(0, 18, 16), new int[] {5, 6}, k, one, new int[] {0, 0}, one), 0, 0, 3, 5, 6);
        assertEquals(List.of(), b.calls);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.unfold(array(3, 5, 6), k, one, one, one))
                .getMessage().contains("expects a 4-d [N, C, H, W] array, got shape [3, 5, 6]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> b.unfold(array(1, 1, 2, 2), new int[] {3, 3}, one, new int[] {0, 0}, one))
                .getMessage().contains("does not fit the padded input"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> b.fold(array(1, 6, 5), new int[] {3, 3}, new int[] {2, 2}, one, new int[] {0, 0}, one))
                .getMessage().contains("expects a 3-d [N, C·kH·kW, L] array"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> b.fold(array(1, 8, 5), new int[] {3, 3}, new int[] {2, 2}, one, new int[] {0, 0}, one))
                .getMessage().contains("5 blocks do not match output size [3, 3]"));
    }

    @Test
    @DisplayName("reducing over no axes is a copy; over no elements it is 0, NaN or -inf")
    void reductions_overNoAxesOrNoElements() {
        b.reduce(ReduceOp.MAX, array(2, 3), new int[0], false);
        assertEquals(List.of("cast[2, 3]"), b.calls);
        BackendArray e = array(0, 3);
        assertFill(b.reduce(ReduceOp.SUM, e, new int[] {0}, false), 0, 3);
        assertFill(b.reduce(ReduceOp.MEAN, e, new int[] {0}, true), Double.NaN, 1, 3);
        assertFill(b.reduce(ReduceOp.MAX, e, new int[] {0, 1}, false), Double.NEGATIVE_INFINITY);
        assertEquals(1, b.calls.size());
    }

    @Test
    @DisplayName("a product with inner dimension 0 is all zeros")
    void matmul_innerDimensionZero_givesZeros() {
        assertFill(b.matmul(array(2, 0), array(0, 3)), 0, 2, 3);
        assertFill(b.matmul(array(0, 2), true, array(3, 0), true), 0, 2, 3);
        assertEquals(List.of(), b.calls);
    }

    @Test
    @DisplayName("concat skips empty parts and copies a single remaining one")
    void concat_skipsEmptyParts() {
        b.concat(new BackendArray[] {array(0, 2), array(1, 2), array(0, 2), array(3, 2)}, 0);
        b.concat(new BackendArray[] {array(2, 0), array(2, 5)}, 1);
        assertEquals(List.of("concat2[4, 2]", "cast[2, 5]"), b.calls);
    }

    @Test
    @DisplayName("kernels get the result shape computed once above them")
    void kernels_getTheResultShape() {
        b.binary(BinaryOp.MUL, array(2, 1), array(3));
        b.where(array(), array(4, 1, 1), array(2, 1));
        b.reduce(ReduceOp.SUM, array(2, 3, 4), new int[] {0, 2}, false);
        b.matmul(array(5, 2, 3), true, array(5, 4, 2), true);
        b.permute(array(2, 3, 4), new int[] {2, 0, 1});
        b.slice(array(2, 6), 1, 1, 4);
        assertEquals(List.of("binary[2, 3]", "where[4, 2, 1]", "reduce[3]", "matmul[5, 3, 4]", "permute[4, 2, 3]",
                "slice[2, 3]"), b.calls);
    }

    @Test
    @DisplayName("shapes that do not broadcast fail naming the backend, the op and the shapes")
    void notBroadcasting_failsWithTheShapes() {
        BackendException e = assertThrows(BackendException.class,
                () -> b.binary(BinaryOp.ADD, array(2), array(3)));
        assertTrue(e.getMessage().startsWith("recording backend failed in binary ADD on shapes [2], [3]"), e.getMessage());
        BackendException w = assertThrows(BackendException.class, () -> b.where(array(4), array(2), array(2)));
        assertTrue(w.getMessage().startsWith("recording backend failed in where on shapes [4], [2], [2]"), w.getMessage());
    }

    @Test
    @DisplayName("a result shape over 2^31-1 elements fails before any kernel, the same everywhere")
    void overflowingResultShapes_failBeforeAKernel() {
        int k = 65536;
        assertThrows(IllegalArgumentException.class, () -> b.full(new int[] {k, k, k, k}, 0, DType.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> b.binary(BinaryOp.ADD, array(k, 1, 1), array(k, 1)));
        assertThrows(IllegalArgumentException.class, () -> b.matmul(array(k, 1), array(1, k)));
        assertThrows(IllegalArgumentException.class, () -> b.reshape(array(0), new int[] {k, k, k, k}));
        assertThrows(IllegalArgumentException.class, () -> b.broadcastTo(array(1), new int[] {k, k}));
        assertThrows(IllegalArgumentException.class,
                () -> b.concat(new BackendArray[] {array(Integer.MAX_VALUE), array(1)}, 0));
        assertEquals(List.of(), b.calls);
    }

    @Test
    @DisplayName("an OutOfMemoryError in a kernel names backend, op, shape, dtype and bytes")
    void outOfMemoryInAKernel_isABackendOutOfMemoryError() {
        AbstractBackend failing = new Recording() {
            @Override protected BackendArray unaryKernel(UnaryOp op, BackendArray a) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        BackendOutOfMemoryError e = assertThrows(BackendOutOfMemoryError.class,
                () -> failing.unary(UnaryOp.EXP, new Fake(new int[] {1 << 20, 256}, DType.FLOAT32, 1, failing)));
        assertEquals("recording backend cannot allocate 1073741824 bytes (1.0 GiB) for a float32 array of shape "
                + "[1048576, 256] in unary: OutOfMemoryError: Java heap space", e.getMessage());
        assertEquals(1L << 30, e.bytes());
    }
}
