package io.polygrad.conformance;

import io.polygrad.DType;

/**
 * The tolerances of the whole suite, stated once. They start from PyTorch's
 * ({@code torch.testing.assert_close} defaults and {@code torch.autograd.gradcheck}); they are never
 * widened to make a backend pass: a failure reports the measured difference instead.
 *
 * <p>A value {@code actual} matches {@code expected} when
 * {@code |actual - expected| <= atol + rtol * |expected|}.
 *
 * @param rtol relative tolerance
 * @param atol absolute tolerance
 */
public record Tolerances(double rtol, double atol) {

    /** float32 comparisons: PyTorch's rtol 1.3e-6, atol 1e-5. */
    public static final Tolerances FLOAT32 = new Tolerances(1.3e-6, 1e-5);

    /** float64 comparisons: PyTorch's rtol 1e-7, atol 1e-7. */
    public static final Tolerances FLOAT64 = new Tolerances(1e-7, 1e-7);

    /** Gradient versus central finite differences in float64, as torch.autograd.gradcheck. */
    public static final Tolerances GRADCHECK = new Tolerances(1e-3, 1e-5);

    /**
     * float32 results of a chain of up to {@value #CHAIN_LENGTH} ops (differential testing): each op
     * may round once, so the relative tolerance is {@value #CHAIN_LENGTH} times float32's.
     */
    public static final Tolerances FLOAT32_CHAIN = new Tolerances(8 * 1.3e-6, 1e-5);

    /**
     * Parameter trajectories in float32 of problems without kinks (the line, fitted by MSE), compared
     * with scratch float32 step by step: rtol 1e-5, atol 1e-4. See {@link #trajectory}.
     */
    public static final Tolerances TRAJECTORY_FLOAT32_SMOOTH = new Tolerances(1e-5, 1e-4);

    /**
     * Parameter trajectories in float32 of problems with kinks (MAE's {@code sign}, ReLU), compared with
     * scratch float32 step by step: rtol 1e-3, atol 2e-2. See {@link #trajectory}.
     */
    public static final Tolerances TRAJECTORY_FLOAT32_KINKED = new Tolerances(1e-3, 2e-2);

    /** Parameter trajectories in float64, compared with scratch float64: rtol 1e-10, atol 1e-10. See {@link #trajectory}. */
    public static final Tolerances TRAJECTORY_FLOAT64 = new Tolerances(1e-10, 1e-10);

    /**
     * Returns the tolerance for comparing a parameter trajectory in {@code dtype} with scratch's in the
     * same dtype, over a whole fit (up to 8000 steps), for a problem with or without kinks.
     *
     * <p><b>Why these values.</b> Two correct float32 backends do not give bit-identical trajectories:
     * they sum in different orders (SIMD lanes, pairwise, BLAS blocking), and each step feeds the
     * rounding into the next. Where the loss has kinks (MAE's {@code sign}, ReLU), a residual or a
     * pre-activation within rounding of 0 can take the other side on one backend, which moves a
     * parameter by a whole gradient term for one step (for the quadratic at lr 0.01:
     * {@code 2·lr·max x²/n = 2·0.01·4/20 = 4e-3} in {@code a}); Adam then also turns gradients near
     * rounding level into steps of size about lr. So the tolerance was measured, not guessed
     * ({@code TrajectoryToleranceMeasurement} in this module's tests reproduces the numbers): the largest
     * parameter difference over each whole trajectory, against scratch in the same dtype, of
     * <ul>
     *   <li>(R) 30 float32 backends that differ from scratch only in summation order (every sum and
     *       matmul accumulates in a random order; elementwise ops IEEE-exact, as on every CPU);</li>
     *   <li>(P) 60 pessimistic ones that also move each result of add, sub, mul, div, pow, exp, log, sqrt
     *       and tanh by a random -1, 0 or +1 ulp (like fast-math kernels);</li>
     * </ul>
     * <pre>
     * problem / setting      steps  (R) float32  (P) float32   scratch f32 vs f64*  tolerance here
     * line / adam             8000      3.6e-7       1.6e-5        1.6e-5           1e-4 + 1e-5·|p|
     * line / sgd              1000      2.4e-7       4.5e-6        2.2e-6           1e-4 + 1e-5·|p|
     * quadratic / zero-grad   1500      4.8e-7       3.2e-3        3.2e-3           2e-2 + 1e-3·|p|
     * quadratic / literal      500      7.5e-5       1.5e-4        3.5e-5           2e-2 + 1e-3·|p|
     * relu / adam             2000      9.4e-4       1.1e-3        9.4e-4           2e-2 + 1e-3·|p|
     * relu / sgd              2000      6.1e-4       6.1e-4        6.1e-4           2e-2 + 1e-3·|p|
     * double-relu / sgd       4000      1.4e-6       8.6e-4        8.6e-4           2e-2 + 1e-3·|p|
     * (* not a trajectory check: float32 runs also start from data and weights rounded to float32)
     * </pre>
     * The worst variation used 13% of the smooth tolerance (line / adam, P) and 14% of the kinked one
     * (quadratic / zero-grad, P): a margin of about 7× over the pessimistic model and 20× or more over
     * the realistic one (an exploratory run with other seeds reached 5.4e-3 on the quadratic, 24%).
     * The kinked tolerance is about five steps taken with one gradient term of the other sign. In
     * float64 the same experiments give at most 2.8e-13 (R) and 8.7e-13 (P), over 1000 steps of the
     * literal loop, whose accumulated gradients amplify most (20 variations of each kind); 1e-10 leaves
     * a factor 100 and still catches a float64 kernel that rounds through float32 ({@code PlantedFaultsTest}).
     *
     * <p>The quadratic's literal loop (gradients never zeroed) never forgets a gradient term, so after
     * the first rounding-induced sign flip the two trajectories part linearly (4e-3 per step); with
     * scratch float32 as the reference, every (R) variation parts at step 1031 and 26 of the 60 (P)
     * variations at step 530 or 531 (where one of scratch's residuals passes within about 1e-4 of 0), so
     * float32 compares the first 500 steps; float64 compares 1000 (within 2.8e-13).
     */
    public static Tolerances trajectory(DType dtype, boolean kinked) {
        if (dtype == DType.FLOAT64) {
            return TRAJECTORY_FLOAT64;
        }
        return kinked ? TRAJECTORY_FLOAT32_KINKED : TRAJECTORY_FLOAT32_SMOOTH;
    }

