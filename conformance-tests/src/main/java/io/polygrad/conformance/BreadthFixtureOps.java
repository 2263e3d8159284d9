package io.polygrad.conformance;

import io.polygrad.Tensor;
import io.polygrad.nn.ELU;
import io.polygrad.nn.Functional;
import io.polygrad.nn.GELU;
import io.polygrad.nn.LeakyReLU;
import io.polygrad.nn.SiLU;
import io.polygrad.nn.Softplus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The polygrad calls of the {@code breadth} fixture family, the ops added for porting PyTorch scripts
 * (issue 14), written by {@code tools/pytorch-fixtures/generate_ops_breadth.py} (which holds PyTorch's
 * meaning of each name). {@link PyTorchOpChecks#op} falls back on this for names it does not know.
 */
final class BreadthFixtureOps {

    private BreadthFixtureOps() {
    }

    /** Returns the call for {@code f}'s op, or {@code null} when the name is not one of this family. */
    static Function<Tensor[], Tensor> op(PyTorchFixture f) {
        switch (f.op()) {
            case "log1p": return t -> t[0].log1p();
            case "expm1": return t -> t[0].expm1();
            case "sin": return t -> t[0].sin();
            case "cos": return t -> t[0].cos();
            case "erf": return t -> t[0].erf();
            case "leakyRelu": return t -> t[0].leakyRelu();
            case "leakyRelu-slope": return t -> Functional.leakyRelu(t[0], f.number("negativeSlope"));
            case "gelu": return t -> t[0].gelu();
            case "gelu-tanh": return t -> Functional.gelu(t[0], "tanh");
            case "silu": return t -> t[0].silu();
            case "elu": return t -> t[0].elu();
            case "elu-alpha": return t -> Functional.elu(t[0], f.number("alpha"));
            case "logSigmoid": return t -> Functional.logSigmoid(t[0]);
            case "clampMin": return t -> t[0].clampMin(f.number("min"));
            case "clampMax": return t -> t[0].clampMax(f.number("max"));
            case "min": return t -> f.has("axes") ? t[0].min(f.ints("axes"), f.flag("keepDims")) : t[0].min();
            case "amin": return t -> t[0].amin(f.ints("axes"), f.flag("keepDims"));
            case "amax": return t -> t[0].amax(f.ints("axes"), f.flag("keepDims"));
            case "prod": return t -> f.has("axes") ? prodAxis(t[0], f) : t[0].prod();
            case "var": return t -> moments(t[0], f, false);
            case "std": return t -> moments(t[0], f, true);
            case "norm": return t -> !f.has("p") ? t[0].norm()
                    : f.has("axes") ? t[0].norm(f.number("p"), f.ints("axes"), f.flag("keepDims"))
                    : t[0].norm(f.number("p"));
            case "norm-fro": return t -> f.has("axes") ? t[0].norm("fro", f.ints("axes"), f.flag("keepDims"))
                    : t[0].norm("fro");
            case "cumsum": return t -> t[0].cumsum(f.integer("axis"));
            case "Softplus": return t -> (f.has("beta") ? new Softplus(f.number("beta"), f.number("threshold"))
                    : new Softplus()).forward(t[0]);
            case "LeakyReLU": return t -> new LeakyReLU().forward(t[0]);
            case "GELU": return t -> new GELU().forward(t[0]);
            case "GELU-tanh": return t -> new GELU("tanh").forward(t[0]);
            case "SiLU": return t -> new SiLU().forward(t[0]);
            case "ELU": return t -> new ELU(0.7).forward(t[0]);
            case "squeeze": return t -> f.has("axis") ? t[0].squeeze(f.integer("axis")) : t[0].squeeze();
            case "unsqueeze": return t -> t[0].unsqueeze(f.integer("axis"));
            case "stack": return t -> Tensor.stack(List.of(t), f.integer("axis"));
            case "unbind": return t -> {
                // the fixture weighs slice i by i + 1, so a gradient sent to the wrong slice shows
                List<Tensor> parts = t[0].unbind(f.integer("axis"));
                List<Tensor> weighted = new ArrayList<>();
                for (int i = 0; i < parts.size(); i++) {
                    weighted.add(parts.get(i).mul(i + 1.0));
                }
                return Tensor.stack(weighted, 0);
            };
            case "get": return t -> t[0].get(f.integer("index"));
            default: return null;
        }
    }

    private static Tensor prodAxis(Tensor x, PyTorchFixture f) {
        int[] axes = f.ints("axes");
        return axes.length == 1 ? x.prod(axes[0], f.flag("keepDims")) : x.prod(axes, f.flag("keepDims"));
    }

    private static Tensor moments(Tensor x, PyTorchFixture f, boolean std) {
        if (f.has("axes")) {
            return std ? x.std(f.ints("axes"), f.number("correction"), f.flag("keepDims"))
                    : x.var(f.ints("axes"), f.number("correction"), f.flag("keepDims"));
        }
        if (f.has("correction")) {
            return std ? x.std(f.number("correction")) : x.var(f.number("correction"));
        }
        return std ? x.std() : x.var();
    }
}
