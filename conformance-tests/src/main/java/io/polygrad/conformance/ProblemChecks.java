package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import io.polygrad.nn.Module;
import io.polygrad.problems.Problem;
import io.polygrad.problems.Problems;
import io.polygrad.train.Batch;
import io.polygrad.train.FitResult;
import io.polygrad.train.StopReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The problem-level checks of the suite (DESIGN.md, "The three problems"), as plain methods and as
 * entries of the suite's list ({@link #checks(DType)}), so the JUnit class {@link ProblemConformance},
 * {@link ConformanceRunner}'s report and the planted-fault tests all run the same code. For each {@link ProblemCase} and dtype a backend must
 * <ol>
 *   <li>start from bit-identical data and initial parameters ({@link #initialValuesBitIdentical});</li>
 *   <li>give the first step's loss and gradients of the reference ({@link #firstStepMatches});</li>
 *   <li>follow the reference's parameter trajectory, step by step ({@link #trajectoryMatches});</li>
 *   <li>reach the fit's target ({@link #fitReachesTarget}).</li>
 * </ol>
 * References: scratch float64 for float64 runs; for float32 runs scratch float32 (all four checks)
 * and scratch float64 (the first step, within {@link Tolerances#FLOAT32}).
 *
 * <p>Each check throws an {@link AssertionError} naming the backend, the problem and setting, the
 * dtype, the quantity and the measured difference; the {@code compare…} methods measure without
 * throwing.
 *
 * <pre>{@code
 * ProblemCase lineAdam = ProblemChecks.caseFor("line/adam");
 * Trajectory mine = ProblemChecks.record(backend, lineAdam, DType.FLOAT32);
 * ProblemChecks.trajectoryMatches(mine, ProblemChecks.reference(lineAdam, DType.FLOAT32));
 * }</pre>
 */
public final class ProblemChecks {

    /** The fewest steps a trajectory is compared over (the quadratic's literal loop in float32 excepted). */
    public static final int MIN_TRAJECTORY_STEPS = 1000;

    /**
     * The steps of the literal quadratic loop compared in float32: the loop never forgets a gradient, so
     * after the first rounding-induced sign flip trajectories part for good (see {@link Tolerances#trajectory}).
     */
    public static final int LITERAL_FLOAT32_STEPS = 500;

    private static final Map<String, Trajectory> REFERENCES = new ConcurrentHashMap<>();

    private static final List<ProblemCase> CASES = List.of(
            lineCase("adam", Problems.LINE.setting("adam").steps()),
            lineCase("sgd", Math.max(MIN_TRAJECTORY_STEPS, Problems.LINE.setting("sgd").steps())),
            new ProblemCase(Problems.QUADRATIC, Problems.QUADRATIC.setting("zero-grad"),
                    Problems.QUADRATIC.setting("zero-grad").steps(), Problems.QUADRATIC.setting("zero-grad").steps(),
                    true, "MAE within 5e-3 of the best quadratic's (the exact L1 optimum of the data, about 0.496), "
                    + "a, b, c within 0.03 of it and within (0.4, 0.7, 0.2) of 3, 2, 1",
                    ProblemChecks::quadraticMisses),
            new ProblemCase(Problems.QUADRATIC, Problems.QUADRATIC.setting("literal"), LITERAL_FLOAT32_STEPS,
                    MIN_TRAJECTORY_STEPS, true, "each of the first 10 steps moves a further than the one before "
                    + "(gradients accumulate) and the loss of step 10 is below 1.5", ProblemChecks::literalMisses),
            reluCase("adam"),
            reluCase("sgd"),
            new ProblemCase(Problems.DOUBLE_RELU, Problems.DOUBLE_RELU.setting("sgd"),
                    Problems.DOUBLE_RELU.setting("sgd").steps(), Problems.DOUBLE_RELU.setting("sgd").steps(), true,
                    "final MSE below 1.0 with one hinge on each side of the parabola (m1·m2 < 0)",
                    ProblemChecks::doubleReluMisses));

    private ProblemChecks() {
    }

    /**
     * Returns the cases: line with Adam (lr 0.001, 8000 steps) and SGD (1000 steps), the quadratic's
     * correct and literal loops, the ReLU network with Adam and SGD, and the double ReLU.
     */
    public static List<ProblemCase> cases() {
        return CASES;
    }

    /** Returns the case with id {@code problem/setting}, e.g. {@code quadratic/literal}. */
    public static ProblemCase caseFor(String id) {
        return CASES.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("Unknown problem case '" + id + "'; known: " + CASES));
    }

    /**
     * Returns the checks of every case in {@code dtype}, each with the id
     * {@code problems/<problem>/<setting>/<dtype>/<quantity>}: {@code initial-values}, {@code first-step},
     * (float32) {@code first-step-vs-float64}, {@code trajectory} and {@code fit}. The fit is recorded
     * once per session ({@link #run}) and read by all of them.
     */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>();
        for (ProblemCase c : CASES) {
            String prefix = "problems/" + c.id() + "/" + Check.id(dtype) + "/";
            out.add(Check.of(prefix + "initial-values", Part.PROBLEMS, c.id(), dtype,
                    "data and initial parameters are bit-identical to scratch's",
                    s -> initialValuesBitIdentical(run(s, c, dtype), reference(c, dtype))));
            out.add(Check.measuring(prefix + "first-step", Part.PROBLEMS, c.id(), dtype,
                    "the first step's loss and gradients match scratch in the same dtype",
                    s -> firstStepMatches(run(s, c, dtype), reference(c, dtype), Tolerances.forDType(dtype))
                            .gradients()));
            if (dtype == DType.FLOAT32) {
                out.add(Check.measuring(prefix + "first-step-vs-float64", Part.PROBLEMS, c.id(), dtype,
                        "the first step's loss and gradients in float32 match scratch float64 within float32's "
                        + "tolerance", s -> firstStepMatches(run(s, c, dtype), reference(c, DType.FLOAT64),
                                Tolerances.FLOAT32).gradients()));
            }
            out.add(Check.measuring(prefix + "trajectory", Part.PROBLEMS, c.id(), dtype,
                    "the parameters after every step match scratch's trajectory in the same dtype",
                    s -> trajectoryMatches(run(s, c, dtype), reference(c, dtype)).parameters()));
            out.add(Check.of(prefix + "fit", Part.PROBLEMS, c.id(), dtype, "the fit reaches the problem's target",
                    s -> fitReachesTarget(run(s, c, dtype))));
        }
        return out;
    }

    /** Returns the session's fit of {@code c} in {@code dtype}, recorded on its first use ({@link #record}). */
    public static Trajectory run(CheckSession session, ProblemCase c, DType dtype) {
        return session.shared(runKey(c, dtype), () -> record(session.backend(), c, dtype));
    }

    /** Returns the key under which {@link #run} keeps the fit of {@code c} in {@code dtype} in a session. */
    static String runKey(ProblemCase c, DType dtype) {
        return "problems/" + c.id() + "/" + Check.id(dtype);
    }

    private static ProblemCase lineCase(String setting, int steps) {
        return new ProblemCase(Problems.LINE, Problems.LINE.setting(setting), steps, steps, false,
                "w and b within 1e-3 of the data's least-squares line, so within 0.071 of 2 and 0.041 of -3; "
                + "final MSE below 0.02", ProblemChecks::lineMisses);
    }

    private static ProblemCase reluCase(String setting) {
        int steps = Problems.RELU.setting(setting).steps();
        return new ProblemCase(Problems.RELU, Problems.RELU.setting(setting), steps, steps, true,
                "final MSE below 1.0, from a first loss above 10", ProblemChecks::reluMisses);
    }

    // ---------------------------------------------------------------- recording

    /** Returns the fit of {@code c} on {@code backend} in {@code dtype}, recording every step. */
    public static Trajectory record(BackendUnderTest backend, ProblemCase c, DType dtype) {
        Engine engine = backend.engine(dtype);
        Problem p = c.problem();
        Batch data = p.data(engine);
        Module model = p.model(engine);
        Map<String, Tensor> named = model.namedParameters();
        List<String> names = elementNames(named);
        List<String> anomalies = new ArrayList<>();
        checkDTypes("initial parameter", named, dtype, anomalies);
        double[] initial = flatten(named.values());
        int steps = c.steps(dtype);
        double[] losses = new double[steps];
        double[][] parameters = new double[steps][];
        double[][] firstGradients = {nans(initial.length)};
        FitResult result = p.fit(model, data, c.setting().withSteps(steps), e -> {
            int i = e.step() - 1;
            if (i == 0) {
                firstGradients[0] = gradients(named, dtype, anomalies);
            }
            losses[i] = e.loss();
            parameters[i] = flatten(named.values());
        });
        checkDTypes("parameter after the fit", named, dtype, anomalies);
        return new Trajectory(backend.label(), c, dtype, data.x().toDoubleArray(), data.y().toDoubleArray(), names,
                initial, firstGradients[0], anomalies, losses, parameters, result.steps(), result.stopReason());
    }

    /** Returns scratch's fit of {@code c} in {@code dtype}, computed once per JVM. */
    public static Trajectory reference(ProblemCase c, DType dtype) {
        return REFERENCES.computeIfAbsent(c.id() + " " + dtype, k -> record(OpChecks.REFERENCE, c, dtype));
    }

    private static List<String> elementNames(Map<String, Tensor> named) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            int n = e.getValue().numel();
            if (n == 1 && e.getValue().rank() == 0) {
                names.add(e.getKey());
            } else {
                for (int i = 0; i < n; i++) {
                    names.add(e.getKey() + "[" + i + "]");
                }
            }
        }
        return names;
    }

    private static double[] flatten(Iterable<Tensor> tensors) {
        List<double[]> parts = new ArrayList<>();
        for (Tensor t : tensors) {
            parts.add(t.toDoubleArray());
        }
        return concat(parts);
    }

    private static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] v : parts) {
            n += v.length;
        }
        double[] out = new double[n];
        int k = 0;
        for (double[] v : parts) {
            System.arraycopy(v, 0, out, k, v.length);
            k += v.length;
        }
        return out;
    }

    private static double[] gradients(Map<String, Tensor> named, DType dtype, List<String> anomalies) {
        List<double[]> parts = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            Tensor g = e.getValue().grad();
            double[] v;
            if (g == null) {
                anomalies.add("parameter " + e.getKey() + " has no gradient after the first backward()");
                v = nans(e.getValue().numel());
            } else {
                if (g.dtype() != dtype) {
                    anomalies.add("the gradient of " + e.getKey() + " has dtype " + g.dtype() + " in a " + dtype + " run");
                }
                v = g.toDoubleArray();
            }
            parts.add(v);
        }
        return concat(parts);
    }

    private static void checkDTypes(String what, Map<String, Tensor> named, DType dtype, List<String> anomalies) {
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != dtype) {
                anomalies.add(what + " " + e.getKey() + " has dtype " + t.dtype() + " in a " + dtype + " run");
            } else if (dtype == DType.FLOAT32) {
                for (double v : t.toDoubleArray()) {
                    if (Double.isFinite(v) && (double) (float) v != v) {
                        anomalies.add(what + " " + e.getKey() + " holds " + v + ", which is not a float32 value "
                                + "(computed or stored in float64?)");
                        break;
                    }
                }
            }
        }
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    // ---------------------------------------------------------------- measurements

    /**
     * The measured differences of a first step: its loss and its gradients.
     *
     * @param loss      the first loss versus the reference's
     * @param gradients the first gradients versus the reference's
     */
    public record FirstStepComparison(Comparison loss, Comparison gradients) {

        /** Returns whether both are within tolerance. */
        public boolean withinTolerance() {
            return loss.withinTolerance() && gradients.withinTolerance();
        }
    }

    /**
     * The measured difference of two parameter trajectories.
     *
     * @param parameters      all compared steps' parameters, merged
     * @param stepsCompared   the number of steps compared
     * @param firstBadStep    the 1-based step where a parameter first left the tolerance (0 when none did)
     * @param firstBadElement that parameter element's index (-1 when none)
     */
    public record TrajectoryComparison(Comparison parameters, int stepsCompared, int firstBadStep,
            int firstBadElement) {
    }

    /** Returns the first step's loss and gradients of {@code run} against {@code reference} under {@code tol}. */
    public static FirstStepComparison compareFirstStep(Trajectory run, Trajectory reference, Tolerances tol) {
        return new FirstStepComparison(
                Comparison.of(new double[] {run.firstLoss()}, new double[] {reference.firstLoss()}, tol),
                Comparison.of(run.firstGradients(), reference.firstGradients(), tol));
    }

    /** Returns the parameters of {@code run} against {@code reference}, step by step, under {@code tol}. */
    public static TrajectoryComparison compareTrajectories(Trajectory run, Trajectory reference, Tolerances tol) {
        int n = Math.min(run.steps(), reference.steps());
        Comparison all = Comparison.exact();
        int firstBad = 0;
        int firstBadElement = -1;
        for (int i = 0; i < n; i++) {
            Comparison c = Comparison.of(run.rawParametersAfter(i), reference.rawParametersAfter(i), tol);
            if (!c.withinTolerance() && firstBad == 0) {
                firstBad = i + 1;
                firstBadElement = c.worstIndex();
            }
            all = all.merge(c);
        }
        return new TrajectoryComparison(all, n, firstBad, firstBadElement);
    }

    // ---------------------------------------------------------------- checks

    /**
     * Checks that {@code run} starts from exactly the reference's data and initial parameters, bit for
     * bit: both come from api's seeded generator and are only copied into the backend.
     */
    public static void initialValuesBitIdentical(Trajectory run, Trajectory reference) {
        requireBitIdentical(run, reference, "input x", run.dataX(), reference.dataX(), null);
        requireBitIdentical(run, reference, "target y", run.dataY(), reference.dataY(), null);
        requireBitIdentical(run, reference, "initial parameter", run.initialParameters(),
                reference.initialParameters(), run.elementNames());
    }

    private static void requireBitIdentical(Trajectory run, Trajectory ref, String what, double[] mine,
            double[] theirs, List<String> names) {
        if (mine.length != theirs.length) {
            throw new AssertionError(run.describe() + ": " + mine.length + " values of " + what + ", "
                    + ref.backend() + " " + ref.dtype() + " has " + theirs.length);
        }
        for (int i = 0; i < mine.length; i++) {
            if (Double.doubleToLongBits(mine[i]) != Double.doubleToLongBits(theirs[i])) {
                String element = names == null ? what + "[" + i + "]" : what + " " + names.get(i);
                throw new AssertionError(run.describe() + ": " + element + " is " + mine[i] + " but "
                        + ref.backend() + " " + ref.dtype() + " has " + theirs[i] + " (not bit-identical; "
                        + "difference " + Math.abs(mine[i] - theirs[i]) + "); initial values must come from api's "
                        + "seeded Generator, never a backend RNG");
            }
        }
    }

    /**
     * Checks the first step's loss and gradients of {@code run} against {@code reference} under
     * {@code tol}, and that its gradients and parameters have the run's dtype.
     */
    public static FirstStepComparison firstStepMatches(Trajectory run, Trajectory reference, Tolerances tol) {
        if (!run.anomalies().isEmpty()) {
            throw new AssertionError(run.describe() + ": " + String.join("; ", run.anomalies()));
        }
        FirstStepComparison c = compareFirstStep(run, reference, tol);
        String vs = " vs " + reference.backend() + " " + reference.dtype();
        if (!c.loss().withinTolerance()) {
            throw new AssertionError(run.describe() + ", first-step loss" + vs + ": " + run.firstLoss() + " vs "
                    + reference.firstLoss() + " (" + c.loss().describe() + "; " + describe(tol) + ")");
        }
        if (!c.gradients().withinTolerance()) {
            int i = c.gradients().worstIndex();
            throw new AssertionError(run.describe() + ", first-step gradient of " + run.elementNames().get(i) + vs
                    + ": " + run.firstGradients()[i] + " vs " + reference.firstGradients()[i] + " ("
                    + c.gradients().describe() + " over all gradients; " + describe(tol) + ")\n  "
                    + run.backend() + ": " + Arrays.toString(run.firstGradients()) + "\n  " + reference.backend()
                    + ": " + Arrays.toString(reference.firstGradients()));
        }
        return c;
    }

    /** Checks the parameter trajectory of {@code run} against the reference under {@link Tolerances#trajectory}. */
    public static TrajectoryComparison trajectoryMatches(Trajectory run, Trajectory reference) {
        return trajectoryMatches(run, reference, Tolerances.trajectory(run.dtype(), run.problemCase().kinked()));
    }

    /** Checks the parameters of {@code run} after every step against the reference's under {@code tol}. */
    public static TrajectoryComparison trajectoryMatches(Trajectory run, Trajectory reference, Tolerances tol) {
        String vs = " vs " + reference.backend() + " " + reference.dtype();
        if (run.steps() < reference.steps()) {
            throw new AssertionError(run.describe() + ", trajectory" + vs + ": stopped after " + run.steps()
                    + " steps (" + run.stopReason() + ", last loss " + run.finalLoss() + ") where the reference made "
                    + reference.steps());
        }
        TrajectoryComparison c = compareTrajectories(run, reference, tol);
        if (c.firstBadStep() > 0) {
            int step = c.firstBadStep() - 1;
            int e = c.firstBadElement();
            throw new AssertionError(run.describe() + ", parameter trajectory" + vs + ": "
                    + run.elementNames().get(e) + " leaves the tolerance at step " + c.firstBadStep() + " ("
                    + run.rawParametersAfter(step)[e] + " vs " + reference.rawParametersAfter(step)[e]
                    + "); over " + c.stepsCompared() + " steps " + c.parameters().describe() + " (" + describe(tol)
                    + ")");
        }
        return c;
    }

    /** Checks that the fit of {@code run} finished every step and reached its case's target. */
    public static void fitReachesTarget(Trajectory run) {
        ProblemCase c = run.problemCase();
        if (run.stopReason() == StopReason.NON_FINITE_LOSS) {
            throw new AssertionError(run.describe() + ", fit: the loss became " + run.finalLoss() + " at step "
                    + run.steps());
        }
        Optional<String> missed = c.missedBy().apply(run);
        if (missed.isPresent()) {
            throw new AssertionError(run.describe() + ", fit: misses its target (" + c.target() + "): "
                    + missed.get());
        }
    }

    private static String describe(Tolerances tol) {
        return String.format(Locale.ROOT, "tolerance rtol %.1e, atol %.1e", tol.rtol(), tol.atol());
    }

    // ---------------------------------------------------------------- targets (as in ProblemFitTest)

    private static Optional<String> lineMisses(Trajectory run) {
        double[] ls = FitTargets.leastSquaresLine(run.dataX(), run.dataY());
        double w = run.finalParameter("w");
        double b = run.finalParameter("b");
        List<String> missed = new ArrayList<>();
        within(missed, "w vs least squares", w, ls[0], 1e-3);
        within(missed, "b vs least squares", b, ls[1], 1e-3);
        within(missed, "w vs 2", w, 2.0, 0.07 + 1e-3);
        within(missed, "b vs -3", b, -3.0, 0.04 + 1e-3);
        below(missed, "final MSE", run.finalLoss(), 0.02);
        return result(missed);
    }

    private static Optional<String> quadraticMisses(Trajectory run) {
        double[] x = run.dataX();
        double[] y = run.dataY();
        double[] opt = FitTargets.l1Optimum(x, y);
        double[] abc = {run.finalParameter("a"), run.finalParameter("b"), run.finalParameter("c")};
        List<String> missed = new ArrayList<>();
        within(missed, "final MAE vs the L1 optimum's", run.finalLoss(), FitTargets.mae(opt, x, y), 5e-3);
        String[] names = {"a", "b", "c"};
        double[] generating = {3, 2, 1};
        double[] loose = {0.4, 0.7, 0.2};
        for (int i = 0; i < 3; i++) {
            within(missed, names[i] + " vs the L1 optimum", abc[i], opt[i], 0.03);
            within(missed, names[i] + " vs " + (int) generating[i], abc[i], generating[i], loose[i]);
        }
        return result(missed);
    }

    private static Optional<String> literalMisses(Trajectory run) {
        int a = run.elementNames().indexOf("a");
        List<String> missed = new ArrayList<>();
        if (run.steps() < 10) {
            return Optional.of("only " + run.steps() + " steps");
        }
        double previous = Math.abs(run.parametersAfter(0)[a] - run.initialParameters()[a]);
        for (int k = 1; k < 10; k++) {
            double step = Math.abs(run.parametersAfter(k)[a] - run.parametersAfter(k - 1)[a]);
            if (!(step > previous)) {
                missed.add("step " + (k + 1) + " moves a by " + step + ", not more than step " + k + "'s " + previous);
            }
            previous = step;
        }
        below(missed, "loss of step 10", run.loss(9), 1.5);
        return result(missed);
    }

    private static Optional<String> reluMisses(Trajectory run) {
        List<String> missed = new ArrayList<>();
        below(missed, "final MSE", run.finalLoss(), 1.0);
        if (!(run.firstLoss() > 10)) {
            missed.add("first loss " + run.firstLoss() + " is not above 10 (seeded initial weights changed?)");
        }
        return result(missed);
    }

    private static Optional<String> doubleReluMisses(Trajectory run) {
        List<String> missed = new ArrayList<>();
        below(missed, "final MSE", run.finalLoss(), 1.0);
        double m1 = run.finalParameter("m1");
        double m2 = run.finalParameter("m2");
        if (!(m1 * m2 < 0)) {
            missed.add("m1 = " + m1 + " and m2 = " + m2 + " have the same sign");
        }
        return result(missed);
    }

    private static void within(List<String> missed, String what, double actual, double expected, double tol) {
        if (!(Math.abs(actual - expected) <= tol)) {
            missed.add(String.format(Locale.ROOT, "%s: %.6g vs %.6g (difference %.3g > %.3g)", what, actual, expected,
                    Math.abs(actual - expected), tol));
        }
    }

    private static void below(List<String> missed, String what, double actual, double limit) {
        if (!(actual < limit)) {
            missed.add(String.format(Locale.ROOT, "%s %.6g is not below %.3g", what, actual, limit));
        }
    }

    private static Optional<String> result(List<String> missed) {
        return missed.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missed));
    }
}
