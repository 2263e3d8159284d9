package io.polygrad.djl;

import static io.polygrad.djl.DjlBackend.dataType;

import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.spi.Shapes;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/** The creation kernels of the DJL backend: Java arrays in and out, constant fills and casts. */
final class DjlCreation {

    /** Arrays up to this many bytes are staged through a reused per-thread direct buffer. */
    private static final int STAGING_LIMIT = 1 << 20;
    private static final ThreadLocal<ByteBuffer> STAGING = new ThreadLocal<>();

    private DjlCreation() {
    }

    /** Returns {@code data} rounded to {@code dtype} in a new tensor. */
    static DjlArray fromDoubles(DjlBackend backend, double[] data, int[] shape, DType dtype) {
        int n = Shapes.size(shape);
        checkLength(data.length, n, shape);
        ByteBuffer buf = staging(n * dtype.byteSize());
        if (dtype == DType.FLOAT64) {
            buf.asDoubleBuffer().put(data, 0, n);
        } else {
            FloatBuffer fb = buf.asFloatBuffer();
            for (int i = 0; i < n; i++) {
                fb.put(i, (float) data[i]);
            }
        }
        return upload(backend, buf, shape, dtype);
    }

    /** Returns {@code data} in a new int64 tensor. */
    static DjlArray fromLongs(DjlBackend backend, long[] data, int[] shape) {
        int n = Shapes.size(shape);
        checkLength(data.length, n, shape);
        ByteBuffer buf = staging(n * Long.BYTES);
        buf.asLongBuffer().put(data, 0, n);
        return upload(backend, buf, shape, DType.INT64);
    }

    /** Returns the int64 elements. */
    static long[] toLongArray(DjlBackend backend, DjlArray x) {
        long[] out = new long[Shapes.size(x.shape())];
        download(backend, x).asLongBuffer().get(out);
        return out;
    }

    /** Returns {@code data} in a new float32 tensor. */
    static DjlArray fromFloats(DjlBackend backend, float[] data, int[] shape) {
        int n = Shapes.size(shape);
        checkLength(data.length, n, shape);
        ByteBuffer buf = staging(n * Float.BYTES);
        buf.asFloatBuffer().put(data, 0, n);
        return upload(backend, buf, shape, DType.FLOAT32);
    }

    /** Returns a tensor of {@code shape} filled with {@code value}; size-0 shapes included. */
    static DjlArray full(DjlBackend backend, int[] shape, double value, DType dtype) {
        try {
            return backend.wrap(JniUtils.full(backend.manager, DjlShapes.djl(shape), value, dataType(dtype),
                    backend.djlDevice, SparseFormat.DENSE), shape.clone(), dtype);
        } catch (RuntimeException e) {
            throw DjlBackend.fail("full", e, shape);
        }
    }

    /** Returns the elements widened to double. */
    static double[] toDoubleArray(DjlBackend backend, DjlArray x) {
        double[] out = new double[Shapes.size(x.shape())];
        ByteBuffer bytes = download(backend, x);
        if (x.dtype() == DType.FLOAT64) {
            bytes.asDoubleBuffer().get(out);
        } else {
            FloatBuffer fb = bytes.asFloatBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = fb.get(i);
            }
        }
        return out;
    }

    /** Returns the elements rounded to float. */
    static float[] toFloatArray(DjlBackend backend, DjlArray x) {
        float[] out = new float[Shapes.size(x.shape())];
        ByteBuffer bytes = download(backend, x);
        if (x.dtype() == DType.FLOAT32) {
            bytes.asFloatBuffer().get(out);
        } else {
            DoubleBuffer db = bytes.asDoubleBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) db.get(i);
            }
        }
        return out;
    }

    /** Returns {@code x} converted to {@code dtype}; a copy when the dtype is the same. */
    static DjlArray cast(DjlBackend backend, DjlArray x, DType dtype) {
        try {
            PtNDArray t = x.tensor();
            // libtorch's to() returns the same tensor when nothing changes, so copy explicitly.
            PtNDArray r = dtype == x.dtype() ? JniUtils.clone(t) : JniUtils.to(t, dataType(dtype), backend.djlDevice);
            return backend.wrap(r, x.shape(), dtype);
        } catch (RuntimeException e) {
            throw DjlBackend.fail("cast to " + dtype, e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Rejects a data array shorter than {@code shape}, before it is staged. */
    private static void checkLength(int length, int n, int[] shape) {
        if (length < n) {
            throw new IllegalArgumentException("The djl backend needs " + n + " values for shape "
                    + java.util.Arrays.toString(shape) + ", got " + length);
        }
    }

    /** Returns a native-order direct buffer of at least {@code bytes}, reused per thread when small. */
    private static ByteBuffer staging(int bytes) {
        if (bytes > STAGING_LIMIT) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer buf = STAGING.get();
        if (buf == null || buf.capacity() < bytes) {
            buf = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
            STAGING.set(buf);
        }
        return buf;
    }

    /** Returns a tensor holding a copy of the first elements of {@code buf}, in libtorch-owned memory. */
    private static DjlArray upload(DjlBackend backend, ByteBuffer buf, int[] shape, DType dtype) {
        try {
            PtNDArray t = JniUtils.createNdFromByteBuffer(backend.manager, buf, DjlShapes.djl(shape), dataType(dtype),
                    SparseFormat.DENSE, backend.djlDevice);
            // On the CPU from_blob wraps the Java buffer without copying; copy so the tensor owns its memory.
            return backend.wrap(backend.djlDevice.isGpu() ? t : DjlBackend.copyOf(t), shape.clone(), dtype);
        } catch (RuntimeException e) {
            throw DjlBackend.fail("fromArray", e, shape);
        }
    }

    /** Returns the elements of {@code x} as native-order bytes on the Java heap. */
    private static ByteBuffer download(DjlBackend backend, DjlArray x) {
        try {
            PtNDArray t = x.tensor();
            if (!backend.djlDevice.isGpu()) {
                // torchDataPtr: makes a contiguous copy itself if needed, nothing is left in the manager.
                return JniUtils.getByteBuffer(t, false);
            }
            PtNDArray host = JniUtils.to(t, dataType(x.dtype()), ai.djl.Device.cpu());
            ai.djl.ndarray.NDManager hostManager = host.getManager(); // a sub-manager made by to()
            try {
                return JniUtils.getByteBuffer(host, false);
            } finally {
                host.close();
                if (hostManager != backend.manager) {
                    hostManager.close();
                }
            }
        } catch (RuntimeException e) {
            throw DjlBackend.fail("toArray", e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }
}
