package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;

import io.polygrad.spi.CompensatedLogExp;
import io.polygrad.spi.UnaryOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Cos;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sin;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J kernels added for the PyTorch-porting ops (issue 14): {@code sin}, {@code cos} and
 * {@code erf} as libnd4j's legacy transforms; {@code log1p} and {@code expm1} as
 * {@link CompensatedLogExp}'s, because libnd4j's {@code Log1p} and {@code Expm1} are the naive
 * {@code log(1 + x)} and {@code exp(x) - 1} (measured: 8e-8 relative error at {@code x = 1e-10} in
 * float64, every digit lost at {@code 1e-16}); and the cumulative sum as its {@code cumsum} custom op.
 */
final class Nd4jBreadth {

    private Nd4jBreadth() {
    }

    /** Returns whether {@code op} is one of the unary ops of this file. */
    static boolean handles(UnaryOp op) {
        return op.ordinal() >= UnaryOp.LOG1P.ordinal();
    }

    /** Returns {@code op(x)}. */
    static Nd4jArray unary(Nd4jBackend backend, UnaryOp op, Nd4jArray x) {
        if (op == UnaryOp.LOG1P) {
            return backend.arg(CompensatedLogExp.log1p(backend, x));
        }
        if (op == UnaryOp.EXPM1) {
            return backend.arg(CompensatedLogExp.expm1(backend, x));
        }
        INDArray in = x.raw();
        INDArray out = alloc(x.shape(), x.dtype());
        Op legacy;
        switch (op) {
            case SIN: legacy = new Sin(in, out); break;
            case COS: legacy = new Cos(in, out); break;
            case ERF: legacy = new Erf(in, out); break;
            default: throw new IllegalArgumentException("Unknown unary op " + op);
        }
        Nd4j.getExecutioner().exec(legacy);
        return backend.wrap(out, x.shape(), x.dtype());
    }

    /** Returns the cumulative sum of {@code x} along {@code axis}, from the end when {@code reverse}. */
    static Nd4jArray cumsum(Nd4jBackend backend, Nd4jArray x, int axis, boolean reverse) {
        try {
            backend.selectDevice();
            INDArray out = alloc(x.shape(), x.dtype());
            Nd4jOpRunner.exec("cumsum", new INDArray[] {x.raw()}, out, new long[] {0, reverse ? 1 : 0, axis}, null,
                    null);
            return backend.wrap(out, x.shape(), x.dtype());
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("cumsum along axis " + axis + (reverse ? " (reverse)" : ""), e, x.shape());
        }
    }
}
