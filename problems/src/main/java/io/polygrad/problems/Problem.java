package io.polygrad.problems;

import io.polygrad.Engine;
import io.polygrad.loss.Loss;
import io.polygrad.nn.Module;
import io.polygrad.train.Batch;
import io.polygrad.train.FitResult;
import io.polygrad.train.StepEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One of the reference problems of the project: its data, its model with seeded initial
 * weights, its loss and its classic training settings, all by name so a command line, the conformance
 * suite and the benchmarks run exactly the same thing. Get them from {@link Problems}.
 *
 * <pre>{@code
 * Problem quadratic = Problems.byName("quadratic");
 * Module model = quadratic.model(engine);
 * Batch data = quadratic.data(engine);
 * FitResult result = quadratic.fit(model, data, quadratic.setting("zero-grad"), e -> { });
 * }</pre>
 *
 * <p>{@link #data} and {@link #model} reseed the engine's generator ({@link Engine#manualSeed}) with
 * the configured seed before drawing, so they give the same values whatever was drawn before and on
 * every backend, in the engine's default dtype.
 */
public final class Problem {

    private final String name;
    private final String description;
    private final Function<Engine, Batch> data;
    private final Function<Engine, Module> model;
    private final String lossName;
    private final Loss loss;
    private final List<Setting> settings;

    Problem(String name, String description, Function<Engine, Batch> data, Function<Engine, Module> model,
            String lossName, Loss loss, List<Setting> settings) {
        this.name = name;
        this.description = description;
        this.data = data;
        this.model = model;
        this.lossName = lossName;
        this.loss = loss;
        this.settings = List.copyOf(settings);
    }

    /** Returns the name a CLI picks the problem by, e.g. {@code quadratic}. */
    public String name() {
        return name;
    }

    /** Returns a one-line description. */
    public String description() {
        return description;
    }

    /** Returns the full-batch training data on {@code engine}, inputs of shape {@code [n, 1]}. */
    public Batch data(Engine engine) {
        engine.manualSeed(engine.config().seed());
        return data.apply(engine);
    }

    /** Returns a fresh model with the problem's seeded initial weights on {@code engine}. */
    public Module model(Engine engine) {
        engine.manualSeed(engine.config().seed());
        return model.apply(engine);
    }

    /** Returns the loss the problem is trained on. */
    public Loss loss() {
        return loss;
    }

    /** Returns the loss's short name, e.g. {@code mse} or {@code mae}. */
    public String lossName() {
        return lossName;
    }

    /** Returns the classic settings; the first is the default. */
    public List<Setting> settings() {
        return settings;
    }

    /** Returns the default setting. */
    public Setting defaultSetting() {
        return settings.get(0);
    }

    /**
     * Returns the setting called {@code settingName}.
     *
     * @throws IllegalArgumentException naming the known settings
     */
    public Setting setting(String settingName) {
        List<String> names = new ArrayList<>();
        for (Setting s : settings) {
            if (s.name().equals(settingName)) {
                return s;
            }
            names.add(s.name());
        }
        throw new IllegalArgumentException("Unknown setting '" + settingName + "' for problem '" + name
                + "'; known settings: " + String.join(", ", names));
    }

    /** Returns the result of training {@code model} on {@code data} with {@code setting}, reporting each step. */
    public FitResult fit(Module model, Batch data, Setting setting, Consumer<StepEvent> onStep) {
        Objects.requireNonNull(onStep, "onStep");
        return setting.trainer(model, data, loss).onStep(onStep).build().fit();
    }

    /** Returns the name. */
    @Override
    public String toString() {
        return name;
    }
}
