package io.polygrad.cli.run;

import io.polygrad.cli.OptimizerChoice;
import io.polygrad.cli.data.XyData;
import io.polygrad.problems.Problem;
import java.util.Objects;

/**
 * What the user asked to train: a problem and the settings given on the command line, each
 * {@code null} when the problem's classic setting should decide.
 *
 * @param problem     the problem to fit
 * @param settingName one of the problem's classic settings, or {@code null} for its default
 * @param optimizer   the optimizer, or {@code null} for the setting's own
 * @param lr          the learning rate, or {@code null} for the setting's own
 * @param steps       the number of steps, or {@code null} for the setting's own
 * @param data        points to fit instead of the problem's data, or {@code null}
 */
public record RunSpec(Problem problem, String settingName, OptimizerChoice optimizer, Double lr, Integer steps,
        XyData data) {

    /** Creates a spec, requiring the problem. */
    public RunSpec {
        Objects.requireNonNull(problem, "problem");
    }
}
