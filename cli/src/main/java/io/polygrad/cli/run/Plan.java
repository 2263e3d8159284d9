package io.polygrad.cli.run;

import io.polygrad.problems.Setting;
import java.util.Locale;
import java.util.Objects;

/**
 * Returns the training settings in force after command-line overrides were applied to a problem's
 * classic setting.
 *
 * @param setting   the setting the trainer runs (the classic one, or a copy with the overrides)
 * @param baseName  the name of the classic setting it started from, e.g. {@code zero-grad}
 * @param optimizer the optimizer's name, e.g. {@code sgd}
 * @param lr        the learning rate
 * @param steps     the number of steps
 * @param zeroGrad  whether gradients are zeroed before each step
 */
public record Plan(Setting setting, String baseName, String optimizer, double lr, int steps, boolean zeroGrad) {

    /** Creates a plan, rejecting nulls. */
    public Plan {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(optimizer, "optimizer");
    }

    /** Returns e.g. {@code sgd lr 0.01, 1500 steps, gradients zeroed every step (setting zero-grad)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s lr %s, %d steps, %s (setting %s)", optimizer, Format.number(lr), steps,
                zeroGrad ? "gradients zeroed every step" : "gradients never zeroed (they accumulate)", baseName);
    }
}