    /**
     * 50-step float32 optimizer trajectories against PyTorch's ({@link PyTorchOptimChecks}): rtol 1e-5, atol
     * 1e-6, for the loss before each step and every parameter after it.
     *
     * <p><b>Why these values.</b> Both sides compute in float32 but round differently: the order of the sums
     * in the 6-row matmul and mean, hyper-parameters cast to float32 or not, and polygrad's {@code lerp}
     * (PyTorch &ge; 2.0) where PyTorch 1.13 computes {@code mul_(β).add_(g, 1 - β)}; each elementwise result
     * may differ by an ulp or two. With about ten rounded operations per step the relative error per step is
     * about 10·2·2⁻²⁴ ≈ 1.2e-6, and over 50 steps of an update that does not amplify it, at most 50 times
     * that (6e-5) and in practice far less, since the updates contract; rtol 1e-5 is about 170 float32 ulps.
     * atol 1e-6 covers parameters passing near 0, where a relative bound means nothing (the problem's scale
     * is 1, where float32's resolution is 6e-8). The generator refuses a case that amplifies rounding: a
     * 1-ulp change of the initial values may move PyTorch's own float32 trajectory by at most 1e-6 (two
     * RMSprop settings near sign descent moved it by 3e-2 and 3e-3 and were replaced).
     *
     * <p>Measured (largest share of this tolerance over all 31 float32 cases): 0.80 on scratch, 0.74 on nd4j,
     * 0.79 on djl, all in {@code rmsprop-all} (centered RMSprop, where {@code √(v − ḡ²)} cancels and
     * amplifies the {@code lerp} rounding of {@code ḡ}: with 1.13's {@code mul_().add_()} the same case uses
     * 0.14); every other case uses at most 0.21. The largest absolute gap is 2.3e-5 (nd4j), on the
     * {@code maximize} cases, whose parameters grow to about 10 (relative 7e-6).
     */
    public static final Tolerances PYTORCH_OPTIM_FLOAT32 = new Tolerances(1e-5, 1e-6);

    /**
     * Learning-rate schedules and init formulas against PyTorch's ({@link PyTorchOptimChecks}): the same
     * formulas in double precision, rtol 1e-12, atol 1e-15 (a cosine rate at its minimum 0). Measured: every
     * rate, gain, fan, bound and standard deviation is bit-identical to PyTorch's on every backend.
     */
    public static final Tolerances PYTORCH_FORMULA = new Tolerances(1e-12, 1e-15);

