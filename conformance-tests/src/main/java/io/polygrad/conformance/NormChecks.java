package io.polygrad.conformance;

import static io.polygrad.conformance.OpInfo.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import io.polygrad.loss.Losses;
import io.polygrad.loss.Reduction;
import io.polygrad.nn.BatchNorm;
import io.polygrad.nn.BatchNorm1d;
import io.polygrad.nn.BatchNorm2d;
import io.polygrad.nn.Functional;
import io.polygrad.nn.Identity;
import io.polygrad.nn.LayerNorm;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ModuleList;
import io.polygrad.nn.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The checks of normalisation layers, module state and the loss options added with them, on every backend:
 * <ul>
 *   <li>op samples worked out by hand ({@link #samples()}: {@code Functional.batchNorm} in training and
 *       evaluation, {@code Functional.layerNorm}, BCE with weight, BCE with logits with {@code weight} and
 *       {@code posWeight}, KL divergence, Huber and smooth L1 with their defaults), run as {@link OpChecks} runs
 *       {@link OpRegistry}'s: hand values, scratch float64 and (float64) central finite differences;</li>
 *   <li>running statistics of a {@link BatchNorm1d} after several batches, with momentum and cumulative
 *       ({@code momentum = null}), against the formulas computed here in Java doubles
 *       ({@code nn/batchnorm/...});</li>
 *   <li>PyTorch's own values ({@code tools/pytorch-fixtures/generate_norm.py}): the functional cases of
 *       {@code pytorch/norm-<dtype>.json} ({@code pytorch/norm/<case>/<dtype>}), batch norm module sequences
 *       (forward, backward, running statistics step by step, then evaluation;
 *       {@code pytorch/modules/batchnorm/...}) and a small model's {@code state_dict} keys, shapes and repr
 *       ({@code pytorch/modules/statedict/sequential}).</li>
 * </ul>
 */
public final class NormChecks {

    /** The functional fixture family, the resources {@code pytorch/norm-<dtype>.json}. */
    public static final String FAMILY = "norm";

    /** The resource of the module sequences and the state dict. */
    public static final String MODULES_RESOURCE = "pytorch/norm-modules.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private NormChecks() {
    }

    private static double[] v(double... values) {
        return values;
    }

    /** Returns every check of this family in {@code dtype}, in a stable order. */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>(OpChecks.checks(dtype, samples()));
        String d = Check.id(dtype);
        out.add(Check.of("nn/batchnorm/running-stats-momentum/" + d, Part.OPS, "nn/batchnorm", dtype,
                "BatchNorm1d running statistics after 3 batches, momentum 0.25, and evaluation with them",
                s -> runningStatistics(s.backend(), dtype, 0.25)));
        out.add(Check.of("nn/batchnorm/running-stats-cumulative/" + d, Part.OPS, "nn/batchnorm", dtype,
                "BatchNorm1d running statistics after 3 batches, momentum null (cumulative average)",
                s -> runningStatistics(s.backend(), dtype, null)));
        for (PyTorchFixture f : PyTorchFixture.load(FAMILY, dtype)) {
            out.add(Check.measuring("pytorch/norm/" + f.id() + "/" + d, Part.PYTORCH, "pytorch/norm/" + f.id(), dtype,
                    "forward and gradients vs PyTorch", s -> PyTorchOpChecks.check(s.backend(), f, dtype, op(f))));
        }
        for (JsonNode c : modules().get("batchnorm")) {
            if (c.get("dtype").asText().equals(d)) {
                String id = c.get("id").asText();
                out.add(Check.measuring("pytorch/modules/" + id, Part.PYTORCH, "pytorch/modules/"
                        + id.substring(0, id.lastIndexOf('/')), dtype,
                        "batch norm module: 3 training steps and 1 evaluation step vs PyTorch",
                        s -> batchNormSequence(s.backend(), c, dtype)));
            }
        }
        if (dtype == DType.FLOAT32) {
            JsonNode sd = modules().get("statedict").get(0);
            out.add(Check.of("pytorch/modules/" + sd.get("id").asText(), Part.PYTORCH, "pytorch/modules/statedict",
                    dtype, "state dict keys, shapes and repr of a model vs PyTorch's",
                    s -> stateDictKeys(s.backend().engine(dtype), sd)));
        }
        return out;
    }

    // ---------------------------------------------------------------- hand-computed samples

    /** Returns the op samples, each with its expected output worked out in the sample. */
    public static List<OpInfo> samples() {
        List<OpInfo> ops = new ArrayList<>();
        double eps = 1e-5;
        // x [4, 2]: channel 0 is 1, 2, 3, 6 (mean 3, deviations -2 -1 0 3, biased variance 14/4 = 3.5);
        // channel 1 is 0, 4, 4, 8 (mean 4, deviations -4 0 0 4, variance 8); weight (2, 0.5), bias (1, -1)
        double s0 = Math.sqrt(3.5 + eps);
        double s1 = Math.sqrt(8 + eps);
        ops.add(sample("batchNorm[train 4x2, affine]",
                t -> Functional.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, eps))
                .in(v(1, 0, 2, 4, 3, 4, 6, 8), 4, 2).in(v(2, 0.5), 2).in(v(1, -1), 2)
                .out(v(-2 / s0 * 2 + 1, -4 / s1 * 0.5 - 1, -1 / s0 * 2 + 1, -1, 1, -1, 3 / s0 * 2 + 1, 4 / s1 * 0.5 - 1),
                        4, 2));
        // x [2, 2, 2] ([N, C, L]): channel 0 is 1, 3 | 5, 7 (mean 4, variance 5); channel 1 is 2, 2 | 2, 6
        // (mean 3, deviations -1 -1 -1 3, variance 3); no affine, eps 0.5
        double c0 = Math.sqrt(5.5);
        double c1 = Math.sqrt(3.5);
        ops.add(sample("batchNorm[train 2x2x2, no affine, eps 0.5]",
                t -> Functional.batchNorm(t[0], null, null, null, null, true, 0.1, 0.5))
                .in(v(1, 3, 2, 2, 5, 7, 2, 6), 2, 2, 2)
                .out(v(-3 / c0, -1 / c0, -1 / c1, -1 / c1, 1 / c0, 3 / c0, -1 / c1, 3 / c1), 2, 2, 2));
        // evaluation with running statistics and eps 0: (x - rm) / sqrt(rv) · w + b with rm (1, 2), rv (4, 0.25),
        // w (1, 2), b (0, 1): [[1, 2], [3, 4]] -> [[0, 1], [1, 9]]
        ops.add(sample("batchNorm[eval 2x2, running statistics]",
                t -> Functional.batchNorm(t[0], t[1], t[2], t[3], t[4], false, 0.1, 0))
                .in(v(1, 2, 3, 4), 2, 2).in(v(1, 2), 2).in(v(4, 0.25), 2).in(v(1, 2), 2).in(v(0, 1), 2)
                .out(v(0, 1, 1, 9), 2, 2));
        // layer norm over the last axis: row 0 is 1, 2, 3 (mean 2, variance 2/3), row 1 is 2, 2, 8 (mean 4,
        // deviations -2 -2 4, variance 8); weight (1, 2, 0.5), bias (0, 1, -1)
        double r0 = Math.sqrt(2.0 / 3 + eps);
        double r1 = Math.sqrt(8 + eps);
        ops.add(sample("layerNorm[2x3 last axis, affine]",
                t -> Functional.layerNorm(t[0], new int[] {3}, t[1], t[2], eps))
                .in(v(1, 2, 3, 2, 2, 8), 2, 3).in(v(1, 2, 0.5), 3).in(v(0, 1, -1), 3)
                .out(v(-1 / r0, 1, 0.5 / r0 - 1, -2 / r1, -4 / r1 + 1, 2 / r1 - 1), 2, 3));
        // over the last two axes [2, 2] of [2, 2, 2]: sample 0 is 1, 2, 3, 6 (mean 3, variance 3.5), sample 1 is
        // 0, 0, 0, 4 (mean 1, deviations -1 -1 -1 3, variance 3); no affine, eps 0.5
        ops.add(sample("layerNorm[2x2x2 last two axes, no affine, eps 0.5]",
                t -> Functional.layerNorm(t[0], new int[] {2, 2}, null, null, 0.5))
                .in(v(1, 2, 3, 6, 0, 0, 0, 4), 2, 2, 2)
                .out(v(-2 / 2.0, -1 / 2.0, 0, 3 / 2.0, -1 / Math.sqrt(3.5), -1 / Math.sqrt(3.5), -1 / Math.sqrt(3.5),
                        3 / Math.sqrt(3.5)), 2, 2, 2));
        // binary cross-entropy -w·[y·log x + (1-y)·log(1-x)]
        double[] x = {0.5, 0.25, 0.75, 0.125};
        double[] y = {1, 0, 0.5, 1};
        double[] w = {1, 2, 0.5, 1};
        double bce = 0;
        for (int i = 0; i < 4; i++) {
            bce += -w[i] * (y[i] * Math.log(x[i]) + (1 - y[i]) * Math.log(1 - x[i])) / 4;
        }
        ops.add(sample("binaryCrossEntropy[weight, mean]",
                t -> Losses.binaryCrossEntropy(t[0], t[1], t[2], Reduction.MEAN)).in(x, 4).in(y, 4).in(w, 4)
                .out(v(bce)));
        // at the edges the logs are clamped at -100: x = 0, y = 0 costs 0; x = 1, y = 0 costs 100
        ops.add(sample("binaryCrossEntropy[edges 0 and 1, sum]",
                t -> Losses.binaryCrossEntropy(t[0], t[1], Reduction.SUM)).in(v(0, 1, 0.5), 3).in(v(0, 0, 1), 3)
                .noGradCheck().out(v(100 + Math.log(2))));
        // with logits: w·[(1-y)·x + (1 + (p-1)·y)·log(1 + e^-x)], weight [2, 1] per row, posWeight [2] per class
        double[] lx = {0, 2, -1, 1};
        double[] ly = {1, 0, 1, 0.5};
        double[] rowW = {2, 2, 0.5, 0.5};
        double[] p = {3, 1, 3, 1};
        double[] bcel = new double[4];
        for (int i = 0; i < 4; i++) {
            bcel[i] = rowW[i] * ((1 - ly[i]) * lx[i] + (1 + (p[i] - 1) * ly[i]) * Math.log1p(Math.exp(-lx[i])));
        }
        ops.add(sample("binaryCrossEntropyWithLogits[weight and posWeight, none]",
                t -> Losses.binaryCrossEntropyWithLogits(t[0], t[1], t[2], t[3], Reduction.NONE))
                .in(lx, 2, 2).in(ly, 2, 2).in(v(2, 0.5), 2, 1).in(v(3, 1), 2).out(bcel, 2, 2));
        // KL divergence p·(log p - log q), batch mean over 2 rows; q = (0.25, 0.75), (0.5, 0.5); p = (0.5, 0.5), (0.125, 0.875)
        double[] logq = {Math.log(0.25), Math.log(0.75), Math.log(0.5), Math.log(0.5)};
        double[] pk = {0.5, 0.5, 0.125, 0.875};
        double kl = 0;
        for (int i = 0; i < 4; i++) {
            kl += pk[i] * (Math.log(pk[i]) - logq[i]);
        }
        ops.add(sample("klDiv[batchmean]", t -> Losses.klDivBatchMean(t[0], t[1], false)).in(logq, 2, 2).in(pk, 2, 2)
                .out(v(kl / 2)));
        double[] logp = {-2, -0.5, -1, -0.25};
        double klLog = 0;
        for (int i = 0; i < 4; i++) {
            klLog += Math.exp(logp[i]) * (logp[i] - logq[i]);
        }
        ops.add(sample("klDiv[logTarget, sum]", t -> Losses.klDiv(t[0], t[1], Reduction.SUM, true)).in(logq, 2, 2)
                .in(logp, 2, 2).out(v(klLog)));
        // a zero target probability contributes 0 (not 0·log 0 = NaN); the mean over 4 elements
        ops.add(sample("klDiv[zero target, default mean]", t -> Losses.klDiv(t[0], t[1])).in(logq, 4).in(v(0, 1, 0.5, 0.5), 4)
                .noGradCheck().out(v((-logq[1] + 0.5 * (Math.log(0.5) - logq[2]) + 0.5 * (Math.log(0.5) - logq[3])) / 4)));
        // Huber (delta 1) and smooth L1 (beta 1) by default: errors 0.5 and 3 -> 0.125 and 2.5
        ops.add(sample("huber[default delta 1, mean]", t -> Losses.huber(t[0], t[1])).in(v(0.5, 3), 2).in(v(0, 0), 2)
                .out(v((0.125 + 2.5) / 2)));
        ops.add(sample("huber[default delta 1, none]", t -> Losses.huber(t[0], t[1], Reduction.NONE))
                .in(v(0.5, -3, 1.25), 3).in(v(0, 0, 2), 3).out(v(0.125, 2.5, 0.28125), 3));
        ops.add(sample("smoothL1[default beta 1, mean]", t -> Losses.smoothL1(t[0], t[1])).in(v(0.5, 3), 2)
                .in(v(0, 0), 2).out(v((0.125 + 2.5) / 2)));
        ops.add(sample("smoothL1[default beta 1, sum]", t -> Losses.smoothL1(t[0], t[1], Reduction.SUM))
                .in(v(0.5, -3, 1.25), 3).in(v(0, 0, 2), 3).out(v(0.125 + 2.5 + 0.28125)));
        return ops;
    }

    // ---------------------------------------------------------------- running statistics by formula

    /**
     * Feeds 3 training batches of {@code [4, 2]} to a {@link BatchNorm1d} with {@code momentum} (null:
     * cumulative) and checks its running statistics and batch count after each against the update formula in
     * Java doubles; then checks an evaluation batch is normalised with them and leaves them unchanged.
     */
    static void runningStatistics(BackendUnderTest backend, DType dtype, Double momentum) {
        Engine engine = backend.engine(dtype);
        BatchNorm1d bn = new BatchNorm1d(engine, 2, 1e-5, momentum, true, true);
        double[] mean = {0, 0};
        double[] var = {1, 1};
        Tolerances tol = Tolerances.forDType(dtype);
        String where = backend.name() + " BatchNorm1d(momentum=" + momentum + ") in " + dtype;
        for (int step = 1; step <= 3; step++) {
            double[] x = new double[8];
            for (int i = 0; i < 8; i++) {
                x[i] = ((i * 5 + step * 3) % 7 - 3) * 0.5 * step;
            }
            bn.forward(engine.tensor(x, dtype, 4, 2));
            double m = momentum == null ? 1.0 / step : momentum;
            for (int c = 0; c < 2; c++) {
                double mu = 0;
                for (int n = 0; n < 4; n++) {
                    mu += x[n * 2 + c] / 4;
                }
                double ss = 0;
                for (int n = 0; n < 4; n++) {
                    ss += (x[n * 2 + c] - mu) * (x[n * 2 + c] - mu);
                }
                mean[c] = (1 - m) * mean[c] + m * mu;
                var[c] = (1 - m) * var[c] + m * ss / 3;
            }
            require(where + " after batch " + step + ": running_mean", bn.runningMean().toDoubleArray(), mean, tol);
            require(where + " after batch " + step + ": running_var", bn.runningVar().toDoubleArray(), var, tol);
            if (bn.numBatchesTracked() != step || bn.stateDict().get("num_batches_tracked").item() != step) {
                throw new AssertionError(where + ": num_batches_tracked is " + bn.numBatchesTracked() + " (state dict "
                        + bn.stateDict().get("num_batches_tracked").item() + ") after " + step + " batches");
            }
        }
        bn.eval();
        double[] x = {1, -1, 2, 0.5};
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            int c = i % 2;
            expected[i] = (x[i] - mean[c]) / Math.sqrt(var[c] + 1e-5);
        }
        require(where + ": evaluation output", bn.forward(engine.tensor(x, dtype, 2, 2)).toDoubleArray(), expected, tol);
        require(where + ": running_mean after evaluation", bn.runningMean().toDoubleArray(), mean, tol);
        if (bn.numBatchesTracked() != 3) {
            throw new AssertionError(where + ": evaluation changed num_batches_tracked to " + bn.numBatchesTracked());
        }
    }

    // ---------------------------------------------------------------- PyTorch fixtures

    /** Returns the polygrad call a functional case of {@code norm-<dtype>.json} stands for. */
    static Function<Tensor[], Tensor> op(PyTorchFixture f) {
        switch (f.op()) {
            case "batchNorm-train":
                return t -> Functional.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, f.number("eps"));
            case "batchNorm-train-noaffine":
                return t -> Functional.batchNorm(t[0], null, null, null, null, true, 0.1, f.number("eps"));
            case "batchNorm-eval":
                return t -> Functional.batchNorm(t[0], t[1], t[2], t[3], t[4], false, 0.1, f.number("eps"));
            case "layerNorm":
                return t -> Functional.layerNorm(t[0], f.ints("shape"), t[1], t[2], f.number("eps"));
            case "layerNorm-noaffine":
                return t -> Functional.layerNorm(t[0], f.ints("shape"), null, null, f.number("eps"));
            case "bce":
                return t -> Losses.binaryCrossEntropy(t[0], t[1], reduction(f));
            case "bce-weight":
                return t -> Losses.binaryCrossEntropy(t[0], t[1], t[2], reduction(f));
            case "bceWithLogits-options":
                return t -> {
                    Tensor weight = f.flag("weight") ? t[2] : null;
                    Tensor posWeight = f.flag("posWeight") ? t[f.flag("weight") ? 3 : 2] : null;
                    return Losses.binaryCrossEntropyWithLogits(t[0], t[1], weight, posWeight, reduction(f));
                };
            case "klDiv":
                return t -> Losses.klDiv(t[0], t[1], reduction(f), f.flag("logTarget"));
            case "klDivBatchMean":
                return t -> Losses.klDivBatchMean(t[0], t[1], f.flag("logTarget"));
            case "klDiv-default":
                return t -> Losses.klDiv(t[0], t[1]);
            case "huber-default":
                return t -> Losses.huber(t[0], t[1]);
            case "smoothL1-default":
                return t -> Losses.smoothL1(t[0], t[1]);
            case "huber-reduction":
                return t -> Losses.huber(t[0], t[1], reduction(f));
            case "smoothL1-reduction":
                return t -> Losses.smoothL1(t[0], t[1], reduction(f));
            default:
                throw new IllegalStateException("PyTorch fixture " + f.id() + ": unknown op " + f.op());
        }
    }

    private static Reduction reduction(PyTorchFixture f) {
        return Reduction.valueOf(f.text("reduction"));
    }

    /** Returns the parsed {@link #MODULES_RESOURCE}. */
    static JsonNode modules() {
        try (InputStream in = NormChecks.class.getResourceAsStream(MODULES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing PyTorch fixture resource " + MODULES_RESOURCE
                        + " (regenerate with tools/pytorch-fixtures/generate_norm.py)");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PyTorch fixture " + MODULES_RESOURCE, e);
        }
    }

    /**
     * Runs the batch norm sequence {@code c} (3 training steps, 1 evaluation step) on {@code backend}: per step
     * the output, the gradients of the input, weight and bias for the fixture's upstream, and the running
     * statistics and batch count, all against PyTorch's; the repr too.
     */
    static Comparison batchNormSequence(BackendUnderTest backend, JsonNode c, DType dtype) {
        Engine engine = backend.engine(dtype);
        int features = c.get("numFeatures").asInt();
        Double momentum = c.get("momentum").isNull() ? null : c.get("momentum").asDouble();
        boolean affine = c.get("affine").asBoolean();
        boolean track = c.get("trackRunningStats").asBoolean();
        double eps = c.get("eps").asDouble();
        BatchNorm bn = c.get("module").asText().equals("BatchNorm2d")
                ? new BatchNorm2d(engine, features, eps, momentum, affine, track)
                : new BatchNorm1d(engine, features, eps, momentum, affine, track);
        String where = backend.name() + " " + c.get("id").asText();
        if (!bn.toString().equals(c.get("repr").asText())) {
            throw new AssertionError(where + ": repr " + bn + ", PyTorch's " + c.get("repr").asText());
        }
        if (affine) {
            Map<String, Tensor> state = Map.of("weight", engine.tensor(doubles(c.get("weight")), dtype, features),
                    "bias", engine.tensor(doubles(c.get("bias")), dtype, features));
            bn.loadStateDict(state, false);
        }
        int[] shape = ints(c.get("shape"));
        Tolerances tol = Tolerances.pytorch(dtype);
        Comparison all = Comparison.exact();
        int k = 0;
        for (JsonNode step : c.get("steps")) {
            String at = where + " step " + k++ + (step.get("training").asBoolean() ? " (training)" : " (evaluation)");
            bn.train(step.get("training").asBoolean());
            bn.zeroGrad();
            Tensor x = engine.tensor(doubles(step.get("input")), dtype, shape).requiresGrad(true);
            Tensor out = bn.forward(x);
            all = all.merge(require(at + ": output", out.toDoubleArray(), doubles(step.get("output")), tol));
            out.mul(engine.tensor(doubles(step.get("upstream")), dtype, shape)).sum().backward();
            all = all.merge(require(at + ": input gradient", x.grad().toDoubleArray(), doubles(step.get("inputGrad")),
                    tol));
            if (affine) {
                all = all.merge(require(at + ": weight gradient", bn.weight().grad().toDoubleArray(),
                        doubles(step.get("weightGrad")), tol));
                all = all.merge(require(at + ": bias gradient", bn.bias().grad().toDoubleArray(),
                        doubles(step.get("biasGrad")), tol));
            }
            if (track) {
                all = all.merge(require(at + ": running_mean", bn.runningMean().toDoubleArray(),
                        doubles(step.get("runningMean")), tol));
                all = all.merge(require(at + ": running_var", bn.runningVar().toDoubleArray(),
                        doubles(step.get("runningVar")), tol));
                if (bn.numBatchesTracked() != step.get("numBatchesTracked").asLong()) {
                    throw new AssertionError(at + ": num_batches_tracked " + bn.numBatchesTracked() + ", PyTorch's "
                            + step.get("numBatchesTracked").asLong());
                }
            }
        }
        return all;
    }

    /**
     * Builds the model of {@code generate_norm.py}'s {@code state_dict_case} and checks its state dict keys (in
     * order), their shapes and the model's repr against PyTorch's.
     */
    static void stateDictKeys(Engine engine, JsonNode c) {
        Module model = new Sequential(new Linear(engine, 3, 4), new BatchNorm1d(engine, 4),
                new ModuleList(new Linear(engine, 4, 2), new Identity(), new LayerNorm(engine, 2)),
                new Sequential(new BatchNorm2d(engine, 2, 1e-5, null, false, true),
                        new LayerNorm(engine, new int[] {2, 3}, 1e-6, true)));
        List<String> expected = new ArrayList<>();
        for (JsonNode k : c.get("keys")) {
            expected.add(k.get("key").asText() + " " + Arrays.toString(ints(k.get("shape"))));
        }
        List<String> actual = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            actual.add(e.getKey() + " " + Arrays.toString(e.getValue().shape()));
        }
        if (!actual.equals(expected)) {
            throw new AssertionError("state dict keys and shapes\n  polygrad " + actual + "\n  PyTorch  " + expected);
        }
        if (!model.toString().equals(c.get("repr").asText())) {
            throw new AssertionError("repr\n" + model + "\nPyTorch's\n" + c.get("repr").asText());
        }
    }

    private static Comparison require(String what, double[] actual, double[] expected, Tolerances tol) {
        Tolerances scaled = tol.scaledTo(expected);
        Comparison c = Comparison.of(actual, expected, scaled);
        if (!c.withinTolerance()) {
            int i = c.worstIndex();
            throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " ("
                    + c.describe() + "; tolerance rtol " + scaled.rtol() + ", atol " + scaled.atol() + ")\n  actual   "
                    + Arrays.toString(actual) + "\n  expected " + Arrays.toString(expected));
        }
        return c;
    }

    private static double[] doubles(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            out[i] = e.isTextual() ? Double.parseDouble(e.asText()) : e.doubleValue();
        }
        return out;
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }
}
