package io.polygrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import io.polygrad.nn.utils.ClipGrad;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerBuilder;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.optim.ParamGroup;
import io.polygrad.optim.ParamState;
import io.polygrad.optim.lr.BaseLrScheduler;
import io.polygrad.optim.lr.ChainedScheduler;
import io.polygrad.optim.lr.ConstantLR;
import io.polygrad.optim.lr.CosineAnnealingLR;
import io.polygrad.optim.lr.CosineAnnealingWarmRestarts;
import io.polygrad.optim.lr.CyclicLR;
import io.polygrad.optim.lr.LambdaLR;
import io.polygrad.optim.lr.LrScheduler;
import io.polygrad.optim.lr.MultiplicativeLR;
import io.polygrad.optim.lr.OneCycleLR;
import io.polygrad.optim.lr.PolynomialLR;
import io.polygrad.optim.lr.ReduceLROnPlateau;
import io.polygrad.optim.lr.SequentialLR;
import io.polygrad.optim.lr.StepLR;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntToDoubleFunction;

/**
 * PyTorch as the oracle of the second round of optimizer features ({@code tools/pytorch-fixtures/generate_optim2.py}):
 * <ul>
 *   <li>{@code optim2-trajectories.json}: 50-step trajectories of Adagrad, Adamax, NAdam and RAdam with their
 *       options (maximize and weight decay included), of parameter groups with their own options, and of
 *       training with gradient clipping (the total norm {@code clip_grad_norm_} returns is compared too), checks
 *       {@code pytorch/optim/<case>/<dtype>} with the tolerances of {@link PyTorchOptimChecks};
 *       {@code pytorch/optim/defaults2} (the new optimizers' defaults) and {@code pytorch/optim/state-names}
 *       (the names of every optimizer's per-parameter state, as in PyTorch's {@code state_dict()}).</li>
 *   <li>{@code lr2-schedules.json}: every group's learning rate, {@code get_last_lr()} and momentum (or
 *       {@code beta1}) after construction and each of 40 steps of LambdaLR, MultiplicativeLR, ConstantLR,
 *       PolynomialLR, CosineAnnealingWarmRestarts, CyclicLR and OneCycleLR, with several groups, momentum cycling
 *       and resuming with {@code last_epoch} ({@code pytorch/lr/<case>}), within {@link Tolerances#PYTORCH_FORMULA}.</li>
 *   <li>{@code clip-grad.json}: {@code clip_grad_norm_} for several norms (2, 1, 3, 0.5, 0, inf) in both dtypes,
 *       {@code clip_grad_value_}, and {@code error_if_nonfinite} ({@code pytorch/clip/*}).</li>
 * </ul>
 */
public final class PyTorchOptim2Checks {

    private PyTorchOptim2Checks() {
    }

    /** Returns every check of the second-round fixtures, in order. */
    public static List<Check> checks() {
        List<Check> out = new ArrayList<>();
        JsonNode optim = PyTorchOptimChecks.fixture("optim2-trajectories.json");
        for (DType dtype : DType.floatingPoint()) {
            for (JsonNode c : optim.get("cases")) {
                String id = c.get("id").asText();
                out.add(Check.measuring("pytorch/optim/" + id + "/" + Check.id(dtype), Part.PYTORCH_OPTIM, id, dtype,
                        "50 steps of torch.optim." + c.get("optimizer").asText() + c.get("options")
                                + (c.has("groups") ? " with groups " + c.get("groups") : "")
                                + (c.has("clip") ? " clipping " + c.get("clip") : "") + " vs PyTorch 1.13",
                        s -> PyTorchOptimChecks.trajectory(s.backend(), optim, c, dtype)));
            }
        }
        out.add(Check.of("pytorch/optim/defaults2", Part.PYTORCH_OPTIM, "optim-defaults2", null,
                "OptimizerSpec's defaults of adagrad, adamax, nadam and radam are torch.optim's", s -> defaults(optim)));
        out.add(Check.of("pytorch/optim/state-names", Part.PYTORCH_OPTIM, "optim-state-names", null,
                "every optimizer keeps the per-parameter state PyTorch's state_dict() names",
                s -> stateNames(s.backend(), optim)));
        JsonNode lr = PyTorchOptimChecks.fixture("lr2-schedules.json");
        for (JsonNode c : lr.get("cases")) {
            String id = c.get("id").asText();
            out.add(Check.measuring("pytorch/lr/" + id, Part.PYTORCH_OPTIM, id, null,
                    "learning rates (every group) and momentum of " + c.get("scheduler").get("kind").asText()
                            + (c.has("resume") ? " resumed at epoch " + c.get("resume").asInt() : "")
                            + " vs PyTorch 1.13", s -> schedule(s.backend(), c)));
        }
        JsonNode clip = PyTorchOptimChecks.fixture("clip-grad.json");
        for (DType dtype : DType.floatingPoint()) {
            out.add(Check.measuring("pytorch/clip/norm/" + Check.id(dtype), Part.PYTORCH_OPTIM, "clip-norm", dtype,
                    "clip_grad_norm_'s total norm and clipped gradients for norms 2, 1, 3, 0.5, 0 and inf",
                    s -> clipNorm(s.backend(), clip, dtype)));
        }
        out.add(Check.measuring("pytorch/clip/value", Part.PYTORCH_OPTIM, "clip-value", DType.FLOAT64,
                "clip_grad_value_ clamps every gradient", s -> clipValue(s.backend(), clip)));
        out.add(Check.of("pytorch/clip/nonfinite", Part.PYTORCH_OPTIM, "clip-nonfinite", DType.FLOAT64,
                "clip_grad_norm_ with error_if_nonfinite refuses an infinite norm and leaves the gradients",
                s -> clipNonfinite(s.backend(), clip)));
        return out;
    }

