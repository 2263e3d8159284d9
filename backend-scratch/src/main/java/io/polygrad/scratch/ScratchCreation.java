package io.polygrad.scratch;

import io.polygrad.DType;
import io.polygrad.spi.Shapes;
import java.util.Arrays;

/** The creation kernels of the scratch backend: Java arrays in and out, constant fills and casts. */
final class ScratchCreation {

    private ScratchCreation() {
    }

    /** Returns {@code data} as an array of {@code dtype}; float64 keeps the caller's array (api passes a copy). */
    static ScratchArray fromDoubles(ScratchBackend backend, double[] data, int[] shape, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return new ScratchArray(backend, data, shape.clone());
        }
        return new ScratchArray(backend, toFloats(data), shape.clone());
    }

    /** Returns {@code data} as a float32 array, keeping the caller's array (api passes a copy). */
    static ScratchArray fromFloats(ScratchBackend backend, float[] data, int[] shape) {
        return new ScratchArray(backend, data, shape.clone());
    }

    /** Returns {@code data} as an int64 array, keeping the caller's array (api passes a copy). */
    static ScratchArray fromLongs(ScratchBackend backend, long[] data, int[] shape) {
        return new ScratchArray(backend, data, shape.clone());
    }

    /** Returns the int64 elements, in a new array. */
    static long[] toLongArray(ScratchArray a) {
        return a.l.clone();
    }

    /** Returns an array of {@code shape} filled with {@code value}; size-0 shapes included. */
    static ScratchArray full(ScratchBackend backend, int[] shape, double value, DType dtype) {
        int n = Shapes.size(shape);
        if (dtype == DType.INT64) {
            long[] l = new long[n];
            if (value != 0) {
                Arrays.fill(l, (long) value);
            }
            return new ScratchArray(backend, l, shape.clone());
        }
        // A new array is all +0: fill for anything else, -0.0 included (its sign is kept, as in torch.full).
        boolean positiveZero = Double.doubleToRawLongBits(value) == 0;
        if (dtype == DType.FLOAT32) {
            float[] f = new float[n];
            if (!positiveZero) {
                Arrays.fill(f, (float) value);
            }
            return new ScratchArray(backend, f, shape.clone());
        }
        double[] d = new double[n];
        if (!positiveZero) {
            Arrays.fill(d, value);
        }
        return new ScratchArray(backend, d, shape.clone());
    }

    /** Returns the elements widened to double, in a new array. */
    static double[] toDoubleArray(ScratchArray a) {
        return a.d != null ? a.d.clone() : toDoubles(a.f);
    }

    /** Returns the elements rounded to float, in a new array. */
    static float[] toFloatArray(ScratchArray a) {
        return a.f != null ? a.f.clone() : toFloats(a.d);
    }

    /** Returns a copy of {@code a} in {@code dtype}; floats become int64 truncated toward zero. */
    static ScratchArray cast(ScratchBackend backend, ScratchArray a, DType dtype) {
        if (dtype == DType.INT64) {
            if (a.l != null) {
                return new ScratchArray(backend, a.l.clone(), a.shape);
            }
            long[] out = new long[a.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.f != null ? (long) a.f[i] : (long) a.d[i];
            }
            return new ScratchArray(backend, out, a.shape);
        }
        if (a.l != null) {
            if (dtype == DType.FLOAT32) {
                float[] out = new float[a.l.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = a.l[i];
                }
                return new ScratchArray(backend, out, a.shape);
            }
            double[] out = new double[a.l.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.l[i];
            }
            return new ScratchArray(backend, out, a.shape);
        }
        if (dtype == DType.FLOAT32) {
            return new ScratchArray(backend, toFloatArray(a), a.shape);
        }
        return new ScratchArray(backend, toDoubleArray(a), a.shape);
    }

    private static float[] toFloats(double[] d) {
        float[] out = new float[d.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    private static double[] toDoubles(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f[i];
        }
        return out;
    }
}
