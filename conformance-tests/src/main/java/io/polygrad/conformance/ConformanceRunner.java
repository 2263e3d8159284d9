package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.conformance.CheckResult.Status;
import io.polygrad.conformance.Check.Part;
import io.polygrad.conformance.ConformanceReport.CheckRow;
import io.polygrad.conformance.ConformanceReport.ExclusionCheck;
import io.polygrad.conformance.ConformanceReport.OpSummary;
import io.polygrad.conformance.ConformanceReport.ProblemRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The suite's runner without JUnit: it runs the checks of {@link ConformanceChecks#all()} (op samples,
 * initial values, float64 precision, autograd semantics, random programs and the three problems) on each
 * backend and returns a {@link ConformanceReport}. The checks are the ones the JUnit classes run; a check
 * that throws becomes a failed row, and the backend's capabilities and exclusions apply as in JUnit. This
 * is what {@code polygrad conformance} prints.
 *
 * <pre>{@code
 * ConformanceReport report = new ConformanceRunner()
 *         .onProgress(System.err::println)
 *         .run(List.of(BackendUnderTest.of("nd4j", new Nd4jModule())));
 * System.out.print(report.toMarkdown());
 * }</pre>
 */
public final class ConformanceRunner {

    private Consumer<String> progress = s -> { };
    private boolean belowProblems = true;
    private List<ProblemCase> cases = ProblemChecks.cases();

    /** Creates a runner of every check of the suite. */
    public ConformanceRunner() {
    }

