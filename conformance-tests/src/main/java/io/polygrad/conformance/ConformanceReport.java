package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.conformance.CheckResult.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of a {@link ConformanceRunner} run, as data and as Markdown: one row per backend,
 * problem/setting, dtype and reference with the measured differences of loss, gradients and
 * parameters, the tolerances and pass/fail; a summary of the op-level checks per backend and dtype; a
 * row per autograd check and per random-program check; and every failure and exclusion with its message.
 *
 * <pre>{@code
 * ConformanceReport report = new ConformanceRunner().run(BackendUnderTest.onClasspath());
 * Files.writeString(Path.of("conformance-report.md"), report.toMarkdown());
 * if (!report.passed()) System.exit(1);
 * }</pre>
 */
public final class ConformanceReport {

    /**
     * One problem-level row: one backend's fit of one case in one dtype against one reference.
     *
     * @param backend             the backend's label
     * @param problemCase         {@code problem/setting}
     * @param dtype               the dtype of the backend's run
     * @param reference           e.g. {@code scratch float32}
     * @param steps               the number of steps compared
     * @param loss                the first step's loss versus the reference ({@code null} when the run failed)
     * @param gradients           the first step's gradients versus the reference ({@code null} when the run failed)
     * @param parameters          the parameters after every step versus the reference ({@code null} when not measured)
     * @param parametersChecked   whether the parameter trajectory is checked against this reference
     *                            (float32 runs are checked against scratch float32; their distance from
     *                            scratch float64 is shown for information)
     * @param firstStepTolerance  the tolerance of the first step
     * @param trajectoryTolerance the tolerance of the trajectory ({@code null} when not checked)
     * @param fit                 the fit's outcome in words, or empty for a first-step-only row
     * @param status              the row's outcome: failed if any of its checks failed
     * @param checks              the checks behind the row, with their outcomes
     */
    public record ProblemRow(String backend, String problemCase, DType dtype, String reference, int steps,
            Comparison loss, Comparison gradients, Comparison parameters, boolean parametersChecked,
            Tolerances firstStepTolerance, Tolerances trajectoryTolerance, String fit, Status status,
            List<CheckResult> checks) {

        /** Creates a row, copying the checks. */
        public ProblemRow {
            checks = List.copyOf(checks);
        }
    }

    /**
     * The op-level summary of one backend in one dtype: how many {@link OpRegistry} samples
     * passed every check, and which one came closest to (or went furthest past) its tolerance.
     *
     * @param backend        the backend's label
     * @param dtype          the dtype
     * @param status         the outcome of the whole dtype: failed if any sample or other check failed
     * @param passed         samples whose checks all passed
     * @param failed         samples with a failed check
     * @param excluded       samples with an excluded (still failing) check and no failed one
     * @param worstSample    the sample that used most of its tolerance, e.g. {@code exp[large] (forward vs
     *                       scratch float64)}
     * @param worstShare     the share of the tolerance it used ({@code |a-e| / (atol + rtol·|e|)}; above 1 fails)
     * @param checks         every check run: each sample's, the initial-value check and (float64) the
     *                       precision check
     */
    public record OpSummary(String backend, DType dtype, Status status, int passed, int failed, int excluded,
            String worstSample, double worstShare, List<CheckResult> checks) {

        /** Creates a summary, copying the checks. */
        public OpSummary {
            checks = List.copyOf(checks);
        }
    }

    /**
     * The outcome of one exclusion as a whole: failed when checks it covers ran and none of them
     * failed (the gap is gone; remove the exclusion).
     *
     * @param backend the backend's label
     * @param result  the outcome, with the exclusion's id as check id
     */
    public record ExclusionCheck(String backend, CheckResult result) {
    }

    /**
     * One row of a check shown on its own: an autograd check, a random-program check (one per dtype), or
     * a whole part that does not apply.
     *
     * @param backend the backend's label
     * @param part    the part of the suite, {@link Check.Part#AUTOGRAD} or {@link Check.Part#DIFFERENTIAL}
     * @param checkId the check's id ({@code autograd/*} for a whole part that does not apply)
     * @param title   what it checks, in words
     * @param detail  what it measured, in words, or empty
     * @param status  the outcome
     * @param checks  the checks behind the row, with their outcomes
     */
    public record CheckRow(String backend, Check.Part part, String checkId, String title, String detail, Status status,
            List<CheckResult> checks) {

        /** Creates a row, copying the checks. */
        public CheckRow {
            checks = List.copyOf(checks);
        }
    }

    private final List<BackendUnderTest> backends;
    private final List<ProblemRow> problemRows;
    private final List<OpSummary> opSummaries;
    private final List<CheckRow> checkRows;
    private final List<ExclusionCheck> exclusionChecks;

