package io.polygrad.nd4j;

import static io.polygrad.nd4j.Nd4jArray.alloc;

import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The ND4J backend's native activation kernels: relu and its gradient without the composite's
 * temporaries. The composite takes a {@code maximum} plus a NaN scan forward, and a comparison to
 * bool, a cast and a product backward.
 *
 * <p>Forward, libnd4j's legacy scalar {@code relu} ({@code x < 0 ? 0 : x}, NaN failing the comparison
 * and staying NaN), then {@code + 0} in place, which turns its −0 into the composite's +0
 * ({@code maximum(−0, 0)}) and changes nothing else. libnd4j's {@code CompareAndSet} transform would do
 * both in one pass but runs about 15× slower (its condition is decoded per element). Backward, the
 * pairwise {@code CompareAndSet}, {@code out <= 0 ? out : g}: the result of relu is +0 or positive,
 * infinite or NaN, so this is {@code g} where the result is not 0 and +0 where it is, PyTorch's
 * {@code threshold_backward(grad, result, 0)} (relu'(0) = 0, relu'(NaN) = 1), in one pass.
 * libnd4j's {@code relu_bp} ({@code x > 0 ? g : 0}) gives relu'(NaN) = 0, and
 * {@code Conditions.equals(0)} tests {@code |d| <= 1e-5}, which would drop a tiny result's gradient;
 * {@code lessThanOrEqual} is exact.
 *
 * <p>Where the composite multiplies a masked non-finite gradient by 0 (NaN), this gives 0, as
 * PyTorch; every other element is the composite's value (a masked zero is +0 where the composite's
 * {@code g · 0} carries {@code g}'s sign).
 */
final class Nd4jActivation implements ActivationKernels {

    private final Nd4jBackend backend;

    Nd4jActivation(Nd4jBackend backend) {
        this.backend = backend;
    }

    @Override
    public BackendArray relu(BackendArray input) {
        Nd4jArray x = backend.arg(input);
        return backend.run("relu", x.shape(), x.dtype(), () -> compareAndSet(x, null), x);
    }

    @Override
    public BackendArray reluBackward(BackendArray gradOutput, BackendArray output) {
        Nd4jArray g = backend.arg(gradOutput);
        Nd4jArray y = backend.arg(output);
        return backend.run("reluBackward", y.shape(), g.dtype(), () -> compareAndSet(g, y), g, y);
    }

    /**
     * Returns a new array: {@code relu(x)} without {@code result}, else
     * {@code result <= 0 ? result : x}.
     */
    private static INDArray compareAndSet(Nd4jArray x, Nd4jArray result) {
        INDArray out = alloc(x.shape(), x.dtype());
        if (x.length() == 0) {
            return out;
        }
        try {
            if (result == null) {
                Nd4j.getExecutioner().exec(new RectifiedLinear(x.raw(), out, 0.0));
                Nd4j.getExecutioner().exec(new ScalarAdd(out, null, out, 0.0));
            } else {
                Nd4j.getExecutioner().exec(new CompareAndSet(x.raw(), result.raw(), out, Conditions.lessThanOrEqual(0)));
            }
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }
}
