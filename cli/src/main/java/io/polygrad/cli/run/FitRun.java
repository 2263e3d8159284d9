package io.polygrad.cli.run;

import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.cli.data.XyData;
import io.polygrad.nn.Module;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.problems.Problem;
import io.polygrad.problems.Setting;
import io.polygrad.train.Batch;
import io.polygrad.train.FitResult;
import io.polygrad.train.StepEvent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One training run of a problem on one engine, ready to go: the problem's seeded model, its
 * data (or the user's CSV points) and the {@link Plan} after command-line overrides. {@link #fit}
 * trains through the problem's own fit loop ({@link Problem#fit}) and returns a {@link RunResult}
 * with everything the CLI prints and plots.
 *
 * <pre>{@code
 * try (FitRun run = FitRun.prepare(engine, new RunSpec(Problems.QUADRATIC, null, null, null, null, null))) {
 *     RunResult result = run.fit(event -> progress.step(event.loss()));
 * }
 * }</pre>
 *
 * <p>Closing the run releases the model's parameters, their gradients and the data tensors, which
 * matters on native backends; the result holds plain Java copies.
 */
public final class FitRun implements AutoCloseable {

    /** Number of points at which the fitted curve is evaluated for the plot. */
    public static final int CURVE_POINTS = 200;

    private final Engine engine;
    private final Problem problem;
    private final Module model;
    private final Batch data;
    private final String dataSource;
    private final Plan plan;

    private FitRun(Engine engine, Problem problem, Module model, Batch data, String dataSource, Plan plan) {
        this.engine = engine;
        this.problem = problem;
        this.model = model;
        this.data = data;
        this.dataSource = dataSource;
        this.plan = plan;
    }

    /**
     * Creates the run: the problem's seeded model and data on {@code engine}, with the overrides of
     * {@code spec} applied to the problem's classic setting.
     *
     * @throws IllegalArgumentException if {@code spec} names a setting the problem does not have
     */
    public static FitRun prepare(Engine engine, RunSpec spec) {
        Objects.requireNonNull(engine, "engine");
        Problem problem = spec.problem();
        Setting base = baseSetting(problem, spec);
        Batch data;
        String source;
        if (spec.data() != null) {
            XyData d = spec.data();
            data = new Batch(engine.tensor(d.x(), d.size(), 1), engine.tensor(d.y(), d.size(), 1));
            source = d.source();
        } else {
            data = problem.data(engine);
            source = "the " + problem.name() + " problem's data";
        }
        Module model = problem.model(engine);
        Plan plan = plan(base, spec);
        return new FitRun(engine, problem, model, data, source, plan);
    }

    /**
     * Returns the classic setting a spec starts from: the one it names, else the one named like its
     * optimizer (e.g. {@code line --optimizer sgd} starts from line's {@code sgd} setting), else the
     * problem's default.
     */
    static Setting baseSetting(Problem problem, RunSpec spec) {
        if (spec.settingName() != null) {
            return problem.setting(spec.settingName());
        }
        if (spec.optimizer() != null) {
            for (Setting s : problem.settings()) {
                if (s.name().equals(spec.optimizer().toString())) {
                    return s;
                }
            }
        }
        return problem.defaultSetting();
    }

    /**
     * Returns the plan of {@code spec} on top of {@code base}: another optimizer named on the command
     * line starts from its defaults with the learning rate given (else the base's); the same optimizer
     * keeps the base's hyper-parameters, with the learning rate given.
     */
    private static Plan plan(Setting base, RunSpec spec) {
        OptimizerSpec baseOptimizer = base.optimizer();
        String name = spec.optimizer() == null ? baseOptimizer.name() : spec.optimizer().toString();
        double lr = spec.lr() == null ? baseOptimizer.lr() : spec.lr();
        int steps = spec.steps() == null ? base.steps() : spec.steps();
        OptimizerSpec optimizer;
        if (!name.equals(baseOptimizer.name())) {
            optimizer = OptimizerSpec.of(name).with("lr", lr);
        } else if (lr != baseOptimizer.lr()) {
            optimizer = baseOptimizer.with("lr", lr);
        } else {
            optimizer = baseOptimizer;
        }
        boolean changed = !optimizer.equals(baseOptimizer) || steps != base.steps();
        Setting setting = changed
                ? new Setting(base.name(), base.description() + " (overridden: " + name + " lr " + lr + ", "
                        + steps + " steps)", optimizer, steps, base.zeroGrad())
                : base;
        return new Plan(setting, base.name());
    }

    /** Returns the settings in force. */
    public Plan plan() {
        return plan;
    }

    /** Returns the problem. */
    public Problem problem() {
        return problem;
    }

    /** Returns the engine the run trains on. */
    public Engine engine() {
        return engine;
    }

    /** Returns where the data came from: the CSV file, or the problem itself. */
    public String dataSource() {
        return dataSource;
    }

    /** Returns the number of data points. */
    public int dataSize() {
        return data.x().size(0);
    }

    /**
     * Returns the result of training, calling {@code onStep} after every step (with the step's loss,
     * computed before the update).
     */
    public RunResult fit(Consumer<StepEvent> onStep) {
        Map<String, Tensor> named = model.namedParameters();
        Map<String, Values> initial = snapshot(named, false);
        Map<String, Values> firstGrads = new LinkedHashMap<>();
        long[] stepNanos = new long[Math.max(plan.steps(), 1)];
        long[] last = {0};
        Consumer<StepEvent> recorder = e -> {
            long now = System.nanoTime();
            if (e.step() - 1 < stepNanos.length) {
                stepNanos[e.step() - 1] = now - last[0];
            }
            last[0] = now;
            if (e.step() == 1) {
                firstGrads.putAll(snapshot(named, true));
            }
            onStep.accept(e);
        };
        long start = System.nanoTime();
        last[0] = start;
        FitResult fit = problem.fit(model, data, plan.setting(), recorder);
        long totalNanos = System.nanoTime() - start;

        double[] losses = fit.losses().stream().mapToDouble(Double::doubleValue).toArray();
        double[] perStep = Arrays.stream(stepNanos).limit(fit.steps()).mapToDouble(n -> n / 1e6).toArray();
        double[] dataX = data.x().toDoubleArray();
        double[] dataY = data.y().toDoubleArray();
        double[][] curve = curve(dataX);
        return new RunResult(engine.backend().name(), engine.device().toString(), engine.dtype().toString(),
                engine.config().seed(), problem.name(), problem.lossName(), plan, dataSource, dataX, dataY, losses,
                fit.steps(), fit.stopReason(), initial, firstGrads, snapshot(named, false), median(perStep),
                totalNanos / 1e6, curve[0], curve[1]);
    }

    /** Returns {@code {x, model(x)}} on an even grid over the data's x range, computed without autograd. */
    @SuppressWarnings("try") // the scopes are used for their close()
    private double[][] curve(double[] dataX) {
        double lo = Arrays.stream(dataX).min().orElse(-1);
        double hi = Arrays.stream(dataX).max().orElse(1);
        if (!(hi > lo)) {
            lo -= 1;
            hi += 1;
        }
        double[] grid = new double[CURVE_POINTS];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = lo + (hi - lo) * i / (grid.length - 1);
        }
        model.eval();
        try (TensorScope scope = TensorScope.open(); NoGrad ignored = NoGrad.enter()) {
            Tensor x = engine.tensor(grid, grid.length, 1);
            Tensor y = model.forward(x);
            return new double[][] {grid, y.toDoubleArray()};
        } finally {
            model.train();
        }
    }

    private static Map<String, Values> snapshot(Map<String, Tensor> named, boolean grads) {
        Map<String, Values> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            Tensor t = grads ? e.getValue().grad() : e.getValue();
            if (t != null) {
                out.put(e.getKey(), new Values(t.shape(), t.toDoubleArray()));
            }
        }
        return out;
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Releases the parameters, their gradients and the data tensors. */
    @Override
    public void close() {
        for (Tensor p : model.parameters()) {
            Tensor g = p.grad();
            if (g != null) {
                g.close();
            }
            p.close();
        }
        data.x().close();
        data.y().close();
    }
}
