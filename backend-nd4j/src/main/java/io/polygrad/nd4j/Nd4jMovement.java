package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;
import static io.polygrad.nd4j.Nd4jArray.longs;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The movement kernels of the ND4J backend: reshape, permute, broadcast, slice and concat, each
 * into a fresh C-ordered array (never one of ND4J's views).
 */
final class Nd4jMovement {

    private Nd4jMovement() {
    }

    /** Returns a copy of {@code x} with {@code shape}. */
    static Nd4jArray reshape(Nd4jBackend backend, Nd4jArray x, int[] shape) {
        try {
            backend.selectDevice();
            return backend.copyAs(x, shape.clone());
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("reshape to " + Arrays.toString(shape), e, x.shape());
        }
    }

    /** Returns {@code x} permuted by {@code axes} into {@code shape}; a plain copy when no element moves. */
    static Nd4jArray permute(Nd4jBackend backend, Nd4jArray x, int[] axes, int[] shape) {
        try {
            backend.selectDevice();
            boolean identity = true;
            for (int i = 0; i < axes.length; i++) {
                identity &= axes[i] == i;
            }
            if (identity || x.length() <= 1) {
                return backend.copyAs(x, shape);
            }
            INDArray out = alloc(shape, x.dtype());
            Nd4jOpRunner.exec("permute", new INDArray[] {x.raw()}, out, longs(axes), null, null);
            return backend.wrap(out, shape, x.dtype());
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("permute " + Arrays.toString(axes), e, x.shape());
        }
    }

    /** Returns {@code x} broadcast to {@code shape}, materialised. */
    static Nd4jArray broadcastTo(Nd4jBackend backend, Nd4jArray x, int[] shape) {
        try {
            backend.selectDevice();
            int[] target = shape.clone();
            if (Arrays.equals(x.shape(), target)) {
                return backend.copyAs(x, target);
            }
            INDArray out = alloc(target, x.dtype());
            Nd4jOpRunner.exec("assign", new INDArray[] {out, aligned(x.raw(), x.shape(), target.length)}, out);
            return backend.wrap(out, target, x.dtype());
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("broadcastTo " + Arrays.toString(shape), e, x.shape());
        }
    }

    /** Returns elements {@code [start, end)} along {@code axis}: {@code shape}. */
    static Nd4jArray slice(Nd4jBackend backend, Nd4jArray x, int axis, int start, int end, int[] shape) {
        try {
            backend.selectDevice();
            int[] in = x.shape();
            if (start == 0 && end == in[axis]) {
                return backend.copyAs(x, shape);
            }
            long[] args = new long[2 * in.length];
            for (int i = 0; i < in.length; i++) {
                args[i] = i == axis ? start : 0;
                args[in.length + i] = shape[i];
            }
            INDArray out = alloc(shape, x.dtype());
            Nd4jOpRunner.exec("slice", new INDArray[] {x.raw()}, out, args, null, null);
            return backend.wrap(out, shape, x.dtype());
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("slice [" + start + ", " + end + ") on axis " + axis, e, x.shape());
        }
    }

    /** Returns {@code parts} joined along {@code axis} into {@code shape}. */
    static Nd4jArray concat(Nd4jBackend backend, BackendArray[] parts, int axis, int[] shape) {
        INDArray[] raw = new INDArray[parts.length];
        int[][] shapes = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            raw[i] = backend.arg(parts[i]).raw();
            shapes[i] = parts[i].shape();
        }
        try {
            backend.selectDevice();
            DType dt = parts[0].dtype();
            INDArray out = alloc(shape, dt);
            Nd4jOpRunner.exec("concat", raw, out, new long[] {axis}, null, null);
            return backend.wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("concat on axis " + axis, e, shapes);
        }
    }

    /** Returns {@code arr} broadcast to {@code shape}: itself when it has that shape, else a temporary. */
    static INDArray expand(INDArray arr, int[] from, int[] shape, DataType type, List<INDArray> temps) {
        if (Arrays.equals(from, shape)) {
            return arr;
        }
        INDArray out = alloc(shape, type);
        temps.add(out);
        Nd4jOpRunner.exec("assign", new INDArray[] {out, aligned(arr, from, shape.length)}, out);
        return out;
    }

    /**
     * Returns {@code arr} (of polygrad shape {@code shape}) viewed with {@code rank} dimensions by
     * prepending ones, as NumPy broadcasting aligns shapes; the view shares memory and is not closed.
     */
    static INDArray aligned(INDArray arr, int[] shape, int rank) {
        if (shape.length == rank) {
            return arr;
        }
        long[] view = new long[rank];
        Arrays.fill(view, 1L);
        for (int i = 0; i < shape.length; i++) {
            view[rank - shape.length + i] = shape[i];
        }
        return arr.reshape('c', view);
    }
}
