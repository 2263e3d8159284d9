package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.conformance.CheckResult.Status;
import io.polygrad.conformance.ConformanceReport.ExclusionCheck;
import io.polygrad.conformance.ConformanceReport.OpSummary;
import io.polygrad.conformance.ConformanceReport.ProblemRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Creates {@link ConformanceReport}s by running the suite programmatically, without JUnit: the op-level
 * checks ({@link OpChecks} over {@link OpRegistry#all()}, {@link InitChecks}, {@link PrecisionChecks})
 * and the problem-level checks ({@link ProblemChecks}) on each backend, in each dtype it declares. A
 * check that throws becomes a failed row; the backend's exclusions apply as in the JUnit classes. This
 * is what {@code polygrad conformance} prints.
 *
 * <pre>{@code
 * ConformanceReport report = new ConformanceRunner()
 *         .onProgress(System.err::println)
 *         .run(List.of(BackendUnderTest.of("nd4j", new Nd4jModule())));
 * System.out.print(report.toMarkdown());
 * }</pre>
 *
 * <p>Autograd semantics ({@link AutogradConformance}) and random programs ({@link DifferentialConformance})
 * are JUnit/jqwik specifications; run them through {@link PolygradConformanceSuite}.
 */
public final class ConformanceRunner {

    private static final long INIT_SEED = 7;

    private Consumer<String> progress = s -> { };
    private boolean ops = true;
    private List<ProblemCase> cases = ProblemChecks.cases();

    /** Creates a runner of every op-level and problem-level check. */
    public ConformanceRunner() {
    }

    /** Returns this runner, reporting each backend, dtype and problem as it starts to {@code listener}. */
    public ConformanceRunner onProgress(Consumer<String> listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Returns this runner running the op-level checks or not. */
    public ConformanceRunner withOps(boolean runOps) {
        this.ops = runOps;
        return this;
    }

    /** Returns this runner running only {@code problemCases} at the problem level (by default all of {@link ProblemChecks#cases()}). */
    public ConformanceRunner withProblemCases(List<ProblemCase> problemCases) {
        this.cases = List.copyOf(problemCases);
        return this;
    }

    /** Returns the report of every check on every backend of {@code backends}. */
    public ConformanceReport run(List<BackendUnderTest> backends) {
        List<ProblemRow> rows = new ArrayList<>();
        List<OpSummary> summaries = new ArrayList<>();
        List<ExclusionCheck> exclusionChecks = new ArrayList<>();
        for (BackendUnderTest b : backends) {
            List<CheckResult> ran = new ArrayList<>();
            for (DType dtype : DType.values()) {
                if (ops) {
                    progress.accept(b.label() + " " + dtype + ": op checks");
                    OpSummary s = opSummary(b, dtype);
                    summaries.add(s);
                    ran.addAll(s.checks());
                }
                for (ProblemCase c : cases) {
                    progress.accept(b.label() + " " + dtype + ": " + c.id() + " (" + c.steps(dtype) + " steps)");
                    for (ProblemRow r : problemRows(b, c, dtype)) {
                        rows.add(r);
                        ran.addAll(r.checks());
                    }
                }
            }
            for (Exclusion e : b.exclusions()) {
                exclusionChecks.add(new ExclusionCheck(b.label(), exclusionOutcome(b, e, ran)));
            }
        }
        return new ConformanceReport(backends, rows, summaries, exclusionChecks);
    }

    /**
     * Returns whether {@code exclusion} still describes a gap: stale (failed) when checks it covers ran
     * and none failed; not applicable when none of them ran here.
     */
    private static CheckResult exclusionOutcome(BackendUnderTest b, Exclusion exclusion, List<CheckResult> ran) {
        List<CheckResult> covered = ran.stream().filter(c -> exclusion.covers(c.checkId())
                && c.status() != Status.NOT_APPLICABLE).toList();
        String id = "exclusion " + exclusion.checkId();
        if (covered.isEmpty()) {
            return CheckResult.notApplicable(id, "no check it covers ran in this report (" + exclusion.reason() + ")");
        }
        if (covered.stream().anyMatch(c -> c.status() == Status.EXCLUDED)) {
            return new CheckResult(id, Status.PASSED, "", null);
        }
        String stale = b.label() + ": the exclusion of " + exclusion.checkId() + " (" + exclusion.reason()
                + ") covers " + covered.size() + " checks and none of them fails: remove the exclusion";
        return new CheckResult(id, Status.FAILED, stale, new AssertionError(stale));
    }

    // ---------------------------------------------------------------- ops

    private static OpSummary opSummary(BackendUnderTest b, DType dtype) {
        String d = JUnitChecks.id(dtype);
        if (!b.supports(dtype)) {
            return new OpSummary(b.label(), dtype, Status.NOT_APPLICABLE, 0, 0, 0, "", 0, List.of(
                    CheckResult.notApplicable("ops/*/" + d, b.label() + " declares only " + b.dtypes())));
        }
        int passed = 0;
        int failed = 0;
        int excluded = 0;
        String worst = "";
        double worstShare = -1;
        List<CheckResult> all = new ArrayList<>();
        for (OpInfo op : OpRegistry.all()) {
            List<CheckResult> results = new ArrayList<>();
            List<String> what = new ArrayList<>();
            List<Comparison> measured = new ArrayList<>();
            measured.add(CheckResult.runAndKeep(b, TensorOpsConformance.checkId(op, dtype, "forward-hand"),
                    () -> OpChecks.forwardMatchesHandValues(b, op, dtype), results));
            what.add("forward vs hand-computed");
            measured.add(CheckResult.runAndKeep(b, TensorOpsConformance.checkId(op, dtype, "forward-reference"),
                    () -> OpChecks.forwardMatchesReference(b, op, dtype), results));
            what.add("forward vs scratch float64");
            if (op.differentiable()) {
                measured.add(CheckResult.runAndKeep(b, TensorOpsConformance.checkId(op, dtype, "gradient-reference"),
                        () -> OpChecks.gradientMatchesReference(b, op, dtype), results));
                what.add("gradient vs scratch float64");
                if (dtype == DType.FLOAT64) {
                    results.add(CheckResult.run(b, TensorOpsConformance.checkId(op, dtype, "gradcheck"),
                            () -> OpChecks.gradientMatchesFiniteDifferences(b, op)));
                }
            }
            for (int i = 0; i < measured.size(); i++) {
                Comparison c = measured.get(i);
                if (c != null && !Double.isNaN(c.toleranceUsed()) && c.toleranceUsed() > worstShare) {
                    worstShare = c.toleranceUsed();
                    worst = op.name() + " " + what.get(i);
                }
            }
            Status s = ConformanceReport.combine(results);
            if (s == Status.FAILED) {
                failed++;
                worst = op.name() + " (failed)";
                worstShare = Double.POSITIVE_INFINITY;
            } else if (s == Status.EXCLUDED) {
                excluded++;
            } else {
                passed++;
            }
            all.addAll(results);
        }
        all.add(CheckResult.run(b, "init/" + d, () -> InitChecks.initialValuesBitIdentical(b, dtype, INIT_SEED)));
        if (dtype == DType.FLOAT64) {
            all.add(CheckResult.run(b, "ops/precision/float64", () -> PrecisionChecks.float64KeepsFullPrecision(b)));
        }
        Status status = failed > 0 ? Status.FAILED : ConformanceReport.combine(all);
        return new OpSummary(b.label(), dtype, status, passed, failed, excluded, worst, Math.max(worstShare, 0), all);
    }

    // ---------------------------------------------------------------- problems

    private static List<ProblemRow> problemRows(BackendUnderTest b, ProblemCase c, DType dtype) {
        String prefix = "problems/" + c.id() + "/" + JUnitChecks.id(dtype) + "/";
        Tolerances first = Tolerances.forDType(dtype);
        Tolerances trajectory = Tolerances.trajectory(dtype, c.kinked());
        if (!b.supports(dtype)) {
            CheckResult na = CheckResult.notApplicable(prefix + "*", b.label() + " declares only " + b.dtypes());
            return List.of(new ProblemRow(b.label(), c.id(), dtype, "scratch " + dtype, c.steps(dtype), null, null,
                    null, true, first, trajectory, "", Status.NOT_APPLICABLE, List.of(na)));
        }
        Supplier<Trajectory> run = memoize(() -> ProblemChecks.record(b, c, dtype));
        Trajectory same = ProblemChecks.reference(c, dtype);
        List<CheckResult> checks = new ArrayList<>();
        checks.add(CheckResult.run(b, prefix + "initial-values",
                () -> ProblemChecks.initialValuesBitIdentical(run.get(), same)));
        checks.add(CheckResult.run(b, prefix + "first-step",
                () -> ProblemChecks.firstStepMatches(run.get(), same, first)));
        checks.add(CheckResult.run(b, prefix + "trajectory", () -> ProblemChecks.trajectoryMatches(run.get(), same)));
        CheckResult fit = CheckResult.run(b, prefix + "fit", () -> ProblemChecks.fitReachesTarget(run.get()));
        checks.add(fit);
        Trajectory mine = orNull(run);
        String fitText = mine == null ? "did not run" : fitWords(fit, mine);
        List<ProblemRow> rows = new ArrayList<>();
        rows.add(new ProblemRow(b.label(), c.id(), dtype, "scratch " + dtype, c.steps(dtype),
                mine == null ? null : ProblemChecks.compareFirstStep(mine, same, first).loss(),
                mine == null ? null : ProblemChecks.compareFirstStep(mine, same, first).gradients(),
                mine == null ? null : ProblemChecks.compareTrajectories(mine, same, trajectory).parameters(), true,
                first, trajectory, fitText, ConformanceReport.combine(checks), checks));
        if (dtype == DType.FLOAT32) {
            Trajectory f64 = ProblemChecks.reference(c, DType.FLOAT64);
            CheckResult vs64 = CheckResult.run(b, prefix + "first-step-vs-float64",
                    () -> ProblemChecks.firstStepMatches(run.get(), f64, Tolerances.FLOAT32));
            rows.add(new ProblemRow(b.label(), c.id(), dtype, "scratch float64", c.steps(dtype),
                    mine == null ? null : ProblemChecks.compareFirstStep(mine, f64, Tolerances.FLOAT32).loss(),
                    mine == null ? null : ProblemChecks.compareFirstStep(mine, f64, Tolerances.FLOAT32).gradients(),
                    mine == null ? null : ProblemChecks.compareTrajectories(mine, f64, trajectory).parameters(), false,
                    Tolerances.FLOAT32, null, "", ConformanceReport.combine(List.of(vs64)), List.of(vs64)));
        }
        return rows;
    }

    private static String fitWords(CheckResult fit, Trajectory run) {
        String loss = String.format(Locale.ROOT, "final loss %.4g", run.finalLoss());
        switch (fit.status()) {
            case PASSED:
                return "target reached, " + loss;
            case EXCLUDED:
                return "missed (excluded), " + loss;
            default:
                return "**missed**, " + loss;
        }
    }

    /** Returns a supplier computing once; a failure is rethrown to every later caller. */
    private static Supplier<Trajectory> memoize(Supplier<Trajectory> f) {
        Object[] box = new Object[1];
        return () -> {
            if (box[0] == null) {
                try {
                    box[0] = f.get();
                } catch (RuntimeException | AssertionError e) {
                    box[0] = e;
                }
            }
            if (box[0] instanceof RuntimeException e) {
                throw e;
            }
            if (box[0] instanceof AssertionError e) {
                throw e;
            }
            return (Trajectory) box[0];
        };
    }

    private static Trajectory orNull(Supplier<Trajectory> run) {
        try {
            return run.get();
        } catch (RuntimeException | AssertionError e) {
            return null;
        }
    }
}
