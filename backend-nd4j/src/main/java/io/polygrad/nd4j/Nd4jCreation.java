package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;
import static io.polygrad.nd4j.Nd4jArray.dataType;
import static io.polygrad.nd4j.Nd4jArray.filled;
import static io.polygrad.nd4j.Nd4jArray.longs;

import io.polygrad.DType;
import io.polygrad.spi.Shapes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The creation kernels of the ND4J backend: Java arrays in and out, constant fills and casts. */
final class Nd4jCreation {

    /** The most scalar constants kept; beyond it, constants are allocated per call. */
    private static final int MAX_SCALAR_CONSTANTS = 256;

    private Nd4jCreation() {
    }

    /** Returns {@code data} rounded to {@code dtype} in a new ND4J array. */
    static Nd4jArray fromDoubles(Nd4jBackend backend, double[] data, int[] shape, DType dtype) {
        try {
            backend.selectDevice();
            checkLength(data.length, shape);
            INDArray arr;
            if (dtype == DType.FLOAT32) {
                float[] f = new float[data.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) data[i];
                }
                arr = Nd4j.create(f, longs(shape), DataType.FLOAT);
            } else {
                arr = Nd4j.create(data, longs(shape), DataType.DOUBLE);
            }
            return backend.wrap(arr, shape, dtype);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("fromDoubles", e, shape);
        }
    }

    /** Returns {@code data} in a new int64 ND4J array. */
    static Nd4jArray fromLongs(Nd4jBackend backend, long[] data, int[] shape) {
        try {
            backend.selectDevice();
            checkLength(data.length, shape);
            return backend.wrap(Nd4j.create(data, longs(shape), DataType.LONG), shape.clone(), DType.INT64);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("fromLongs", e, shape);
        }
    }

    /** Returns the int64 elements; on the CPU read straight from the native buffer. */
    static long[] toLongArray(Nd4jBackend backend, Nd4jArray x) {
        try {
            int n = (int) x.length();
            INDArray arr = x.raw();
            if (backend.cpu) {
                long[] out = new long[n];
                arr.data().asNio().order(ByteOrder.nativeOrder()).asLongBuffer().get(out, 0, n);
                return out;
            }
            Nd4j.getAffinityManager().ensureLocation(arr, AffinityManager.Location.HOST);
            return arr.data().asLong();
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("toLongArray", e, x.shape());
        }
    }

    /** Returns {@code data} in a new float32 ND4J array. */
    static Nd4jArray fromFloats(Nd4jBackend backend, float[] data, int[] shape) {
        try {
            backend.selectDevice();
            checkLength(data.length, shape);
            return backend.wrap(Nd4j.create(data, longs(shape), DataType.FLOAT), shape, DType.FLOAT32);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("fromFloats", e, shape);
        }
    }

    /**
     * Returns an array of {@code shape} filled with {@code value}: the one kernel that sees size-0
     * shapes, since the SPI layer makes every empty result with it.
     */
    static Nd4jArray full(Nd4jBackend backend, int[] shape, double value, DType dtype) {
        try {
            backend.selectDevice();
            if (Shapes.size(shape) == 0) {
                return backend.wrap(Nd4j.create(dataType(dtype), longs(shape)), shape.clone(), dtype);
            }
            if (shape.length == 0 && dtype != DType.INT64) {
                return scalarConstant(backend, value, dtype);
            }
            if (dtype == DType.INT64) {
                INDArray out = alloc(shape, dtype);
                out.assign((long) value);
                return backend.wrap(out, shape.clone(), dtype);
            }
            return backend.wrap(filled(shape, value, dtype), shape, dtype);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("full", e, shape);
        }
    }

    /**
     * Returns a handle on a cached 0-d constant: api makes one for every scalar operand (x * 0.5, the
     * mean's divisor, the learning rate), and each fresh ND4J allocation costs ~12-24 us here. Arrays
     * are never written after creation, so handles can share the buffer; closing a handle leaves it.
     */
    private static Nd4jArray scalarConstant(Nd4jBackend backend, double value, DType dtype) {
        ConcurrentHashMap<Long, INDArray> scalarConstants =
                dtype == DType.FLOAT32 ? backend.float32Constants : backend.float64Constants;
        long key = Double.doubleToLongBits(dtype == DType.FLOAT32 ? (float) value : value);
        INDArray constant = scalarConstants.get(key);
        if (constant == null) {
            constant = filled(new int[0], value, dtype);
            if (scalarConstants.size() >= MAX_SCALAR_CONSTANTS) {
                return backend.wrap(constant, new int[0], dtype);
            }
            INDArray raced = scalarConstants.putIfAbsent(key, constant);
            constant = raced != null ? raced : constant;
        }
        return new Nd4jArray(backend, constant, new int[0], dtype, true);
    }

    /** Returns the elements widened to double; on the CPU read straight from the native buffer. */
    static double[] toDoubleArray(Nd4jBackend backend, Nd4jArray x) {
        try {
            int n = (int) x.length();
            double[] out = new double[n];
            INDArray arr = x.raw();
            if (backend.cpu) {
                ByteBuffer bytes = arr.data().asNio().order(ByteOrder.nativeOrder());
                if (x.dtype() == DType.FLOAT64) {
                    bytes.asDoubleBuffer().get(out, 0, n);
                } else {
                    FloatBuffer fb = bytes.asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        out[i] = fb.get(i);
                    }
                }
                return out;
            }
            Nd4j.getAffinityManager().ensureLocation(arr, AffinityManager.Location.HOST);
            return arr.data().asDouble();
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("toDoubleArray", e, x.shape());
        }
    }

    /** Returns the elements rounded to float; on the CPU read straight from the native buffer. */
    static float[] toFloatArray(Nd4jBackend backend, Nd4jArray x) {
        try {
            int n = (int) x.length();
            float[] out = new float[n];
            INDArray arr = x.raw();
            if (backend.cpu) {
                ByteBuffer bytes = arr.data().asNio().order(ByteOrder.nativeOrder());
                if (x.dtype() == DType.FLOAT32) {
                    bytes.asFloatBuffer().get(out, 0, n);
                } else {
                    DoubleBuffer db = bytes.asDoubleBuffer();
                    for (int i = 0; i < n; i++) {
                        out[i] = (float) db.get(i);
                    }
                }
                return out;
            }
            Nd4j.getAffinityManager().ensureLocation(arr, AffinityManager.Location.HOST);
            return arr.data().asFloat();
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("toFloatArray", e, x.shape());
        }
    }

    /** Returns {@code x} converted to {@code dtype}; a copy when the dtype is the same. */
    static Nd4jArray cast(Nd4jBackend backend, Nd4jArray x, DType dtype) {
        try {
            backend.selectDevice();
            if (x.dtype() == dtype) {
                return backend.copyAs(x, x.shape().clone());
            }
            int[] shape = x.shape();
            INDArray out = alloc(shape, dtype);
            Nd4jOpRunner.exec("cast", new INDArray[] {x.raw()}, out, null, null, new DataType[] {dataType(dtype)});
            return backend.wrap(out, shape, dtype);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("cast to " + dtype, e, x.shape());
        }
    }

    /** Rejects a data array that does not fill {@code shape}, before ND4J reads past its end. */
    private static void checkLength(int length, int[] shape) {
        if (length != Shapes.size(shape)) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Arrays.toString(shape));
        }
    }
}
