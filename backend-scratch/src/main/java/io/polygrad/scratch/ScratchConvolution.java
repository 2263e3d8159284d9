package io.polygrad.scratch;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Im2col;
import io.polygrad.spi.Pool2dSpec;
import java.util.concurrent.ForkJoinTask;

/**
 * The convolution family of the scratch backend: the {@code unfold}/{@code fold} primitives and the
 * fused {@link ConvolutionKernels} fast path.
 *
 * <p>A convolution splits its batch over the backend's threads ({@link ScratchMatmul#POOL}), and each
 * task multiplies with the serial matmul kernel, so the whole batch's block matrix never exists at once.
 * float32 takes the images in chunks of about {@value #CHUNK_COLUMNS} output positions: the chunk's
 * blocks (im2col, {@link Im2col}) side by side in a reused per-task buffer, multiplied by the group's
 * weight matrix in one product (SIMD tiles, transposed operands read in place); the input gradient
 * multiplies the chunk's output gradients by the transposed weight and folds back (col2im); the weight
 * gradient of each chunk, {@code cols · gOutᵀ}, goes to its own accumulator, and the accumulators are
 * added in chunk order, so the result does not depend on the thread count. float64 runs image by image,
 * each task summing its images' weight gradients into its own accumulator, added in task order.
 * Pooling loops over the {@code N·C} planes directly, in parallel.
 */
final class ScratchConvolution implements ConvolutionKernels {

    private final ScratchBackend backend;

    ScratchConvolution(ScratchBackend backend) {
        this.backend = backend;
    }

    // ---------------------------------------------------------------- unfold / fold primitives

    static ScratchArray unfold(ScratchBackend backend, ScratchArray a, int[] kernel, int[] dilation, int[] padding,
            int[] stride, int[] shape) {
        Im2col.Geometry g = Im2col.geometry(a.shape, kernel, dilation, padding, stride);
        int n = a.shape[0];
        return a.f != null ? new ScratchArray(backend, Im2col.unfoldBatch(g, n, a.f), shape)
                : new ScratchArray(backend, Im2col.unfoldBatch(g, n, a.d), shape);
    }

    static ScratchArray fold(ScratchBackend backend, ScratchArray cols, int[] kernel, int[] dilation, int[] padding,
            int[] stride, int[] shape) {
        Im2col.Geometry g = Im2col.geometry(shape, kernel, dilation, padding, stride);
        int n = shape[0];
        return cols.f != null ? new ScratchArray(backend, Im2col.foldBatch(g, n, cols.f), shape)
                : new ScratchArray(backend, Im2col.foldBatch(g, n, cols.d), shape);
    }

    // ---------------------------------------------------------------- geometry shared by the kernels

    /** The output positions the float32 kernels aim to put in one product's columns ({@link Conv#chunkImages}). */
    private static final int CHUNK_COLUMNS = 1024;

    /** One convolution's sizes: batch, groups, per-group channels and weight matrix, and the per-group image geometry. */
    private record Conv(int n, int groups, int cg, int og, int rg, int l, Im2col.Geometry gg, int imageSize,
            int outImage) {

        static Conv of(int[] inputShape, int[] weightShape, Conv2dSpec spec) {
            int groups = spec.groups();
            int cg = inputShape[1] / groups;
            int og = weightShape[0] / groups;
            int[] groupShape = {inputShape[0], cg, inputShape[2], inputShape[3]};
            Im2col.Geometry gg = Im2col.geometry(groupShape, new int[] {weightShape[2], weightShape[3]},
                    spec.dilation(), spec.padding(), spec.stride());
            int l = gg.blocks();
            return new Conv(inputShape[0], groups, cg, og, gg.rows(), l, gg, inputShape[1] * inputShape[2] * inputShape[3],
                    weightShape[0] * l);
        }

        int groupInputOffset(int b, int gi) {
            return b * imageSize + gi * cg * gg.h() * gg.w();
        }

        int groupOutputOffset(int b, int gi) {
            return b * outImage + gi * og * l;
        }

        /**
         * Returns how many images the float32 kernels put side by side in one product: about
         * {@value ScratchConvolution#CHUNK_COLUMNS} output positions, fixed by the shapes alone, so the chunks (and the
         * weight gradient's sums) are the same for any thread count.
         */
        int chunkImages() {
            return Math.max(1, Math.min(n, CHUNK_COLUMNS / Math.max(1, l)));
        }

        /** Returns how many chunks of {@link #chunkImages} images the batch has. */
        int chunks() {
            return (n + chunkImages() - 1) / chunkImages();
        }
    }

