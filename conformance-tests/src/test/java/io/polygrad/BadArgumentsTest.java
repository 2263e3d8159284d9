package io.polygrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.polygrad.config.BackendRegistry;
import io.polygrad.config.ConfigResolver;
import io.polygrad.config.PolygradConfig;
import io.polygrad.config.PolygradModule;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.io.SafeTensors;
import io.polygrad.io.SafeTensorsException;
import io.polygrad.loss.Losses;
import io.polygrad.loss.Reduction;
import io.polygrad.nn.AvgPool2d;
import io.polygrad.nn.BatchNorm1d;
import io.polygrad.nn.BatchNorm2d;
import io.polygrad.nn.Conv2d;
import io.polygrad.nn.ELU;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Functional;
import io.polygrad.nn.GELU;
import io.polygrad.nn.Identity;
import io.polygrad.nn.Init;
import io.polygrad.nn.Lambda;
import io.polygrad.nn.LayerNorm;
import io.polygrad.nn.LeakyReLU;
import io.polygrad.nn.Linear;
import io.polygrad.nn.MaxPool2d;
import io.polygrad.nn.Module;
import io.polygrad.nn.ModuleList;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.nn.SiLU;
import io.polygrad.nn.Sigmoid;
import io.polygrad.nn.Softplus;
import io.polygrad.nn.Tanh;
import io.polygrad.optim.Adam;
import io.polygrad.optim.AdamW;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.optim.RMSprop;
import io.polygrad.optim.SGD;
import io.polygrad.scratch.ScratchModule;
import io.polygrad.train.Batch;
import io.polygrad.train.Trainer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad argument of the public API gets a clear error: a {@code null} tensor, shape, dtype, module,
 * path or other object throws a {@link NullPointerException} whose message names the method and the
 * argument ({@link Checks#notNull}); a bad value throws the documented exception naming the value.
 *
 * <p>The cases are one list ({@link #cases()}), and the table "Bad input: the cases and their errors"
 * of {@code conformance-tests/README.md} is that list, checked by {@link #readme_tableListsEveryCase()}.
 * In a message, {@code …} stands for any text (an operating-system message) and {@code <dir>} for the
 * test's temporary folder.
 */
class BadArgumentsTest {

    private static final String BEGIN = "<!-- bad-input table: generated from BadArgumentsTest, keep in sync -->";
    private static final String END = "<!-- end of bad-input table -->";

    @TempDir
    Path dir;

    private final Engine engine = BackendUnderTest.of("scratch", new ScratchModule()).engine(DType.FLOAT32);

    /** One bad input: how it is written, the exception and the message it must give. */
    record Case(String area, String input, Class<? extends Throwable> type, String message, Executable call) {
    }

    private static Case npe(String area, String input, String message, Executable call) {
        return new Case(area, input, NullPointerException.class, message, call);
    }

    private static Case iae(String area, String input, String message, Executable call) {
        return new Case(area, input, IllegalArgumentException.class, message, call);
    }

    private Tensor x() {
        return engine.tensor(new double[] {1, 2}, 2, 1);
    }

    private Sequential model() {
        return new Sequential(new Linear(engine, 1, 1));
    }

    private Optimizer sgd(Module m) {
        return SGD.builder(m.parameters()).lr(0.1).build();
    }

    /** A module that registers a parameter or a child under whatever name a case gives. */
    private static final class Open extends Module {
        Open() {
            super("Open");
        }

        void param(String name, Tensor t) {
            registerParameter(name, t);
        }

        void child(String name, Module m) {
            registerModule(name, m);
        }

        void buffer(String name, Tensor t) {
            registerBuffer(name, t);
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    List<Case> cases() throws IOException {
        List<Case> c = new ArrayList<>();
        Tensor t = x();
        Tensor y = x();

        // ---------------------------------------------------------------- Engine
        c.add(npe("Engine", "new Engine(null, config)", "Engine: backend is null",
                () -> new Engine(null, PolygradConfig.defaults())));
        c.add(npe("Engine", "new Engine(backend, null)", "Engine: config is null",
                () -> new Engine(engine.backend(), null)));
        c.add(npe("Engine", "tensor((double[]) null)", "Engine.tensor: data is null",
                () -> engine.tensor((double[]) null)));
        c.add(npe("Engine", "tensor((float[]) null)", "Engine.tensor: data is null",
                () -> engine.tensor((float[]) null)));
        c.add(npe("Engine", "tensor(data, (DType) null)", "Engine.tensor: dtype is null",
                () -> engine.tensor(new double[] {1}, (DType) null)));
        c.add(npe("Engine", "tensor(data, (int[]) null)", "Engine.tensor: shape is null",
                () -> engine.tensor(new double[] {1}, (int[]) null)));
        c.add(npe("Engine", "tensor((double[][]) null)", "Engine.tensor: rows is null",
                () -> engine.tensor((double[][]) null)));
        c.add(npe("Engine", "tensor(new double[][] {{1}, null})", "Engine.tensor: rows[1] is null",
                () -> engine.tensor(new double[][] {{1}, null})));
        c.add(npe("Engine", "scalar(1, null)", "Engine.scalar: dtype is null", () -> engine.scalar(1, null)));
        c.add(npe("Engine", "zeros((DType) null, 2)", "Engine.zeros: dtype is null",
                () -> engine.zeros((DType) null, 2)));
        c.add(npe("Engine", "zeros((int[]) null)", "Engine.zeros: shape is null", () -> engine.zeros((int[]) null)));
        c.add(npe("Engine", "ones((DType) null, 2)", "Engine.ones: dtype is null", () -> engine.ones((DType) null, 2)));
        c.add(npe("Engine", "full(1, null, 2)", "Engine.full: dtype is null", () -> engine.full(1, null, 2)));
        c.add(npe("Engine", "full(1, (int[]) null)", "Engine.full: shape is null", () -> engine.full(1, (int[]) null)));
        c.add(npe("Engine", "linspace(0, 1, 5, null)", "Engine.linspace: dtype is null",
                () -> engine.linspace(0, 1, 5, null)));
        c.add(npe("Engine", "rand((int[]) null)", "Engine.rand: shape is null", () -> engine.rand((int[]) null)));
        c.add(npe("Engine", "uniform(0, 1, null, 2)", "Engine.uniform: dtype is null",
                () -> engine.uniform(0, 1, null, 2)));
        c.add(npe("Engine", "randn((int[]) null)", "Engine.randn: shape is null", () -> engine.randn((int[]) null)));
        c.add(npe("Engine", "normal(0, 1, null, 2)", "Engine.normal: dtype is null",
                () -> engine.normal(0, 1, null, 2)));
        c.add(iae("Engine", "uniform(1, 0, 2)",
                "Engine.uniform: expects a finite range [low, high) with low <= high, got low=1.0, high=0.0",
                () -> engine.uniform(1, 0, 2)));
        c.add(iae("Engine", "normal(0, -1, FLOAT32, 2)",
                "Engine.normal: expects a finite mean and a finite std >= 0, got mean=0.0, std=-1.0",
                () -> engine.normal(0, -1, DType.FLOAT32, 2)));
        c.add(iae("Engine", "arange(NaN, 5, 1)",
                "Engine.arange: start, end and step must be finite, got start=NaN, end=5.0, step=1.0",
                () -> engine.arange(Double.NaN, 5, 1)));
        c.add(iae("Engine", "arange(0, Infinity, 1)",
                "Engine.arange: start, end and step must be finite, got start=0.0, end=Infinity, step=1.0",
                () -> engine.arange(0, Double.POSITIVE_INFINITY, 1)));
        c.add(iae("Engine", "arange(0, 5, NaN)",
                "Engine.arange: start, end and step must be finite, got start=0.0, end=5.0, step=NaN",
                () -> engine.arange(0, 5, Double.NaN)));
        c.add(iae("Engine", "arange(0, 5, 0)", "Engine.arange: step must be non-zero, got 0.0",
                () -> engine.arange(0, 5, 0)));
        c.add(iae("Engine", "arange(0, 5, -1)", "Engine.arange: step -1.0 has the wrong sign to go from start=0.0 to"
                + " end=5.0", () -> engine.arange(0, 5, -1)));
        c.add(iae("Engine", "arange(0, 1e300, 1)", "Engine.arange: start=0.0, end=1.0E300, step=1.0 gives 1.0E300"
                + " elements, more than the 2147483639 a tensor can hold", () -> engine.arange(0, 1e300, 1)));

        // ---------------------------------------------------------------- Polygrad
        c.add(npe("Polygrad", "createEngine((PolygradConfig) null)", "Polygrad.createEngine: config is null",
                () -> Polygrad.createEngine((PolygradConfig) null)));
        c.add(npe("Polygrad", "createEngine((Module) null)", "Polygrad.createEngine: backendModule is null",
                () -> Polygrad.createEngine((com.google.inject.Module) null)));
        c.add(npe("Polygrad", "createEngine(new ScratchModule(), null)", "Polygrad.createEngine: config is null",
                () -> Polygrad.createEngine(new ScratchModule(), null)));
        c.add(npe("Polygrad", "createInjector(null)", "Polygrad.createInjector: config is null",
                () -> Polygrad.createInjector(null)));

        // ---------------------------------------------------------------- nn
        c.add(npe("nn", "registerParameter(null, t)", "Module.registerParameter: name is null",
                () -> new Open().param(null, x())));
        c.add(npe("nn", "registerParameter(\"w\", null)", "Module.registerParameter: tensor is null",
                () -> new Open().param("w", null)));
        c.add(npe("nn", "registerModule(null, m)", "Module.registerModule: name is null",
                () -> new Open().child(null, new ReLU())));
        c.add(npe("nn", "registerModule(\"m\", null)", "Module.registerModule: module is null",
                () -> new Open().child("m", null)));
        c.add(iae("nn", "a.registerModule(\"self\", a)", "Module.registerModule: a module cannot be its own child:"
                + " Open registered as its own child 'self'", () -> {
                    Open a = new Open();
                    a.child("self", a);
                }));
        c.add(iae("nn", "a = Sequential(b); b.add(a)", "Module.registerModule: registering Sequential as child '1'"
                + " of Sequential would make a cycle: Sequential is already inside Sequential at '0', so the path 1.0"
                + " would lead back to Sequential", () -> {
                    Sequential b = new Sequential(new ReLU());
                    Sequential a = new Sequential(b);
                    b.add(a);
                }));
        c.add(iae("nn", "a.child(\"b\", b) where b.inner.loop == a", "Module.registerModule: registering Open as child"
                + " 'b' of Open would make a cycle: Open is already inside Open at 'inner.loop', so the path"
                + " b.inner.loop would lead back to Open", () -> {
                    Open a = new Open();
                    Open b = new Open();
                    Open inner = new Open();
                    b.child("inner", inner);
                    inner.child("loop", a);
                    a.child("b", b);
                }));
        c.add(npe("nn", "new Sequential((Module[]) null)", "Sequential: layers is null",
                () -> new Sequential((Module[]) null)));
        c.add(npe("nn", "new Sequential(new ReLU(), null)", "Sequential: layers[1] is null",
                () -> new Sequential(new ReLU(), null)));
        c.add(npe("nn", "sequential.add(null)", "Sequential.add: layer is null", () -> new Sequential().add(null)));
        c.add(npe("nn", "sequential.forward(null)", "Sequential.forward: input is null",
                () -> model().forward(null)));
        c.add(npe("nn", "new Linear(null, 1, 1)", "Linear: engine is null", () -> new Linear(null, 1, 1)));
        c.add(npe("nn", "new Linear(engine, 1, 1, true, null)", "Linear: dtype is null",
                () -> new Linear(engine, 1, 1, true, null)));
        c.add(npe("nn", "linear.forward(null)", "Linear.forward: input is null",
                () -> new Linear(engine, 1, 1).forward(null)));
        c.add(npe("nn", "new Lambda(null, f)", "Lambda: name is null", () -> new Lambda(null, v -> v)));
        c.add(npe("nn", "new Lambda(\"f\", null)", "Lambda: function is null", () -> new Lambda("f", null)));
        c.add(npe("nn", "lambda.forward(null)", "Lambda.forward: input is null",
                () -> new Lambda("f", v -> v).forward(null)));
        c.add(npe("nn", "new ReLU().forward(null)", "ReLU.forward: input is null", () -> new ReLU().forward(null)));
        c.add(npe("nn", "new Tanh().forward(null)", "Tanh.forward: input is null", () -> new Tanh().forward(null)));
        c.add(npe("nn", "new Sigmoid().forward(null)", "Sigmoid.forward: input is null",
                () -> new Sigmoid().forward(null)));
        c.add(npe("nn", "Functional.linear(null, w, b)", "Functional.linear: input is null",
                () -> Functional.linear(null, t, null)));
        c.add(npe("nn", "Functional.linear(x, null, b)", "Functional.linear: weight is null",
                () -> Functional.linear(t, null, null)));
        c.add(npe("nn", "Functional.softmax(null, 0)", "Functional.softmax: x is null",
                () -> Functional.softmax(null, 0)));
        c.add(npe("nn", "Functional.logSoftmax(null, 0)", "Functional.logSoftmax: x is null",
                () -> Functional.logSoftmax(null, 0)));
        c.add(npe("nn", "Functional.logSumExp(null, 0, false)", "Functional.logSumExp: x is null",
                () -> Functional.logSumExp(null, 0, false)));
        c.add(npe("nn", "Functional.softplus(null)", "Functional.softplus: x is null",
                () -> Functional.softplus(null)));
        c.add(npe("nn", "Init.uniform(null, 0, 1)", "Init.uniform: t is null", () -> Init.uniform(null, 0, 1)));
        c.add(npe("nn", "Init.normal(null, 0, 1)", "Init.normal: t is null", () -> Init.normal(null, 0, 1)));
        c.add(npe("nn", "Init.constant(null, 0)", "Init.constant: t is null", () -> Init.constant(null, 0)));
        c.add(npe("nn", "Init.xavierUniform(null, 1)", "Init.xavierUniform: t is null",
                () -> Init.xavierUniform(null, 1)));
        c.add(npe("nn", "Init.kaimingNormal(w, 0, null, RELU)", "Init.kaimingNormal: mode is null",
                () -> Init.kaimingNormal(engine.zeros(2, 2), 0, null, Init.Nonlinearity.RELU)));
        c.add(npe("nn", "Init.gain(null, 0)", "Init.gain: nonlinearity is null", () -> Init.gain(null, 0)));
        c.add(npe("nn", "Init.fans(null)", "Init.fans: shape is null", () -> Init.fans(null)));

        // ---------------------------------------------------------------- buffers, state dicts, normalisation, new losses
        // (a state dict error lists one problem per line, after "\n\t", shown as … here)
        c.add(npe("nn", "registerBuffer(\"b\", null)", "Module.registerBuffer: tensor is null",
                () -> new Open().buffer("b", null)));
        c.add(iae("nn", "registerBuffer(\"b\", t.requiresGrad(true))", "buffer 'b' of Open requires a gradient; a"
                + " buffer is not trained: register tensor.detach(), or register a parameter",
                () -> new Open().buffer("b", x().requiresGrad(true))));
        c.add(iae("nn", "registerBuffer(\"w\", t) after registerParameter(\"w\", p)",
                "buffer name 'w' is already registered in Open", () -> {
                    Open o = new Open();
                    o.param("w", x());
                    o.buffer("w", x());
                }));
        c.add(npe("nn", "module.loadStateDict(null)", "Module.loadStateDict: state is null",
                () -> model().loadStateDict(null)));
        c.add(npe("nn", "loadStateDict({\"0.weight\": null, ...})", "Module.loadStateDict: state['0.weight'] is null",
                () -> {
                    Map<String, Tensor> state = new HashMap<>();
                    state.put("0.weight", null);
                    state.put("0.bias", engine.zeros(1));
                    model().loadStateDict(state);
                }));
        c.add(iae("nn", "Sequential(Linear(1, 1)).loadStateDict({0.weight [1, 1], extra [1]})",
                "Error(s) in loading state_dict for Sequential:…Unexpected key(s) in state_dict: \"extra\".…"
                        + "Missing key(s) in state_dict: \"0.bias\".",
                () -> model().loadStateDict(Map.of("0.weight", engine.zeros(1, 1), "extra", engine.zeros(1)))));
        c.add(iae("nn", "loadStateDict({0.weight [2, 1], 0.bias [1]}, strict false)",
                "Error(s) in loading state_dict for Sequential:…size mismatch for 0.weight: copying a param with"
                        + " shape [2, 1] from checkpoint, the shape in current model is [1, 1].",
                () -> model().loadStateDict(Map.of("0.weight", engine.zeros(2, 1), "0.bias", engine.zeros(1)), false)));
        c.add(npe("nn", "new BatchNorm1d(null, 3)", "BatchNorm1d: engine is null", () -> new BatchNorm1d(null, 3)));
        c.add(iae("nn", "new BatchNorm2d(engine, 0)", "BatchNorm2d: numFeatures must be >= 1, got 0",
                () -> new BatchNorm2d(engine, 0)));
        c.add(iae("nn", "new BatchNorm1d(engine, 3, -1, 0.1, true, true)", "BatchNorm1d: eps must be finite and >= 0,"
                + " got -1.0", () -> new BatchNorm1d(engine, 3, -1, 0.1, true, true)));
        c.add(iae("nn", "new BatchNorm1d(engine, 3, 1e-5, 1.5, true, true)", "BatchNorm1d: momentum must be in [0, 1]"
                + " (or null for a cumulative average), got 1.5", () -> new BatchNorm1d(engine, 3, 1e-5, 1.5, true, true)));
        c.add(iae("nn", "new BatchNorm1d(engine, 3).forward(x [2, 4])", "BatchNorm1d(3): expected an input with 3"
                + " channels on axis 1, but got input of shape [2, 4] (4 channels)",
                () -> new BatchNorm1d(engine, 3).forward(engine.zeros(2, 4))));
        c.add(iae("nn", "new BatchNorm2d(engine, 3).forward(x [2, 3, 4])", "BatchNorm2d: expected 4D input (got 3D"
                + " input of shape [2, 3, 4])", () -> new BatchNorm2d(engine, 3).forward(engine.zeros(2, 3, 4))));
        c.add(iae("nn", "new BatchNorm1d(engine, 3).forward(x [2, 3, 4, 5])", "BatchNorm1d: expected 2D or 3D input"
                + " (got 4D input of shape [2, 3, 4, 5])",
                () -> new BatchNorm1d(engine, 3).forward(engine.zeros(2, 3, 4, 5))));
        c.add(iae("nn", "new BatchNorm1d(engine, 3).forward(x [1, 3]) in training", "Expected more than 1 value per"
                + " channel when training, got input size [1, 3]",
                () -> new BatchNorm1d(engine, 3).forward(engine.zeros(1, 3))));
        c.add(npe("nn", "batchNorm.forward(null)", "BatchNorm2d.forward: input is null",
                () -> new BatchNorm2d(engine, 3).forward(null)));
        c.add(iae("nn", "Functional.batchNorm(x [2, 3], rm, rv, weight [2], null, ...)", "batchNorm: weight should"
                + " contain 3 elements (one per channel of the input of shape [2, 3]), but it has shape [2]",
                () -> Functional.batchNorm(engine.zeros(2, 3), engine.zeros(3), engine.ones(3), engine.ones(2), null,
                        true, 0.1, 1e-5)));
        c.add(iae("nn", "Functional.batchNorm(x, rm, null, ...)", "batchNorm: give both running statistics or"
                + " neither, got running_mean of shape [3] and running_var null",
                () -> Functional.batchNorm(engine.zeros(2, 3), engine.zeros(3), null, null, null, true, 0.1, 1e-5)));
        c.add(iae("nn", "Functional.batchNorm(x [3], ...)", "batchNorm: expected an input of shape [N, C, *] (at least"
                + " 2 dimensions), got shape [3]",
                () -> Functional.batchNorm(engine.zeros(3), null, null, null, null, true, 0.1, 1e-5)));
        c.add(npe("nn", "new LayerNorm(engine, (int[]) null)", "LayerNorm: normalizedShape is null",
                () -> new LayerNorm(engine, (int[]) null)));
        c.add(iae("nn", "new LayerNorm(engine, new int[0])", "LayerNorm: normalizedShape must have at least one"
                + " dimension, each >= 1, got []", () -> new LayerNorm(engine, new int[0])));
        c.add(iae("nn", "new LayerNorm(engine, 3).forward(x [2, 4])", "layerNorm: given normalizedShape=[3], expected"
                + " input with shape [*, 3], but got input of shape [2, 4]",
                () -> new LayerNorm(engine, 3).forward(engine.zeros(2, 4))));
        c.add(npe("nn", "new ModuleList(new ReLU(), null)", "ModuleList: modules[1] is null",
                () -> new ModuleList(new ReLU(), null)));
        c.add(new Case("nn", "new ModuleList(new ReLU()).get(1)", IndexOutOfBoundsException.class,
                "ModuleList.get: index 1 is out of range for a list of 1 modules",
                () -> new ModuleList(new ReLU()).get(1)));
        c.add(new Case("nn", "moduleList.forward(x)", UnsupportedOperationException.class,
                "ModuleList has no forward: iterate over it (for (Module m : list)) in the forward of the module that"
                        + " owns it, or use Sequential to chain the layers",
                () -> new ModuleList(new ReLU()).forward(x())));
        c.add(npe("nn", "new Identity().forward(null)", "Identity.forward: input is null",
                () -> new Identity().forward(null)));
        c.add(npe("Engine", "engine.withDType(null)", "Engine.withDType: dtype is null", () -> engine.withDType(null)));
        c.add(npe("Polygrad", "Polygrad.engine((DType) null)", "Polygrad.engine: dtype is null",
                () -> Polygrad.engine((DType) null)));
        c.add(npe("Polygrad", "Polygrad.engine(null, FLOAT64)", "Polygrad.engine: device is null",
                () -> Polygrad.engine(null, DType.FLOAT64)));
        c.add(iae("loss", "Losses.binaryCrossEntropy(x with 1.5, y)", "binaryCrossEntropy: all elements of input should"
                + " be between 0 and 1, but element 1 is 1.5 (apply sigmoid first, or use binaryCrossEntropyWithLogits on"
                + " logits)", () -> Losses.binaryCrossEntropy(engine.tensor(new double[] {0.5, 1.5}),
                        engine.tensor(new double[] {1, 0}))));
        c.add(iae("loss", "Losses.binaryCrossEntropy(x [2, 1], y, weight [3], MEAN)", "binaryCrossEntropy: weight of"
                + " shape [3] does not broadcast to the input shape [2, 1]",
                () -> Losses.binaryCrossEntropy(t, y, engine.ones(3), Reduction.MEAN)));
        c.add(iae("loss", "Losses.binaryCrossEntropyWithLogits(x [2, 1], y, null, posWeight [3], MEAN)",
                "binaryCrossEntropyWithLogits: posWeight of shape [3] does not broadcast to the input shape [2, 1]",
                () -> Losses.binaryCrossEntropyWithLogits(t, y, null, engine.ones(3), Reduction.MEAN)));
        c.add(npe("loss", "Losses.klDiv(null, y)", "Losses.klDiv: input is null", () -> Losses.klDiv(null, y)));
        c.add(iae("loss", "Losses.klDivBatchMean(x [2, 1], y [2], false)", "klDivBatchMean: input shape [2, 1] differs"
                + " from target shape [2]; reshape one so they match (broadcasting here is almost always a bug)",
                () -> Losses.klDivBatchMean(t, engine.zeros(2), false)));
        c.add(npe("loss", "Losses.huber(x, null)", "Losses.huber: target is null", () -> Losses.huber(t, null)));

        // ---------------------------------------------------------------- losses
        c.add(npe("loss", "Losses.mse(null, y)", "Losses.mse: input is null", () -> Losses.mse(null, y)));
        c.add(npe("loss", "Losses.mse(x, null)", "Losses.mse: target is null", () -> Losses.mse(t, null)));
        c.add(npe("loss", "Losses.mse(x, y, null)", "Losses.mse: reduction is null", () -> Losses.mse(t, y, null)));
        c.add(npe("loss", "Losses.mae(null, y)", "Losses.mae: input is null", () -> Losses.mae(null, y)));
        c.add(npe("loss", "Losses.huber(x, null, 1, MEAN)", "Losses.huber: target is null",
                () -> Losses.huber(t, null, 1, Reduction.MEAN)));
        c.add(npe("loss", "Losses.smoothL1(x, y, 1, null)", "Losses.smoothL1: reduction is null",
                () -> Losses.smoothL1(t, y, 1, null)));

        // ---- convolution and pooling (ConvolutionOps, Conv2d, MaxPool2d, AvgPool2d)
        c.add(npe("conv", "ConvolutionOps.conv2d(null, w, null)", "conv2d: input is null",
                () -> ConvolutionOps.conv2d(null, engine.zeros(1, 1, 3, 3), null)));
        c.add(npe("conv", "conv.forward(null)", "Conv2d.forward: input is null",
                () -> new Conv2d(engine, 1, 2, 3).forward(null)));
        c.add(iae("conv", "conv2d(zeros(28, 28), w, null)", "conv2d: expected a 3-d (unbatched) or 4-d (batched) input "
                + "[N, C, H, W], got shape [28, 28]",
                () -> ConvolutionOps.conv2d(engine.zeros(28, 28), engine.zeros(1, 1, 3, 3), null)));
        c.add(iae("conv", "conv2d(x, zeros(2, 3, 3), null)", "conv2d: expected a 4-d weight [out_channels, "
                + "in_channels / groups, kH, kW], got shape [2, 3, 3]",
                () -> ConvolutionOps.conv2d(engine.zeros(1, 1, 5, 5), engine.zeros(2, 3, 3), null)));
        c.add(iae("conv", "new Conv2d(engine, 1, 32, 5, 1, 2).forward(zeros(8, 3, 28, 28))",
                "Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)): conv2d: input shape [8, 3, 28, 28] "
                        + "has 3 channels, but weight shape [32, 1, 5, 5] with groups = 1 expects 1 input channels",
                () -> new Conv2d(engine, 1, 32, 5, 1, 2).forward(engine.zeros(8, 3, 28, 28))));
        c.add(iae("conv", "conv2d(zeros(1, 4, 5, 5), zeros(6, 2, 3, 3), null, {1, 1}, {0, 0}, {1, 1}, 3)",
                "conv2d: groups = 3 must divide both the input channels (4, input shape [1, 4, 5, 5]) and the output "
                        + "channels (6, weight shape [6, 2, 3, 3])",
                () -> ConvolutionOps.conv2d(engine.zeros(1, 4, 5, 5), engine.zeros(6, 2, 3, 3), null,
                        new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 3)));
        c.add(iae("conv", "Conv2d.builder(engine, 3, 6, 3).groups(2).build()", "Conv2d: groups = 2 must be at least 1 "
                + "and divide both in_channels = 3 and out_channels = 6",
                () -> Conv2d.builder(engine, 3, 6, 3).groups(2).build()));
        c.add(iae("conv", "conv2d(zeros(1, 1, 3, 3), zeros(1, 1, 5, 5), null)", "conv2d: input shape [1, 1, 3, 3] "
                + "padded by [0, 0] is 3x3, smaller than the height 5 of the kernel [5, 5] (the output size would be "
                + "less than 1)",
                () -> ConvolutionOps.conv2d(engine.zeros(1, 1, 3, 3), engine.zeros(1, 1, 5, 5), null)));
        c.add(iae("conv", "conv2d(x, w, null, 0, 0)", "conv2d: every stride must be at least 1, got [0, 0]",
                () -> ConvolutionOps.conv2d(engine.zeros(1, 1, 5, 5), engine.zeros(1, 1, 3, 3), null, 0, 0)));
        c.add(iae("conv", "conv2d(x, zeros(2, 1, 3, 3), zeros(3))", "conv2d: bias shape [3] does not match the "
                + "weight's 2 output channels [2]",
                () -> ConvolutionOps.conv2d(engine.zeros(1, 1, 5, 5), engine.zeros(2, 1, 3, 3), engine.zeros(3))));
        c.add(iae("conv", "new MaxPool2d(3).forward(zeros(1, 1, 2, 2))", "MaxPool2d(kernel_size=3, stride=3, "
                + "padding=0): maxPool2d: input shape [1, 1, 2, 2] padded by [0, 0] is 2x2, smaller than the height 3 "
                + "of the kernel [3, 3] (the output size would be less than 1)",
                () -> new MaxPool2d(3).forward(engine.zeros(1, 1, 2, 2))));
        c.add(iae("conv", "new MaxPool2d(2, 2, 2)", "MaxPool2d: padding [2, 2] must be at most half the kernel [2, 2]",
                () -> new MaxPool2d(2, 2, 2)));
        c.add(iae("conv", "new AvgPool2d(2).forward(zeros(4))", "AvgPool2d(kernel_size=2, stride=2, padding=0): "
                + "avgPool2d: expected a 3-d (unbatched) or 4-d (batched) input [N, C, H, W], got shape [4]",
                () -> new AvgPool2d(2).forward(engine.zeros(4))));
        c.add(iae("conv", "fold(zeros(1, 4, 5), {3, 3}, {2, 2}, …)", "fold: the input's 5 blocks (shape [1, 4, 5]) do "
                + "not match output size [3, 3], which has 2x2 blocks of kernel [2, 2]",
                () -> ConvolutionOps.fold(engine.zeros(1, 4, 5), new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                        new int[] {0, 0}, new int[] {1, 1})));
        c.add(iae("conv", "a 32x32 image into Conv2d(1, 2, 3), Flatten, Linear(1352, 10)",
                "Linear(in_features=1352, out_features=10): input shape [1, 1800] does not match the weight shape "
                        + "[10, 1352]: the last dimension must be 1352",
                () -> new Sequential(new Conv2d(engine, 1, 2, 3), new Flatten(), new Linear(engine, 1352, 10))
                        .forward(engine.zeros(1, 1, 32, 32))));
        c.add(npe("loss", "Losses.binaryCrossEntropyWithLogits(null, y)",
                "Losses.binaryCrossEntropyWithLogits: logits is null",
                () -> Losses.binaryCrossEntropyWithLogits(null, y)));
        c.add(npe("loss", "Losses.crossEntropy(null, y)", "Losses.crossEntropy: logits is null",
                () -> Losses.crossEntropy(null, y)));
        c.add(npe("loss", "Losses.crossEntropy(x, null)", "Losses.crossEntropy: target is null",
                () -> Losses.crossEntropy(t, null)));

        // ---------------------------------------------------------------- int64 tensors and indexing
        Tensor labels = engine.tensor(new long[] {1, 0});
        Tensor logits = engine.tensor(new double[] {1, 2, 3, 4}, 2, 2);
        c.add(new Case("int64", "tensor(new long[] {1, 0}).requiresGrad(true)", IllegalStateException.class,
                "only Tensors of floating point dtype can require gradients, got int64 (as in PyTorch); cast first, "
                + "e.g. to(DType.FLOAT32)", () -> labels.requiresGrad(true)));
        c.add(iae("int64", "tensor(new long[] {1, 0}).mean()", "mean needs a floating-point tensor, got int64; cast "
                + "first, e.g. x.to(DType.FLOAT32).mean()", () -> labels.mean()));
        c.add(iae("int64", "PolygradConfig with dtype INT64", "PolygradConfig: dtype int64 is not a floating-point "
                + "dtype; an engine's default dtype is float32 or float64 (create int64 tensors with "
                + "Engine.tensor(long[], int...))", () -> PolygradConfig.defaults().withDType(DType.INT64)));
        c.add(iae("int64", "DType.parseFloatingPoint(\"long\")", "dtype 'long' is not a floating-point dtype: "
                + "expected float32 (f32) or float64 (f64)", () -> DType.parseFloatingPoint("long")));
        c.add(iae("int64", "x.gather(1, float index)", "gather: index must be an int64 tensor, got float32 of shape "
                + "[2, 1]; cast it with to(DType.INT64)", () -> t.gather(1, y)));
        c.add(new Case("int64", "x.gather(0, index 5 of 2)", IndexOutOfBoundsException.class, "scratch: gather: index"
                + " 5 at position [1, 0] is out of range [0, 2) for axis 0 of shape [2, 1]",
                () -> t.gather(0, engine.tensor(new long[] {0, 5}, 2, 1))));
        c.add(iae("int64", "x.indexSelect(0, 2-d index)", "indexSelect: index must be 1-d (or 0-d), got shape [2, 1]",
                () -> t.indexSelect(0, engine.tensor(new long[] {0, 1}, 2, 1))));
        c.add(iae("int64", "x.maskedFill(mask [3], v) on [2, 1]", "maskedFill: mask of shape [3] cannot be broadcast "
                + "to the tensor's shape [2, 1]", () -> t.maskedFill(engine.tensor(new long[] {0, 1, 0}), 0)));
        c.add(iae("int64", "zeros(2, 0).argmax(1)", "argmax: cannot reduce over axis 1 of size 0 in shape [2, 0] (it "
                + "has no largest element)", () -> engine.zeros(2, 0).argmax(1)));
        c.add(iae("int64", "Losses.crossEntropy(logits [2, 2], float32 indices [2])", "crossEntropy: class-index "
                + "target must be int64, got float32 of shape [2] for input of shape [2, 2]; cast it with "
                + "to(DType.INT64) (a float target of the input's shape is read as class probabilities)",
                () -> Losses.crossEntropy(logits, engine.tensor(new double[] {1, 0}))));
        c.add(iae("int64", "Losses.crossEntropy(logits [2, 2], int64 target [2, 2])", "crossEntropy: class-"
                + "probability target must be floating point, got int64 of shape [2, 2]; int64 class indices have "
                + "shape [2]", () -> Losses.crossEntropy(logits, engine.tensor(new long[] {0, 1, 1, 0}, 2, 2))));
        c.add(iae("int64", "Losses.crossEntropy(logits [2, 2], label 2)", "crossEntropy: target 2 at position [1] is"
                + " outside [0, 2) for input of shape [2, 2]",
                () -> Losses.crossEntropy(logits, engine.tensor(new long[] {0, 2}))));
        c.add(iae("int64", "Losses.nll(logp [2, 2], label -1)", "nll: target -1 at position [0] is outside [0, 2) "
                + "for input of shape [2, 2]", () -> Losses.nll(logits, engine.tensor(new long[] {-1, 0}))));
        c.add(iae("int64", "crossEntropy weight of 3 for 2 classes", "crossEntropy: weight must be a 1-d float tensor"
                + " of 2 class weights, got float32 of shape [3]", () -> Losses.crossEntropy(logits, labels,
                io.polygrad.loss.CrossEntropyOptions.builder().weight(engine.ones(3)).build())));
        c.add(iae("int64", "CrossEntropyOptions labelSmoothing 1.5", "CrossEntropyOptions: labelSmoothing must be in "
                + "[0, 1], got 1.5", () -> io.polygrad.loss.CrossEntropyOptions.builder().labelSmoothing(1.5).build()));
        c.add(iae("int64", "Embedding.forward(float input)", "Embedding.forward: input must be int64 indices, got "
                + "float32 of shape [2, 1]; cast it with to(DType.INT64)",
                () -> new io.polygrad.nn.Embedding(engine, 3, 2).forward(t)));
        c.add(iae("int64", "ConfusionMatrix.add(logits, float labels)", "ConfusionMatrix.add: labels must be int64 "
                + "class indices, got float32 of shape [2]; cast them with to(DType.INT64)",
                () -> new io.polygrad.train.ConfusionMatrix(2).add(logits, engine.tensor(new double[] {1, 0}))));

        // ---------------------------------------------------------------- optimizers
        List<Tensor> withNull = Arrays.asList(engine.zeros(1).requiresGrad(true), null);
        c.add(npe("optim", "SGD.builder(null)", "SGD.builder: parameters is null", () -> SGD.builder(null)));
        c.add(npe("optim", "Adam.builder([p, null])", "Adam.builder: parameters[1] is null",
                () -> Adam.builder(withNull)));
        c.add(npe("optim", "AdamW.builder(null)", "AdamW.builder: parameters is null", () -> AdamW.builder(null)));
        c.add(npe("optim", "RMSprop.builder(null)", "RMSprop.builder: parameters is null",
                () -> RMSprop.builder(null)));
        c.add(npe("optim", "OptimizerSpec.of(\"sgd\").create(null)", "OptimizerSpec.create: parameters is null",
                () -> OptimizerSpec.of("sgd").create(null)));

        // ---------------------------------------------------------------- Trainer
        Sequential m = model();
        Optimizer opt = sgd(m);
        c.add(npe("train", "Trainer.builder(null, loss, opt)", "Trainer.builder: model is null",
                () -> Trainer.builder(null, Losses::mse, opt)));
        c.add(npe("train", "Trainer.builder(model, null, opt)", "Trainer.builder: loss is null",
                () -> Trainer.builder(m, null, opt)));
        c.add(npe("train", "Trainer.builder(model, loss, null)", "Trainer.builder: optimizer is null",
                () -> Trainer.builder(m, Losses::mse, null)));
        c.add(npe("train", "builder.data(null, y)", "Trainer.Builder.data: x is null",
                () -> Trainer.builder(m, Losses::mse, opt).data(null, y)));
        c.add(npe("train", "builder.data((Batch) null)", "Trainer.Builder.data: batch is null",
                () -> Trainer.builder(m, Losses::mse, opt).data((Batch) null)));
        c.add(npe("train", "builder.data((List<Batch>) null)", "Trainer.Builder.data: batches is null",
                () -> Trainer.builder(m, Losses::mse, opt).data((List<Batch>) null)));
        c.add(npe("train", "builder.data([batch, null])", "Trainer.Builder.data: batches[1] is null",
                () -> Trainer.builder(m, Losses::mse, opt).data(Arrays.asList(new Batch(t, y), null))));
        c.add(npe("train", "builder.onStep(null)", "Trainer.Builder.onStep: callback is null",
                () -> Trainer.builder(m, Losses::mse, opt).onStep(null)));
        c.add(npe("train", "Trainer.fit(model, null, loss, opt, 1)", "Trainer.fit: data is null",
                () -> Trainer.fit(m, null, Losses::mse, opt, 1)));

        // ---------------------------------------------------------------- safetensors
        Path good = dir.resolve("good.safetensors");
        SafeTensors.save(m, good);
        c.add(npe("io", "SafeTensors.save(null, path)", "SafeTensors.save: module is null",
                () -> SafeTensors.save((Module) null, good)));
        c.add(npe("io", "SafeTensors.save(model, null)", "SafeTensors.save: file is null",
                () -> SafeTensors.save(m, null)));
        c.add(npe("io", "SafeTensors.save(tensors, metadata, null)", "SafeTensors.save: file is null",
                () -> SafeTensors.save(Map.of(), Map.of(), null)));
        Map<String, Tensor> nullTensor = new HashMap<>();
        nullTensor.put("w", null);
        c.add(npe("io", "SafeTensors.toBytes({w: null}, {})", "SafeTensors.toBytes: tensor 'w' is null",
                () -> SafeTensors.toBytes(nullTensor, Map.of())));
        c.add(npe("io", "SafeTensors.toBytes(tensors, null)", "SafeTensors.toBytes: metadata is null",
                () -> SafeTensors.toBytes(Map.of(), null)));
        c.add(npe("io", "SafeTensors.read(null, engine)", "SafeTensors.read: file is null",
                () -> SafeTensors.read(null, engine)));
        c.add(npe("io", "SafeTensors.read(path, null)", "SafeTensors.read: engine is null",
                () -> SafeTensors.read(good, null)));
        c.add(npe("io", "SafeTensors.metadata(null)", "SafeTensors.metadata: file is null",
                () -> SafeTensors.metadata(null)));
        c.add(npe("io", "SafeTensors.load(null, path)", "SafeTensors.load: module is null",
                () -> SafeTensors.load(null, good)));
        c.add(npe("io", "SafeTensors.load(model, null)", "SafeTensors.load: file is null",
                () -> SafeTensors.load(m, null)));
        Path folder = Files.createDirectories(dir.resolve("folder.safetensors"));
        c.add(new Case("io", "SafeTensors.save(model, <an existing directory>)", SafeTensorsException.class,
                "safetensors file <dir>/folder.safetensors: cannot be written: it is a directory",
                () -> SafeTensors.save(m, folder)));
        Path aFile = Files.writeString(dir.resolve("a-file"), "x");
        c.add(new Case("io", "SafeTensors.save(model, <a-file>/m.safetensors)", SafeTensorsException.class,
                "safetensors file <dir>/a-file/m.safetensors: cannot be written: …",
                () -> SafeTensors.save(m, aFile.resolve("m.safetensors"))));
        Path truncated = Files.write(dir.resolve("truncated.safetensors"), header(50_000_000L, 100));
        c.add(new Case("io", "SafeTensors.read(<100 bytes claiming a 50 MB header>)", SafeTensorsException.class,
                "safetensors file <dir>/truncated.safetensors: truncated: the header length is 50000000 bytes but"
                        + " only 92 bytes follow it", () -> SafeTensors.read(truncated, engine)));
        Path absurd = sparse("absurd.safetensors", 1L << 40, 3L << 30);
        c.add(new Case("io", "SafeTensors.load(<3 GiB sparse file, header length 2^40>)", SafeTensorsException.class,
                "safetensors file <dir>/absurd.safetensors: header length 1099511627776 is larger than the limit of"
                        + " 100000000 bytes", () -> SafeTensors.load(m, absurd)));
        Path huge = sparse("huge.safetensors", 8, 3L << 30);
        c.add(new Case("io", "SafeTensors.read(<3 GiB sparse file, valid header length>)", SafeTensorsException.class,
                "safetensors file <dir>/huge.safetensors: is 3221225472 bytes, too large to read into one Java array"
                        + " (at most 2147483639 bytes)", () -> SafeTensors.read(huge, engine)));

        // ---------------------------------------------------------------- config
        c.add(npe("config", "new PolygradConfig(null, CPU, FLOAT32, 42)", "PolygradConfig: backend is null",
                () -> new PolygradConfig(null, Device.CPU, DType.FLOAT32, 42)));
        c.add(npe("config", "PolygradConfig.defaults().withDType(null)", "PolygradConfig: dtype is null",
                () -> PolygradConfig.defaults().withDType(null)));
        c.add(npe("config", "new PolygradModule(null)", "PolygradModule: config is null",
                () -> new PolygradModule(null)));
        c.add(npe("config", "new BackendRegistry(null)", "BackendRegistry: providers is null",
                () -> new BackendRegistry(null)));
        c.add(npe("config", "registry.select(null)", "BackendRegistry.select: config is null",
                () -> BackendRegistry.fromClasspath().select(null)));
        c.add(npe("config", "new ConfigResolver(null, env, file)", "ConfigResolver: systemProperties is null",
                () -> new ConfigResolver(null, Map.of(), new Properties())));
        c.add(npe("config", "resolver.sourceOf(null)", "ConfigResolver.sourceOf: key is null",
                () -> new ConfigResolver(new Properties(), Map.of(), new Properties()).sourceOf(null)));
        c.add(propertiesCase("polygrad.dtype=float16", IllegalArgumentException.class,
                "Invalid polygrad.dtype 'float16' in file:<dir>/classpath/polygrad.properties: Unknown dtype 'float16':"
                        + " expected float32 (f32) or float64 (f64)"));
        c.add(propertiesCase("polygrad.seed=forty-two", IllegalArgumentException.class,
                "Invalid polygrad.seed 'forty-two' in file:<dir>/classpath/polygrad.properties: expected an integer"));
        c.add(propertiesCase("polygrad.device=tpu", IllegalArgumentException.class,
                "Invalid polygrad.device 'tpu' in file:<dir>/classpath/polygrad.properties: Unknown device 'tpu':"
                        + " expected cpu, cuda or cuda:N"));
        c.add(propertiesCase("polygrad.backend=\\u12", IllegalArgumentException.class,
                "Malformed file:<dir>/classpath/polygrad.properties: Malformed \\uxxxx encoding."));
        c.add(propertiesCase(null, java.io.UncheckedIOException.class,
                "Cannot read file:<dir>/classpath/polygrad.properties: java.io.FileNotFoundException: …"));
        // ---------------------------------------------------------------- Tensor ops for porting PyTorch scripts (issue 14)
        Tensor m23 = engine.zeros(2, 3);
        Tensor empty = engine.zeros(0, 2);
        Tensor zeroD = engine.scalar(1.5);
        c.add(iae("Tensor", "stack(List.of(zeros(2, 3), zeros(3)), 0)", "stack: expects tensors of equal shape, but "
                + "tensor 0 has shape [2, 3] and tensor 1 has shape [3]",
                () -> Tensor.stack(List.of(m23, engine.zeros(3)), 0)));
        c.add(iae("Tensor", "stack(List.of(), 0)", "stack: needs at least one tensor", () -> Tensor.stack(List.of(), 0)));
        c.add(iae("Tensor", "stack(List.of(m23, m23), 3)", "stack: axis 3 is out of range [-3, 2] for a new axis of a "
                + "tensor of rank 2", () -> Tensor.stack(List.of(m23, m23), 3)));
        c.add(npe("Tensor", "stack(null, 0)", "stack: tensors is null", () -> Tensor.stack(null, 0)));
        c.add(npe("Tensor", "stack(Arrays.asList(m23, null), 0)", "stack: tensors[1] is null",
                () -> Tensor.stack(Arrays.asList(m23, null), 0)));
        c.add(iae("Tensor", "zeros(2, 3).squeeze(2)", "squeeze: axis 2 is out of range for a tensor of rank 2",
                () -> m23.squeeze(2)));
        c.add(iae("Tensor", "zeros(2, 3).unsqueeze(3)", "unsqueeze: axis 3 is out of range [-3, 2] for a new axis of "
                + "a tensor of rank 2", () -> m23.unsqueeze(3)));
        c.add(iae("Tensor", "zeros(2, 3).unsqueeze(-4)", "unsqueeze: axis -4 is out of range [-3, 2] for a new axis "
                + "of a tensor of rank 2", () -> m23.unsqueeze(-4)));
        c.add(iae("Tensor", "zeros(2, 3).get(2)", "get: index 2 is out of range for the first axis of size 2 (shape "
                + "[2, 3]; valid indices are -2 to 1)", () -> m23.get(2)));
        c.add(iae("Tensor", "zeros(2, 3).get(-3)", "get: index -3 is out of range for the first axis of size 2 (shape "
                + "[2, 3]; valid indices are -2 to 1)", () -> m23.get(-3)));
        c.add(iae("Tensor", "zeros(0, 2).get(0)", "get: index 0 is out of range: the first axis is empty (shape "
                + "[0, 2])", () -> empty.get(0)));
        c.add(iae("Tensor", "scalar(1.5).get(0)", "get: a 0-d tensor has no first axis to index; use item()",
                () -> zeroD.get(0)));
        c.add(iae("Tensor", "scalar(1.5).unbind(0)", "unbind: a 0-d tensor has no axis to unbind", () -> zeroD.unbind(0)));
        c.add(iae("Tensor", "zeros(2, 3).unbind(2)", "unbind: axis 2 is out of range for a tensor of rank 2",
                () -> m23.unbind(2)));
        c.add(iae("Tensor", "zeros(2, 3).norm(\"nuc\")", "norm: the nuclear norm (\"nuc\") is not supported; orders "
                + "are \"fro\" or a number (Double.POSITIVE_INFINITY and NEGATIVE_INFINITY included)",
                () -> m23.norm("nuc")));
        c.add(iae("Tensor", "zeros(2, 3).norm(\"l2\")", "norm: unknown order \"l2\"; orders are \"fro\" or a number "
                + "(Double.POSITIVE_INFINITY and NEGATIVE_INFINITY included)", () -> m23.norm("l2")));
        c.add(iae("Tensor", "zeros(2, 3).norm(NaN)", "norm: the order p is NaN", () -> m23.norm(Double.NaN)));
        c.add(npe("Tensor", "zeros(2, 3).norm((String) null)", "norm: ord is null", () -> m23.norm((String) null)));
        c.add(iae("Tensor", "zeros(0, 2).norm(Infinity, 0, false)", "norm: cannot take the inf-norm over axis 0 of "
                + "size 0 in shape [0, 2]", () -> empty.norm(Double.POSITIVE_INFINITY, 0, false)));
        c.add(iae("Tensor", "zeros(0, 2).min(0, false)", "min: cannot reduce over axis 0 of size 0 in shape [0, 2]",
                () -> empty.min(0, false)));
        c.add(iae("Tensor", "zeros(0, 2).min()", "min: cannot reduce over axis 0 of size 0 in shape [0, 2]",
                () -> empty.min()));
        c.add(npe("Tensor", "zeros(2, 3).min((int[]) null, false)", "min: axes is null", () -> m23.min((int[]) null, false)));
        c.add(iae("Tensor", "zeros(2, 3).prod(new int[] {0, 0}, false)", "prod: axis 0 repeated in [0, 0]",
                () -> m23.prod(new int[] {0, 0}, false)));
        c.add(iae("Tensor", "zeros(2, 3).var(new int[] {1}, NaN, false)", "var: correction must be finite, got NaN",
                () -> m23.var(new int[] {1}, Double.NaN, false)));
        c.add(iae("Tensor", "zeros(2, 3).std(2, false)", "std: axis 2 is out of range for a tensor of rank 2",
                () -> m23.std(2, false)));
        c.add(iae("Tensor", "zeros(2, 3).cumsum(2)", "cumsum: axis 2 is out of range for a tensor of rank 2",
                () -> m23.cumsum(2)));
        c.add(iae("Tensor", "zeros(2, 3).gelu(\"exact\")", "gelu: approximate must be \"none\" or \"tanh\", got "
                + "\"exact\"", () -> m23.gelu("exact")));
        c.add(npe("Tensor", "zeros(2, 3).gelu(null)", "gelu: approximate is null", () -> m23.gelu(null)));
        c.add(iae("Tensor", "zeros(2, 3).leakyRelu(NaN)", "leakyRelu: negativeSlope must be finite, got NaN",
                () -> m23.leakyRelu(Double.NaN)));
        c.add(iae("Tensor", "zeros(2, 3).elu(Infinity)", "elu: alpha must be finite, got Infinity",
                () -> m23.elu(Double.POSITIVE_INFINITY)));
        c.add(iae("nn", "new GELU(\"exact\")", "GELU: approximate must be \"none\" or \"tanh\", got \"exact\"",
                () -> new GELU("exact")));
        c.add(iae("nn", "new LeakyReLU(NaN)", "LeakyReLU: negativeSlope must be finite, got NaN",
                () -> new LeakyReLU(Double.NaN)));
        c.add(iae("nn", "new ELU(Infinity)", "ELU: alpha must be finite, got Infinity",
                () -> new ELU(Double.POSITIVE_INFINITY)));
        c.add(iae("nn", "new Softplus(0, 20)", "Softplus: beta must be positive and finite, got 0.0",
                () -> new Softplus(0, 20)));
        c.add(npe("nn", "new SiLU().forward(null)", "SiLU.forward: input is null", () -> new SiLU().forward(null)));
        return c;
    }

    /** The 8-byte header length {@code n} followed by zeros, {@code total} bytes in all. */
    private static byte[] header(long n, int total) {
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n);
        return b.array();
    }

    /** A sparse file of {@code size} bytes (no disk used) that starts with header length {@code n}. */
    private Path sparse(String name, long n, long size) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(header(n, 8));
            f.setLength(size);
        }
        return p;
    }

    /**
     * A case for a {@code polygrad.properties} on the classpath holding {@code content} (or, when null,
     * one that the class loader lists but that cannot be opened), resolved by
     * {@link ConfigResolver#resolveDefault()}.
     */
    private Case propertiesCase(String content, Class<? extends Throwable> type, String message) throws IOException {
        Path file = dir.resolve("classpath").resolve(ConfigResolver.PROPERTIES_RESOURCE);
        String input = content == null ? "polygrad.properties that cannot be opened"
                : "polygrad.properties: " + content;
        return new Case("config", input, type, message, () -> {
            Files.createDirectories(file.getParent());
            if (content != null) {
                Files.writeString(file, content + "\n", StandardCharsets.ISO_8859_1);
            } else {
                Files.deleteIfExists(file);
            }
            URL url = file.toUri().toURL();
            withResource(url, ConfigResolver::resolveDefault);
        });
    }

    /** Runs {@code body} with a context class loader whose polygrad.properties is {@code url}. */
    private static <T> T withResource(URL url, Callable<T> body) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(new ClassLoader(previous) {
            @Override
            public URL getResource(String name) {
                return name.equals(ConfigResolver.PROPERTIES_RESOURCE) ? url : super.getResource(name);
            }
        });
        try {
            return body.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Returns {@code message} with the temporary folder shown as {@code <dir>}. */
    private String shown(String message) {
        return message.replace(dir.toString(), "<dir>");
    }

    private static Pattern pattern(String expected) {
        return Pattern.compile(Arrays.stream(expected.split("…", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")), Pattern.DOTALL);
    }

    @TestFactory
    @DisplayName("every bad argument throws the documented exception with a message naming it")
    Stream<DynamicTest> badArguments_throwClearErrors() throws IOException {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.area() + ": " + k.input(), () -> {
            Throwable e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(k.type(), k.call()),
                    k.input() + " must fail fast");
            String actual = shown(e.getMessage());
            assertTrue(pattern(k.message()).matcher(actual).matches(),
                    () -> "message of " + k.input() + "\n  expected: " + k.message() + "\n  actual:   " + actual);
        }));
    }

    @Test
    @DisplayName("saving into a folder without write permission names the target path")
    void save_unwritableFolder_namesTheTarget() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        assertTrue(locked.toFile().setWritable(false, false));
        try {
            Path target = locked.resolve("m.safetensors");
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.save(model(), target));
            assertTrue(e.getMessage().startsWith("safetensors file " + target + ": cannot be written: "),
                    e.getMessage());
            assertEquals(target, e.file());
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    @DisplayName("a null dtype no longer yields a tensor whose dtype is null")
    void tensor_nullDType_isRejectedNotStored() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> engine.tensor(new double[] {1, 2}, (DType) null, 2));
        assertEquals("Engine.tensor: dtype is null", e.getMessage());
    }

    @Test
    @DisplayName("a shared (non-cyclic) child is still allowed, and valid arange calls are unchanged")
    void validInput_isUnchanged() {
        ReLU shared = new ReLU();
        Sequential net = new Sequential(shared, new Sequential(shared));
        assertEquals(2, net.size());
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5), toList(engine.arange(0, 2, 0.5)));
        assertEquals(List.of(3.0, 2.0, 1.0), toList(engine.arange(3, 0, -1)));
        assertEquals(List.of(), toList(engine.arange(2, 2, 1)));
        assertEquals(List.of(), toList(engine.arange(2, 2, -1)));
    }

    private static List<Double> toList(Tensor t) {
        return Arrays.stream(t.toDoubleArray()).boxed().toList();
    }

    /** Returns the README table of the cases, as {@code conformance-tests/README.md} must hold it. */
    String table() throws IOException {
        StringBuilder sb = new StringBuilder(BEGIN).append('\n')
                .append("| area | input | exception | message |\n")
                .append("| --- | --- | --- | --- |\n");
        for (Case k : cases()) {
            sb.append("| ").append(k.area()).append(" | `").append(k.input()).append("` | `")
                    .append(k.type().getSimpleName()).append("` | `").append(k.message().replace("|", "\\|"))
                    .append("` |\n");
        }
        return sb.append(END).toString();
    }

    @Test
    @DisplayName("the conformance README's bad-input table is exactly the list of cases")
    void readme_tableListsEveryCase() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String expected = table();
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        String actual = from < 0 || to < 0 ? "(no table)" : readme.substring(from, to + END.length());
        assertEquals(expected, actual, "update the table in conformance-tests/README.md to:\n" + expected);
    }
}
