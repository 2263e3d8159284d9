package io.polygrad.djl;

import static io.polygrad.djl.DjlBackend.closeAll;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.CompensatedLogExp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.lang.ref.Reference;

/** The elementwise kernels of the DJL backend: unary, binary with broadcasting, and where. */
final class DjlElementwise {

    private DjlElementwise() {
    }

    /** Returns {@code op(x)}. */
    static DjlArray unary(DjlBackend backend, UnaryOp op, DjlArray x) {
        if (op == UnaryOp.LOG1P) {
            return backend.arg(CompensatedLogExp.log1p(backend, x)); // DJL's JNI has no log1p
        }
        if (op == UnaryOp.EXPM1) {
            return backend.arg(CompensatedLogExp.expm1(backend, x)); // nor expm1
        }
        try {
            PtNDArray t = x.tensor();
            PtNDArray r = switch (op) {
                case NEG -> JniUtils.neg(t);
                case EXP -> JniUtils.exp(t);
                case LOG -> JniUtils.log(t);
                case SQRT -> JniUtils.sqrt(t);
                case ABS -> JniUtils.abs(t);
                case SIGN -> sign(t);
                case TANH -> JniUtils.tanh(t);
                case SIN, COS, ERF -> DjlBreadth.unary(op, t);
                case LOG1P, EXPM1 -> throw new IllegalStateException("unreachable: " + op);
            };
            return backend.wrap(r, x.shape(), x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail(op, e, x.shape());
        } finally {
            Reference.reachabilityFence(x);
        }
    }

    /** Returns {@code op(x, y)} broadcast to {@code shape} (libtorch broadcasts as NumPy does). */
    static DjlArray binary(DjlBackend backend, BinaryOp op, DjlArray x, DjlArray y, int[] shape) {
        try {
            PtNDArray p = x.tensor();
            PtNDArray q = y.tensor();
            PtNDArray r = switch (op) {
                case ADD -> JniUtils.add(p, q);
                case SUB -> JniUtils.sub(p, q);
                case MUL -> JniUtils.mul(p, q);
                case DIV -> JniUtils.div(p, q);
                case POW -> finiteScalar(backend, y) ? JniUtils.pow(p, q) : pow(backend, p, q, x.dtype());
                case MAXIMUM -> JniUtils.max(p, q);
                case MINIMUM -> JniUtils.min(p, q);
                case GREATER -> backend.toDType(JniUtils.gt(p, q), x.dtype());
                case GREATER_EQUAL -> backend.toDType(JniUtils.gte(p, q), x.dtype());
                case LESS -> backend.toDType(JniUtils.lt(p, q), x.dtype());
                case LESS_EQUAL -> backend.toDType(JniUtils.lte(p, q), x.dtype());
                case EQUAL -> backend.toDType(JniUtils.eq(p, q), x.dtype());
                case NOT_EQUAL -> backend.toDType(JniUtils.neq(p, q), x.dtype());
            };
            return backend.wrap(r, shape, x.dtype());
        } catch (RuntimeException e) {
            throw DjlBackend.fail(op, e, x.shape(), y.shape());
        } finally {
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }

    /**
     * Returns {@code x + scale·y}, {@code scale} a 0-d array of the dtype: the product, then {@code x} added
     * into it in place, one new tensor where {@link #binary} twice makes two. Not libtorch's
     * {@code add(x, y, alpha)}, whose CPU kernel fuses the multiply-add and so rounds differently from the
     * default's two ops; an in-place add of {@code x} (its alpha 1, exact under a fused multiply-add too)
     * rounds as {@code binary(ADD)}.
     */
    static DjlArray addScaled(DjlBackend backend, DjlArray x, DjlArray scale, DjlArray y) {
        PtNDArray product = null;
        try {
            product = JniUtils.mul(y.tensor(), scale.tensor());
            JniUtils.addi(product, x.tensor());
            return backend.wrap(product, x.shape(), x.dtype());
        } catch (RuntimeException e) {
            if (product != null) {
                product.close();
            }
            throw DjlBackend.fail("addScaled", e, x.shape(), y.shape());
        } finally {
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
            Reference.reachabilityFence(scale);
        }
    }

    /** Returns {@code c != 0 ? x : y} broadcast to {@code shape}. */
    static DjlArray where(DjlBackend backend, DjlArray c, DjlArray x, DjlArray y, int[] shape) {
        try {
            PtNDArray zero = c.dtype() == DType.FLOAT64 ? backend.zero64 : backend.zero32;
            PtNDArray mask = JniUtils.neq(c.tensor(), zero);
            try {
                return backend.wrap(JniUtils.where(mask, x.tensor(), y.tensor()), shape, x.dtype());
            } finally {
                mask.close();
            }
        } catch (RuntimeException e) {
            throw DjlBackend.fail("where", e, c.shape(), x.shape(), y.shape());
        } finally {
            Reference.reachabilityFence(c);
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }

    /** Returns sign(t) with sign(NaN) = NaN; libtorch's sign gives 0 for NaN. */
    private static PtNDArray sign(PtNDArray t) {
        PtNDArray s = JniUtils.sign(t);
        PtNDArray nan = null;
        try {
            nan = JniUtils.isNaN(t);
            return JniUtils.where(nan, t, s);
        } finally {
            closeAll(s, nan);
        }
    }

    /**
     * Returns {@code a ^ b} as {@link Math#pow}. libtorch follows C's pow, which differs in one corner:
     * when {@code |a| == 1} and {@code b} is NaN or infinite C gives 1 (or NaN for -1^NaN) and Java NaN.
     * Exactly there C's result is 1 and {@code b - b} is NaN, so adding {@code b - b} where the result
     * is 1 fixes it and leaves every other element alone.
     */
    private static PtNDArray pow(DjlBackend backend, PtNDArray a, PtNDArray b, DType dtype) {
        PtNDArray r = JniUtils.pow(a, b);
        PtNDArray diff = null;
        PtNDArray isOne = null;
        PtNDArray fixed = null;
        try {
            diff = JniUtils.sub(b, b);
            isOne = JniUtils.eq(r, dtype == DType.FLOAT64 ? backend.one64 : backend.one32);
            fixed = JniUtils.add(r, diff);
            return JniUtils.where(isOne, fixed, r);
        } finally {
            r.close();
            closeAll(diff, isOne, fixed);
        }
    }

    /**
     * Returns whether {@code a} is one finite number on the CPU (as in {@code x.pow(2)}), where C's pow
     * and {@link Math#pow} agree; reading one element costs less than the four kernels of the fix.
     */
    private static boolean finiteScalar(DjlBackend backend, DjlArray a) {
        return !backend.djlDevice.isGpu() && Shapes.size(a.shape()) == 1
                && Double.isFinite(DjlCreation.toDoubleArray(backend, a)[0]);
    }
}
