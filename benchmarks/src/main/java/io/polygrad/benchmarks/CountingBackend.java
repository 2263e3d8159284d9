package io.polygrad.benchmarks;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.ActivationKernels;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Pool2dSpec;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Backend} that forwards every call to another one and counts the calls by kernel
 * (e.g. {@code binary MUL}, {@code reduce SUM}) and the elements they write, to see how many backend
 * kernels a training step issues, how much memory they write and how long they take. Not thread-safe.
 */
final class CountingBackend implements Backend {

    private final Backend delegate;
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<String, Long> elements = new TreeMap<>();
    private final Map<String, Long> nanos = new TreeMap<>();
    private long total;

    CountingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** Returns the calls counted since the last {@link #reset()}, by kernel. */
    Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    /** Returns the elements written by each kernel (sum of result sizes) since the last {@link #reset()}. */
    Map<String, Long> elements() {
        return new TreeMap<>(elements);
    }

    /** Returns the nanoseconds spent in each kernel since the last {@link #reset()}. */
    Map<String, Long> nanos() {
        return new TreeMap<>(nanos);
    }

    /** Returns the number of calls since the last {@link #reset()}. */
    long total() {
        return total;
    }

    /** Forgets the counts. */
    void reset() {
        counts.clear();
        elements.clear();
        nanos.clear();
        total = 0;
    }

    private void count(String kernel) {
        counts.merge(kernel, 1, Integer::sum);
        total++;
    }

    private BackendArray count(String kernel, BackendArray result, long started) {
        nanos.merge(kernel, System.nanoTime() - started, Long::sum);
        count(kernel);
        long n = io.polygrad.spi.Shapes.size(result.shape());
        elements.merge(kernel, n, Long::sum);
        return result;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Device device() {
        return delegate.device();
    }

    @Override
    public BackendArray fromDoubles(double[] data, int[] shape, DType dtype) {
        long t = System.nanoTime();
        return count("fromDoubles", delegate.fromDoubles(data, shape, dtype), t);
    }

    @Override
    public BackendArray fromFloats(float[] data, int[] shape) {
        long t = System.nanoTime();
        return count("fromFloats", delegate.fromFloats(data, shape), t);
    }

    @Override
    public BackendArray full(int[] shape, double value, DType dtype) {
        long t = System.nanoTime();
        return count(shape.length == 0 ? "full (scalar)" : "full", delegate.full(shape, value, dtype), t);
    }

    @Override
    public double[] toDoubleArray(BackendArray a) {
        long t = System.nanoTime();
        double[] out = delegate.toDoubleArray(a);
        nanos.merge("toDoubleArray", System.nanoTime() - t, Long::sum);
        count("toDoubleArray");
        return out;
    }

    @Override
    public float[] toFloatArray(BackendArray a) {
        long t = System.nanoTime();
        float[] out = delegate.toFloatArray(a);
        nanos.merge("toFloatArray", System.nanoTime() - t, Long::sum);
        count("toFloatArray");
        return out;
    }

    @Override
    public BackendArray unary(UnaryOp op, BackendArray a) {
        long t = System.nanoTime();
        return count("unary " + op, delegate.unary(op, a), t);
    }

    @Override
    public BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        long t = System.nanoTime();
        return count("binary " + op, delegate.binary(op, a, b), t);
    }

    @Override
    public BackendArray addScaled(BackendArray a, double alpha, BackendArray b) {
        long t = System.nanoTime();
        return count("addScaled", delegate.addScaled(a, alpha, b), t);
    }

    @Override
    public BackendArray where(BackendArray condition, BackendArray a, BackendArray b) {
        long t = System.nanoTime();
        return count("where", delegate.where(condition, a, b), t);
    }

    @Override
    public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims) {
        long t = System.nanoTime();
        return count("reduce " + op, delegate.reduce(op, a, axes, keepDims), t);
    }

    @Override
    public BackendArray matmul(BackendArray a, BackendArray b) {
        long t = System.nanoTime();
        return count("matmul", delegate.matmul(a, b), t);
    }