    /** Creates a report of {@code backends} from its rows, without autograd or random-program rows. */
    public ConformanceReport(List<BackendUnderTest> backends, List<ProblemRow> problemRows, List<OpSummary> opSummaries,
            List<ExclusionCheck> exclusionChecks) {
        this(backends, problemRows, opSummaries, List.of(), exclusionChecks);
    }

    /** Creates a report of {@code backends} from its rows. */
    public ConformanceReport(List<BackendUnderTest> backends, List<ProblemRow> problemRows, List<OpSummary> opSummaries,
            List<CheckRow> checkRows, List<ExclusionCheck> exclusionChecks) {
        this.backends = List.copyOf(backends);
        this.problemRows = List.copyOf(problemRows);
        this.opSummaries = List.copyOf(opSummaries);
        this.checkRows = List.copyOf(checkRows);
        this.exclusionChecks = List.copyOf(exclusionChecks);
    }

    /** Returns the backends the report covers. */
    public List<BackendUnderTest> backends() {
        return backends;
    }

    /** Returns the problem-level rows. */
    public List<ProblemRow> problemRows() {
        return problemRows;
    }

    /** Returns the op-level summaries, one per backend and dtype. */
    public List<OpSummary> opSummaries() {
        return opSummaries;
    }

    /** Returns the rows of the autograd and random-program checks. */
    public List<CheckRow> checkRows() {
        return checkRows;
    }

    /** Returns the outcome of each backend's exclusions taken as a whole (stale ones fail). */
    public List<ExclusionCheck> exclusionChecks() {
        return exclusionChecks;
    }

    /** Returns whether nothing failed: every check passed, or was excluded and still fails, or does not apply. */
    public boolean passed() {
        return allChecks().stream().noneMatch(c -> c.status() == Status.FAILED);
    }

    /** Returns every check that failed (including stale exclusions). */
    public List<CheckResult> failures() {
        return allChecks().stream().filter(c -> c.status() == Status.FAILED).collect(Collectors.toList());
    }

    private List<CheckResult> allChecks() {
        List<CheckResult> all = new ArrayList<>();
        problemRows.forEach(r -> all.addAll(r.checks()));
        opSummaries.forEach(s -> all.addAll(s.checks()));
        checkRows.forEach(r -> all.addAll(r.checks()));
        exclusionChecks.forEach(e -> all.add(e.result()));
        return all;
    }

