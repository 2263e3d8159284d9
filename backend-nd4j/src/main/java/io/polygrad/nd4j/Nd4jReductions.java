package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;
import static io.polygrad.nd4j.Nd4jArray.longs;

import io.polygrad.DType;
import io.polygrad.spi.ReduceOp;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The reduction kernels of the ND4J backend: sum, mean, max, min and product over axes, as libnd4j custom ops. */
final class Nd4jReductions {

    private Nd4jReductions() {
    }

    /** Returns {@code op} over {@code axes} of {@code x} as an array of the result {@code shape}. */
    static Nd4jArray reduce(Nd4jBackend backend, ReduceOp op, Nd4jArray x, int[] axes, boolean keepDims,
            int[] shape) {
        try {
            backend.selectDevice();
            DType dt = x.dtype();
            INDArray out = alloc(shape, dt);
            Nd4jOpRunner.exec(reduceName(op), new INDArray[] {x.raw()}, out, longs(axes), new boolean[] {keepDims}, null);
            if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && dt != DType.INT64 && Nd4jNaN.hasNaN(backend, x.raw())) {
                out = Nd4jNaN.patchReduced(out, x.raw(), axes, keepDims, shape, dt);
            }
            return backend.wrap(out, shape, dt);
        } catch (RuntimeException e) {
            throw Nd4jBackend.fail("reduce " + op + " over axes " + Arrays.toString(axes) + (keepDims ? " (keepDims)" : ""),
                    e, x.shape());
        }
    }

    private static String reduceName(ReduceOp op) {
        switch (op) {
            case SUM: return "reduce_sum";
            case MEAN: return "reduce_mean";
            case MAX: return "reduce_max";
            case MIN: return "reduce_min";
            case PROD: return "reduce_prod";
            default: throw new IllegalArgumentException("Unknown reduction " + op);
        }
    }
}