    /** Forwards the transposed-operand matmul too (the default would materialise the transposes). */
    @Override
    public BackendArray matmul(BackendArray a, boolean transposeA, BackendArray b, boolean transposeB) {
        long t = System.nanoTime();
        return count("matmul", delegate.matmul(a, transposeA, b, transposeB), t);
    }

    @Override
    public BackendArray reshape(BackendArray a, int[] shape) {
        long t = System.nanoTime();
        return count("reshape", delegate.reshape(a, shape), t);
    }

    @Override
    public BackendArray permute(BackendArray a, int[] axes) {
        long t = System.nanoTime();
        return count("permute", delegate.permute(a, axes), t);
    }

    @Override
    public BackendArray broadcastTo(BackendArray a, int[] shape) {
        long t = System.nanoTime();
        return count("broadcastTo", delegate.broadcastTo(a, shape), t);
    }

    @Override
    public BackendArray slice(BackendArray a, int axis, int start, int end) {
        long t = System.nanoTime();
        return count("slice", delegate.slice(a, axis, start, end), t);
    }

    @Override
    public BackendArray concat(BackendArray[] parts, int axis) {
        long t = System.nanoTime();
        return count("concat", delegate.concat(parts, axis), t);
    }

    @Override
    public BackendArray cumsum(BackendArray a, int axis, boolean reverse) {
        long t = System.nanoTime();
        return count("cumsum", delegate.cumsum(a, axis, reverse), t);
    }

    @Override
    public BackendArray cast(BackendArray a, DType dtype) {
        long t = System.nanoTime();
        return count("cast", delegate.cast(a, dtype), t);
    }

    @Override
    public BackendArray fromLongs(long[] data, int[] shape) {
        long t = System.nanoTime();
        return count("fromLongs", delegate.fromLongs(data, shape), t);
    }

    @Override
    public long[] toLongArray(BackendArray a) {
        count("toLongArray");
        return delegate.toLongArray(a);
    }

    @Override
    public BackendArray argReduce(io.polygrad.spi.ArgReduceOp op, BackendArray a, int axis, boolean keepDims) {
        long t = System.nanoTime();
        return count("argReduce " + op, delegate.argReduce(op, a, axis, keepDims), t);
    }

    @Override
    public BackendArray gather(BackendArray a, int axis, BackendArray index) {
        long t = System.nanoTime();
        return count("gather", delegate.gather(a, axis, index), t);
    }

    @Override
    public BackendArray scatterAdd(BackendArray a, int axis, BackendArray index, BackendArray src) {
        long t = System.nanoTime();
        return count("scatterAdd", delegate.scatterAdd(a, axis, index, src), t);
    }

    @Override
    public BackendArray unfold(BackendArray a, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        long t = System.nanoTime();
        return count("unfold", delegate.unfold(a, kernel, dilation, padding, stride), t);
    }

    @Override
    public BackendArray fold(BackendArray cols, int[] outputSize, int[] kernel, int[] dilation, int[] padding,
            int[] stride) {
        long t = System.nanoTime();
        return count("fold", delegate.fold(cols, outputSize, kernel, dilation, padding, stride), t);
    }

    /** Returns the delegate's fused convolution kernels, each call counted and timed as {@code conv ...}. */
    @Override
    public java.util.Optional<ConvolutionKernels> convolutionKernels() {
        return delegate.convolutionKernels().map(Counted::new);
    }

    /** Returns the delegate's activation kernels, each call counted and timed as {@code act ...}. */
    @Override
    public java.util.Optional<ActivationKernels> activationKernels() {
        return delegate.activationKernels().map(CountedActivation::new);
    }

    /** The delegate's activation kernels, counted. */
    private final class CountedActivation implements ActivationKernels {
        private final ActivationKernels k;

        CountedActivation(ActivationKernels k) {
            this.k = k;
        }

