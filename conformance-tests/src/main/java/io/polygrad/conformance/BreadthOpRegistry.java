package io.polygrad.conformance;

import static io.polygrad.conformance.OpInfo.sample;

import io.polygrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link OpRegistry} samples of the ops added for porting PyTorch scripts (issue 14), each with
 * hand-computed values (the arithmetic is written in each sample; erf values are Python's
 * {@code math.erf}) and, unless at a kink or a tie, float64 finite-difference gradient checks on every
 * backend.
 */
final class BreadthOpRegistry {

    private BreadthOpRegistry() {
    }

    private static double[] v(double... values) {
        return values;
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** Returns the samples. */
    static List<OpInfo> all() {
        List<OpInfo> ops = new ArrayList<>();
        double tiny = 0x1p-30; // exact in float32
        double[] m23 = v(1, -2, 3, 0.5, 4, -1.5);

        // ---- unary primitives
        ops.add(sample("log1p", t -> t[0].log1p()).in(v(0.5, -0.25, 3), 3)
                .out(v(Math.log1p(0.5), Math.log1p(-0.25), Math.log1p(3)), 3));
        ops.add(sample("log1p[tiny 2^-30]", t -> t[0].log1p()).in(v(tiny), 1).out(v(Math.log1p(tiny)), 1));
        ops.add(sample("expm1", t -> t[0].expm1()).in(v(0.5, -2, 3), 3)
                .out(v(Math.expm1(0.5), Math.expm1(-2), Math.expm1(3)), 3));
        ops.add(sample("expm1[tiny 2^-30]", t -> t[0].expm1()).in(v(-tiny), 1).out(v(Math.expm1(-tiny)), 1));
        ops.add(sample("sin", t -> t[0].sin()).in(v(0.5, -1.25, 3), 3)
                .out(v(Math.sin(0.5), Math.sin(-1.25), Math.sin(3)), 3));
        ops.add(sample("cos", t -> t[0].cos()).in(v(0.5, -1.25, 3), 3)
                .out(v(Math.cos(0.5), Math.cos(-1.25), Math.cos(3)), 3));
        ops.add(sample("erf", t -> t[0].erf()).in(v(0.25, -1, 2.5, 5), 4)
                .out(v(0.2763263901682369, -0.8427007929497149, 0.999593047982555, 0.9999999999984626), 4));

        // ---- activations
        ops.add(sample("leakyRelu", t -> t[0].leakyRelu()).in(v(-2, 0.5, 3), 3).out(v(-0.02, 0.5, 3), 3));
        ops.add(sample("leakyRelu[slope 0.2, 2x2]", t -> t[0].leakyRelu(0.2)).in(v(-1, 2, -0.5, 4), 2, 2)
                .out(v(-0.2, 2, -0.1, 4), 2, 2));
        ops.add(sample("leakyRelu[at kink 0]", t -> t[0].leakyRelu()).in(v(0), new int[0]).noGradCheck().out(v(0)));
        // 0.5 x (1 + erf(x / √2)) with math.erf
        ops.add(sample("gelu", t -> t[0].gelu()).in(v(-1, 0.5, 2), 3)
                .out(v(-0.15865525393145707, 0.34573123063700656, 1.9544997361036416), 3));
        ops.add(sample("gelu[tanh]", t -> t[0].gelu("tanh")).in(v(-1, 0.5, 2), 3)
                .out(v(geluTanh(-1), geluTanh(0.5), geluTanh(2)), 3));
        ops.add(sample("silu", t -> t[0].silu()).in(v(-2, 0.5, 3), 3)
                .out(v(-2 * sig(-2), 0.5 * sig(0.5), 3 * sig(3)), 3));
        ops.add(sample("elu", t -> t[0].elu()).in(v(-1, 0.5, 2), 3).out(v(Math.expm1(-1), 0.5, 2), 3));
        ops.add(sample("elu[alpha 0.5]", t -> t[0].elu(0.5)).in(v(-2, 1.5), 2).out(v(0.5 * Math.expm1(-2), 1.5), 2));
        ops.add(sample("logSigmoid", t -> t[0].logSigmoid()).in(v(-2, 0.5, 30), 3)
                .out(v(Math.log(sig(-2)), Math.log(sig(0.5)), Math.log(sig(30))), 3));
        ops.add(sample("logSigmoid[-100]", t -> t[0].logSigmoid()).in(v(-100), 1).out(v(-100 - Math.log1p(Math.exp(-100))), 1));
        ops.add(sample("clampMin", t -> t[0].clampMin(0.5)).in(v(-1, 0.25, 2), 3).out(v(0.5, 0.5, 2), 3));
        ops.add(sample("clampMax", t -> t[0].clampMax(0.5)).in(v(-1, 0.25, 2), 3).out(v(-1, 0.25, 0.5), 3));

        // ---- reductions
        ops.add(sample("min[all]", t -> t[0].min()).in(v(3, -1, 2, 5), 2, 2).out(v(-1)));
        ops.add(sample("min[axis 1 keepDims]", t -> t[0].min(1, true)).in(m23, 2, 3).out(v(-2, -1.5), 2, 1));
        ops.add(sample("min[ties]", t -> t[0].min()).in(v(-1, 2, -1), 3).noGradCheck().out(v(-1)));
        ops.add(sample("amin[axis 0]", t -> t[0].amin(new int[] {0}, false)).in(m23, 2, 3).out(v(0.5, -2, -1.5), 3));
        ops.add(sample("amax[axis 0]", t -> t[0].amax(new int[] {0}, false)).in(m23, 2, 3).out(v(1, 4, 3), 3));
        ops.add(sample("prod[all]", t -> t[0].prod()).in(v(1.5, -2, 0.5, 3), 2, 2).out(v(-4.5)));
        ops.add(sample("prod[axis 1, one zero per row]", t -> t[0].prod(1, false)).in(v(2, 0, 3, 0, -1, 4), 2, 3)
                .out(v(0, 0), 2));
        ops.add(sample("prod[two zeros]", t -> t[0].prod()).in(v(0, 2, 0), 3).out(v(0)));
        // mean 2.5, squares 2.25 + 0.25 + 0.25 + 2.25 = 5
        ops.add(sample("var[all]", t -> t[0].var()).in(v(1, 2, 3, 4), 4).out(v(5.0 / 3)));
        ops.add(sample("var[axis 1, correction 0, keepDims]", t -> t[0].var(new int[] {1}, 0, true))
                .in(v(1, 3, 2, 6), 2, 2).out(v(1, 4), 2, 1));
        ops.add(sample("std[all]", t -> t[0].std()).in(v(1, 2, 3, 4), 4).out(v(Math.sqrt(5.0 / 3))));
        ops.add(sample("std[axis 0]", t -> t[0].std(0, false)).in(v(1, 3, 2, 7), 2, 2)
                .out(v(Math.sqrt(0.5), Math.sqrt(8)), 2));
        ops.add(sample("norm[default 2]", t -> t[0].norm()).in(v(3, -4), 2).out(v(5)));
        ops.add(sample("norm[p 1]", t -> t[0].norm(1)).in(v(3, -4, 0.5), 3).out(v(7.5)));
        ops.add(sample("norm[p 3, axis 1]", t -> t[0].norm(3, 1, false)).in(v(1, 2, -2, 1), 2, 2)
                .out(v(Math.cbrt(9), Math.cbrt(9)), 2));
        ops.add(sample("norm[inf]", t -> t[0].norm(Double.POSITIVE_INFINITY)).in(v(1, -5, 2), 3).out(v(5)));
        ops.add(sample("norm[-inf]", t -> t[0].norm(Double.NEGATIVE_INFINITY)).in(v(1, -5, 2), 3).out(v(1)));
        ops.add(sample("norm[fro, axes 0,1]", t -> t[0].norm("fro", new int[] {0, 1}, false)).in(v(1, 2, 2, 4), 2, 2)
                .out(v(5)));
        ops.add(sample("norm[at 0]", t -> t[0].norm()).in(v(0, 0), 2).noGradCheck().out(v(0)));
        ops.add(sample("cumsum[axis 1]", t -> t[0].cumsum(1)).in(m23, 2, 3).out(v(1, -1, 2, 0.5, 4.5, 3), 2, 3));
        ops.add(sample("cumsum[axis 0]", t -> t[0].cumsum(0)).in(m23, 2, 3).out(v(1, -2, 3, 1.5, 2, 1.5), 2, 3));

        // ---- shape ops
        ops.add(sample("squeeze[all]", t -> t[0].squeeze()).in(m23, 1, 2, 1, 3).out(m23, 2, 3));
        ops.add(sample("squeeze[axis 2]", t -> t[0].squeeze(2)).in(m23, 1, 2, 1, 3).out(m23, 1, 2, 3));
        ops.add(sample("unsqueeze[axis -1]", t -> t[0].unsqueeze(-1)).in(m23, 2, 3).out(m23, 2, 3, 1));
        ops.add(sample("stack[axis 1]", t -> Tensor.stack(List.of(t[0], t[1]), 1)).in(v(1, 2), 2).in(v(3, 4), 2)
                .out(v(1, 3, 2, 4), 2, 2));
        ops.add(sample("unbind[axis 1, weighted]", t -> {
            List<Tensor> parts = t[0].unbind(1);
            return parts.get(0).add(parts.get(1).mul(2)).add(parts.get(2).mul(3));
        }).in(m23, 2, 3).out(v(1 - 4 + 9, 0.5 + 8 - 4.5), 2));
        ops.add(sample("get[-1]", t -> t[0].get(-1)).in(m23, 2, 3).out(v(0.5, 4, -1.5), 3));
        return ops;
    }
}