    // ---------------------------------------------------------------- optimizers

    private static void defaults(JsonNode fixture) {
        JsonNode d = fixture.get("defaults");
        for (Iterator<String> it = d.fieldNames(); it.hasNext();) {
            String cls = it.next();
            OptimizerSpec spec = OptimizerSpec.of(cls.toLowerCase(Locale.ROOT));
            Map<String, Double> torch = PyTorchOptimChecks.options(d.get(cls));
            for (Map.Entry<String, Double> e : torch.entrySet()) {
                Expect.equal(e.getValue(), spec.value(e.getKey()), 0, cls + " default of " + e.getKey());
            }
        }
    }

    private static void stateNames(BackendUnderTest backend, JsonNode fixture) {
        JsonNode names = fixture.get("stateNames");
        Engine engine = backend.engine(DType.FLOAT64);
        for (Iterator<String> it = names.fieldNames(); it.hasNext();) {
            String cls = it.next();
            OptimizerSpec spec = OptimizerSpec.of(cls.toLowerCase(Locale.ROOT));
            for (Map.Entry<String, Double> e : PyTorchOptimChecks.options(names.get(cls).get("options")).entrySet()) {
                spec = spec.with(e.getKey(), e.getValue());
            }
            Tensor p = engine.tensor(new double[] {1.0, -2.0}, DType.FLOAT64, 2).requiresGrad(true);
            Optimizer opt = spec.create(List.of(p));
            p.square().sum().backward();
            opt.step();
            ParamState s = opt.state(p);
            TreeSet<String> mine = new TreeSet<>(s.tensors().keySet());
            mine.addAll(s.scalars().keySet());
            if (s.step() > 0) {
                mine.add("step");
            }
            List<String> torch = new ArrayList<>();
            names.get(cls).get("keys").forEach(k -> torch.add(k.asText()));
            Expect.equal(torch, new ArrayList<>(mine), cls + names.get(cls).get("options") + ": state names");
        }
    }

    // ---------------------------------------------------------------- schedules

    private static IntToDoubleFunction lambda(String name) {
        return switch (name) {
            case "pow0.95" -> e -> Math.pow(0.95, e);
            case "inv" -> e -> 1.0 / (e + 1);
            case "const0.9" -> e -> 0.9;
            case "step-halves" -> e -> e % 5 == 0 ? 0.5 : 1.0;
            default -> throw new IllegalArgumentException("unknown lambda in fixture: " + name);
        };
    }

    private static double[] perGroup(JsonNode v, int groups) {
        double[] out = new double[groups];
        for (int i = 0; i < groups; i++) {
            out[i] = v.isArray() ? v.get(i).asDouble() : v.asDouble();
        }
        return out;
    }