    /** A body run for the images {@code [b0, b1)} by task {@code task}. */
    @FunctionalInterface
    private interface Images {
        void run(int task, int b0, int b1);
    }

    /** Runs {@code body} over {@code n} images split into at most {@code tasks} contiguous ranges; returns the task count. */
    private static int parallel(int n, int tasks, Images body) {
        if (tasks <= 1) {
            body.run(0, 0, n);
            return 1;
        }
        ForkJoinTask<?>[] running = new ForkJoinTask<?>[tasks];
        for (int t = 0; t < tasks; t++) {
            int task = t;
            int b0 = (int) ((long) n * t / tasks);
            int b1 = (int) ((long) n * (t + 1) / tasks);
            running[t] = ScratchMatmul.POOL.submit(() -> body.run(task, b0, b1));
        }
        for (ForkJoinTask<?> r : running) {
            r.join();
        }
        return tasks;
    }

    /**
     * Returns how many tasks to split {@code n} images over, given the work of one image in multiply-adds:
     * one when the whole is small, else as many as the backend's thread count ({@link ScratchMatmul#threads()}).
     */
    private static int tasks(int n, long workPerImage) {
        if (workPerImage * n < (1L << 16)) {
            return 1;
        }
        return Math.max(1, Math.min(n, ScratchMatmul.threads()));
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public BackendArray conv2d(BackendArray input, BackendArray weight, BackendArray bias, Conv2dSpec spec) {
        return held(() -> {
            ScratchArray x = ScratchBackend.arg(input);
            ScratchArray w = ScratchBackend.arg(weight);
            ScratchArray bs = bias == null ? null : ScratchBackend.arg(bias);
            Conv cv = Conv.of(x.shape, w.shape, spec);
            int[] shape = {cv.n, w.shape[0], cv.gg.oh(), cv.gg.ow()};
            int tasks = tasks(cv.n, (long) w.shape[0] * cv.rg * cv.l);
            if (x.f != null) {
                float[] out = new float[cv.n * cv.outImage];
                int per = cv.chunkImages();
                parallel(cv.chunks(), Math.min(tasks, cv.chunks()),
                        (t, c0, c1) -> forward(cv, x.f, w.f, bs == null ? null : bs.f, out, c0 * per, Math.min(cv.n, c1 * per)));
                return new ScratchArray(backend, out, shape);
            }
            double[] out = new double[cv.n * cv.outImage];
            parallel(cv.n, tasks, (t, b0, b1) -> forward(cv, x.d, w.d, bs == null ? null : bs.d, out, b0, b1));
            return new ScratchArray(backend, out, shape);
        }, input, weight, bias);
    }

    @Override
    public BackendArray conv2dBackwardInput(BackendArray gradOutput, BackendArray weight, int[] inputShape,
            Conv2dSpec spec) {
        return held(() -> backward(ScratchBackend.arg(gradOutput), null, ScratchBackend.arg(weight), inputShape, spec,
                true, false)[0], gradOutput, weight);
    }

    @Override
    public BackendArray conv2dBackwardWeight(BackendArray gradOutput, BackendArray input, int[] weightShape,
            Conv2dSpec spec) {
        return held(() -> {
            ScratchArray x = ScratchBackend.arg(input);
            Conv cv = Conv.of(x.shape, weightShape, spec);
            return weightGradient(ScratchBackend.arg(gradOutput), x, cv, weightShape, spec);
        }, gradOutput, input);
    }

    /**
     * Returns both gradients from one pass over the batch: each task takes its images' input gradients
     * and its partial weight gradient in turn, with the same sums as the single-gradient methods.
     */
    @Override
    public BackendArray[] conv2dBackward(BackendArray gradOutput, BackendArray input, BackendArray weight,
            BackendArray output, Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
        BackendArray[] result = new BackendArray[2];
        held(() -> {
            BackendArray[] r = backward(ScratchBackend.arg(gradOutput), ScratchBackend.arg(input),
                    ScratchBackend.arg(weight), input.shape(), spec, inputGrad, weightGrad);
            result[0] = r[0];
            result[1] = r[1];
            return null;
        }, gradOutput, input, weight);
        return result;
    }

    private BackendArray weightGradient(ScratchArray go, ScratchArray x, Conv cv, int[] weightShape, Conv2dSpec spec) {
        int tasks = tasks(cv.n, (long) weightShape[0] * cv.rg * cv.l);
        int size = weightShape[0] * cv.rg;
        if (go.f != null) {
            float[][] partial = new float[cv.chunks()][size];
            parallel(cv.chunks(), Math.min(tasks, cv.chunks()),
                    (t, c0, c1) -> backward(cv, go.f, null, x.f, null, partial, c0, c1));
            return new ScratchArray(backend, untransposed(sum(partial), cv), weightShape.clone());
        }
        double[][] partial = new double[tasks][size];
        parallel(cv.n, tasks, (t, b0, b1) -> weightGradient(cv, go.d, x.d, partial[t], b0, b1));
        return new ScratchArray(backend, sum(partial), weightShape.clone());
    }

    /** Returns {@code {gradInput, gradWeight}} (each null when not asked for); {@code x} may be null without {@code weightGrad}. */
    private BackendArray[] backward(ScratchArray go, ScratchArray x, ScratchArray w, int[] inputShape,
            Conv2dSpec spec, boolean inputGrad, boolean weightGrad) {
        Conv cv = Conv.of(inputShape, w.shape, spec);
        int tasks = tasks(cv.n, (long) w.shape[0] * cv.rg * cv.l);
        int size = w.shape[0] * cv.rg;
        if (go.f != null) {
            float[] gi = inputGrad ? new float[cv.n * cv.imageSize] : null;
            float[][] partial = weightGrad ? new float[cv.chunks()][size] : null;
            parallel(cv.chunks(), Math.min(tasks, cv.chunks()),
                    (t, c0, c1) -> backward(cv, go.f, inputGrad ? w.f : null, weightGrad ? x.f : null, gi, partial, c0, c1));
            return new BackendArray[] {inputGrad ? new ScratchArray(backend, gi, inputShape.clone()) : null,
                weightGrad ? new ScratchArray(backend, untransposed(sum(partial), cv), w.shape.clone()) : null};
        }
        double[] wt = inputGrad ? transposedGroups(w.d, cv) : null;
        double[] gi = inputGrad ? new double[cv.n * cv.imageSize] : null;
        double[][] partial = weightGrad ? new double[tasks][size] : null;
        parallel(cv.n, tasks, (t, b0, b1) -> {
            if (inputGrad) {
                inputGradient(cv, wt, go.d, gi, b0, b1);
            }
            if (weightGrad) {
                weightGradient(cv, go.d, x.d, partial[t], b0, b1);
            }
        });
        return new BackendArray[] {inputGrad ? new ScratchArray(backend, gi, inputShape.clone()) : null,
            weightGrad ? new ScratchArray(backend, sum(partial), w.shape.clone()) : null};
    }

    /**
     * Writes the convolution of the images {@code [b0, b1)} into {@code out}, plus the bias: per chunk
     * of {@link Conv#chunkImages} images and per group, the images' blocks side by side
     * ({@code [rg, count·L]}), one product with the group's weight, and the product's columns copied
     * to each image's output. Each output element is the same sum, in the same order, as a product
     * per image.
     */
    private static void forward(Conv cv, float[] x, float[] w, float[] bias, float[] out, int b0, int b1) {
        int width = cv.chunkImages() * cv.l;
        float[] cols = ScratchBuffers.floats(cv.rg * width);
        float[] prod = ScratchBuffers.floats(cv.og * width);
        try {
            for (int c0 = b0; c0 < b1; c0 += cv.chunkImages()) {
                int count = Math.min(b1, c0 + cv.chunkImages()) - c0;
                int cw = count * cv.l;
                for (int g = 0; g < cv.groups; g++) {
                    for (int i = 0; i < count; i++) {
                        ScratchIm2col.unfold(cv.gg, x, cv.groupInputOffset(c0 + i, g), cols, i * cv.l, cw);
                    }
                    java.util.Arrays.fill(prod, 0, cv.og * cw, 0f);
                    ScratchMatmul.multiplySerial(w, g * cv.og * cv.rg, false, cols, 0, false, prod, 0, cv.og, cv.rg, cw);
                    for (int i = 0; i < count; i++) {
                        for (int o = 0; o < cv.og; o++) {
                            int src = o * cw + i * cv.l;
                            int dst = cv.groupOutputOffset(c0 + i, g) + o * cv.l;
                            if (bias == null) {
                                System.arraycopy(prod, src, out, dst, cv.l);
                            } else {
                                float v = bias[g * cv.og + o];
                                for (int j = 0; j < cv.l; j++) {
                                    out[dst + j] = prod[src + j] + v;
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            ScratchBuffers.release(cols, null);
            ScratchBuffers.release(prod, null);
        }
    }

    /**
     * Adds the gradients of the chunks {@code [c0, c1)} (of {@link Conv#chunkImages} images each):
     * with {@code w}, the input gradients into {@code gi} ({@code fold(Wᵀ · gOut)}); with {@code x},
     * each chunk's transposed weight gradient into {@code partial[chunk]} ({@code cols · gOutᵀ},
     * {@code [rg, og]} per group, summed over the chunk's images and output positions in one product:
     * the blocks are the product's left operand, packed in cache-sized slivers, and the narrow output
     * gradient the right one). Per group, the chunk's output gradients are first copied side by side
     * ({@code [og, count·L]}), and so are its blocks.
     */
    private static void backward(Conv cv, float[] go, float[] w, float[] x, float[] gi, float[][] partial,
            int c0, int c1) {
        int width = cv.chunkImages() * cv.l;
        float[] cols = ScratchBuffers.floats(cv.rg * width);
        float[] gos = ScratchBuffers.floats(cv.og * width);
        try {
            for (int chunk = c0; chunk < c1; chunk++) {
                int b0 = chunk * cv.chunkImages();
                int count = Math.min(cv.n, b0 + cv.chunkImages()) - b0;
                int cw = count * cv.l;
                for (int g = 0; g < cv.groups; g++) {
                    for (int i = 0; i < count; i++) {
                        for (int o = 0; o < cv.og; o++) {
                            System.arraycopy(go, cv.groupOutputOffset(b0 + i, g) + o * cv.l, gos, o * cw + i * cv.l,
                                    cv.l);
                        }
                    }
                    if (w != null) {
                        java.util.Arrays.fill(cols, 0, cv.rg * cw, 0f);
                        ScratchMatmul.multiplySerial(w, g * cv.og * cv.rg, true, gos, 0, false, cols, 0, cv.rg, cv.og,
                                cw);
                        for (int i = 0; i < count; i++) {
                            ScratchIm2col.fold(cv.gg, cols, i * cv.l, cw, gi, cv.groupInputOffset(b0 + i, g));
                        }
                    }
                    if (x != null) {
                        for (int i = 0; i < count; i++) {
                            ScratchIm2col.unfold(cv.gg, x, cv.groupInputOffset(b0 + i, g), cols, i * cv.l, cw);
                        }
                        ScratchMatmul.multiplySerial(cols, 0, false, gos, 0, true, partial[chunk], g * cv.og * cv.rg,
                                cv.rg, cw, cv.og);
                    }
                }
            }
        } finally {
            ScratchBuffers.release(cols, null);
            ScratchBuffers.release(gos, null);
        }
    }

    private static void forward(Conv cv, double[] x, double[] w, double[] bias, double[] out, int b0, int b1) {
        double[] cols = ScratchBuffers.doubles(cv.rg * cv.l);
        try {
            for (int b = b0; b < b1; b++) {
                for (int g = 0; g < cv.groups; g++) {
                    ScratchIm2col.unfold(cv.gg, x, cv.groupInputOffset(b, g), cols, 0, cv.l);
                    ScratchMatmul.multiplySerial(w, g * cv.og * cv.rg, cols, 0, out, cv.groupOutputOffset(b, g), cv.og,
                            cv.rg, cv.l);
                }
                if (bias != null) {
                    for (int o = 0, p = b * cv.outImage; o < bias.length; o++) {
                        double v = bias[o];
                        for (int j = 0; j < cv.l; j++, p++) {
                            out[p] += v;
                        }
                    }
                }
            }
        } finally {
            ScratchBuffers.release(cols, null);
        }
    }

    /** Adds the input gradients of the images {@code [b0, b1)} into {@code gi}: {@code fold(Wᵀ · gOut)} per group. */
    private static void inputGradient(Conv cv, double[] wt, double[] go, double[] gi, int b0, int b1) {
        int length = cv.rg * cv.l;
        double[] cols = ScratchBuffers.doubles(length);
        try {
            for (int b = b0; b < b1; b++) {
                for (int g = 0; g < cv.groups; g++) {
                    java.util.Arrays.fill(cols, 0, length, 0.0);
                    ScratchMatmul.multiplySerial(wt, g * cv.og * cv.rg, go, cv.groupOutputOffset(b, g), cols, 0, cv.rg,
                            cv.og, cv.l);
                    ScratchIm2col.fold(cv.gg, cols, 0, gi, cv.groupInputOffset(b, g));
                }
            }
        } finally {
            ScratchBuffers.release(cols, null);
        }
    }

    /** Adds the weight gradient of the images {@code [b0, b1)} into {@code gw}: {@code gOut · colsᵀ} per image and group. */
    private static void weightGradient(Conv cv, double[] go, double[] x, double[] gw, int b0, int b1) {
        double[] colsT = ScratchBuffers.doubles(cv.l * cv.rg);
        try {
            for (int b = b0; b < b1; b++) {
                for (int g = 0; g < cv.groups; g++) {
                    ScratchIm2col.unfoldTransposed(cv.gg, x, cv.groupInputOffset(b, g), colsT, 0);
                    ScratchMatmul.multiplySerial(go, cv.groupOutputOffset(b, g), colsT, 0, gw, g * cv.og * cv.rg, cv.og,
                            cv.l, cv.rg);
                }
            }
        } finally {
            ScratchBuffers.release(colsT, null);
        }
    }

    /** Returns each group's {@code [rg, og]} block of {@code t} transposed to the weight's {@code [og, rg]}. */
    private static float[] untransposed(float[] t, Conv cv) {
        float[] w = new float[t.length];
        ScratchMatmul.transpose(t, w, cv.groups, cv.rg, cv.og);
        return w;
    }

    /** Returns the per-task (float32: per-chunk) partial sums added in order, into the first. */
    private static float[] sum(float[][] partial) {
        float[] s = partial[0];
        for (int t = 1; t < partial.length; t++) {
            for (int i = 0; i < s.length; i++) {
                s[i] += partial[t][i];
            }
        }
        return s;
    }

    private static double[] sum(double[][] partial) {
        double[] s = partial[0];
        for (int t = 1; t < partial.length; t++) {
            for (int i = 0; i < s.length; i++) {
                s[i] += partial[t][i];
            }
        }
        return s;
    }

    /** Returns each group's weight matrix {@code [og, rg]} transposed to {@code [rg, og]}, groups one after another. */
    private static double[] transposedGroups(double[] w, Conv cv) {
        double[] t = new double[w.length];
        for (int g = 0; g < cv.groups; g++) {
            int base = g * cv.og * cv.rg;
            for (int o = 0; o < cv.og; o++) {
                for (int r = 0; r < cv.rg; r++) {
                    t[base + r * cv.og + o] = w[base + o * cv.rg + r];
                }
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- pooling

    /** One pooling's sizes over the {@code N·C} planes. */
    private record Pool(int planes, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw,
            boolean countIncludePad) {

        static Pool of(int[] s, Pool2dSpec spec) {
            return new Pool(s[0] * s[1], s[2], s[3], spec.outputSize(0, s[2]), spec.outputSize(1, s[3]), spec.kernel()[0],
                    spec.kernel()[1], spec.stride()[0], spec.stride()[1], spec.padding()[0], spec.padding()[1],
                    spec.countIncludePad());
        }

        int[] outputShape(int[] s) {
            return new int[] {s[0], s[1], oh, ow};
        }

        /** Returns the number of input elements in the window at {@code (y, x)}, or the kernel area with {@code countIncludePad}. */
        int divisor(int y, int x) {
            if (countIncludePad) {
                return kh * kw;
            }
            int y0 = Math.max(y * sh - ph, 0);
            int y1 = Math.min(y * sh - ph + kh, h);
            int x0 = Math.max(x * sw - pw, 0);
            int x1 = Math.min(x * sw - pw + kw, w);
            return (y1 - y0) * (x1 - x0);
        }
    }

    /**
     * Returns the flat in-plane index of the first maximum of the window at {@code (y, x)} (a NaN wins,
     * the last one when there are several, as in PyTorch's CPU kernel).
     */
    private static int argmax(Pool p, float[] in, int plane, int y, int x) {
        if (p.ph == 0 && p.pw == 0) {
            return argmaxInside(p, in, plane, y, x);
        }
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < p.kh; i++) {
            int yy = y * p.sh - p.ph + i;
            if (yy < 0 || yy >= p.h) {
                continue;
            }
            for (int j = 0; j < p.kw; j++) {
                int xx = x * p.sw - p.pw + j;
                if (xx < 0 || xx >= p.w) {
                    continue;
                }
                float v = in[plane + yy * p.w + xx];
                if (best < 0 || v > max || Float.isNaN(v)) {
                    max = v;
                    best = yy * p.w + xx;
                }
            }
        }
        return best;
    }

    private static int argmax(Pool p, double[] in, int plane, int y, int x) {
        if (p.ph == 0 && p.pw == 0) {
            return argmaxInside(p, in, plane, y, x);
        }
        int best = -1;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.kh; i++) {
            int yy = y * p.sh - p.ph + i;
            if (yy < 0 || yy >= p.h) {
                continue;
            }
            for (int j = 0; j < p.kw; j++) {
                int xx = x * p.sw - p.pw + j;
                if (xx < 0 || xx >= p.w) {
                    continue;
                }
                double v = in[plane + yy * p.w + xx];
                if (best < 0 || v > max || Double.isNaN(v)) {
                    max = v;
                    best = yy * p.w + xx;
                }
            }
        }
        return best;
    }

    /**
     * {@link #argmax} of a window that lies inside the plane (no padding, floor mode), without bounds
     * tests, and with the choice written as selects rather than branches, which random data mispredicts.
     */
    private static int argmaxInside(Pool p, float[] in, int plane, int y, int x) {
        int start = y * p.sh * p.w + x * p.sw;
        int best = start;
        float max = in[plane + start];
        for (int i = 0; i < p.kh; i++) {
            for (int j = 0, q = start + i * p.w; j < p.kw; j++, q++) {
                float v = in[plane + q];
                boolean take = v > max | v != v;
                max = take ? v : max;
                best = take ? q : best;
            }
        }
        return best;
    }

    /**
     * {@link #argmax} of a window that lies inside the plane (no padding, floor mode), without bounds
     * tests, and with the choice written as selects rather than branches, which random data mispredicts.
     */
    private static int argmaxInside(Pool p, double[] in, int plane, int y, int x) {
        int start = y * p.sh * p.w + x * p.sw;
        int best = start;
        double max = in[plane + start];
        for (int i = 0; i < p.kh; i++) {
            for (int j = 0, q = start + i * p.w; j < p.kw; j++, q++) {
                double v = in[plane + q];
                boolean take = v > max | v != v;
                max = take ? v : max;
                best = take ? q : best;
            }
        }
        return best;
    }

    /**
     * Max pooling of one unpadded plane at {@code in[plane]}: with {@code out}, writes each window's
     * maximum to {@code out[o...]}; else adds each window's gradient {@code go[o...]} to its maximum's
     * position in {@code gi}. {@link #argmaxInside}'s choice; a 2×2 window takes its maximum (NaN
     * if any) and then the first position equal to it, which picks the same element without float branches.
     */
    private static void maxInside(Pool p, float[] in, int plane, float[] out, int o, float[] go, float[] gi) {
        boolean two = p.kh == 2 && p.kw == 2;
        for (int y = 0; y < p.oh; y++) {
            for (int xo = 0; xo < p.ow; xo++, o++) {
                int best;
                if (two) {
                    // the maximum, then the first position holding it (int selects, no float branches)
                    int q = y * p.sh * p.w + xo * p.sw;
                    float v0 = in[plane + q];
                    float v1 = in[plane + q + 1];
                    float v2 = in[plane + q + p.w];
                    float v3 = in[plane + q + p.w + 1];
                    float max = Math.max(Math.max(v0, v1), Math.max(v2, v3));
                    if (max != max) {
                        best = argmaxInside(p, in, plane, y, xo);
                    } else {
                        best = q + p.w + 1;
                        best = v2 == max ? q + p.w : best;
                        best = v1 == max ? q + 1 : best;
                        best = v0 == max ? q : best;
                    }
                } else {
                    best = argmaxInside(p, in, plane, y, xo);
                }
                if (out != null) {
                    out[o] = in[plane + best];
                } else {
                    gi[plane + best] += go[o];
                }
            }
        }
    }

    /**
     * Max pooling of one unpadded plane at {@code in[plane]}: with {@code out}, writes each window's
     * maximum to {@code out[o...]}; else adds each window's gradient {@code go[o...]} to its maximum's
     * position in {@code gi}. {@link #argmaxInside}'s choice; a 2×2 window takes its maximum (NaN
     * if any) and then the first position equal to it, which picks the same element without float branches.
     */
    private static void maxInside(Pool p, double[] in, int plane, double[] out, int o, double[] go, double[] gi) {
        boolean two = p.kh == 2 && p.kw == 2;
        for (int y = 0; y < p.oh; y++) {
            for (int xo = 0; xo < p.ow; xo++, o++) {
                int best;
                if (two) {
                    // the maximum, then the first position holding it (int selects, no float branches)
                    int q = y * p.sh * p.w + xo * p.sw;
                    double v0 = in[plane + q];
                    double v1 = in[plane + q + 1];
                    double v2 = in[plane + q + p.w];
                    double v3 = in[plane + q + p.w + 1];
                    double max = Math.max(Math.max(v0, v1), Math.max(v2, v3));
                    if (max != max) {
                        best = argmaxInside(p, in, plane, y, xo);
                    } else {
                        best = q + p.w + 1;
                        best = v2 == max ? q + p.w : best;
                        best = v1 == max ? q + 1 : best;
                        best = v0 == max ? q : best;
                    }
                } else {
                    best = argmaxInside(p, in, plane, y, xo);
                }
                if (out != null) {
                    out[o] = in[plane + best];
                } else {
                    gi[plane + best] += go[o];
                }
            }
        }
    }

    /** The per-plane body of a pooling kernel. */
    @FunctionalInterface
    private interface Planes {
        void run(int plane);
    }

    private static void planes(Pool p, Planes body) {
        parallel(p.planes, tasks(p.planes, (long) p.oh * p.ow * p.kh * p.kw), (t, c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                body.run(c);
            }
        });
    }

    @Override
    public BackendArray maxPool2d(BackendArray input, Pool2dSpec spec) {
        return held(() -> {
            ScratchArray x = ScratchBackend.arg(input);
            Pool p = Pool.of(x.shape, spec);
            int hw = p.h * p.w;
            int ohw = p.oh * p.ow;
            if (x.f != null) {
                float[] out = new float[p.planes * ohw];
                planes(p, c -> {
                    if (p.ph == 0 && p.pw == 0) {
                        maxInside(p, x.f, c * hw, out, c * ohw, null, null);
                        return;
                    }
                    for (int y = 0, o = c * ohw; y < p.oh; y++) {
                        for (int xo = 0; xo < p.ow; xo++, o++) {
                            out[o] = x.f[c * hw + argmax(p, x.f, c * hw, y, xo)];
                        }
                    }
                });
                return new ScratchArray(backend, out, p.outputShape(x.shape));
            }
            double[] out = new double[p.planes * ohw];
            planes(p, c -> {
                if (p.ph == 0 && p.pw == 0) {
                    maxInside(p, x.d, c * hw, out, c * ohw, null, null);
                    return;
                }
                for (int y = 0, o = c * ohw; y < p.oh; y++) {
                    for (int xo = 0; xo < p.ow; xo++, o++) {
                        out[o] = x.d[c * hw + argmax(p, x.d, c * hw, y, xo)];
                    }
                }
            });
            return new ScratchArray(backend, out, p.outputShape(x.shape));
        }, input);
    }

    @Override
    public BackendArray maxPool2dBackward(BackendArray gradOutput, BackendArray input, Pool2dSpec spec) {
        return held(() -> {
            ScratchArray go = ScratchBackend.arg(gradOutput);
            ScratchArray x = ScratchBackend.arg(input);
            Pool p = Pool.of(x.shape, spec);
            int hw = p.h * p.w;
            int ohw = p.oh * p.ow;
            if (x.f != null) {
                float[] gi = new float[p.planes * hw];
                planes(p, c -> {
                    if (p.ph == 0 && p.pw == 0) {
                        maxInside(p, x.f, c * hw, null, c * ohw, go.f, gi);
                        return;
                    }
                    for (int y = 0, o = c * ohw; y < p.oh; y++) {
                        for (int xo = 0; xo < p.ow; xo++, o++) {
                            gi[c * hw + argmax(p, x.f, c * hw, y, xo)] += go.f[o];
                        }
                    }
                });
                return new ScratchArray(backend, gi, x.shape.clone());
            }
            double[] gi = new double[p.planes * hw];
            planes(p, c -> {
                if (p.ph == 0 && p.pw == 0) {
                    maxInside(p, x.d, c * hw, null, c * ohw, go.d, gi);
                    return;
                }
                for (int y = 0, o = c * ohw; y < p.oh; y++) {
                    for (int xo = 0; xo < p.ow; xo++, o++) {
                        gi[c * hw + argmax(p, x.d, c * hw, y, xo)] += go.d[o];
                    }
                }
            });
            return new ScratchArray(backend, gi, x.shape.clone());
        }, gradOutput, input);
    }

    @Override
    public BackendArray avgPool2d(BackendArray input, Pool2dSpec spec) {
        return held(() -> {
            ScratchArray x = ScratchBackend.arg(input);
            Pool p = Pool.of(x.shape, spec);
            int hw = p.h * p.w;
            int ohw = p.oh * p.ow;
            if (x.f != null) {
                float[] out = new float[p.planes * ohw];
                planes(p, c -> {
                    for (int y = 0, o = c * ohw; y < p.oh; y++) {
                        for (int xo = 0; xo < p.ow; xo++, o++) {
                            float s = 0f;
                            for (int i = Math.max(0, p.ph - y * p.sh); i < p.kh && y * p.sh - p.ph + i < p.h; i++) {
                                int row = c * hw + (y * p.sh - p.ph + i) * p.w;
                                for (int j = Math.max(0, p.pw - xo * p.sw); j < p.kw && xo * p.sw - p.pw + j < p.w; j++) {
                                    s += x.f[row + xo * p.sw - p.pw + j];
                                }
                            }
                            out[o] = s / p.divisor(y, xo);
                        }
                    }
                });
                return new ScratchArray(backend, out, p.outputShape(x.shape));
            }
            double[] out = new double[p.planes * ohw];
            planes(p, c -> {
                for (int y = 0, o = c * ohw; y < p.oh; y++) {
                    for (int xo = 0; xo < p.ow; xo++, o++) {
                        double s = 0.0;
                        for (int i = Math.max(0, p.ph - y * p.sh); i < p.kh && y * p.sh - p.ph + i < p.h; i++) {
                            int row = c * hw + (y * p.sh - p.ph + i) * p.w;
                            for (int j = Math.max(0, p.pw - xo * p.sw); j < p.kw && xo * p.sw - p.pw + j < p.w; j++) {
                                s += x.d[row + xo * p.sw - p.pw + j];
                            }
                        }
                        out[o] = s / p.divisor(y, xo);
                    }
                }
            });
            return new ScratchArray(backend, out, p.outputShape(x.shape));
        }, input);
    }

    @Override
    public BackendArray avgPool2dBackward(BackendArray gradOutput, int[] inputShape, Pool2dSpec spec) {
        return held(() -> {
            ScratchArray go = ScratchBackend.arg(gradOutput);
            Pool p = Pool.of(inputShape, spec);
            int hw = p.h * p.w;
            int ohw = p.oh * p.ow;
            if (go.f != null) {
                float[] gi = new float[p.planes * hw];
                planes(p, c -> {
                    for (int y = 0, o = c * ohw; y < p.oh; y++) {
                        for (int xo = 0; xo < p.ow; xo++, o++) {
                            float v = go.f[o] / p.divisor(y, xo);
                            for (int i = Math.max(0, p.ph - y * p.sh); i < p.kh && y * p.sh - p.ph + i < p.h; i++) {
                                int row = c * hw + (y * p.sh - p.ph + i) * p.w;
                                for (int j = Math.max(0, p.pw - xo * p.sw); j < p.kw && xo * p.sw - p.pw + j < p.w; j++) {
                                    gi[row + xo * p.sw - p.pw + j] += v;
                                }
                            }
                        }
                    }
                });
                return new ScratchArray(backend, gi, inputShape.clone());
            }
            double[] gi = new double[p.planes * hw];
            planes(p, c -> {
                for (int y = 0, o = c * ohw; y < p.oh; y++) {
                    for (int xo = 0; xo < p.ow; xo++, o++) {
                        double v = go.d[o] / p.divisor(y, xo);
                        for (int i = Math.max(0, p.ph - y * p.sh); i < p.kh && y * p.sh - p.ph + i < p.h; i++) {
                            int row = c * hw + (y * p.sh - p.ph + i) * p.w;
                            for (int j = Math.max(0, p.pw - xo * p.sw); j < p.kw && xo * p.sw - p.pw + j < p.w; j++) {
                                gi[row + xo * p.sw - p.pw + j] += v;
                            }
                        }
                    }
                }
            });
            return new ScratchArray(backend, gi, inputShape.clone());
        }, gradOutput);
    }

    // ---------------------------------------------------------------- holding the arguments

    /**
     * Runs {@code kernel} holding every non-null argument ({@link BackendArray#acquire()}), as
     * {@code AbstractBackend} does for the primitives: a closed argument fails with the "released" error.
     */
    private static BackendArray held(java.util.function.Supplier<BackendArray> kernel, BackendArray... args) {
        int count = 0;
        try {
            for (BackendArray a : args) {
                if (a != null) {
                    a.acquire();
                }
                count++;
            }
            return kernel.get();
        } finally {
            for (int i = 0; i < count; i++) {
                if (args[i] != null) {
                    args[i].release();
                }
            }
        }
    }
}
