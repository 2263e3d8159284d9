package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;
import static io.polygrad.nd4j.Nd4jArray.dataType;

import io.polygrad.DType;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/** The elementwise kernels of the ND4J backend: unary, binary with broadcasting, and where. */
final class Nd4jElementwise {

    private Nd4jElementwise() {
    }

    /** Returns {@code op(x)} through a legacy transform op (about 0.4 µs, cheaper than any custom op). */
    static Nd4jArray unary(Nd4jBackend backend, UnaryOp op, Nd4jArray x) {
        try {
            backend.selectDevice();
            int[] shape = x.shape();
            INDArray in = x.raw();
            if (Nd4jBreadth.handles(op)) {
                return Nd4jBreadth.unary(backend, op, x);
            }
            INDArray out = alloc(shape, x.dtype());
            Op legacy;
            switch (op) {
                case NEG: legacy = new Negative(in, out); break;
                case EXP: legacy = new Exp(in, out); break;
                case LOG: legacy = new Log(in, out); break;
                case SQRT: legacy = new Sqrt(in, out); break;
                case ABS: legacy = new Abs(in, out); break;
                case SIGN: legacy = new Sign(in, out); break;
                case TANH: legacy = new Tanh(in, out); break;
                default: throw new IllegalArgumentException("Unknown unary op " + op);
            }
            Nd4j.getExecutioner().exec(legacy);
            if (op == UnaryOp.SIGN && x.dtype() != DType.INT64 && Nd4jNaN.hasNaN(backend, in)) {
                // libnd4j's sign(NaN) is 0; the SPI wants NaN
                out = Nd4jNaN.patch(out, in, shape, x.dtype());
            }
            return backend.wrap(out, shape, x.dtype());
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("unary " + op, e, x.shape());
        }
    }

    /** Returns {@code op(x, y)} broadcast to {@code shape}, in the operands' dtype. */
    static Nd4jArray binary(Nd4jBackend backend, BinaryOp op, Nd4jArray x, Nd4jArray y, int[] shape) {
        try {
            backend.selectDevice();
            DType dt = x.dtype();
            // libnd4j treats a length-1 operand as a scalar and keeps the other operand's shape
            // ([3] * [1, 1] gives [3], not NumPy's [1, 3]); then give both the result's rank
            boolean align = x.shape().length != y.shape().length
                    && ((x.length() == 1 && !Arrays.equals(shape, y.shape()))
                        || (y.length() == 1 && !Arrays.equals(shape, x.shape())));
            INDArray ax = align ? Nd4jMovement.aligned(x.raw(), x.shape(), shape.length) : x.raw();
            INDArray by = align ? Nd4jMovement.aligned(y.raw(), y.shape(), shape.length) : y.raw();
            if (op.isComparison()) {
                INDArray flags = alloc(shape, DataType.BOOL);
                try {
                    Nd4jOpRunner.exec(comparisonName(op), new INDArray[] {ax, by}, flags);
                    INDArray out = alloc(shape, dt);
                    Nd4jOpRunner.exec("cast", new INDArray[] {flags}, out, null, null, new DataType[] {dataType(dt)});
                    return backend.wrap(out, shape, dt);
                } finally {
                    flags.close();
                }
            }
            INDArray out = alloc(shape, dt);
            switch (op) {
                case ADD: Nd4jOpRunner.exec("add", new INDArray[] {ax, by}, out); break;
                case SUB: Nd4jOpRunner.exec("subtract", new INDArray[] {ax, by}, out); break;
                case MUL: Nd4jOpRunner.exec("multiply", new INDArray[] {ax, by}, out); break;
                case DIV: Nd4jOpRunner.exec("divide", new INDArray[] {ax, by}, out); break;
                case POW:
                    Nd4jOpRunner.exec("Pow", new INDArray[] {ax, by}, out);
                    if (Nd4jNaN.hasNaN(backend, by)) {
                        // C's pow(1, NaN) is 1; Math.pow(x, NaN) is NaN for every x
                        out = Nd4jNaN.patch(out, by, shape, dt);
                    }
                    break;
                case MAXIMUM:
                case MINIMUM:
                    // libnd4j's max/min is "d1 > d2 ? d1 : d2": a NaN survives in one operand position
                    // only, and which one depends on the broadcast layout; patch both sides' NaNs
                    Nd4jOpRunner.exec(op == BinaryOp.MAXIMUM ? "maximum" : "minimum", new INDArray[] {ax, by}, out);
                    if (dt != DType.INT64 && Nd4jNaN.hasNaN(backend, ax)) {
                        out = Nd4jNaN.patch(out, ax, shape, dt);
                    }
                    if (dt != DType.INT64 && Nd4jNaN.hasNaN(backend, by)) {
                        out = Nd4jNaN.patch(out, by, shape, dt);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("Unknown binary op " + op);
            }
            return backend.wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("binary " + op, e, x.shape(), y.shape());
        }
    }

    private static String comparisonName(BinaryOp op) {
        switch (op) {
            case GREATER: return "greater";
            case GREATER_EQUAL: return "greater_equal";
            case LESS: return "less";
            case LESS_EQUAL: return "less_equal";
            case EQUAL: return "equals";
            case NOT_EQUAL: return "not_equals";
            default: throw new IllegalArgumentException("Not a comparison: " + op);
        }
    }

    /** Returns {@code c != 0 ? x : y} broadcast to {@code shape}. */
    static Nd4jArray where(Nd4jBackend backend, Nd4jArray c, Nd4jArray x, Nd4jArray y, int[] shape) {
        List<INDArray> temps = new ArrayList<>(4);
        try {
            backend.selectDevice();
            DType dt = x.dtype();
            INDArray flags = alloc(c.shape(), DataType.BOOL);
            temps.add(flags);
            Nd4jOpRunner.exec("cast", new INDArray[] {c.raw()}, flags, null, null, new DataType[] {DataType.BOOL});
            // libnd4j's select does not broadcast (and where_np is wrong in 1.0.0-M2.1): expand the operands that need it
            INDArray cf = Nd4jMovement.expand(flags, c.shape(), shape, DataType.BOOL, temps);
            INDArray xf = Nd4jMovement.expand(x.raw(), x.shape(), shape, dataType(dt), temps);
            INDArray yf = Nd4jMovement.expand(y.raw(), y.shape(), shape, dataType(dt), temps);
            INDArray out = alloc(shape, dt);
            Nd4jOpRunner.exec("select", new INDArray[] {cf, xf, yf}, out);
            return backend.wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("where", e, c.shape(), x.shape(), y.shape());
        } finally {
            temps.forEach(INDArray::close);
        }
    }
}
