package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Generator;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The differential checks of the suite: random op programs ({@link RandomProgram}) give the same
 * forward values and gradients on the backend under test as on scratch float64. The programs are drawn
 * from api's seeded {@link Generator} ({@link #programs}), so every run, JUnit or report, checks the same
 * {@value #PROGRAMS} programs per dtype; a failing program is shrunk ({@link #shrink}) to a small one that
 * still fails, printed as Java code.
 *
 * <p>Check ids: {@code differential/float32} and {@code differential/float64}.
 */
public final class DifferentialChecks {

    /** The number of programs each check runs. */
    public static final int PROGRAMS = 60;

    /** The seed the programs are drawn from. */
    public static final long SEED = 20_240_601L;

    /** The most candidate programs {@link #shrink} tries. */
    static final int MAX_SHRINK_TRIES = 2_000;

    private DifferentialChecks() {
    }

    /** Returns the checks {@code differential/float32} and {@code differential/float64}. */
    public static List<Check> checks() {
        List<Check> out = new ArrayList<>();
        for (DType dtype : DType.floatingPoint()) {
            out.add(check(dtype));
        }
        return out;
    }

    /** Returns the check {@code differential/<dtype>}: {@link #PROGRAMS} programs against scratch float64. */
    public static Check check(DType dtype) {
        return Check.measuring("differential/" + Check.id(dtype), Part.DIFFERENTIAL, "programs", dtype,
                PROGRAMS + " random programs of up to " + Tolerances.CHAIN_LENGTH + " ops match scratch float64",
                s -> allMatch(s.backend(), dtype, programs(SEED, PROGRAMS)));
    }

    /**
     * Returns {@code count} programs drawn from a generator seeded with {@code seed}: each has a leaf seed
     * in [0, 1e6], 1 to {@link Tolerances#CHAIN_LENGTH} steps, each a random op on two earlier values.
     */
    public static List<RandomProgram> programs(long seed, int count) {
        Generator g = new Generator(seed);
        List<RandomProgram> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long leafSeed = g.nextInt(1_000_001);
            int n = 1 + g.nextInt(Tolerances.CHAIN_LENGTH);
            List<RandomProgram.Step> steps = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                steps.add(new RandomProgram.Step(g.nextInt(RandomProgram.opCount()), g.nextInt(21), g.nextInt(21)));
            }
            out.add(new RandomProgram(leafSeed, steps));
        }
        return out;
    }

    /**
     * Returns the comparisons of all {@code programs} merged (largest differences, largest share of the
     * tolerance used) when each
     * matches scratch float64; otherwise throws an {@link AssertionError} for the first program that does
     * not, shrunk to a small program that still fails.
     */
    public static Comparison allMatch(BackendUnderTest backend, DType dtype, List<RandomProgram> programs) {
        Comparison worst = Comparison.exact();
        for (int i = 0; i < programs.size(); i++) {
            RandomProgram p = programs.get(i);
            Comparison c;
            try {
                c = compare(backend, dtype, p);
            } catch (AssertionError | RuntimeException e) {
                RandomProgram small = shrink(p, q -> failure(backend, dtype, q) != null);
                Throwable smallFailure = small == p ? e : failure(backend, dtype, small);
                throw new AssertionError("random program " + (i + 1) + " of " + programs.size() + " fails; shrunk from "
                        + steps(p) + " to " + steps(small) + ": " + message(smallFailure), smallFailure);
            }
            worst = worst.merge(c);
        }
        return worst;
    }

    /**
     * Returns the program's values and gradients compared with scratch float64 (merged), throwing an
     * {@link AssertionError} that names what differs and prints the program when one is out of tolerance.
     */
    public static Comparison compare(BackendUnderTest backend, DType dtype, RandomProgram program) {
        double[][] mine = evaluate(backend.engine(dtype), dtype, program);
        double[][] reference = evaluate(OpChecks.REFERENCE.engine(DType.FLOAT64), DType.FLOAT64, program);
        Tolerances tol = dtype == DType.FLOAT32 ? Tolerances.FLOAT32_CHAIN : Tolerances.FLOAT64;
        String[] what = {"forward", "grad v0", "grad v1", "grad v2"};
        Comparison all = Comparison.exact();
        for (int i = 0; i < mine.length; i++) {
            Comparison c = Comparison.of(mine[i], reference[i], tol);
            if (!c.withinTolerance()) {
                throw new AssertionError(backend.name() + " in " + dtype + ": " + what[i] + " differs from scratch "
                        + "float64 (" + c.describe() + ")\n  " + backend.name() + ": " + Arrays.toString(mine[i])
                        + "\n  scratch: " + Arrays.toString(reference[i]) + program);
            }
            all = all.merge(c);
        }
        return all;
    }

    /**
     * Returns a program no larger than {@code failing} for which {@code fails} still holds, found greedily:
     * dropping a step, then moving a step's op and operands towards 0 (so towards the leaves and the first
     * ops), then moving the leaf seed towards 0, until no candidate fails or {@link #MAX_SHRINK_TRIES}
     * candidates were tried.
     */
    public static RandomProgram shrink(RandomProgram failing, Predicate<RandomProgram> fails) {
        RandomProgram current = failing;
        int tries = 0;
        boolean improved = true;
        while (improved && tries < MAX_SHRINK_TRIES) {
            improved = false;
            for (RandomProgram candidate : smaller(current)) {
                if (++tries > MAX_SHRINK_TRIES) {
                    break;
                }
                if (fails.test(candidate)) {
                    current = candidate;
                    improved = true;
                    break;
                }
            }
        }
        return current;
    }

    /** Returns the programs one shrinking step away from {@code p}, simplest first. */
    static List<RandomProgram> smaller(RandomProgram p) {
        List<RandomProgram> out = new ArrayList<>();
        List<RandomProgram.Step> steps = p.steps();
        if (steps.size() > 1) {
            for (int i = 0; i < steps.size(); i++) {
                List<RandomProgram.Step> fewer = new ArrayList<>(steps);
                fewer.remove(i);
                out.add(new RandomProgram(p.seed(), fewer));
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            RandomProgram.Step s = steps.get(i);
            int values = RandomProgram.LEAF_SHAPES.length + i;
            int op = s.op() % RandomProgram.opCount();
            int a = s.a() % values;
            int b = s.b() % values;
            if (op != s.op() || a != s.a() || b != s.b()) {
                out.add(with(p, i, new RandomProgram.Step(op, a, b)));
            }
            for (int smaller : towardsZero(op)) {
                out.add(with(p, i, new RandomProgram.Step(smaller, a, b)));
            }
            for (int smaller : towardsZero(a)) {
                out.add(with(p, i, new RandomProgram.Step(op, smaller, b)));
            }
            for (int smaller : towardsZero(b)) {
                out.add(with(p, i, new RandomProgram.Step(op, a, smaller)));
            }
        }
        for (long seed = 0; seed < p.seed(); seed = seed == 0 ? 1 : seed * 16) {
            out.add(new RandomProgram(seed, steps));
        }
        return out;
    }

    private static String steps(RandomProgram p) {
        return p.steps().size() + (p.steps().size() == 1 ? " step" : " steps");
    }

    private static int[] towardsZero(int v) {
        return v == 0 ? new int[0] : v == 1 ? new int[] {0} : new int[] {0, v / 2, v - 1};
    }

    private static RandomProgram with(RandomProgram p, int i, RandomProgram.Step step) {
        List<RandomProgram.Step> steps = new ArrayList<>(p.steps());
        steps.set(i, step);
        return new RandomProgram(p.seed(), steps);
    }

    private static Throwable failure(BackendUnderTest backend, DType dtype, RandomProgram program) {
        try {
            compare(backend, dtype, program);
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }

    private static String message(Throwable t) {
        return t instanceof AssertionError ? t.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage()
                + "\n" + t;
    }

    private static double[][] evaluate(Engine engine, DType dtype, RandomProgram program) {
        Tensor[] leaves = program.leaves(engine, dtype, true);
        Tensor out = program.run(engine, dtype, leaves);
        double[][] result = new double[1 + leaves.length][];
        result[0] = out.toDoubleArray();
        if (out.requiresGrad()) {
            out.sum().backward();
        }
        for (int i = 0; i < leaves.length; i++) {
            result[i + 1] = leaves[i].grad() == null ? new double[leaves[i].numel()] : leaves[i].grad().toDoubleArray();
        }
        return result;
    }
}
