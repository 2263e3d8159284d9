package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Generator;
import io.polygrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small random tensor program for differential testing: leaves of broadcast-compatible
 * shapes and a list of steps, each applying one op to earlier values. Its {@link #toString()} is the
 * program as Java code, so a shrunk counterexample can be pasted into a test.
 *
 * @param seed  seed of the leaf values (drawn from api's {@link Generator})
 * @param steps the operations, in order
 */
public record RandomProgram(long seed, List<Step> steps) {

    /** The leaf shapes: they broadcast together to [2, 3]. */
    static final int[][] LEAF_SHAPES = {{2, 3}, {3}, {2, 1}};

    /**
     * One step: op number {@code op} (see {@link #OPS}) applied to values {@code a} and
     * {@code b} (taken modulo the number of values so far).
     *
     * @param op which op
     * @param a  first operand index
     * @param b  second operand index (binary ops)
     */
    public record Step(int op, int a, int b) {
    }

    /** The ops a program draws from: well-conditioned on inputs in [-1, 1] and broadcasting. */
    static final String[] OPS = {"add", "sub", "mul", "tanh", "sigmoid", "neg", "square", "maximum",
        "sumKeep0", "meanKeep1", "mulScalar", "exp", "abs"};

    /** Returns the number of distinct ops. */
    public static int opCount() {
        return OPS.length;
    }

    /** Returns the value of the last step (or the first leaf when there are no steps). */
    public Tensor run(Engine engine, DType dtype, Tensor[] leaves) {
        List<Tensor> values = new ArrayList<>(List.of(leaves));
        for (Step s : steps) {
            Tensor x = values.get(s.a() % values.size());
            Tensor y = values.get(s.b() % values.size());
            values.add(apply(OPS[s.op() % OPS.length], x, y));
        }
        return values.get(values.size() - 1);
    }

    /** Creates the leaves with values in [-1, 1) from the seed, rounded to {@code dtype}. */
    public Tensor[] leaves(Engine engine, DType dtype, boolean requiresGrad) {
        double[][] values = leafValues();
        Tensor[] leaves = new Tensor[LEAF_SHAPES.length];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = engine.tensor(values[i], dtype, LEAF_SHAPES[i]).requiresGrad(requiresGrad);
        }
        return leaves;
    }

    double[][] leafValues() {
        Generator g = new Generator(seed);
        double[][] v = new double[LEAF_SHAPES.length][];
        for (int i = 0; i < v.length; i++) {
            int n = 1;
            for (int d : LEAF_SHAPES[i]) {
                n *= d;
            }
            v[i] = new double[n];
            for (int j = 0; j < n; j++) {
                v[i][j] = (float) g.nextUniform(-1, 1);
            }
        }
        return v;
    }

    private static Tensor apply(String op, Tensor x, Tensor y) {
        switch (op) {
            case "add": return x.add(y);
            case "sub": return x.sub(y);
            case "mul": return x.mul(y);
            case "tanh": return x.tanh();
            case "sigmoid": return x.sigmoid();
            case "neg": return x.neg();
            case "square": return x.square();
            case "maximum": return x.maximum(y.add(0.125));
            case "sumKeep0": return x.rank() > 0 ? x.sum(0, true) : x;
            case "meanKeep1": return x.rank() > 1 ? x.mean(1, true) : x.mean();
            case "mulScalar": return x.mul(0.5);
            case "exp": return x.exp();
            case "abs": return x.abs();
            default: throw new IllegalArgumentException(op);
        }
    }

    private static String javaOf(String op, String x, String y) {
        switch (op) {
            case "add": case "sub": case "mul": return x + "." + op + "(" + y + ")";
            case "maximum": return x + ".maximum(" + y + ".add(0.125))";
            case "sumKeep0": return x + ".sum(0, true)";
            case "meanKeep1": return x + ".mean(1, true)";
            case "mulScalar": return x + ".mul(0.5)";
            default: return x + "." + op + "()";
        }
    }

    /** Returns the program as Java code. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("\n// RandomProgram(seed=" + seed + ")\n");
        double[][] v = leafValues();
        for (int i = 0; i < v.length; i++) {
            StringBuilder values = new StringBuilder();
            for (int j = 0; j < v[i].length; j++) {
                values.append(j == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s", (float) v[i][j])).append('f');
            }
            sb.append("Tensor v").append(i).append(" = engine.tensor(new float[] {").append(values).append("}");
            for (int d : LEAF_SHAPES[i]) {
                sb.append(", ").append(d);
            }
            sb.append(").requiresGrad(true);\n");
        }
        int count = v.length;
        for (Step s : steps) {
            String op = OPS[s.op() % OPS.length];
            sb.append("Tensor v").append(count).append(" = ")
                    .append(javaOf(op, "v" + (s.a() % count), "v" + (s.b() % count))).append(";\n");
            count++;
        }
        sb.append("v").append(count - 1).append(".sum().backward();\n");
        return sb.toString();
    }
}