    /** Builds the schedule a fixture describes, resuming after {@code lastEpoch} (-1: from the start). */
    static LrScheduler scheduler(Optimizer opt, JsonNode spec, int lastEpoch) {
        int groups = opt.paramGroups().size();
        switch (spec.get("kind").asText()) {
            case "LambdaLR", "MultiplicativeLR": {
                List<IntToDoubleFunction> fns = new ArrayList<>();
                spec.get("lambdas").forEach(n -> fns.add(lambda(n.asText())));
                boolean lambda = spec.get("kind").asText().equals("LambdaLR");
                if (fns.size() == 1) {
                    return lambda ? new LambdaLR(opt, fns.get(0), lastEpoch) : new MultiplicativeLR(opt, fns.get(0), lastEpoch);
                }
                return lambda ? new LambdaLR(opt, fns, lastEpoch) : new MultiplicativeLR(opt, fns, lastEpoch);
            }
            case "ConstantLR":
                return new ConstantLR(opt, PyTorchOptimChecks.num(spec, "factor", 1.0 / 3),
                        (int) PyTorchOptimChecks.num(spec, "total_iters", 5), lastEpoch);
            case "PolynomialLR":
                return new PolynomialLR(opt, (int) PyTorchOptimChecks.num(spec, "total_iters", 5),
                        PyTorchOptimChecks.num(spec, "power", 1.0), lastEpoch);
            case "CosineAnnealingWarmRestarts":
                return new CosineAnnealingWarmRestarts(opt, spec.get("T_0").asInt(),
                        (int) PyTorchOptimChecks.num(spec, "T_mult", 1), PyTorchOptimChecks.num(spec, "eta_min", 0),
                        lastEpoch);
            case "StepLR":
                return new StepLR(opt, spec.get("step_size").asInt(), PyTorchOptimChecks.num(spec, "gamma", 0.1),
                        lastEpoch);
            case "CosineAnnealingLR":
                return new CosineAnnealingLR(opt, spec.get("T_max").asInt(), PyTorchOptimChecks.num(spec, "eta_min", 0),
                        lastEpoch);
            case "CyclicLR": {
                CyclicLR.Builder b = CyclicLR.builder(opt, 0, 0)
                        .baseLrs(perGroup(spec.get("base_lr"), groups)).maxLrs(perGroup(spec.get("max_lr"), groups))
                        .stepSizeUp(PyTorchOptimChecks.num(spec, "step_size_up", 2000))
                        .gamma(PyTorchOptimChecks.num(spec, "gamma", 1.0))
                        .momentum(PyTorchOptimChecks.num(spec, "base_momentum", 0.8),
                                PyTorchOptimChecks.num(spec, "max_momentum", 0.9))
                        .lastEpoch(lastEpoch);
                if (spec.has("step_size_down")) {
                    b.stepSizeDown(spec.get("step_size_down").asDouble());
                }
                if (spec.has("mode")) {
                    b.mode(CyclicLR.Mode.valueOf(spec.get("mode").asText().toUpperCase(Locale.ROOT)));
                }
                if (spec.has("cycle_momentum")) {
                    b.cycleMomentum(spec.get("cycle_momentum").asBoolean());
                }
                return b.build();
            }
            case "OneCycleLR": {
                OneCycleLR.Builder b = OneCycleLR.builder(opt, 0).maxLrs(perGroup(spec.get("max_lr"), groups))
                        .pctStart(PyTorchOptimChecks.num(spec, "pct_start", 0.3))
                        .momentum(PyTorchOptimChecks.num(spec, "base_momentum", 0.85),
                                PyTorchOptimChecks.num(spec, "max_momentum", 0.95))
                        .divFactor(PyTorchOptimChecks.num(spec, "div_factor", 25))
                        .finalDivFactor(PyTorchOptimChecks.num(spec, "final_div_factor", 1e4))
                        .threePhase(spec.has("three_phase") && spec.get("three_phase").asBoolean())
                        .lastEpoch(lastEpoch);
                if (spec.has("total_steps")) {
                    b.totalSteps(spec.get("total_steps").asInt());
                } else {
                    b.epochs(spec.get("epochs").asInt()).stepsPerEpoch(spec.get("steps_per_epoch").asInt());
                }
                if (spec.has("anneal_strategy")) {
                    b.anneal(OneCycleLR.Anneal.valueOf(spec.get("anneal_strategy").asText().toUpperCase(Locale.ROOT)));
                }
                if (spec.has("cycle_momentum")) {
                    b.cycleMomentum(spec.get("cycle_momentum").asBoolean());
                }
                return b.build();
            }
            case "SequentialLR": {
                List<BaseLrScheduler> parts = new ArrayList<>();
                spec.get("schedulers").forEach(s -> parts.add((BaseLrScheduler) scheduler(opt, s, -1)));
                return new SequentialLR(opt, parts, PyTorchOptimChecks.ints(spec.get("milestones")));
            }
            case "ChainedScheduler": {
                List<LrScheduler> parts = new ArrayList<>();
                spec.get("schedulers").forEach(s -> parts.add(scheduler(opt, s, -1)));
                return new ChainedScheduler(parts);
            }
            default:
                if (lastEpoch != -1) {
                    throw new IllegalArgumentException("fixture resumes a " + spec + ": not supported here");
                }
                return PyTorchOptimChecks.scheduler(opt, spec);
        }
    }

