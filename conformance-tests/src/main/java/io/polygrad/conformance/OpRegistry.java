package io.polygrad.conformance;

import static io.polygrad.conformance.OpInfo.sample;

import io.polygrad.Tensor;
import io.polygrad.loss.CrossEntropyOptions;
import io.polygrad.loss.Losses;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of samples for every public Tensor op (OpInfo style): broadcasting shapes,
 * 0-d and size-1 inputs, negative and large values, and values at kinks. Expected outputs are worked
 * out by hand (the arithmetic is written in each sample).
 */
public final class OpRegistry {

    private OpRegistry() {
    }

    private static double[] v(double... values) {
        return values;
    }

    /** Returns an int64 constant on {@code like}'s engine, for the indexing samples. */
    private static Tensor idx(Tensor like, long[] values, int... shape) {
        return like.engine().tensor(values, shape);
    }

    /** Returns the log-softmax of each row of a row-major {@code [rows, width]} matrix, in Java doubles. */
    private static double[][] logSoftmaxRows(double[] m, int width) {
        double[][] out = new double[m.length / width][width];
        for (int r = 0; r < out.length; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                max = Math.max(max, m[r * width + c]);
            }
            double sum = 0;
            for (int c = 0; c < width; c++) {
                sum += Math.exp(m[r * width + c] - max);
            }
            for (int c = 0; c < width; c++) {
                out[r][c] = m[r * width + c] - max - Math.log(sum);
            }
        }
        return out;
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Returns every sample. */
    public static List<OpInfo> all() {
        List<OpInfo> ops = new ArrayList<>();
        double[] m23 = v(1, 2, 3, 4, 5, 6);
        double[] row3 = v(10, 20, 30);

        // ---- binary arithmetic with broadcasting
        ops.add(sample("add[2x3 + 3]", t -> t[0].add(t[1])).in(m23, 2, 3).in(row3, 3)
                .out(v(11, 22, 33, 14, 25, 36), 2, 3));
        ops.add(sample("add[2x1 + 1x3]", t -> t[0].add(t[1])).in(v(1, 2), 2, 1).in(v(10, 20, 30), 1, 3)
                .out(v(11, 21, 31, 12, 22, 32), 2, 3));
        ops.add(sample("add[0-d + 2]", t -> t[0].add(t[1])).in(v(0.5), new int[0]).in(v(1, -2), 2)
                .out(v(1.5, -1.5), 2));
        ops.add(sample("add[scalar]", t -> t[0].add(2.5)).in(v(1, -1), 2).out(v(3.5, 1.5), 2));
        ops.add(sample("sub[2x3 - 3]", t -> t[0].sub(t[1])).in(m23, 2, 3).in(row3, 3)
                .out(v(-9, -18, -27, -6, -15, -24), 2, 3));
        ops.add(sample("sub[3 - 2x3]", t -> t[1].sub(t[0])).in(m23, 2, 3).in(row3, 3)
                .out(v(9, 18, 27, 6, 15, 24), 2, 3));
        ops.add(sample("rsub[1 - x]", t -> t[0].rsub(1)).in(v(0.25, 3), 2).out(v(0.75, -2), 2));
        ops.add(sample("mul[2x3 * 2x1]", t -> t[0].mul(t[1])).in(m23, 2, 3).in(v(-1, 0.5), 2, 1)
                .out(v(-1, -2, -3, 2, 2.5, 3), 2, 3));
        ops.add(sample("mul[size-1 dims 1x1 * 3]", t -> t[0].mul(t[1])).in(v(2), 1, 1).in(v(1, -2, 3), 3)
                .out(v(2, -4, 6), 1, 3));
        ops.add(sample("div[2x3 / 3]", t -> t[0].div(t[1])).in(m23, 2, 3).in(v(2, 4, 8), 3)
                .out(v(0.5, 0.5, 0.375, 2, 1.25, 0.75), 2, 3));
        ops.add(sample("div[0-d / 2]", t -> t[0].div(t[1])).in(v(3), new int[0]).in(v(2, -4), 2)
                .out(v(1.5, -0.75), 2));
        ops.add(sample("rdiv[1 / x]", t -> t[0].rdiv(1)).in(v(4, -0.5), 2).out(v(0.25, -2), 2));
        ops.add(sample("pow[tensor exponent, broadcast]", t -> t[0].pow(t[1])).in(v(1, 2, 3, 4), 2, 2)
                .in(v(2, 0.5), 2).out(v(1, Math.sqrt(2), 9, 2), 2, 2));
        ops.add(sample("pow[scalar 3, negative base]", t -> t[0].pow(3)).in(v(-1.5, 0.5, 2), 3)
                .out(v(-3.375, 0.125, 8), 3));
        ops.add(sample("pow[scalar 2 at 0]", t -> t[0].pow(2)).in(v(0, -3), 2).out(v(0, 9), 2));
        ops.add(sample("pow[scalar 0.5]", t -> t[0].pow(0.5)).in(v(4, 2.25), 2).out(v(2, 1.5), 2));
        ops.add(sample("maximum[broadcast, no ties]", t -> t[0].maximum(t[1])).in(v(1, 5, 3, -2), 2, 2)
                .in(v(2, 0), 2).out(v(2, 5, 3, 0), 2, 2));
        ops.add(sample("minimum[broadcast, no ties]", t -> t[0].minimum(t[1])).in(v(1, 5, 3, -2), 2, 2)
                .in(v(2, 0), 2).out(v(1, 0, 2, -2), 2, 2));

        // ---- unary
        ops.add(sample("neg", t -> t[0].neg()).in(v(1.5, -2, 0), 3).out(v(-1.5, 2, -0.0), 3));
        ops.add(sample("exp", t -> t[0].exp()).in(v(0, 1, -2.5), 3).out(v(1, Math.E, Math.exp(-2.5)), 3));
        ops.add(sample("exp[large]", t -> t[0].exp()).in(v(20), 1).out(v(Math.exp(20)), 1));
        ops.add(sample("log", t -> t[0].log()).in(v(1, 0.5, 10), 3).out(v(0, Math.log(0.5), Math.log(10)), 3));
        ops.add(sample("sqrt", t -> t[0].sqrt()).in(v(4, 2, 0.25), 3).out(v(2, Math.sqrt(2), 0.5), 3));
        ops.add(sample("abs", t -> t[0].abs()).in(v(-1.5, 2, -0.25), 3).out(v(1.5, 2, 0.25), 3));
        ops.add(sample("abs[at kink 0]", t -> t[0].abs()).in(v(0), 1).noGradCheck().out(v(0), 1));
        ops.add(sample("sign", t -> t[0].sign()).in(v(-3, 0.25, 0.5), 3).out(v(-1, 1, 1), 3));
        ops.add(sample("sign[at 0]", t -> t[0].sign()).in(v(0), new int[0]).noGradCheck().out(v(0)));
        ops.add(sample("square", t -> t[0].square()).in(v(-3, 0.5), 2).out(v(9, 0.25), 2));
        ops.add(sample("tanh", t -> t[0].tanh()).in(v(-1, 0, 0.5, 3), 4)
                .out(v(Math.tanh(-1), 0, Math.tanh(0.5), Math.tanh(3)), 4));
        ops.add(sample("sigmoid", t -> t[0].sigmoid()).in(v(-2, 0, 1.5), 3).out(v(sig(-2), 0.5, sig(1.5)), 3));
        ops.add(sample("sigmoid[large magnitude]", t -> t[0].sigmoid()).in(v(-100, 100), 2)
                .out(v(sig(-100), 1), 2));
        ops.add(sample("relu", t -> t[0].relu()).in(v(-2, 0.5, 3, -0.25), 2, 2).out(v(0, 0.5, 3, 0), 2, 2));
        ops.add(sample("relu[at kink 0]", t -> t[0].relu()).in(v(0), new int[0]).noGradCheck().out(v(0)));
        ops.add(sample("clamp", t -> t[0].clamp(-1, 2)).in(v(-3, -0.5, 1.5, 4), 4).out(v(-1, -0.5, 1.5, 2), 4));

        // ---- comparisons and where
        ops.add(sample("gt[broadcast]", t -> t[0].gt(t[1])).in(v(1, 2, 3, 4), 2, 2).in(v(2, 3), 2)
                .noGradCheck().out(v(0, 0, 1, 1), 2, 2));
        ops.add(sample("ge", t -> t[0].ge(2)).in(v(1, 2, 3), 3).noGradCheck().out(v(0, 1, 1), 3));
        ops.add(sample("lt", t -> t[0].lt(2)).in(v(1, 2, 3), 3).noGradCheck().out(v(1, 0, 0), 3));
        ops.add(sample("le", t -> t[0].le(2)).in(v(1, 2, 3), 3).noGradCheck().out(v(1, 1, 0), 3));
        ops.add(sample("eq", t -> t[0].eq(2)).in(v(1, 2, 3), 3).noGradCheck().out(v(0, 1, 0), 3));
        ops.add(sample("ne", t -> t[0].ne(2)).in(v(1, 2, 3), 3).noGradCheck().out(v(1, 0, 1), 3));
        ops.add(sample("where[broadcast condition]", t -> Tensor.where(t[0].gt(0.0), t[0], t[1]))
                .in(v(-1, 2, 3, -4), 2, 2).in(v(10, 20), 2).out(v(10, 2, 3, 20), 2, 2));

        // ---- reductions
        ops.add(sample("sum[all]", t -> t[0].sum()).in(m23, 2, 3).out(v(21)));
        ops.add(sample("sum[axis 0]", t -> t[0].sum(0, false)).in(m23, 2, 3).out(v(5, 7, 9), 3));
        ops.add(sample("sum[axis -1 keepDims]", t -> t[0].sum(-1, true)).in(m23, 2, 3).out(v(6, 15), 2, 1));
        ops.add(sample("sum[0-d]", t -> t[0].sum()).in(v(2.5), new int[0]).out(v(2.5)));
        ops.add(sample("mean[all]", t -> t[0].mean()).in(m23, 2, 3).out(v(3.5)));
        ops.add(sample("mean[axes 0,2 of 2x2x2]", t -> t[0].mean(new int[] {0, 2}, false))
                .in(v(1, 2, 3, 4, 5, 6, 7, 8), 2, 2, 2).out(v((1 + 2 + 5 + 6) / 4.0, (3 + 4 + 7 + 8) / 4.0), 2));
        ops.add(sample("max[all]", t -> t[0].max()).in(v(1, 7, -3, 2), 2, 2).out(v(7)));
        ops.add(sample("max[axis 1 keepDims]", t -> t[0].max(1, true)).in(v(1, 7, -3, 2, 9, 4), 2, 3)
                .out(v(7, 9), 2, 1));

        // ---- matmul
        ops.add(sample("matmul[2x3 @ 3x2]", t -> t[0].matmul(t[1])).in(m23, 2, 3).in(v(1, 0, 0, 1, 1, 1), 3, 2)
                .out(v(1 + 3, 2 + 3, 4 + 6, 5 + 6), 2, 2));
        ops.add(sample("matmul[dot 1-d @ 1-d]", t -> t[0].matmul(t[1])).in(v(1, 2, 3), 3).in(v(4, -5, 6), 3)
                .out(v(4 - 10 + 18)));
        ops.add(sample("matmul[1-d @ 2-d]", t -> t[0].matmul(t[1])).in(v(1, -1), 2).in(m23, 2, 3)
                .out(v(-3, -3, -3), 3));
        ops.add(sample("matmul[2-d @ 1-d]", t -> t[0].matmul(t[1])).in(m23, 2, 3).in(v(1, 0, -1), 3)
                .out(v(-2, -2), 2));
        ops.add(sample("matmul[batched 2x1x2 @ 2x1, broadcast batch]", t -> t[0].matmul(t[1]))
                .in(v(1, 2, 3, 4), 2, 1, 2).in(v(5, 6), 2, 1).out(v(17, 39), 2, 1, 1));

        // 2x3 m23 and 3x2 k32: A·Bᵀ etc. worked out from A = [[1,2,3],[4,5,6]], B = [[1,0],[0,1],[1,1]]
        double[] k32 = v(1, 0, 0, 1, 1, 1);
        ops.add(sample("matmul[A·Bᵀ, 2x3 · (2x3)ᵀ]", t -> t[0].matmul(t[1], false, true)).in(m23, 2, 3)
                .in(v(1, 0, 1, 0, 1, 1), 2, 3).out(v(1 + 3, 2 + 3, 4 + 6, 5 + 6), 2, 2));
        ops.add(sample("matmul[Aᵀ·B, (3x2)ᵀ · 3x2]", t -> t[0].matmul(t[1], true, false)).in(v(1, 4, 2, 5, 3, 6), 3, 2)
                .in(k32, 3, 2).out(v(1 + 3, 2 + 3, 4 + 6, 5 + 6), 2, 2));
        ops.add(sample("matmul[Aᵀ·Bᵀ, (3x2)ᵀ · (2x3)ᵀ]", t -> t[0].matmul(t[1], true, true))
                .in(v(1, 4, 2, 5, 3, 6), 3, 2).in(v(1, 0, 1, 0, 1, 1), 2, 3).out(v(1 + 3, 2 + 3, 4 + 6, 5 + 6), 2, 2));
        ops.add(sample("matmul[batched A·Bᵀ, broadcast batch]", t -> t[0].matmul(t[1], false, true))
                .in(v(1, 2, 3, 4), 2, 1, 2).in(v(5, 6), 1, 2).out(v(17, 39), 2, 1, 1));

        // ---- shape ops
        ops.add(sample("reshape[-1]", t -> t[0].reshape(3, -1)).in(m23, 2, 3).out(m23, 3, 2));
        ops.add(sample("reshape[to 0-d]", t -> t[0].reshape()).in(v(4), 1, 1).out(v(4)));
        ops.add(sample("transpose", t -> t[0].transpose()).in(m23, 2, 3).out(v(1, 4, 2, 5, 3, 6), 3, 2));
        ops.add(sample("permute[2x1x3 -> 3x2x1]", t -> t[0].permute(2, 0, 1)).in(m23, 2, 1, 3)
                .out(v(1, 4, 2, 5, 3, 6), 3, 2, 1));
        ops.add(sample("broadcastTo[3 -> 2x3]", t -> t[0].broadcastTo(2, 3)).in(row3, 3)
                .out(v(10, 20, 30, 10, 20, 30), 2, 3));
        ops.add(sample("slice[axis 1, 1:3]", t -> t[0].slice(1, 1, 3)).in(m23, 2, 3).out(v(2, 3, 5, 6), 2, 2));
        ops.add(sample("index[axis 0, -1]", t -> t[0].index(0, -1)).in(m23, 2, 3).out(v(4, 5, 6), 3));
        ops.add(sample("concat[axis 0]", t -> Tensor.concat(List.of(t[0], t[1]), 0)).in(v(1, 2), 1, 2)
                .in(v(3, 4, 5, 6), 2, 2).out(v(1, 2, 3, 4, 5, 6), 3, 2));
        ops.add(sample("concat[axis 1]", t -> Tensor.concat(List.of(t[0], t[1]), 1)).in(v(1, 2), 2, 1)
                .in(v(3, 4, 5, 6), 2, 2).out(v(1, 3, 4, 2, 5, 6), 2, 3));

        // ---- int64 operands and the indexing ops (the index is an int64 constant made inside the op)
        ops.add(sample("add[float + int64 promotes to float]", t -> t[0].add(idx(t[0], new long[] {1, 2, 3}, 3)))
                .in(m23, 2, 3).out(v(2, 4, 6, 5, 7, 9), 2, 3));
        ops.add(sample("div[int64 / int64 is true division]",
                t -> idx(t[0], new long[] {7, -7, 2}, 3).div(idx(t[0], new long[] {2, 2, 4}, 3)).add(t[0]))
                .in(v(0, 0, 0), 3).out(v(3.5, -3.5, 0.5), 3));
        ops.add(sample("gather[axis 1, repeated index]", t -> t[0].gather(1, idx(t[0], new long[] {2, 0, 1, 1}, 2, 2)))
                .in(m23, 2, 3).out(v(3, 1, 5, 5), 2, 2));
        ops.add(sample("gather[axis 0, index smaller]", t -> t[0].gather(0, idx(t[0], new long[] {1, 0, 1}, 1, 3)))
                .in(m23, 2, 3).out(v(4, 2, 6), 1, 3));
        ops.add(sample("gather[axis -1 of 3-d]", t -> t[0].gather(-1, idx(t[0], new long[] {1, 0}, 2, 1, 1)))
                .in(v(1, 2, 3, 4), 2, 1, 2).out(v(2, 3), 2, 1, 1));
        // out[i][index[i][j]] += src[i][j]: row 0 gets 10 + 20 at column 0, row 1 gets 30 at 2 and 40 at 1
        ops.add(sample("scatterAdd[axis 1, repeated index]",
                t -> t[0].scatterAdd(1, idx(t[0], new long[] {0, 0, 2, 1}, 2, 2), t[1]))
                .in(m23, 2, 3).in(v(10, 20, 30, 40), 2, 2).out(v(31, 2, 3, 4, 45, 36), 2, 3));
        // index [1, 2] smaller than src [2, 2]: only src's first row is added (out[2][0] += 10, out[0][1] += 20)
        ops.add(sample("scatterAdd[axis 0, index smaller than src]",
                t -> t[0].scatterAdd(0, idx(t[0], new long[] {2, 0}, 1, 2), t[1]))
                .in(m23, 3, 2).in(v(10, 20, 30, 40), 2, 2).out(v(1, 22, 3, 4, 15, 6), 3, 2));
        ops.add(sample("indexSelect[axis 0, repeated]", t -> t[0].indexSelect(0, idx(t[0], new long[] {2, 0, 2}, 3)))
                .in(m23, 3, 2).out(v(5, 6, 1, 2, 5, 6), 3, 2));
        ops.add(sample("indexSelect[axis 1]", t -> t[0].indexSelect(1, idx(t[0], new long[] {1}, 1)))
                .in(m23, 2, 3).out(v(2, 5), 2, 1));
        ops.add(sample("maskedFill[int64 mask broadcast]", t -> t[0].maskedFill(idx(t[0], new long[] {0, 1, 0}, 3), -1))
                .in(m23, 2, 3).out(v(1, -1, 3, 4, -1, 6), 2, 3));
        ops.add(sample("maskedFill[float mask]", t -> t[0].maskedFill(t[0].gt(2.5), 100))
                .in(v(1, 3, 2), 3).out(v(1, 100, 2), 3));

        // ---- cross-entropy and NLL with int64 class indices (PyTorch 1.13's definitions, worked out below)
        double[] logits = {1, 2, 0.5, -1, 0, 3, 0.25, 0.25, 2};
        long[] classes = {2, 0, -1};
        double[] classWeight = {1, 2, 0.5};
        double[][] logp = logSoftmaxRows(logits, 3);
        double plain = -(logp[0][2] + logp[1][0] + logp[2][0]) / 3;
        ops.add(sample("crossEntropy[int64 classes, mean]",
                t -> Losses.crossEntropy(t[0], idx(t[0], new long[] {2, 0, 0}, 3))).in(logits, 3, 3).out(v(plain)));
        // weighted mean over the rows not ignored, plus label smoothing eps/C · Σ_c -w_c·log p_c
        double eps = 0.1;
        double nllPart = 0;
        double smoothPart = 0;
        double weightSum = 0;
        for (int i = 0; i < 3; i++) {
            if (classes[i] < 0) {
                continue;
            }
            int y = (int) classes[i];
            nllPart += -classWeight[y] * logp[i][y];
            weightSum += classWeight[y];
            for (int c = 0; c < 3; c++) {
                smoothPart += -classWeight[c] * logp[i][c];
            }
        }
        double smoothed = (1 - eps) * nllPart / weightSum + eps / 3 * smoothPart / weightSum;
        ops.add(sample("crossEntropy[weight, ignoreIndex -1, labelSmoothing 0.1]",
                t -> Losses.crossEntropy(t[0], idx(t[0], classes, 3),
                        CrossEntropyOptions.builder().weight(t[1]).ignoreIndex(-1).labelSmoothing(eps).build()))
                .in(logits, 3, 3).in(classWeight, 3).out(v(smoothed)));
        // NLL of given log-probabilities: Σ -w_y·x[y] / Σ w_y over the rows not ignored
        double nll = -(classWeight[2] * logits[2] + classWeight[0] * logits[3]) / (classWeight[2] + classWeight[0]);
        ops.add(sample("nll[weight, ignoreIndex -1]",
                t -> Losses.nll(t[0], idx(t[0], classes, 3),
                        CrossEntropyOptions.builder().weight(t[1]).ignoreIndex(-1).build()))
                .in(logits, 3, 3).in(classWeight, 3).out(v(nll)));

        // ---- composites
        ops.add(sample("composite[x*x + 2x used twice]", t -> t[0].mul(t[0]).add(t[0].mul(2)))
                .in(v(-1, 0.5, 3), 3).out(v(-1, 1.25, 15), 3));
        ops.add(sample("composite[mae of quadratic]",
                t -> t[0].mul(t[0]).mul(t[1]).add(t[2]).sub(t[3]).abs().mean())
                .in(v(-1, 0.5, 2), 3).in(v(1.5), 1).in(v(0.25), 1).in(v(2, 2, 2), 3)
                .out(v((Math.abs(1.75 - 2) + Math.abs(0.625 - 2) + Math.abs(6.25 - 2)) / 3)));

        // ---- the ops added for porting PyTorch scripts (issue 14)
        ops.addAll(BreadthOpRegistry.all());
        // ---- convolution and pooling (ConvolutionChecks: hand values and direct definitions)
        ops.addAll(ConvolutionChecks.samples());
        return ops;
    }
}
