package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.problems.Problem;
import io.polygrad.problems.Setting;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One problem-level case of the suite: a problem of {@link io.polygrad.problems.Problems} with
 * one of its settings, how many steps are compared in each dtype, whether its loss has kinks (which
 * picks the trajectory tolerance, see {@link Tolerances#trajectory}), and the target its fit must
 * reach. {@link ProblemChecks#cases()} lists them.
 *
 * @param problem      the problem, from {@code io.polygrad.problems.Problems}
 * @param setting      the setting, from {@code problem.settings()}
 * @param float32Steps the number of steps run and compared in float32
 * @param float64Steps the number of steps run and compared in float64
 * @param kinked       whether the loss has kinks (MAE's sign, ReLU) where rounding can flip a gradient term
 * @param target       the fit's target, in words, for reports
 * @param missedBy     returns why a finished run misses the target, or empty when it reaches it
 */
public record ProblemCase(Problem problem, Setting setting, int float32Steps, int float64Steps, boolean kinked,
        String target, Function<Trajectory, Optional<String>> missedBy) {

    /** Creates a case, rejecting nulls and step counts below 1. */
    public ProblemCase {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(missedBy, "missedBy");
        if (float32Steps < 1 || float64Steps < 1) {
            throw new IllegalArgumentException("a case needs at least one step, got " + float32Steps + " and "
                    + float64Steps);
        }
    }

    /** Returns {@code problem/setting}, e.g. {@code quadratic/literal}. */
    public String id() {
        return problem.name() + "/" + setting.name();
    }

    /** Returns the number of steps run and compared in {@code dtype}. */
    public int steps(DType dtype) {
        return dtype == DType.FLOAT32 ? float32Steps : float64Steps;
    }

    /** Returns the id, so parameterised test names read {@code [line/adam]}. */
    @Override
    public String toString() {
        return id();
    }
}