    /** Returns the optimizer a schedule case drives: one parameter per group, each group with its own rate. */
    private static Optimizer optimizer(Engine engine, JsonNode o) {
        OptimizerSpec spec = OptimizerSpec.of(o.get("class").asText().toLowerCase(Locale.ROOT));
        for (Map.Entry<String, Double> e : PyTorchOptimChecks.options(o.get("options")).entrySet()) {
            spec = spec.with(e.getKey(), e.getValue());
        }
        OptimizerBuilder<?> b = spec.builder();
        for (JsonNode lr : o.get("lrs")) {
            b.group(List.of(engine.zeros(1).requiresGrad(true)), g -> g.option("lr", lr.asDouble()));
        }
        return b.build();
    }

    private static double momentum(ParamGroup g) {
        return g.has("beta1") ? g.get("beta1") : g.has("momentum") ? g.get("momentum") : 0.0;
    }

    /** Steps a case's schedule and compares every group's rate, the last rates and the momentum with PyTorch's. */
    static Comparison schedule(BackendUnderTest backend, JsonNode c) {
        Optimizer opt = optimizer(backend.engine(DType.FLOAT64), c.get("optimizer"));
        JsonNode spec = c.get("scheduler");
        int n = opt.paramGroups().size();
        int epochs = c.get("lr").size();
        double[] lrs = new double[epochs * n];
        double[] last = new double[epochs * n];
        double[] moms = new double[epochs * n];
        if (spec.get("kind").asText().equals("ReduceLROnPlateau")) {
            ReduceLROnPlateau s = ReduceLROnPlateau.builder(opt).factor(spec.get("factor").asDouble())
                    .patience(spec.get("patience").asInt()).minLrs(perGroup(spec.get("min_lr"), n)).build();
            double[] metrics = PyTorchOptimChecks.flat(c.get("metrics"));
            record(opt, s.lastLrs(), 0, lrs, last, moms);
            for (int e = 1; e < epochs; e++) {
                s.step(metrics[e - 1]);
                record(opt, s.lastLrs(), e, lrs, last, moms);
            }
            return compare(c, "lr", lrs, PyTorchOptimChecks.flat(c.get("lr")));
        }
        int resume = c.has("resume") ? c.get("resume").asInt() : -1;
        LrScheduler s = scheduler(opt, spec, -1);
        record(opt, s.lastLrs(), 0, lrs, last, moms);
        for (int e = 1; e < epochs; e++) {
            if (e == resume + 1) {
                s = scheduler(opt, spec, resume);
            } else {
                s.step();
            }
            record(opt, s.lastLrs(), e, lrs, last, moms);
        }
        return compare(c, "lr", lrs, PyTorchOptimChecks.flat(c.get("lr")))
                .merge(compare(c, "lastLr", last, PyTorchOptimChecks.flat(c.get("lastLr"))))
                .merge(compare(c, "momentum", moms, PyTorchOptimChecks.flat(c.get("momentum"))));
    }

    private static void record(Optimizer opt, List<Double> lastLrs, int epoch, double[] lrs, double[] last,
            double[] moms) {
        int n = opt.paramGroups().size();
        for (int g = 0; g < n; g++) {
            lrs[epoch * n + g] = opt.paramGroups().get(g).lr();
            last[epoch * n + g] = lastLrs.get(g);
            moms[epoch * n + g] = momentum(opt.paramGroups().get(g));
        }
    }

    private static Comparison compare(JsonNode c, String what, double[] mine, double[] torch) {
        Comparison cmp = Comparison.of(mine, torch, Tolerances.PYTORCH_FORMULA);
        if (!cmp.withinTolerance()) {
            int i = cmp.worstIndex();
            throw new AssertionError(c.get("id").asText() + ": " + what + " [" + i + "] (epoch-major, group-minor) is "
                    + mine[i] + ", PyTorch's " + torch[i] + " (" + cmp.describe() + ")\n  polygrad: "
                    + Arrays.toString(mine) + "\n  PyTorch:  " + Arrays.toString(torch));
        }
        return cmp;
    }

