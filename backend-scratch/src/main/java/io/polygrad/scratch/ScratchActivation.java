package io.polygrad.scratch;

import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;

/**
 * The scratch backend's activation kernels ({@link ActivationKernels}): relu as one pass
 * {@code max(x, 0)}, and its gradient as one pass {@code out != 0 ? g : 0} (PyTorch's
 * {@code threshold_backward(grad, result, 0)}) where the composite of primitives takes two, a mask
 * and a product, and writes a mask array besides. The gradient masks the bits of {@code g} with an
 * integer select, which the JIT compiles to a conditional move: a {@code float} select would be a
 * branch, mispredicted on a ReLU mask.
 */
final class ScratchActivation implements ActivationKernels {

    private final ScratchBackend backend;

    ScratchActivation(ScratchBackend backend) {
        this.backend = backend;
    }

    /** Returns {@code max(x, 0)} elementwise; {@link Math#max} keeps NaN and gives {@code +0} for {@code -0}. */
    @Override
    public BackendArray relu(BackendArray input) {
        ScratchArray x = ScratchBackend.arg(input);
        if (x.f != null) {
            float[] a = x.f;
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = Math.max(a[i], 0f);
            }
            return new ScratchArray(backend, out, x.shape);
        }
        double[] a = x.d;
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.max(a[i], 0.0);
        }
        return new ScratchArray(backend, out, x.shape);
    }

    /** Returns {@code gradOutput} where {@code output} is not 0 (NaN included) and {@code +0} where it is. */
    @Override
    public BackendArray reluBackward(BackendArray gradOutput, BackendArray output) {
        ScratchArray g = ScratchBackend.arg(gradOutput);
        ScratchArray y = ScratchBackend.arg(output);
        if (g.f != null) {
            float[] out = new float[g.f.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g.f[i]) & (y.f[i] != 0f ? -1 : 0));
            }
            return new ScratchArray(backend, out, g.shape);
        }
        double[] out = new double[g.d.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(g.d[i]) & (y.d[i] != 0.0 ? -1L : 0L));
        }
        return new ScratchArray(backend, out, g.shape);
    }
}