        @Override
        public BackendArray relu(BackendArray input) {
            long t = System.nanoTime();
            return count("act relu", k.relu(input), t);
        }

        @Override
        public BackendArray reluForBackward(BackendArray input) {
            long t = System.nanoTime();
            return count("act reluForBackward", k.reluForBackward(input), t);
        }

        @Override
        public BackendArray reluBackward(BackendArray gradOutput, BackendArray output) {
            long t = System.nanoTime();
            return count("act reluBackward", k.reluBackward(gradOutput, output), t);
        }
    }

    /** The delegate's convolution kernels, counted. */
    private final class Counted implements ConvolutionKernels {
        private final ConvolutionKernels k;

        Counted(ConvolutionKernels k) {
            this.k = k;
        }

        @Override
        public BackendArray conv2d(BackendArray input, BackendArray weight, BackendArray bias, Conv2dSpec spec) {
            long t = System.nanoTime();
            return count("conv conv2d C" + input.shape()[1], k.conv2d(input, weight, bias, spec), t);
        }

        @Override
        public BackendArray conv2dBackwardInput(BackendArray gradOutput, BackendArray weight, int[] inputShape,
                Conv2dSpec spec) {
            long t = System.nanoTime();
            return count("conv conv2dBackwardInput C" + inputShape[1],
                    k.conv2dBackwardInput(gradOutput, weight, inputShape, spec), t);
        }

        @Override
        public BackendArray conv2dBackwardWeight(BackendArray gradOutput, BackendArray input, int[] weightShape,
                Conv2dSpec spec) {
            long t = System.nanoTime();
            return count("conv conv2dBackwardWeight C" + input.shape()[1],
                    k.conv2dBackwardWeight(gradOutput, input, weightShape, spec), t);
        }

        @Override
        public BackendArray conv2dForBackward(BackendArray input, BackendArray weight, BackendArray bias,
                Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
            long t = System.nanoTime();
            return count("conv conv2dForBackward C" + input.shape()[1],
                    k.conv2dForBackward(input, weight, bias, spec, inputGrad, weightGrad), t);
        }

        @Override
        public BackendArray[] conv2dBackward(BackendArray gradOutput, BackendArray input, BackendArray weight,
                BackendArray output, Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
            long t = System.nanoTime();
            BackendArray[] out = k.conv2dBackward(gradOutput, input, weight, output, spec, inputGrad, weightGrad);
            count("conv conv2dBackward C" + input.shape()[1], out[inputGrad ? 0 : 1], t);
            return out;
        }

        @Override
        public BackendArray maxPool2dForBackward(BackendArray input, Pool2dSpec spec) {
            long t = System.nanoTime();
            return count("conv maxPool2dForBackward C" + input.shape()[1], k.maxPool2dForBackward(input, spec), t);
        }

        @Override
        public BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, BackendArray output,
                Pool2dSpec spec) {
            long t = System.nanoTime();
            return count("conv maxPool2dBackward C" + input.shape()[1],
                    k.maxPool2dBackward(gradOutput, input, output, spec), t);
        }

        @Override
        public BackendArray maxPool2d(BackendArray input, Pool2dSpec spec) {
            long t = System.nanoTime();
            return count("conv maxPool2d C" + input.shape()[1], k.maxPool2d(input, spec), t);
        }

        @Override
        public BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, Pool2dSpec spec) {
            long t = System.nanoTime();
            return count("conv maxPool2dBackward C" + input.shape()[1], k.maxPool2dBackward(gradOutput, input, spec),
                    t);
        }

        @Override
        public BackendArray avgPool2d(BackendArray input, Pool2dSpec spec) {
            long t = System.nanoTime();
            return count("conv avgPool2d", k.avgPool2d(input, spec), t);
        }

        @Override
        public BackendArray avgPool2dBackward(BackendArray gradOutput, int[] inputShape, Pool2dSpec spec) {
            long t = System.nanoTime();
            return count("conv avgPool2dBackward", k.avgPool2dBackward(gradOutput, inputShape, spec), t);
        }
    }
}