    /** Returns this runner, reporting each backend, dtype and part or problem as it starts to {@code listener}. */
    public ConformanceRunner onProgress(Consumer<String> listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Returns this runner running the checks below the problem level (op samples, initial values,
     * precision, autograd semantics, random programs) or not.
     */
    public ConformanceRunner withOps(boolean runOps) {
        this.belowProblems = runOps;
        return this;
    }

    /** Returns this runner running only {@code problemCases} at the problem level (by default all of {@link ProblemChecks#cases()}). */
    public ConformanceRunner withProblemCases(List<ProblemCase> problemCases) {
        this.cases = List.copyOf(problemCases);
        return this;
    }

    /** Returns the checks this runner runs, in order: those of {@link ConformanceChecks#all()} it selects. */
    public List<Check> checks() {
        List<String> caseIds = cases.stream().map(ProblemCase::id).toList();
        return ConformanceChecks.all().stream()
                .filter(c -> c.part() == Part.PROBLEMS ? caseIds.contains(c.subject()) : belowProblems)
                .toList();
    }

    /** Returns the report of every check on every backend of {@code backends}. */
    public ConformanceReport run(List<BackendUnderTest> backends) {
        List<Check> checks = checks();
        List<ProblemRow> rows = new ArrayList<>();
        List<OpSummary> summaries = new ArrayList<>();
        List<CheckRow> checkRows = new ArrayList<>();
        List<ExclusionCheck> exclusionChecks = new ArrayList<>();
        for (BackendUnderTest b : backends) {
            CheckSession session = new CheckSession(b);
            Map<Check, CheckResult> ran = new LinkedHashMap<>();
            String announced = null;
            for (Check c : checks) {
                String stage = stage(b, c);
                if (!stage.equals(announced)) {
                    progress.accept(stage);
                    announced = stage;
                }
                ran.put(c, c.run(session));
            }
            for (DType dtype : DType.floatingPoint()) {
                List<Check> ops = select(checks, dtype, Part.OPS, Part.PYTORCH, Part.INIT, Part.PRECISION);
                if (!ops.isEmpty()) {
                    summaries.add(opSummary(b, dtype, ops, ran));
                }
            }
            checkRows.addAll(autogradRows(b, select(checks, null, Part.AUTOGRAD), ran));
            for (Check c : select(checks, null, Part.DIFFERENTIAL, Part.PYTORCH_OPTIM)) {
                checkRows.add(differentialRow(b, c, ran.get(c)));
            }
            for (DType dtype : DType.floatingPoint()) {
                for (ProblemCase c : cases) {
                    List<Check> caseChecks = select(checks, dtype, Part.PROBLEMS).stream()
                            .filter(k -> k.subject().equals(c.id())).toList();
                    rows.addAll(problemRows(session, c, dtype, caseChecks, ran));
                }
            }
            for (Exclusion e : b.exclusions()) {
                exclusionChecks.add(new ExclusionCheck(b.label(), exclusionOutcome(b, e, List.copyOf(ran.values()))));
            }
        }
        return new ConformanceReport(backends, rows, summaries, checkRows, exclusionChecks);
    }

    /** Returns what the runner tells its listener when {@code c} is the first check of its stage. */
    private static String stage(BackendUnderTest b, Check c) {
        switch (c.part()) {
            case OPS:
            case PYTORCH:
            case INIT:
            case PRECISION:
                return b.label() + " " + c.dtype() + ": op checks";
            case AUTOGRAD:
                return b.label() + ": autograd semantics";
            case DIFFERENTIAL:
                if (!c.id().startsWith("differential/")) {
                    int second = c.id().indexOf('/', c.id().indexOf('/') + 1);
                    return b.label() + " " + c.dtype() + ": " + (second < 0 ? c.id() : c.id().substring(0, second));
                }
                return b.label() + " " + c.dtype() + ": random programs (" + DifferentialChecks.PROGRAMS + ")";
            case PYTORCH_OPTIM:
                return b.label() + ": optimizers, schedules and init vs PyTorch";
            default:
                ProblemCase pc = ProblemChecks.caseFor(c.subject());
                return b.label() + " " + c.dtype() + ": " + pc.id() + " (" + pc.steps(c.dtype()) + " steps)";
        }
    }

    /** Returns the checks of {@code parts} in {@code dtype} (any dtype when {@code null}), in order. */
    private static List<Check> select(List<Check> checks, DType dtype, Part... parts) {
        List<Part> wanted = List.of(parts);
        return checks.stream().filter(c -> wanted.contains(c.part()) && (dtype == null || c.dtype() == dtype))
                .toList();
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

    private static OpSummary opSummary(BackendUnderTest b, DType dtype, List<Check> checks, Map<Check, CheckResult> ran) {
        if (!b.supports(dtype)) {
            return new OpSummary(b.label(), dtype, Status.NOT_APPLICABLE, 0, 0, 0, "", 0, List.of(
                    CheckResult.notApplicable("ops/*/" + Check.id(dtype), b.label() + " declares only " + b.dtypes())));
        }
        int passed = 0;
        int failed = 0;
        int excluded = 0;
        String worst = "";
        double worstShare = -1;
        List<CheckResult> all = new ArrayList<>();
        Map<String, List<Check>> bySample = new LinkedHashMap<>();
        List<Check> others = new ArrayList<>();
        for (Check c : checks) {
            if (c.part() == Part.OPS || c.part() == Part.PYTORCH) {
                bySample.computeIfAbsent(c.subject(), k -> new ArrayList<>()).add(c);
            } else {
                others.add(c);
            }
        }
        for (Map.Entry<String, List<Check>> sample : bySample.entrySet()) {
            List<CheckResult> results = new ArrayList<>();
            for (Check c : sample.getValue()) {
                CheckResult r = ran.get(c);
                results.add(r);
                Comparison m = r.measured();
                if (m != null && !Double.isNaN(m.toleranceUsed()) && m.toleranceUsed() > worstShare) {
                    worstShare = m.toleranceUsed();
                    worst = sample.getKey() + " " + c.title();
                }
            }
            Status s = ConformanceReport.combine(results);
            if (s == Status.FAILED) {
                failed++;
                worst = sample.getKey() + " (failed)";
                worstShare = Double.POSITIVE_INFINITY;
            } else if (s == Status.EXCLUDED) {
                excluded++;
            } else {
                passed++;
            }
            all.addAll(results);
        }
        others.forEach(c -> all.add(ran.get(c)));
        Status status = failed > 0 ? Status.FAILED : ConformanceReport.combine(all);
        return new OpSummary(b.label(), dtype, status, passed, failed, excluded, worst, Math.max(worstShare, 0), all);
    }

    // ---------------------------------------------------------------- autograd and random programs

    private static List<CheckRow> autogradRows(BackendUnderTest b, List<Check> checks, Map<Check, CheckResult> ran) {
        if (checks.isEmpty()) {
            return List.of();
        }
        List<CheckRow> rows = new ArrayList<>();
        if (checks.stream().allMatch(c -> ran.get(c).status() == Status.NOT_APPLICABLE)) {
            CheckResult na = CheckResult.notApplicable("autograd/*", ran.get(checks.get(0)).message());
            rows.add(new CheckRow(b.label(), Part.AUTOGRAD, "autograd/*", checks.size() + " autograd checks", "",
                    Status.NOT_APPLICABLE, List.of(na)));
            return rows;
        }
        for (Check c : checks) {
            CheckResult r = ran.get(c);
            rows.add(new CheckRow(b.label(), Part.AUTOGRAD, c.id(), c.title(), "", r.status(), List.of(r)));
        }
        return rows;
    }

    private static CheckRow differentialRow(BackendUnderTest b, Check c, CheckResult r) {
        Comparison m = r.measured();
        String detail = m == null ? "—" : String.format(Locale.ROOT, "largest difference %s; %.2f of the tolerance used",
                ConformanceReport.pair(m), m.toleranceUsed());
        return new CheckRow(b.label(), c.part(), c.id(), c.title(), detail, r.status(), List.of(r));
    }

    // ---------------------------------------------------------------- problems

    private static List<ProblemRow> problemRows(CheckSession session, ProblemCase c, DType dtype, List<Check> checks,
            Map<Check, CheckResult> ran) {
        BackendUnderTest b = session.backend();
        String prefix = "problems/" + c.id() + "/" + Check.id(dtype) + "/";
        Tolerances first = Tolerances.forDType(dtype);
        Tolerances trajectory = Tolerances.trajectory(dtype, c.kinked());
        if (checks.isEmpty()) {
            return List.of();
        }
        if (!b.supports(dtype)) {
            CheckResult na = CheckResult.notApplicable(prefix + "*", b.label() + " declares only " + b.dtypes());
            return List.of(new ProblemRow(b.label(), c.id(), dtype, "scratch " + dtype, c.steps(dtype), null, null,
                    null, true, first, trajectory, "", Status.NOT_APPLICABLE, List.of(na)));
        }
        Trajectory same = ProblemChecks.reference(c, dtype);
        List<CheckResult> sameChecks = new ArrayList<>();
        CheckResult vs64 = null;
        CheckResult fit = null;
        for (Check k : checks) {
            CheckResult r = ran.get(k);
            if (k.id().equals(prefix + "first-step-vs-float64")) {
                vs64 = r;
            } else {
                sameChecks.add(r);
            }
            if (k.id().equals(prefix + "fit")) {
                fit = r;
            }
        }
        Trajectory mine = session.ifShared(ProblemChecks.runKey(c, dtype), Trajectory.class).orElse(null);
        String fitText = mine == null ? "did not run" : fitWords(fit, mine);
        List<ProblemRow> rows = new ArrayList<>();
        rows.add(new ProblemRow(b.label(), c.id(), dtype, "scratch " + dtype, c.steps(dtype),
                mine == null ? null : ProblemChecks.compareFirstStep(mine, same, first).loss(),
                mine == null ? null : ProblemChecks.compareFirstStep(mine, same, first).gradients(),
                mine == null ? null : ProblemChecks.compareTrajectories(mine, same, trajectory).parameters(), true,
                first, trajectory, fitText, ConformanceReport.combine(sameChecks), sameChecks));
        if (vs64 != null) {
            Trajectory f64 = ProblemChecks.reference(c, DType.FLOAT64);
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
}
