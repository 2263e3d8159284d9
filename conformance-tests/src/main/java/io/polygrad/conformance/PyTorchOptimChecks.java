package io.polygrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.conformance.Check.Part;
import io.polygrad.nn.Init;
import io.polygrad.nn.Linear;
import io.polygrad.nn.utils.ClipGrad;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerBuilder;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.optim.SGD;
import io.polygrad.optim.lr.BaseLrScheduler;
import io.polygrad.optim.lr.ChainedScheduler;
import io.polygrad.optim.lr.CosineAnnealingLR;
import io.polygrad.optim.lr.ExponentialLR;
import io.polygrad.optim.lr.LinearLR;
import io.polygrad.optim.lr.LrScheduler;
import io.polygrad.optim.lr.MultiStepLR;
import io.polygrad.optim.lr.ReduceLROnPlateau;
import io.polygrad.optim.lr.SequentialLR;
import io.polygrad.optim.lr.StepLR;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PyTorch itself as the oracle of the optimizers, learning-rate schedules and init formulas: fixtures
 * written by real PyTorch ({@code tools/pytorch-fixtures/generate_optim.py}, from explicit inputs only,
 * never from matching random generators) under {@code io/polygrad/conformance/pytorch/}:
 * <ul>
 *   <li>{@code optim-trajectories.json}: 50-step trajectories of every optimizer with every option polygrad
 *       offers on an explicit least-squares problem, in float32 and float64. Each backend runs the same
 *       steps (its own forward, backward and update kernels); checks {@code pytorch/optim/<case>/<dtype>}
 *       compare the loss before each step and the parameters after it, float64 within
 *       {@link Tolerances#TRAJECTORY_FLOAT64}, float32 within {@link Tolerances#PYTORCH_OPTIM_FLOAT32};
 *       {@code pytorch/optim/defaults} compares {@link OptimizerSpec}'s defaults with PyTorch's.</li>
 *   <li>{@code lr-schedules.json}: the learning rate after construction and after each of 40 steps of every
 *       schedule ({@code pytorch/lr/<case>}), including compositions and ReduceLROnPlateau driven by explicit
 *       metrics, within {@link Tolerances#PYTORCH_FORMULA}.</li>
 *   <li>{@code init-formulas.json}: {@code calculate_gain}, fans, and the bounds and standard deviations that
 *       {@code torch.nn.init} passes to {@code uniform_}/{@code normal_} ({@code pytorch/init/*}), and the
 *       bounds of {@code nn.Linear}'s default initialisation, checked on the backend's own draws.</li>
 * </ul>
 */
public final class PyTorchOptimChecks {

    /** Where the fixtures lie on the classpath. */
    public static final String RESOURCES = "/io/polygrad/conformance/pytorch/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PyTorchOptimChecks() {
    }

    /** Returns every check of the PyTorch fixtures of optimizers, schedules and init, in order. */
    public static List<Check> checks() {
        List<Check> out = new ArrayList<>();
        JsonNode optim = fixture("optim-trajectories.json");
        for (DType dtype : DType.floatingPoint()) {
            for (JsonNode c : optim.get("cases")) {
                String id = c.get("id").asText();
                out.add(Check.measuring("pytorch/optim/" + id + "/" + Check.id(dtype), Part.PYTORCH_OPTIM, id, dtype,
                        "50 steps of torch.optim." + c.get("optimizer").asText() + c.get("options") + " vs PyTorch 1.13",
                        s -> trajectory(s.backend(), optim, c, dtype)));
            }
        }
        out.add(Check.of("pytorch/optim/defaults", Part.PYTORCH_OPTIM, "optim-defaults", null,
                "OptimizerSpec's defaults are torch.optim's (SGD: lr required)", s -> defaults(optim)));
        JsonNode lr = fixture("lr-schedules.json");
        for (JsonNode c : lr.get("cases")) {
            String id = c.get("id").asText();
            out.add(Check.measuring("pytorch/lr/" + id, Part.PYTORCH_OPTIM, id, null,
                    "learning rates of " + describe(c.get("scheduler")) + " over " + (c.get("lr").size() - 1)
                            + " steps vs PyTorch 1.13", s -> schedule(s.backend(), lr, c)));
        }
        JsonNode init = fixture("init-formulas.json");
        out.add(Check.measuring("pytorch/init/gain", Part.PYTORCH_OPTIM, "init-gain", null,
                "Init.gain is calculate_gain for every nonlinearity", s -> gains(init)));
        out.add(Check.of("pytorch/init/fans", Part.PYTORCH_OPTIM, "init-fans", null,
                "Init.fans is _calculate_fan_in_and_fan_out (errors included)", s -> fans(init)));
        out.add(Check.measuring("pytorch/init/bounds", Part.PYTORCH_OPTIM, "init-bounds", null,
                "xavier/kaiming uniform bounds and normal stds, every mode, nonlinearity and default",
                s -> bounds(init)));
        out.add(Check.of("pytorch/init/zero-element", Part.PYTORCH_OPTIM, "init-zero-element", null,
                "kaiming init of a tensor without elements is a no-op", s -> zeroElement(s.backend(), init)));
        out.add(Check.measuring("pytorch/init/linear", Part.PYTORCH_OPTIM, "init-linear", null,
                "nn.Linear's default init draws from PyTorch's bounds", s -> linear(s.backend(), init)));
        return out;
    }

    /** Returns the fixture {@code name}, parsed. */
    static JsonNode fixture(String name) {
        try (InputStream in = PyTorchOptimChecks.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + RESOURCES + name
                        + "; regenerate with tools/pytorch-fixtures/generate_optim.py");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + name, e);
        }
    }

    // ---------------------------------------------------------------- optimizers

    /** Returns the spec of a case's optimizer and options (PyTorch's names turned into OptimizerSpec's keys). */
    static OptimizerSpec spec(JsonNode c) {
        OptimizerSpec spec = OptimizerSpec.of(c.get("optimizer").asText().toLowerCase(Locale.ROOT));
        for (Map.Entry<String, Double> e : options(c.get("options")).entrySet()) {
            spec = spec.with(e.getKey(), e.getValue());
        }
        return spec;
    }

    /** Returns PyTorch's options as OptimizerSpec keys: {@code betas} as beta1 and beta2, snake_case as camelCase. */
    static Map<String, Double> options(JsonNode options) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().equals("betas")) {
                out.put("beta1", v.get(0).asDouble());
                out.put("beta2", v.get(1).asDouble());
            } else {
                out.put(camel(e.getKey()), v.isBoolean() ? (v.asBoolean() ? 1.0 : 0.0) : v.asDouble());
            }
        }
        return out;
    }

    /** Returns {@code weight_decay} as {@code weightDecay}. */
    static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    /** Returns a number that a fixture may write as the string "Infinity". */
    static double number(JsonNode v) {
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
    }

    /** Builds a case's optimizer of W and b: one group, or the case's groups each with its own options. */
    static Optimizer optimizer(JsonNode c, Tensor w, Tensor b) {
        if (!c.has("groups")) {
            return spec(c).create(List.of(w, b));
        }
        OptimizerBuilder<?> builder = spec(c).builder();
        for (JsonNode g : c.get("groups")) {
            List<Tensor> params = new ArrayList<>();
            g.get("params").forEach(n -> params.add(n.asText().equals("W") ? w : b));
            Map<String, Double> opts = options(g.get("options"));
            builder.group(params, gb -> opts.forEach(gb::option));
        }
        return builder.build();
    }

    /** Clips the gradients as the case says (between backward and step); returns the total norm, or NaN. */
    private static double clip(JsonNode c, Tensor w, Tensor b) {
        if (!c.has("clip")) {
            return Double.NaN;
        }
        JsonNode clip = c.get("clip");
        if (clip.get("kind").asText().equals("value")) {
            ClipGrad.clipGradValue(List.of(w, b), clip.get("clip_value").asDouble());
            return Double.NaN;
        }
        double normType = clip.has("norm_type") ? number(clip.get("norm_type")) : 2.0;
        return ClipGrad.clipGradNorm(List.of(w, b), clip.get("max_norm").asDouble(), normType);
    }

    static double[] flat(JsonNode rows) {
        List<Double> out = new ArrayList<>();
        for (JsonNode r : rows) {
            if (r.isArray()) {
                r.forEach(v -> out.add(v.asDouble()));
            } else {
                out.add(r.asDouble());
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Runs a case's 50 steps on {@code backend} in {@code dtype} and compares them with PyTorch's. */
    static Comparison trajectory(BackendUnderTest backend, JsonNode fixture, JsonNode c, DType dtype) {
        Engine engine = backend.engine(dtype);
        Tensor x = engine.tensor(flat(fixture.get("X")), dtype, 6, 3);
        Tensor y = engine.tensor(flat(fixture.get("Y")), dtype, 6, 2);
        Tensor w = engine.tensor(flat(fixture.get("W0")), dtype, 2, 3).requiresGrad(true);
        Tensor b = engine.tensor(flat(fixture.get("B0")), dtype, 2).requiresGrad(true);
        Optimizer opt = optimizer(c, w, b);
        JsonNode expected = c.get(Check.id(dtype));
        Tolerances tol = dtype == DType.FLOAT64 ? Tolerances.TRAJECTORY_FLOAT64 : Tolerances.PYTORCH_OPTIM_FLOAT32;
        Comparison all = Comparison.exact();
        String firstFailure = null;
        int steps = expected.get("params").size();
        for (int step = 0; step < steps; step++) {
            double loss;
            double norm;
            try (TensorScope scope = TensorScope.open()) {
                opt.zeroGrad();
                Tensor l = x.matmul(w, false, true).add(b).sub(y).square().mean();
                l.backward();
                norm = clip(c, w, b);
                opt.step();
                loss = l.item();
            }
            double[] p = new double[8];
            System.arraycopy(w.toDoubleArray(), 0, p, 0, 6);
            System.arraycopy(b.toDoubleArray(), 0, p, 6, 2);
            double[] want = asDType(flat(expected.get("params").get(step)), dtype);
            double wantLoss = asDType(new double[] {expected.get("loss").get(step).asDouble()}, dtype)[0];
            Comparison cp = Comparison.of(p, want, tol);
            Comparison cl = Comparison.of(new double[] {loss}, new double[] {wantLoss}, tol);
            if (expected.has("norms")) {
                double wantNorm = asDType(new double[] {expected.get("norms").get(step).asDouble()}, dtype)[0];
                cl = cl.merge(Comparison.of(new double[] {norm}, new double[] {wantNorm}, tol));
            }
            if (firstFailure == null && !(cp.withinTolerance() && cl.withinTolerance())) {
                firstFailure = String.format(Locale.ROOT, "step %d: %s, loss %.17g vs PyTorch %.17g; parameters %s",
                        step + 1, cp.withinTolerance() ? "loss or clip_grad_norm_'s total norm differs" : "parameter " + cp.worstIndex() + " differs",
                        loss, wantLoss, cp.describe());
            }
            all = all.merge(cp).merge(cl);
        }
        if (firstFailure != null) {
            throw new AssertionError(backend.label() + " " + dtype + " " + c.get("id").asText() + " ("
                    + spec(c) + ") departs from PyTorch's trajectory at " + firstFailure + "; over all " + steps
                    + " steps " + all.describe() + ", tolerance rtol " + tol.rtol() + ", atol " + tol.atol());
        }
        return all;
    }

    /**
     * Returns PyTorch's values in {@code dtype}: the fixture writes float32 values as the shortest decimals
     * that round to them, so rounding back to float gives PyTorch's float32 values exactly.
     */
    static double[] asDType(double[] values, DType dtype) {
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) values[i];
            }
        }
        return values;
    }

    private static void defaults(JsonNode fixture) {
        JsonNode d = fixture.get("defaults");
        Expect.isTrue(d.get("SGD").get("lrRequired").asBoolean(), "the fixture says torch.optim.SGD requires lr");
        Expect.throwsA(IllegalArgumentException.class, () -> OptimizerSpec.of("sgd").lr());
        String[][] keys = {{"SGD", "sgd", "momentum", "dampening", "weight_decay", "nesterov", "maximize"},
            {"Adam", "adam", "lr", "eps", "weight_decay", "amsgrad", "maximize"},
            {"AdamW", "adamw", "lr", "eps", "weight_decay", "amsgrad", "maximize"},
            {"RMSprop", "rmsprop", "lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"}};
        for (String[] k : keys) {
            OptimizerSpec spec = OptimizerSpec.of(k[1]);
            JsonNode torch = d.get(k[0]);
            for (int i = 2; i < k.length; i++) {
                JsonNode v = torch.get(k[i]);
                double expected = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
                String key = k[i].equals("weight_decay") ? "weightDecay" : k[i];
                Expect.equal(expected, spec.value(key), 0, k[0] + " default of " + k[i]);
            }
            if (torch.has("betas")) {
                Expect.equal(torch.get("betas").get(0).asDouble(), spec.value("beta1"), 0, k[0] + " beta1");
                Expect.equal(torch.get("betas").get(1).asDouble(), spec.value("beta2"), 0, k[0] + " beta2");
            }
        }
    }

    // ---------------------------------------------------------------- schedules

    private static String describe(JsonNode spec) {
        String kind = spec.get("kind").asText();
        if (spec.has("schedulers")) {
            List<String> parts = new ArrayList<>();
            spec.get("schedulers").forEach(s -> parts.add(s.get("kind").asText()));
            return kind + "(" + String.join(", ", parts) + ")";
        }
        return kind;
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    static double num(JsonNode spec, String key, double torchDefault) {
        return spec.has(key) ? spec.get(key).asDouble() : torchDefault;
    }

    /** Builds the schedule a fixture describes, with PyTorch's defaults for the options it leaves out. */
    static LrScheduler scheduler(Optimizer opt, JsonNode spec) {
        switch (spec.get("kind").asText()) {
            case "StepLR":
                return new StepLR(opt, spec.get("step_size").asInt(), num(spec, "gamma", 0.1));
            case "MultiStepLR":
                return new MultiStepLR(opt, ints(spec.get("milestones")), num(spec, "gamma", 0.1));
            case "ExponentialLR":
                return new ExponentialLR(opt, spec.get("gamma").asDouble());
            case "CosineAnnealingLR":
                return new CosineAnnealingLR(opt, spec.get("T_max").asInt(), num(spec, "eta_min", 0));
            case "LinearLR":
                return new LinearLR(opt, num(spec, "start_factor", 1.0 / 3), num(spec, "end_factor", 1.0),
                        (int) num(spec, "total_iters", 5));
            case "SequentialLR": {
                List<BaseLrScheduler> parts = new ArrayList<>();
                spec.get("schedulers").forEach(s -> parts.add((BaseLrScheduler) scheduler(opt, s)));
                return new SequentialLR(opt, parts, ints(spec.get("milestones")));
            }
            case "ChainedScheduler": {
                List<LrScheduler> parts = new ArrayList<>();
                spec.get("schedulers").forEach(s -> parts.add(scheduler(opt, s)));
                return new ChainedScheduler(parts);
            }
            default:
                throw new IllegalArgumentException("unknown scheduler in fixture: " + spec);
        }
    }

    static ReduceLROnPlateau plateau(Optimizer opt, JsonNode spec, JsonNode defaults) {
        ReduceLROnPlateau.Builder b = ReduceLROnPlateau.builder(opt)
                .mode(text(spec, defaults, "mode").equals("max") ? ReduceLROnPlateau.Mode.MAX : ReduceLROnPlateau.Mode.MIN)
                .factor(num(spec, "factor", defaults.get("factor").asDouble()))
                .patience((int) num(spec, "patience", defaults.get("patience").asDouble()))
                .threshold(num(spec, "threshold", defaults.get("threshold").asDouble()),
                        text(spec, defaults, "threshold_mode").equals("abs") ? ReduceLROnPlateau.ThresholdMode.ABS
                                : ReduceLROnPlateau.ThresholdMode.REL)
                .cooldown((int) num(spec, "cooldown", defaults.get("cooldown").asDouble()))
                .minLr(num(spec, "min_lr", defaults.get("min_lr").asDouble()))
                .eps(num(spec, "eps", defaults.get("eps").asDouble()));
        return b.build();
    }

    private static String text(JsonNode spec, JsonNode defaults, String key) {
        return spec.has(key) ? spec.get(key).asText() : defaults.get(key).asText();
    }

    /** Steps a fixture's schedule and compares the learning rates (and the last rates) with PyTorch's. */
    static Comparison schedule(BackendUnderTest backend, JsonNode fixture, JsonNode c) {
        Engine engine = backend.engine(DType.FLOAT64);
        Tensor p = engine.zeros(1).requiresGrad(true);
        Optimizer opt = SGD.builder(List.of(p)).lr(fixture.get("baseLr").asDouble()).build();
        JsonNode spec = c.get("scheduler");
        double[] expected = flat(c.get("lr"));
        double[] lrs = new double[expected.length];
        double[] last = null;
        double[] expectedLast = c.has("lastLr") ? flat(c.get("lastLr")) : null;
        if (spec.get("kind").asText().equals("ReduceLROnPlateau")) {
            ReduceLROnPlateau s = plateau(opt, spec, fixture.get("plateauDefaults"));
            lrs[0] = opt.lr();
            double[] metrics = flat(c.get("metrics"));
            for (int i = 0; i < metrics.length; i++) {
                s.step(metrics[i]);
                lrs[i + 1] = opt.lr();
            }
        } else {
            LrScheduler s = scheduler(opt, spec);
            last = new double[expected.length];
            lrs[0] = opt.lr();
            last[0] = s.lastLr();
            for (int i = 1; i < lrs.length; i++) {
                s.step();
                lrs[i] = opt.lr();
                last[i] = s.lastLr();
            }
        }
        Comparison cmp = Comparison.of(lrs, expected, Tolerances.PYTORCH_FORMULA);
        if (!cmp.withinTolerance()) {
            int i = cmp.worstIndex();
            throw new AssertionError(c.get("id").asText() + ": learning rate after step " + i + " is " + lrs[i]
                    + ", PyTorch's " + expected[i] + " (" + cmp.describe() + ")\n  polygrad: "
                    + java.util.Arrays.toString(lrs) + "\n  PyTorch:  " + java.util.Arrays.toString(expected));
        }
        if (last != null) {
            Comparison cl = Comparison.of(last, expectedLast, Tolerances.PYTORCH_FORMULA);
            if (!cl.withinTolerance()) {
                int i = cl.worstIndex();
                throw new AssertionError(c.get("id").asText() + ": lastLr() after step " + i + " is " + last[i]
                        + ", PyTorch's get_last_lr() " + expectedLast[i] + "\n  polygrad: "
                        + java.util.Arrays.toString(last) + "\n  PyTorch:  " + java.util.Arrays.toString(expectedLast));
            }
            cmp = cmp.merge(cl);
        }
        return cmp;
    }

    // ---------------------------------------------------------------- init

    static Init.Nonlinearity nonlinearity(String torchName) {
        return Init.Nonlinearity.valueOf(torchName.toUpperCase(Locale.ROOT));
    }

    private static Comparison gains(JsonNode init) {
        List<Double> mine = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        for (JsonNode g : init.get("gains")) {
            Init.Nonlinearity n = nonlinearity(g.get("nonlinearity").asText());
            double v = g.get("param").isNull() ? Init.gain(n) : Init.gain(n, g.get("param").asDouble());
            mine.add(v);
            torch.add(g.get("gain").asDouble());
            Expect.isTrue(Tolerances.PYTORCH_FORMULA.matches(v, g.get("gain").asDouble()),
                    "calculate_gain(" + g.get("nonlinearity").asText() + ", " + g.get("param") + ") = "
                            + g.get("gain").asDouble() + ", Init.gain gives " + v);
        }
        return Comparison.of(mine.stream().mapToDouble(Double::doubleValue).toArray(),
                torch.stream().mapToDouble(Double::doubleValue).toArray(), Tolerances.PYTORCH_FORMULA);
    }

    private static void fans(JsonNode init) {
        for (JsonNode f : init.get("fans")) {
            long[] mine = Init.fans(ints(f.get("shape")));
            Expect.equal(List.of(f.get("fanIn").asLong(), f.get("fanOut").asLong()), List.of(mine[0], mine[1]),
                    "fans of " + f.get("shape"));
        }
        for (JsonNode f : init.get("fanErrors")) {
            int[] shape = ints(f.get("shape"));
            if (f.get("error").asBoolean()) {
                Expect.throwsA(IllegalArgumentException.class, () -> Init.fans(shape));
            } else {
                Init.fans(shape);
            }
        }
    }

    private static Comparison bounds(JsonNode init) {
        List<Double> mine = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        for (JsonNode b : init.get("bounds")) {
            int[] shape = ints(b.get("shape"));
            String fn = b.get("init").asText();
            double v;
            if (fn.startsWith("xavier")) {
                double gain = b.get("gain").asDouble();
                v = fn.equals("xavier_uniform_") ? Init.xavierUniformBound(shape, gain) : Init.xavierNormalStd(shape, gain);
            } else {
                JsonNode o = b.get("options");
                double a = o.has("a") ? o.get("a").asDouble() : 0.0;
                Init.FanMode mode = o.has("mode") && o.get("mode").asText().equals("fan_out") ? Init.FanMode.FAN_OUT
                        : Init.FanMode.FAN_IN;
                Init.Nonlinearity n = nonlinearity(o.has("nonlinearity") ? o.get("nonlinearity").asText() : "leaky_relu");
                v = fn.equals("kaiming_uniform_") ? Init.kaimingUniformBound(shape, a, mode, n)
                        : Init.kaimingNormalStd(shape, a, mode, n);
                if (o.isEmpty()) {
                    Expect.equal(v, Init.kaimingUniformBound(shape, 0, Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU)
                            * (fn.equals("kaiming_uniform_") ? 1 : 1 / Math.sqrt(3.0)), 1e-15, "defaults");
                }
            }
            double expected = b.get("value").asDouble();
            Expect.isTrue(Tolerances.PYTORCH_FORMULA.matches(v, expected), fn + " of " + b.get("shape") + " "
                    + (b.has("options") ? b.get("options") : "gain " + b.get("gain")) + ": PyTorch " + expected
                    + ", polygrad " + v);
            if (fn.endsWith("uniform_")) {
                Expect.equal(-expected, b.get("low").asDouble(), 0, "a symmetric bound");
            }
            mine.add(v);
            torch.add(expected);
        }
        return Comparison.of(mine.stream().mapToDouble(Double::doubleValue).toArray(),
                torch.stream().mapToDouble(Double::doubleValue).toArray(), Tolerances.PYTORCH_FORMULA);
    }

    private static void zeroElement(BackendUnderTest backend, JsonNode init) {
        Engine engine = backend.engine(DType.FLOAT64);
        for (JsonNode z : init.get("zeroElement")) {
            Expect.equal(0, z.get("draws").asInt(), "PyTorch draws nothing for " + z);
            Tensor t = engine.zeros(ints(z.get("shape")));
            Tensor r = z.get("init").asText().equals("kaiming_uniform_") ? Init.kaimingUniform(t) : Init.kaimingNormal(t);
            Expect.isTrue(r == t, z.get("init").asText() + " returns its argument");
        }
    }

    /**
     * Draws each fixture layer with a fresh engine and checks that its weight and bias are exactly the draws
     * {@code uniform(-bound, bound)} of the same generator with PyTorch's bounds.
     */
    private static Comparison linear(BackendUnderTest backend, JsonNode init) {
        Comparison all = Comparison.exact();
        for (JsonNode l : init.get("linear")) {
            int in = l.get("inFeatures").asInt();
            int out = l.get("outFeatures").asInt();
            Linear layer = new Linear(backend.engine(DType.FLOAT64, 11), in, out, true, DType.FLOAT64);
            Engine ref = backend.engine(DType.FLOAT64, 11);
            double wb = l.get("weightBound").asDouble();
            double bb = l.get("biasBound").asDouble();
            double[] w = ref.uniform(-wb, wb, DType.FLOAT64, out, in).toDoubleArray();
            double[] b = ref.uniform(-bb, bb, DType.FLOAT64, out).toDoubleArray();
            Comparison cw = Comparison.of(layer.weight().toDoubleArray(), w, Tolerances.PYTORCH_FORMULA);
            Comparison cb = Comparison.of(layer.bias().toDoubleArray(), b, Tolerances.PYTORCH_FORMULA);
            Expect.isTrue(cw.withinTolerance() && cb.withinTolerance(), "Linear(" + in + ", " + out
                    + ") does not draw from PyTorch's bounds (weight ±" + wb + ", bias ±" + bb + "): weight "
                    + cw.describe() + ", bias " + cb.describe());
            all = all.merge(cw).merge(cb);
        }
        return all;
    }
}
