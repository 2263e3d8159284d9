package io.polygrad.cli.run;

import io.polygrad.problems.Setting;
import java.util.Locale;
import java.util.Objects;

/**
 * The training settings in force after command-line overrides were applied to a problem's classic
 * setting. The optimizer's name and learning rate are read from the setting's
 * {@link io.polygrad.optim.OptimizerSpec}.
 *
 * @param setting  the setting the trainer runs (the classic one, or a copy with the overrides)
 * @param baseName the name of the classic setting it started from, e.g. {@code zero-grad}
 */
public record Plan(Setting setting, String baseName) {

    /** Creates a plan, rejecting nulls. */
    public Plan {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(baseName, "baseName");
    }

    /** Returns the optimizer's name, e.g. {@code sgd}. */
    public String optimizer() {
        return setting.optimizer().name();
    }

    /** Returns the learning rate. */
    public double lr() {
        return setting.optimizer().lr();
    }

    /** Returns the number of steps. */
    public int steps() {
        return setting.steps();
    }

    /** Returns whether gradients are zeroed before each step. */
    public boolean zeroGrad() {
        return setting.zeroGrad();
    }

    /** Returns e.g. {@code sgd lr 0.01, 1500 steps, gradients zeroed every step (setting zero-grad)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s lr %s, %d steps, %s (setting %s)", optimizer(), Format.number(lr()),
                steps(), zeroGrad() ? "gradients zeroed every step" : "gradients never zeroed (they accumulate)",
                baseName);
    }
}