    /** Writes {@link #toMarkdown()} to {@code file}, creating its folder. */
    public void writeTo(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, toMarkdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the conformance report to " + file, e);
        }
    }

    /** Returns the report as Markdown. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# polygrad conformance report\n\n");
        md.append("**Result: ").append(passed() ? "PASSED" : "FAILED").append("** — ");
        md.append(count(Status.PASSED)).append(" problem rows passed, ").append(count(Status.FAILED))
                .append(" failed, ").append(count(Status.EXCLUDED)).append(" excluded; op samples passed ")
                .append(opSummaries.stream().mapToInt(OpSummary::passed).sum()).append(", failed ")
                .append(opSummaries.stream().mapToInt(OpSummary::failed).sum()).append(", excluded ")
                .append(opSummaries.stream().mapToInt(OpSummary::excluded).sum());
        for (Check.Part part : new Check.Part[] {Check.Part.AUTOGRAD, Check.Part.DIFFERENTIAL}) {
            md.append("; ").append(part == Check.Part.AUTOGRAD ? "autograd checks" : "random-program checks")
                    .append(" passed ").append(count(part, Status.PASSED)).append(", failed ")
                    .append(count(part, Status.FAILED)).append(", excluded ").append(count(part, Status.EXCLUDED));
        }
        md.append(".\n\n");
        md.append("| backend | device | dtypes | exclusions |\n| --- | --- | --- | --- |\n");
        for (BackendUnderTest b : backends) {
            md.append("| ").append(b.name()).append(" | ").append(b.device()).append(" | ")
                    .append(b.dtypes().stream().sorted().map(DType::toString).collect(Collectors.joining(", ")))
                    .append(" | ").append(b.exclusions().size()).append(" |\n");
        }
        problemsSection(md);
        opsSection(md);
        autogradSection(md);
        differentialSection(md);
        checkSection(md, Check.Part.PYTORCH_OPTIM, "Optimizers, schedules and init vs PyTorch", "50-step optimizer "
                + "trajectories, learning-rate schedules and init formulas against fixtures written by PyTorch "
                + "(`tools/pytorch-fixtures/generate_optim.py`); float32 trajectories within "
                + "`Tolerances.PYTORCH_OPTIM_FLOAT32`, float64 within `TRAJECTORY_FLOAT64`, formulas within "
                + "`PYTORCH_FORMULA`.", true);
        listSection(md, "Failures", Status.FAILED);
        listSection(md, "Exclusions (known gaps, still failing)", Status.EXCLUDED);
        listSection(md, "Not applicable", Status.NOT_APPLICABLE);
        tolerancesSection(md);
        return md.toString();
    }

    private long count(Status s) {
        return problemRows.stream().filter(r -> r.status() == s).count();
    }

    private long count(Check.Part part, Status s) {
        return checkRows.stream().filter(r -> r.part() == part && r.status() == s).count();
    }

    private void problemsSection(StringBuilder md) {
        md.append("\n## Problems\n\n");
        md.append("Each backend fits every problem from scratch's bit-identical initial values. Loss and gradient "
                + "are the first step's; parameter is the largest difference over the whole trajectory (every "
                + "step); abs / rel are the largest absolute and relative differences. float32 runs are "
                + "checked against scratch float32 (first step, trajectory, fit) and against scratch float64 "
                + "(first step, within float32's tolerance); their parameter distance from scratch float64 is "
                + "shown in parentheses for information.\n\n");
        md.append("| backend | problem / setting | dtype | reference | steps | loss Δ abs / rel | gradient Δ abs / rel "
                + "| parameter Δ abs / rel | tolerance: first step; trajectory | fit | result |\n");
        md.append("| --- | --- | --- | --- | ---: | --- | --- | --- | --- | --- | --- |\n");
        for (ProblemRow r : problemRows) {
            md.append("| ").append(r.backend()).append(" | ").append(r.problemCase()).append(" | ").append(r.dtype())
                    .append(" | ").append(r.reference()).append(" | ").append(r.steps()).append(" | ")
                    .append(pair(r.loss())).append(" | ").append(pair(r.gradients())).append(" | ");
            if (r.parameters() == null) {
                md.append("—");
            } else if (r.parametersChecked()) {
                md.append(pair(r.parameters()));
            } else {
                md.append("(").append(pair(r.parameters())).append(")");
            }
            md.append(" | ").append(tol(r.firstStepTolerance())).append("; ")
                    .append(r.trajectoryTolerance() == null ? "—" : tol(r.trajectoryTolerance())).append(" | ")
                    .append(r.fit().isEmpty() ? "—" : r.fit()).append(" | ").append(word(r.status())).append(" |\n");
        }
    }

    private void opsSection(StringBuilder md) {
        md.append("\n## Ops\n\n");
        md.append("Every sample of the op registry: forward against hand-computed values and against scratch "
                + "float64, gradients against scratch float64, and in float64 against central finite "
                + "differences; every PyTorch fixture case (pytorch/…: values and gradients written by PyTorch "
                + "itself, within Tolerances.pytorch); plus bit-identical initial values and full float64 "
                + "precision. The worst "
                + "sample is the one that used most of its tolerance.\n\n");
        md.append("| backend | dtype | samples passed | failed | excluded | worst sample (share of tolerance) | result |\n");
        md.append("| --- | --- | ---: | ---: | ---: | --- | --- |\n");
        for (OpSummary s : opSummaries) {
            md.append("| ").append(s.backend()).append(" | ").append(s.dtype()).append(" | ").append(s.passed())
                    .append(" | ").append(s.failed()).append(" | ").append(s.excluded()).append(" | ")
                    .append(s.worstSample().isEmpty() ? "—" : s.worstShare() == 0 ? "none: all exact"
                            : s.worstSample() + " (" + String.format(Locale.ROOT, "%.2f", s.worstShare()) + ")")
                    .append(" | ").append(word(s.status())).append(" |\n");
        }
    }

    private void autogradSection(StringBuilder md) {
        checkSection(md, Check.Part.AUTOGRAD, "Autograd semantics", "PyTorch's autograd semantics, in float32 and "
                + "float64: accumulation until zeroGrad(), no-grad scopes, leaves, detach(), in-place rules, kinks, "
                + "ties, broadcast gradients, promotion, NaN/Inf, long chains, tensor scopes. Exact values: these "
                + "checks compare with 0 tolerance.", false);
    }

    private void differentialSection(StringBuilder md) {
        checkSection(md, Check.Part.DIFFERENTIAL, "Random programs", "Random programs of broadcasting ops on three "
                + "leaves, drawn from api's seeded generator (the same programs in every run), evaluated forward and "
                + "backward against scratch float64 (float32 with the chain tolerance of `Tolerances.FLOAT32_CHAIN`). "
                + "A failing program is shrunk to a small one, printed as Java code under Failures. Also here: each "
                + "fused convolution or pooling kernel against the composite of primitives (`conv/fast-vs-composite/*`), "
                + "and the per-step losses of one epoch of a small MLP and CNN on the Fashion-MNIST subset against "
                + "scratch float64 (`training/fashion-mnist/*`).", true);
    }

    private void checkSection(StringBuilder md, Check.Part part, String title, String intro, boolean measured) {
        List<CheckRow> rows = checkRows.stream().filter(r -> r.part() == part).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append("\n\n").append(intro).append("\n\n");
        md.append("| backend | check | what it checks | ").append(measured ? "measured | " : "").append("result |\n");
        md.append("| --- | --- | --- | ").append(measured ? "--- | " : "").append("--- |\n");
        for (CheckRow r : rows) {
            md.append("| ").append(r.backend()).append(" | `").append(r.checkId()).append("` | ")
                    .append(r.title().replace("|", "\\|")).append(" | ");
            if (measured) {
                md.append(r.detail().isEmpty() ? "—" : r.detail()).append(" | ");
            }
            md.append(word(r.status())).append(" |\n");
        }
    }

    private void listSection(StringBuilder md, String title, Status status) {
        List<String> lines = new ArrayList<>();
        for (ProblemRow r : problemRows) {
            for (CheckResult c : r.checks()) {
                if (c.status() == status) {
                    lines.add(item(r.backend(), c));
                }
            }
        }
        for (OpSummary s : opSummaries) {
            for (CheckResult c : s.checks()) {
                if (c.status() == status) {
                    lines.add(item(s.backend(), c));
                }
            }
        }
        for (CheckRow r : checkRows) {
            for (CheckResult c : r.checks()) {
                if (c.status() == status) {
                    lines.add(item(r.backend(), c));
                }
            }
        }
        for (ExclusionCheck e : exclusionChecks) {
            if (e.result().status() == status) {
                lines.add(item(e.backend(), e.result()));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append("\n\n");
        lines.stream().distinct().forEach(md::append);
    }

    private static String item(String backend, CheckResult c) {
        String message = c.message();
        String[] lines = message.split("\n");
        StringBuilder text = new StringBuilder(lines[0]);
        for (int i = 1; i < Math.min(lines.length, 4); i++) {
            text.append("\n  ").append(lines[i].strip());
        }
        String t = text.toString();
        if (t.length() > 700) {
            t = t.substring(0, 700) + " …";
        }
        return "- **" + backend + "** `" + c.checkId() + "`: " + t.replace("|", "\\|") + "\n";
    }

    private static void tolerancesSection(StringBuilder md) {
        md.append("\n## Tolerances\n\n");
        md.append("A value matches when |actual − expected| ≤ atol + rtol·|expected| (`Tolerances`; never "
                + "widened to pass, measured and justified in its javadoc).\n\n");
        md.append("| use | rtol | atol |\n| --- | ---: | ---: |\n");
        row(md, "float32 ops and first steps", Tolerances.FLOAT32);
        row(md, "float64 ops and first steps", Tolerances.FLOAT64);
        row(md, "float64 gradients vs finite differences", Tolerances.GRADCHECK);
        row(md, "float32 trajectories, problems without kinks (line)", Tolerances.TRAJECTORY_FLOAT32_SMOOTH);
        row(md, "float32 trajectories, problems with kinks (MAE, ReLU)", Tolerances.TRAJECTORY_FLOAT32_KINKED);
        row(md, "float64 trajectories", Tolerances.TRAJECTORY_FLOAT64);
        row(md, "float32 random programs (up to " + Tolerances.CHAIN_LENGTH + " ops) vs scratch float64",
                Tolerances.FLOAT32_CHAIN);
    }

    private static void row(StringBuilder md, String use, Tolerances t) {
        md.append("| ").append(use).append(" | ").append(num(t.rtol())).append(" | ").append(num(t.atol())).append(" |\n");
    }

    /** Returns e.g. {@code 1.2e-07 / 3.4e-08}: the largest absolute and relative difference. */
    static String pair(Comparison c) {
        return c == null ? "—" : num(c.maxAbs()) + " / " + num(c.maxRel());
    }

    private static String tol(Tolerances t) {
        return "rtol " + num(t.rtol()) + ", atol " + num(t.atol());
    }

    private static String num(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.1e", v);
    }

    private static String word(Status s) {
        switch (s) {
            case PASSED:
                return "pass";
            case FAILED:
                return "**FAIL**";
            case EXCLUDED:
                return "excluded";
            default:
                return "n/a";
        }
    }

    /** Returns the Markdown. */
    @Override
    public String toString() {
        return toMarkdown();
    }

    /** Returns the combined status of checks: failed if any failed, else excluded if any was, else passed. */
    static Status combine(List<CheckResult> checks) {
        Objects.requireNonNull(checks, "checks");
        if (checks.stream().anyMatch(c -> c.status() == Status.FAILED)) {
            return Status.FAILED;
        }
        if (checks.stream().anyMatch(c -> c.status() == Status.EXCLUDED)) {
            return Status.EXCLUDED;
        }
        if (!checks.isEmpty() && checks.stream().allMatch(c -> c.status() == Status.NOT_APPLICABLE)) {
            return Status.NOT_APPLICABLE;
        }
        return Status.PASSED;
    }
}
