package io.polygrad.djl;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BackendOutOfMemoryError;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the djl backend's fused kernels ({@link DjlConvolution}, {@link DjlActivation}) run libtorch
 * ops and, since DJL's JNI exposes libtorch's autograd but not its backward kernels, their
 * gradients:
 * <ul>
 *   <li>{@link #recorded}: a forward for a backward to come runs in grad mode on detached handles of
 *       its operands, those whose gradient will be asked requiring one, and its result keeps that
 *       one-op graph ({@link DjlArray} holds the leaves); {@link #throughGraph} walks it once with
 *       the upstream gradient ({@code backward}, {@code retain_graph = false}) and returns the
 *       leaves' gradients: libtorch's own backward kernel on the forward's saved state, no forward
 *       re-run, as a libtorch autograd user gets it. Detached handles share storage and keep the
 *       graph's operands alive however polygrad closes its arrays; a later op on the result that
 *       runs in grad mode detaches it again, so graphs never join.</li>
 *   <li>{@link #gradientOf}: the fallback when no such graph is there (the result was made by the
 *       plain forward, released, or its graph already walked by a retained polygrad graph's first
 *       backward): the op re-run on a fresh leaf in grad mode, then {@code backward}.</li>
 * </ul>
 * Grad mode is switched on only around the recorded op and restored after; polygrad never changes an
 * array in place, so libtorch's version checks never fire on a kept graph.
 */
final class DjlGraph {

    private DjlGraph() {
    }

    /**
     * Runs {@code forward} in grad mode on new detached handles of {@code operands} (null ones stay
     * null), those with {@code grads[i]} requiring a gradient, and returns its result as an array that
     * keeps these leaves and so the one-op graph; the other handles are closed. Detaching matters: an
     * operand may itself carry such a graph, which this op must neither extend nor walk.
     */
    static BackendArray recorded(DjlBackend backend, String op, int[] shape, DType dtype, DjlArray[] operands,
            boolean[] grads, Function<PtNDArray[], PtNDArray> forward, DjlArray... args) {
        return runArray(backend, op, shape, dtype, () -> {
            PtNDArray[] handles = new PtNDArray[operands.length];
            PtNDArray result = null;
            boolean gradMode = JniUtils.isGradMode();
            try {
                for (int i = 0; i < operands.length; i++) {
                    if (operands[i] != null) {
                        handles[i] = JniUtils.detachGradient(operands[i].tensor());
                        if (grads[i]) {
                            JniUtils.attachGradient(handles[i], true);
                        }
                    }
                }
                if (!gradMode) {
                    JniUtils.setGradMode(true);
                }
                result = forward.apply(handles);
            } finally {
                if (!gradMode) {
                    JniUtils.setGradMode(false);
                }
                if (result == null) {
                    DjlBackend.closeAll(handles);
                }
            }
            PtNDArray[] leaves = new PtNDArray[handles.length];
            for (int i = 0; i < handles.length; i++) {
                if (grads[i]) {
                    leaves[i] = handles[i];
                } else if (handles[i] != null) {
                    handles[i].close();
                }
            }
            return new DjlArray(backend, result, shape.clone(), dtype, leaves);
        }, args);
    }

    /**
     * Returns the gradients at the leaves of the graph that {@code output} keeps (null where
     * {@code wanted} is false), of the shapes given, by one libtorch {@code backward} from
     * {@code output} with upstream {@code gradOutput}; or null, computing nothing, when {@code output}
     * is null or released, has no graph, its graph was already walked, or it lacks a leaf in
     * {@code needed}.
     */
    static BackendArray[] throughGraph(DjlBackend backend, String op, BackendArray gradOutput, BackendArray output,
            int[] needed, boolean[] wanted, int[][] shapes) {
        if (!(output instanceof DjlArray out)) {
            return null;
        }
        try {
            out.acquire();
        } catch (IllegalStateException released) {
            return null;
        }
        try {
            PtNDArray[] leaves = out.takeGraph(needed);
            if (leaves == null) {
                return null;
            }
            DjlArray g = backend.arg(gradOutput);
            BackendArray[] grads = new BackendArray[leaves.length];
            try {
                g.acquire();
                try {
                    JniUtils.backward(out.tensor(), g.tensor(), false, false);
                } finally {
                    g.release();
                }
                for (int i = 0; i < leaves.length; i++) {
                    if (leaves[i] == null) {
                        continue;
                    }
                    PtNDArray grad = JniUtils.getGradient(leaves[i]);
                    if (grad == null) {
                        throw new IllegalStateException("libtorch's backward left operand " + i + " without a gradient");
                    }
                    if (wanted[i]) {
                        grads[i] = backend.wrap(grad, shapes[i].clone(), out.dtype());
                    } else {
                        grad.close();
                    }
                }
                return grads;
            } catch (RuntimeException e) {
                for (BackendArray a : grads) {
                    if (a != null) {
                        a.close();
                    }
                }
                if (backend.isOutOfMemory(e)) {
                    throw new BackendOutOfMemoryError(DjlBackend.NAME, op, out.shape(), out.dtype(), e);
                }
                if (e instanceof IllegalStateException && gradOutput.isClosed()) {
                    throw e; // the "released" error of a closed upstream gradient
                }
                throw DjlBackend.fail(op, e, gradOutput.shape(), out.shape());
            }
        } finally {
            out.release();
            Reference.reachabilityFence(out);
        }
    }

    /**
     * Returns the gradient at {@code leaf} of {@code sum(op(leaf) * upstream)}, by libtorch's autograd
     * with grad mode on; closes {@code leaf} and the graph's output.
     */
    static PtNDArray gradientOf(PtNDArray leaf, PtNDArray upstream, Function<PtNDArray, PtNDArray> op) {
        boolean gradMode = JniUtils.isGradMode();
        PtNDArray out = null;
        try {
            if (!gradMode) {
                JniUtils.setGradMode(true);
            }
            JniUtils.attachGradient(leaf, true);
            out = op.apply(leaf);
            JniUtils.backward(out, upstream, false, false);
            return JniUtils.getGradient(leaf);
        } finally {
            if (!gradMode) {
                JniUtils.setGradMode(false);
            }
            DjlBackend.closeAll(out, leaf);
        }
    }

    /**
     * Runs {@code kernel} with every argument held, and wraps its tensor as an array of {@code shape}:
     * a closed argument gives the "released" error, an allocation failure a
     * {@link BackendOutOfMemoryError}, any other failure a {@link io.polygrad.spi.BackendException}
     * naming the op and the argument shapes.
     */
    static BackendArray run(DjlBackend backend, String op, int[] shape, DType dtype, Supplier<PtNDArray> kernel,
            DjlArray... args) {
        return runArray(backend, op, shape, dtype, () -> backend.wrap(kernel.get(), shape.clone(), dtype), args);
    }

    /** {@link #run(DjlBackend, String, int[], DType, Supplier, DjlArray...)} for a kernel that makes its array. */
    static BackendArray runArray(DjlBackend backend, String op, int[] shape, DType dtype,
            Supplier<BackendArray> kernel, DjlArray... args) {
        int held = 0;
        int[][] shapes = new int[args.length][];
        try {
            for (DjlArray a : args) {
                if (a != null) {
                    a.acquire();
                    shapes[held] = a.shape();
                }
                held++;
            }
            return kernel.get();
        } catch (RuntimeException e) {
            if (backend.isOutOfMemory(e)) {
                throw new BackendOutOfMemoryError(DjlBackend.NAME, op, shape, dtype, e);
            }
            if (e instanceof IllegalStateException && held < args.length) {
                throw e; // the "released" error of a closed argument
            }
            throw DjlBackend.fail(op, e, Arrays.stream(shapes).filter(s -> s != null).toArray(int[][]::new));
        } finally {
            for (int i = 0; i < held; i++) {
                if (args[i] != null) {
                    args[i].release();
                }
            }
            Reference.reachabilityFence(args);
        }
    }
}
