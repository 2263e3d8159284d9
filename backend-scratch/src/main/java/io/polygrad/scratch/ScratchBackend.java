package io.polygrad.scratch;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.util.Arrays;

/**
 * Returns the pure-Java backend: float32 kernels compute in float, float64 kernels in double,
 * without per-element allocation; matmul is cache-blocked and parallel ({@link ScratchMatmul}).
 */
public final class ScratchBackend implements Backend {

    /** The configuration name of this backend. */
    public static final String NAME = "scratch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    private static ScratchArray cast(BackendArray a) {
        return (ScratchArray) a;
    }

    private ScratchArray floats(float[] v, int[] shape) {
        return new ScratchArray(this, v, shape);
    }

    private ScratchArray doubles(double[] v, int[] shape) {
        return new ScratchArray(this, v, shape);
    }

    // ---------------------------------------------------------------- creation

    @Override
    public BackendArray fromDoubles(double[] data, int[] shape, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return doubles(data, shape.clone());
        }
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return floats(f, shape.clone());
    }

    @Override
    public BackendArray fromFloats(float[] data, int[] shape) {
        return floats(data, shape.clone());
    }

    @Override
    public BackendArray full(int[] shape, double value, DType dtype) {
        int n = Shapes.size(shape);
        if (dtype == DType.FLOAT32) {
            float[] f = new float[n];
            if (value != 0) {
                Arrays.fill(f, (float) value);
            }
            return floats(f, shape.clone());
        }
        double[] d = new double[n];
        if (value != 0) {
            Arrays.fill(d, value);
        }
        return doubles(d, shape.clone());
    }

    @Override
    public double[] toDoubleArray(BackendArray array) {
        ScratchArray a = cast(array);
        if (a.d != null) {
            return a.d.clone();
        }
        double[] out = new double[a.f.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.f[i];
        }
        return out;
    }

    @Override
    public float[] toFloatArray(BackendArray array) {
        ScratchArray a = cast(array);
        if (a.f != null) {
            return a.f.clone();
        }
        float[] out = new float[a.d.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.d[i];
        }
        return out;
    }

    // ---------------------------------------------------------------- unary

    @Override
    public BackendArray unary(UnaryOp op, BackendArray array) {
        ScratchArray a = cast(array);
        if (a.f != null) {
            return floats(ScratchElementwise.unary(op, a.f), a.shape);
        }
        return doubles(ScratchElementwise.unary(op, a.d), a.shape);
    }

    // ---------------------------------------------------------------- binary with broadcasting

    @Override
    public BackendArray binary(BinaryOp op, BackendArray left, BackendArray right) {
        ScratchArray a = cast(left);
        ScratchArray b = cast(right);
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape : Shapes.broadcast(a.shape, b.shape);
        int n = Shapes.size(shape);
        int[] ia = null;
        int[] ib = null;
        if (a.length() != n || b.length() != n) {
            if (a.length() != 1) {
                ia = ScratchIndex.broadcastOffsets(a.shape, shape);
            }
            if (b.length() != 1) {
                ib = ScratchIndex.broadcastOffsets(b.shape, shape);
            }
        }
        if (a.f != null) {
            return floats(ScratchElementwise.binary(op, a.f, ia, b.f, ib, n), shape);
        }
        return doubles(ScratchElementwise.binary(op, a.d, ia, b.d, ib, n), shape);
    }

    @Override
    public BackendArray where(BackendArray condition, BackendArray left, BackendArray right) {
        ScratchArray c = cast(condition);
        ScratchArray a = cast(left);
        ScratchArray b = cast(right);
        int[] shape = Shapes.broadcast(Shapes.broadcast(a.shape, b.shape), c.shape);
        int n = Shapes.size(shape);
        int[] ic = ScratchIndex.broadcastOffsets(c.shape, shape);
        int[] ia = ScratchIndex.broadcastOffsets(a.shape, shape);
        int[] ib = ScratchIndex.broadcastOffsets(b.shape, shape);
        if (a.f != null) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = c.f[ic[i]] != 0 ? a.f[ia[i]] : b.f[ib[i]];
            }
            return floats(out, shape);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.d[ic[i]] != 0 ? a.d[ia[i]] : b.d[ib[i]];
        }
        return doubles(out, shape);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public BackendArray reduce(ReduceOp op, BackendArray array, int[] axes, boolean keepDims) {
        ScratchArray a = cast(array);
        int[] outShape = Shapes.reduced(a.shape, axes, keepDims);
        if (axes.length == 0) {
            return a.f != null ? floats(a.f.clone(), outShape) : doubles(a.d.clone(), outShape);
        }
        int outSize = Shapes.size(outShape);
        int[] outIndex = outSize == 1 ? null : ScratchIndex.reductionTargets(a.shape, axes);
        int count = outSize == 0 ? 0 : a.length() / outSize;
        if (a.f != null) {
            return floats(ScratchReductions.reduce(op, a.f, outIndex, outSize, count), outShape);
        }
        return doubles(ScratchReductions.reduce(op, a.d, outIndex, outSize, count), outShape);
    }

    // ---------------------------------------------------------------- matmul

    @Override
    public BackendArray matmul(BackendArray left, BackendArray right) {
        ScratchArray a = cast(left);
        ScratchArray b = cast(right);
        int r = a.shape.length;
        int m = a.shape[r - 2];
        int k = a.shape[r - 1];
        int n = b.shape[r - 1];
        int[] outShape = a.shape.clone();
        outShape[r - 1] = n;
        int batch = Shapes.size(Arrays.copyOf(a.shape, r - 2));
        if (a.f != null) {
            float[] c = new float[batch * m * n];
            for (int p = 0; p < batch; p++) {
                ScratchMatmul.multiply(a.f, p * m * k, b.f, p * k * n, c, p * m * n, m, k, n);
            }
            return floats(c, outShape);
        }
        double[] c = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            ScratchMatmul.multiply(a.d, p * m * k, b.d, p * k * n, c, p * m * n, m, k, n);
        }
        return doubles(c, outShape);
    }

    // ---------------------------------------------------------------- movement

    /** Shares the element array: scratch arrays are never written after creation. */
    @Override
    public BackendArray reshape(BackendArray array, int[] shape) {
        ScratchArray a = cast(array);
        return a.f != null ? floats(a.f, shape.clone()) : doubles(a.d, shape.clone());
    }

    @Override
    public BackendArray permute(BackendArray array, int[] axes) {
        ScratchArray a = cast(array);
        int[] outShape = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            outShape[i] = a.shape[axes[i]];
        }
        int[] src = ScratchIndex.permutedOffsets(a.shape, axes);
        return gather(a, src, outShape);
    }

    @Override
    public BackendArray broadcastTo(BackendArray array, int[] shape) {
        ScratchArray a = cast(array);
        if (a.length() == 1) {
            return full(shape, a.f != null ? a.f[0] : a.d[0], a.dtype());
        }
        return gather(a, ScratchIndex.broadcastOffsets(a.shape, shape), shape.clone());
    }

    @Override
    public BackendArray slice(BackendArray array, int axis, int start, int end) {
        ScratchArray a = cast(array);
        int[] outShape = a.shape.clone();
        outShape[axis] = end - start;
        int outer = Shapes.size(Arrays.copyOf(a.shape, axis));
        int inner = Shapes.size(Arrays.copyOfRange(a.shape, axis + 1, a.shape.length));
        int srcRow = a.shape[axis] * inner;
        int dstRow = (end - start) * inner;
        if (a.f != null) {
            float[] out = new float[outer * dstRow];
            for (int o = 0; o < outer; o++) {
                System.arraycopy(a.f, o * srcRow + start * inner, out, o * dstRow, dstRow);
            }
            return floats(out, outShape);
        }
        double[] out = new double[outer * dstRow];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(a.d, o * srcRow + start * inner, out, o * dstRow, dstRow);
        }
        return doubles(out, outShape);
    }

    @Override
    public BackendArray concat(BackendArray[] parts, int axis) {
        ScratchArray first = cast(parts[0]);
        int[] outShape = first.shape.clone();
        int total = 0;
        for (BackendArray p : parts) {
            total += p.shape()[axis];
        }
        outShape[axis] = total;
        int outer = Shapes.size(Arrays.copyOf(outShape, axis));
        int inner = Shapes.size(Arrays.copyOfRange(outShape, axis + 1, outShape.length));
        int dstRow = total * inner;
        Object out = first.f != null ? new float[outer * dstRow] : new double[outer * dstRow];
        int offset = 0;
        for (BackendArray p : parts) {
            ScratchArray s = cast(p);
            int rowLen = s.shape[axis] * inner;
            Object src = s.f != null ? s.f : s.d;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * rowLen, out, o * dstRow + offset, rowLen);
            }
            offset += rowLen;
        }
        return first.f != null ? floats((float[]) out, outShape) : doubles((double[]) out, outShape);
    }

    @Override
    public BackendArray cast(BackendArray array, DType dtype) {
        ScratchArray a = cast(array);
        if (dtype == DType.FLOAT32) {
            return floats(toFloatArray(a), a.shape);
        }
        return doubles(toDoubleArray(a), a.shape);
    }

    private ScratchArray gather(ScratchArray a, int[] src, int[] outShape) {
        if (a.f != null) {
            float[] out = new float[src.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.f[src[i]];
            }
            return floats(out, outShape);
        }
        double[] out = new double[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.d[src[i]];
        }
        return doubles(out, outShape);
    }

    @Override
    public String toString() {
        return "ScratchBackend[cpu]";
    }
}
