package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.conformance.Check.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * The conformance suite's one list of checks: everything the suite checks, in the order it runs. The
 * JUnit classes ({@link PolygradConformanceSuite} and its parts) turn its entries into dynamic tests;
 * {@link ConformanceRunner} runs the same entries for the Markdown report.
 *
 * <pre>{@code
 * List<Check> problems = ConformanceChecks.of(Check.Part.PROBLEMS);
 * }</pre>
 *
 * <p>Order: per dtype the op samples, the PyTorch fixtures, the initial values and (float64) the precision check; then the
 * autograd semantics; then the random programs per dtype; then per dtype the three problems.
 */
public final class ConformanceChecks {

    private static final List<Check> ALL = build();

    private ConformanceChecks() {
    }

    /** Returns every check of the suite. */
    public static List<Check> all() {
        return ALL;
    }

    /** Returns the checks of the given parts, in the suite's order. */
    public static List<Check> of(Part... parts) {
        List<Part> wanted = List.of(parts);
        return ALL.stream().filter(c -> wanted.contains(c.part())).toList();
    }

    private static List<Check> build() {
        List<Check> out = new ArrayList<>();
        for (DType dtype : DType.floatingPoint()) {
            out.addAll(OpChecks.checks(dtype));
            out.addAll(PyTorchOpChecks.checks(dtype));
            out.addAll(NormChecks.checks(dtype));
            out.add(InitChecks.check(dtype));
            if (dtype == DType.FLOAT64) {
                out.add(PrecisionChecks.check());
            }
        }
        out.addAll(IntegerChecks.checks());
        out.addAll(AutogradChecks.checks());
        out.addAll(LimitChecks.checks());
        out.addAll(DifferentialChecks.checks());
        for (DType dtype : DType.floatingPoint()) {
            out.addAll(ConvolutionChecks.checks(dtype));
            out.addAll(AddScaledChecks.checks(dtype));
            out.addAll(FashionMnistChecks.checks(dtype));
        }
        for (DType dtype : DType.floatingPoint()) {
            out.addAll(ProblemChecks.checks(dtype));
            out.addAll(CapturedTrainerChecks.checks(dtype));
        }
        out.addAll(PyTorchOptimChecks.checks());
        // optimizer groups, state, clipping and the second round of optimizers and schedules
        out.addAll(PyTorchOptim2Checks.checks());
        out.addAll(OptimStateChecks.checks());
        long distinct = out.stream().map(Check::id).distinct().count();
        if (distinct != out.size()) {
            throw new IllegalStateException("check ids must be unique: " + out.size() + " checks, " + distinct + " ids");
        }
        return List.copyOf(out);
    }
}