    /**
     * float32 results against PyTorch's own float32 results ({@link PyTorchOpChecks}): rtol 2⁻¹⁹ ≈ 1.9e-6
     * (16 ulps: float32's ulp is ε = 2⁻²³ ≈ 1.2e-7), atol the same 2⁻¹⁹ times the largest finite
     * |value| of the array compared ({@link #scaledTo}).
     *
     * <p><b>Why.</b> Both sides compute in float32 from the same float32 inputs, so only rounding differs.
     * An elementwise kernel is within 0.5 ulp (correctly rounded, as scratch's float32 computed through
     * double) or 1 to 2 ulps (libm, Sleef, libnd4j's vectorised exp/log/tanh) of the exact value: 2.5 ulps
     * apart at most. A composite of up to about six rounding steps (sigmoid, softplus, a log-softmax, a
     * loss and its gradient) adds at most one ulp of its intermediate per step; a sum over the few
     * (at most 24) elements of a fixture in another order adds ⌈log₂ 24⌉ = 5 more. That is about 12 ulps of the
     * largest intermediate, which is why the absolute term is scaled to the array: a result that
     * cancels ({@code x - logSumExp(x)}, a softmax gradient that sums to 0, {@code d = input - target})
     * is exact only relative to the terms that cancelled, not to itself. 16 ulps covers 12 with a
     * margin; a wrong formula, a wrong branch at a kink or a result computed in float64 and rounded
     * late at a different point is off by far more.
     *
     * <p><b>Measured</b> (294 cases per dtype): scratch, nd4j and djl each use at most 37.5% of it, on the
     * gradient of {@code logSumExp} over rows holding 100 (1.4e-6 absolute, 6 ulps of the array's
     * scale): PyTorch differentiates it as {@code exp(x - lse)}, whose float32 {@code lse ≈ 100.7} is
     * rounded to 3.8e-6, where polygrad's softmax subtracts the maximum first; next the softmax of a
     * masked row (22%). In float64 the worst gap is 1.9e-15 (the same case), 2e-5 of {@link #PYTORCH_FLOAT64}.
     */
    public static final Tolerances PYTORCH_FLOAT32 = new Tolerances(0x1p-19, 0x1p-19);

    /**
     * float64 results against PyTorch's float64 results: rtol 1e-10, atol 1e-10 times the largest finite
     * |value| of the array ({@link #scaledTo}). float64 rounding (ε = 2.2e-16) over the same short
     * chains stays below 1e-14 relative to the largest intermediate; 1e-10 leaves four orders of magnitude
     * for libm differences and still catches any float64 kernel that rounds through float32 (1e-8 off).
     */
    public static final Tolerances PYTORCH_FLOAT64 = new Tolerances(1e-10, 1e-10);

    /** Returns the tolerance for comparing results of {@code dtype} with PyTorch's ({@link #PYTORCH_FLOAT32}, {@link #PYTORCH_FLOAT64}). */
    public static Tolerances pytorch(DType dtype) {
        return dtype == DType.FLOAT32 ? PYTORCH_FLOAT32 : PYTORCH_FLOAT64;
    }

    /**
     * Returns this tolerance with its atol multiplied by the largest finite |value| of {@code expected}
     * (0 when there is none), the scale of an array whose elements may come from cancellation.
     */
    public Tolerances scaledTo(double[] expected) {
        double scale = 0;
        for (double e : expected) {
            if (Double.isFinite(e)) {
                scale = Math.max(scale, Math.abs(e));
            }
        }
        return new Tolerances(rtol, atol * scale);
    }

    /** The longest random program of the differential tests. */
    public static final int CHAIN_LENGTH = 8;

    /** The finite-difference step of gradcheck. */
    public static final double GRADCHECK_EPS = 1e-6;

    /** Returns the tolerance for comparing values of {@code dtype}. */
    public static Tolerances forDType(DType dtype) {
        return dtype == DType.FLOAT32 ? FLOAT32 : FLOAT64;
    }

    /** Returns whether {@code actual} matches {@code expected}; NaN matches NaN and infinities must be equal. */
    public boolean matches(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }

    /**
     * Returns how much of the tolerance the difference uses: {@code |actual - expected| / (atol + rtol·|expected|)},
     * so a value up to 1 matches; 0 for matching NaNs or equal infinities, infinity for any other non-finite pair.
     */
    public double excess(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return actual == expected ? 0 : Double.POSITIVE_INFINITY;
        }
        double d = Math.abs(actual - expected);
        double allowed = atol + rtol * Math.abs(expected);
        return allowed == 0 ? (d == 0 ? 0 : Double.POSITIVE_INFINITY) : d / allowed;
    }
}
