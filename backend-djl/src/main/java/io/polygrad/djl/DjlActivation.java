package io.polygrad.djl;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.BackendArray;

/**
 * The djl backend's native activation kernels: libtorch's {@code relu}, and its gradient by
 * libtorch's {@code threshold_backward} (PyTorch's {@code ReluBackward0}), one pass each way.
 *
 * <p>{@link #reluForBackward} runs {@code relu} in grad mode on a detached handle of the input and
 * keeps that one-op graph with the result ({@link DjlGraph#recorded}); {@link #reluBackward} walks it
 * ({@code threshold_backward(grad, result, 0)} on the saved result). Without such a graph it re-runs
 * {@code relu} on a leaf holding the result, which gives the same gradient since
 * {@code relu(result) = result}: {@code grad} where the result is not 0, so relu'(0) = 0 and
 * relu'(NaN) = 1, as in PyTorch.
 */
final class DjlActivation implements ActivationKernels {

    private final DjlBackend backend;

    DjlActivation(DjlBackend backend) {
        this.backend = backend;
    }

    @Override
    public BackendArray relu(BackendArray input) {
        DjlArray x = backend.arg(input);
        return DjlGraph.run(backend, "relu", x.shape(), x.dtype(), () -> JniUtils.relu(x.tensor()), x);
    }

    @Override
    public BackendArray reluForBackward(BackendArray input) {
        DjlArray x = backend.arg(input);
        return DjlGraph.recorded(backend, "relu", x.shape(), x.dtype(), new DjlArray[] {x}, new boolean[] {true},
                t -> JniUtils.relu(t[0]), x);
    }

    @Override
    public BackendArray reluBackward(BackendArray gradOutput, BackendArray output) {
        BackendArray[] grads = DjlGraph.throughGraph(backend, "reluBackward", gradOutput, output, new int[] {0},
                new boolean[] {true}, new int[][] {output.shape()});
        if (grads != null) {
            return grads[0];
        }
        DjlArray g = backend.arg(gradOutput);
        DjlArray y = backend.arg(output);
        return DjlGraph.run(backend, "reluBackward", y.shape(), y.dtype(), () -> {
            PtNDArray leaf = JniUtils.detachGradient(y.tensor()); // a new handle on the same storage
            return DjlGraph.gradientOf(leaf, g.tensor(), JniUtils::relu);
        }, g, y);
    }
}
