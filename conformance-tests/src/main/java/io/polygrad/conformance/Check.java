package io.polygrad.conformance;

import io.polygrad.DType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A conformance check: one entry of the suite's single list ({@link ConformanceChecks#all()}), which
 * the JUnit classes and {@link ConformanceRunner}'s report both iterate. A check has a stable id (what
 * {@link BackendUnderTest#excluding} names), the part of the suite it belongs to, what it is about, the
 * dtype it runs in, a title, and a body: plain Java that throws an {@link AssertionError} (or any
 * {@link RuntimeException}) on failure and may return the {@link Comparison} it measured.
 *
 * <pre>{@code
 * CheckSession session = new CheckSession(BackendUnderTest.of("mine", new MyModule()));
 * for (Check check : ConformanceChecks.all()) {
 *     CheckResult result = check.run(session);   // capabilities and exclusions applied
 * }
 * }</pre>
 *
 * <p>A check applies to a backend that declares every dtype in {@link #requiredDTypes()}: its own dtype,
 * or both dtypes for a check without one (the autograd semantics, which mix float32 and float64). Every
 * check runs on the backend's declared device.
 *
 * @param id      the check's id, e.g. {@code ops/exp[large]/float32/forward-reference}
 * @param part    the part of the suite it belongs to
 * @param subject what it is about: an op sample's name, a problem case's id, {@code init},
 *                {@code precision}, {@code programs} or the autograd check's name
 * @param dtype   the dtype it runs in, or {@code null} for a check that uses both
 * @param title   what it checks, in words, e.g. {@code forward vs scratch float64}
 * @param body    the check itself
 */
public record Check(String id, Part part, String subject, DType dtype, String title, Body body) {

    /** A part of the suite: the checks a JUnit class of the suite runs and a section of the report shows. */
    public enum Part {
        /** Op samples of {@link OpRegistry}: forward and gradient values ({@link OpChecks}). */
        OPS,
        /** Float64 kernels on full-precision inputs ({@link PrecisionChecks}). */
        PRECISION,
        /** Bit-identical seeded initial values ({@link InitChecks}). */
        INIT,
        /** PyTorch's autograd semantics ({@link AutogradChecks}). */
        AUTOGRAD,
        /**
         * Random op programs against scratch float64 ({@link DifferentialChecks}), fused kernels against their
         * composites ({@link ConvolutionChecks}, {@link AddScaledChecks}) and first-epoch training losses against scratch float64
         * ({@link FashionMnistChecks}).
         */
        DIFFERENTIAL,
        /** The three problems of DESIGN.md ({@link ProblemChecks}). */
        PROBLEMS,
        /** Ops and losses against fixtures written by PyTorch itself ({@link PyTorchOpChecks}). */
        PYTORCH,
        /** Optimizers, LR schedules and init formulas against PyTorch's fixtures ({@link PyTorchOptimChecks}). */
        PYTORCH_OPTIM
    }

    /** A check's body: throws on failure; returns what it measured, or {@code null}. */
    @FunctionalInterface
    public interface Body {
        /** Returns the comparison the check measured ({@code null} when it measures none), throwing on failure. */
        Comparison run(CheckSession session);
    }

    /** A check's body that measures nothing: throws on failure. */
    @FunctionalInterface
    public interface Assertion {
        /** Runs the check, throwing an {@link AssertionError} on failure. */
        void run(CheckSession session);
    }

    /** Creates a check, rejecting nulls other than {@code dtype}. */
    public Check {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
    }

    /** Returns a check whose body measures nothing. */
    public static Check of(String id, Part part, String subject, DType dtype, String title, Assertion body) {
        Objects.requireNonNull(body, "body");
        return new Check(id, part, subject, dtype, title, s -> {
            body.run(s);
            return null;
        });
    }

    /** Returns a check whose body returns the comparison it measured. */
    public static Check measuring(String id, Part part, String subject, DType dtype, String title, Body body) {
        return new Check(id, part, subject, dtype, title, body);
    }

    /** Returns the dtypes a backend must declare for the check to apply. */
    public Set<DType> requiredDTypes() {
        return Set.copyOf(dtype == null ? EnumSet.allOf(DType.class) : EnumSet.of(dtype));
    }

    /** Returns why the check does not apply to {@code backend}, or empty when it does. */
    public Optional<String> notApplicableTo(BackendUnderTest backend) {
        return backend.dtypes().containsAll(requiredDTypes()) ? Optional.empty()
                : Optional.of(backend.label() + " declares only " + backend.dtypes());
    }

    /**
     * Returns the outcome of this check on the session's backend: not applicable (with the reason) when
     * the backend lacks a required dtype; otherwise the body's outcome with the backend's exclusions
     * applied (see {@link CheckResult#run}).
     */
    public CheckResult run(CheckSession session) {
        Optional<String> reason = notApplicableTo(session.backend());
        if (reason.isPresent()) {
            return CheckResult.notApplicable(id, reason.get());
        }
        return CheckResult.measure(session.backend(), id, () -> body.run(session));
    }

    /** Returns {@code float32} or {@code float64}, as check ids spell dtypes. */
    public static String id(DType dtype) {
        return dtype.toString().toLowerCase(Locale.ROOT);
    }

    /** Returns the id and the title, as JUnit shows the check. */
    public String displayName() {
        return id + " — " + title;
    }

    /** Returns the id. */
    @Override
    public String toString() {
        return id;
    }
}
