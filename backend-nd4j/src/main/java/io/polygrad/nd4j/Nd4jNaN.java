package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;
import static io.polygrad.nd4j.Nd4jArray.dataType;
import static io.polygrad.nd4j.Nd4jArray.filled;
import static io.polygrad.nd4j.Nd4jArray.longs;
import static io.polygrad.nd4j.Nd4jArray.toInts;

import io.polygrad.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NaN fix-ups of the ND4J backend: libnd4j drops NaN in {@code maximum}/{@code minimum},
 * {@code reduce_max}, {@code sign} and {@code pow(1, NaN)}; these find NaN inputs and patch results.
 */
final class Nd4jNaN {

    /** Arrays up to this many elements are scanned for NaN in Java; larger ones natively. */
    private static final int NAN_SCAN_LIMIT = 1 << 14;

    private Nd4jNaN() {
    }

    /**
     * Returns {@code true} when {@code arr} may hold a NaN, and always when it does. Small CPU arrays
     * are scanned in place (no copy); large ones, and device arrays, are summed natively, since a sum
     * is NaN whenever an element is (a false alarm from {@code inf + -inf} only costs the exact patch).
     */
    static boolean hasNaN(Nd4jBackend backend, INDArray arr) {
        long n = arr.length();
        if (arr.rank() == 0) {
            return Double.isNaN(arr.getDouble(0));
        }
        if (!backend.cpu || n > NAN_SCAN_LIMIT) {
            INDArray sum = Nd4j.createUninitialized(arr.dataType(), new long[0]);
            try {
                long[] all = new long[arr.rank()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                Nd4jOpRunner.exec("reduce_sum", new INDArray[] {arr}, sum, all, new boolean[] {false}, null);
                return Double.isNaN(sum.getDouble(0));
            } finally {
                sum.close();
            }
        }
        ByteBuffer bytes = arr.data().asNio().order(ByteOrder.nativeOrder());
        if (arr.dataType() == DataType.FLOAT) {
            FloatBuffer fb = bytes.asFloatBuffer();
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(fb.get(i))) {
                    return true;
                }
            }
        } else {
            DoubleBuffer db = bytes.asDoubleBuffer();
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(db.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns {@code result} (closing it) with NaN wherever {@code source}, broadcast to
     * {@code shape}, is NaN. Only runs when a NaN was found, so its extra allocations are rare.
     */
    static INDArray patch(INDArray result, INDArray source, int[] shape, DType dt) {
        List<INDArray> temps = new ArrayList<>(4);
        try {
            INDArray mask = source.isNaN();
            temps.add(mask);
            INDArray maskFull = Nd4jMovement.expand(mask, toInts(source.shape()), shape, DataType.BOOL, temps);
            return nanWhere(maskFull, result, shape, dt, temps);
        } finally {
            temps.add(result);
            temps.forEach(INDArray::close);
        }
    }

    /** Returns the reduced {@code result} (closing it) with NaN wherever a reduced slice held a NaN. */
    static INDArray patchReduced(INDArray result, INDArray source, int[] axes, boolean keepDims, int[] shape,
            DType dt) {
        return patchPooled(result, source, (maskValues, anyNaN) -> Nd4jOpRunner.exec("reduce_max",
                new INDArray[] {maskValues}, anyNaN, longs(axes), new boolean[] {keepDims}, null), shape, dt);
    }

    /**
     * Returns {@code result} (of {@code shape}, closing it) with NaN wherever a window of
     * {@code source} held a NaN: {@code pool} writes a max reduction or max pooling of its first
     * argument (the NaN mask as 0/1 values) into its second, of {@code shape}.
     */
    static INDArray patchPooled(INDArray result, INDArray source, java.util.function.BiConsumer<INDArray, INDArray> pool,
            int[] shape, DType dt) {
        List<INDArray> temps = new ArrayList<>(5);
        try {
            INDArray mask = source.isNaN();
            temps.add(mask);
            INDArray maskValues = alloc(toInts(source.shape()), dt);
            temps.add(maskValues);
            Nd4jOpRunner.exec("cast", new INDArray[] {mask}, maskValues, null, null, new DataType[] {dataType(dt)});
            INDArray anyNaN = alloc(shape, dt);
            temps.add(anyNaN);
            pool.accept(maskValues, anyNaN);
            INDArray flags = alloc(shape, DataType.BOOL);
            temps.add(flags);
            Nd4jOpRunner.exec("cast", new INDArray[] {anyNaN}, flags, null, null, new DataType[] {DataType.BOOL});
            return nanWhere(flags, result, shape, dt, temps);
        } finally {
            temps.add(result);
            temps.forEach(INDArray::close);
        }
    }

    /** Returns a new array: NaN where the bool {@code mask} is set, {@code result} elsewhere. */
    private static INDArray nanWhere(INDArray mask, INDArray result, int[] shape, DType dt, List<INDArray> temps) {
        INDArray nan = filled(shape, Double.NaN, dt);
        temps.add(nan);
        INDArray out = alloc(shape, dt);
        Nd4jOpRunner.exec("select", new INDArray[] {mask, nan, result}, out);
        return out;
    }
}