    // ---------------------------------------------------------------- clipping

    private static List<Tensor> params(Engine engine, JsonNode grads, DType dtype) {
        List<Tensor> ps = new ArrayList<>();
        for (JsonNode g : grads) {
            double[] v = PyTorchOptimChecks.flat(g);
            Tensor p = engine.zeros(dtype, v.length).requiresGrad(true);
            p.mul(engine.tensor(v, dtype, v.length)).sum().backward();
            ps.add(p);
        }
        return ps;
    }

    private static double[] grads(List<Tensor> ps) {
        List<Double> out = new ArrayList<>();
        for (Tensor p : ps) {
            for (double v : p.grad().toDoubleArray()) {
                out.add(v);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Comparison clipNorm(BackendUnderTest backend, JsonNode fixture, DType dtype) {
        Engine engine = backend.engine(dtype);
        Tolerances tol = dtype == DType.FLOAT64 ? Tolerances.PYTORCH_FORMULA : Tolerances.PYTORCH_OPTIM_FLOAT32;
        Comparison all = Comparison.exact();
        for (JsonNode c : fixture.get("cases")) {
            if (!c.get("kind").asText().equals("norm") || !c.get("dtype").asText().equals(Check.id(dtype))) {
                continue;
            }
            List<Tensor> ps = params(engine, fixture.get("grads"), dtype);
            double maxNorm = c.get("max_norm").asDouble();
            double normType = PyTorchOptimChecks.number(c.get("norm_type"));
            double total = ClipGrad.clipGradNorm(ps, maxNorm, normType);
            String what = "clipGradNorm(maxNorm " + maxNorm + ", normType " + normType + ") in " + dtype;
            Comparison ct = Comparison.of(new double[] {total}, new double[] {c.get("total").asDouble()}, tol);
            Expect.isTrue(ct.withinTolerance(), what + " returned " + total + ", PyTorch " + c.get("total"));
            Comparison cg = Comparison.of(grads(ps), PyTorchOptimChecks.flat(c.get("grads")), tol);
            Expect.isTrue(cg.withinTolerance(), what + " gradients " + Arrays.toString(grads(ps)) + ", PyTorch "
                    + c.get("grads") + " (" + cg.describe() + ")");
            all = all.merge(ct).merge(cg);
        }
        return all;
    }

    private static Comparison clipValue(BackendUnderTest backend, JsonNode fixture) {
        Engine engine = backend.engine(DType.FLOAT64);
        Comparison all = Comparison.exact();
        for (JsonNode c : fixture.get("cases")) {
            if (!c.get("kind").asText().equals("value")) {
                continue;
            }
            List<Tensor> ps = params(engine, fixture.get("grads"), DType.FLOAT64);
            ClipGrad.clipGradValue(ps, c.get("clip_value").asDouble());
            Comparison cg = Comparison.of(grads(ps), PyTorchOptimChecks.flat(c.get("grads")), Tolerances.PYTORCH_FORMULA);
            Expect.isTrue(cg.withinTolerance(), "clipGradValue(" + c.get("clip_value") + ") gives "
                    + Arrays.toString(grads(ps)) + ", PyTorch " + c.get("grads"));
            all = all.merge(cg);
        }
        return all;
    }

    private static void clipNonfinite(BackendUnderTest backend, JsonNode fixture) {
        Expect.isTrue(fixture.get("nonfinite").get("raises").asBoolean(), "the fixture says PyTorch raises");
        Engine engine = backend.engine(DType.FLOAT64);
        Tensor p = engine.zeros(DType.FLOAT64, 2).requiresGrad(true);
        p.mul(engine.tensor(new double[] {Double.POSITIVE_INFINITY, 1.0}, DType.FLOAT64, 2)).sum().backward();
        IllegalStateException e = Expect.throwsA(IllegalStateException.class,
                () -> ClipGrad.clipGradNorm(List.of(p), 1.0, 2.0, true));
        Expect.isTrue(e.getMessage().contains("non-finite"), "the error names the non-finite norm: " + e.getMessage());
        Expect.equal(new double[] {Double.POSITIVE_INFINITY, 1.0}, p.grad().toDoubleArray(), 0,
                "the gradients are unchanged after the error");
        Expect.equal(Double.POSITIVE_INFINITY, ClipGrad.clipGradNorm(List.of(p), 1.0), 0,
                "without the option the infinite norm is returned");
    }
}
