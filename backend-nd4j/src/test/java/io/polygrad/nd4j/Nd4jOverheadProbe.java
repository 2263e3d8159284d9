package io.polygrad.nd4j;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.UnaryOp;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Returns (prints) the per-call cost of small ND4J ops, raw and through this backend: a diagnostic,
 * not a test (JMH benchmarks live in the benchmarks module). Run with
 * {@code java -cp <test classpath> io.polygrad.nd4j.Nd4jOverheadProbe [iterations]}.
 */
public final class Nd4jOverheadProbe {

    private Nd4jOverheadProbe() {
    }

    private static void time(String name, int n, Supplier<AutoCloseable> op) throws Exception {
        for (int i = 0; i < n / 2; i++) {
            op.get().close();
        }
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.get().close();
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf(Locale.ROOT, "%-58s %8.2f us%n", name, best / 1e3 / n);
    }

    /** Runs the probe. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        INDArray a = Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, DataType.FLOAT);
        INDArray b = Nd4j.create(new float[] {4, 5, 6}, new long[] {3}, DataType.FLOAT);
        INDArray m = Nd4j.rand(DataType.FLOAT, 4, 4);
        System.out.println("-- raw ND4J, default settings (profiling mode SCOPE_PANIC)");
        time("INDArray.add [3]+[3]", n, () -> a.add(b));
        time("Nd4j.exec(new AddOp(a, b)) (output shape inferred)", n, () -> Nd4j.exec(new AddOp(a, b))[0]);
        time("Nd4j.createUninitialized(FLOAT, 3)", n, () -> Nd4j.createUninitialized(DataType.FLOAT, 3));
        time("Nd4j.create(float[3], [3])", n, () -> Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, DataType.FLOAT));
        time("INDArray.dup()", n, a::dup);
        time("Transforms.exp(a, true)", n, () -> Transforms.exp(a, true));
        time("INDArray.sum(0) [3]", n, () -> a.sum(0));
        time("INDArray.mmul 4x4", n, () -> m.mmul(m));

        Nd4jBackend backend = new Nd4jBackend(Device.CPU);
        System.out.println("-- raw ND4J after the backend switched profiling off");
        time("INDArray.add [3]+[3]", n, () -> a.add(b));
        time("Nd4j.exec(new AddOp(a, b, z)), z preallocated", n, () -> {
            INDArray z = Nd4j.createUninitialized(DataType.FLOAT, 3);
            Nd4j.exec(new AddOp(a, b, z));
            return z;
        });
        time("Nd4jOpRunner add (reused context), z preallocated", n, () -> {
            INDArray z = Nd4j.createUninitialized(DataType.FLOAT, 3);
            Nd4jOpRunner.exec("add", new INDArray[] {a, b}, z);
            return z;
        });
        time("INDArray.mmul 4x4", n, () -> m.mmul(m));
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, 3);
        AutoCloseable none = () -> { };
        System.out.println("-- dispatch only (output array reused, nothing allocated)");
        time("INDArray.addi(b, z)", n, () -> {
            a.addi(b, z);
            return none;
        });
        time("Nd4j.exec(new AddOp(a, b, z))", n, () -> {
            Nd4j.exec(new AddOp(a, b, z));
            return none;
        });
        time("Nd4jOpRunner.exec(\"add\", {a, b}, z)", n, () -> {
            Nd4jOpRunner.exec("add", new INDArray[] {a, b}, z);
            return none;
        });
        time("exec(new Exp(a, z)) (legacy transform)", n, () -> {
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Exp(a, z));
            return none;
        });

        for (DType dt : DType.floatingPoint()) {
            System.out.println("-- polygrad nd4j backend, " + dt);
            BackendArray x = backend.fromDoubles(new double[] {1, 2, 3}, new int[] {3}, dt);
            BackendArray y = backend.fromDoubles(new double[] {4, 5, 6}, new int[] {3}, dt);
            BackendArray s = backend.fromDoubles(new double[] {0}, new int[0], dt);
            BackendArray row = backend.fromDoubles(new double[] {1, 2, 3}, new int[] {1, 3}, dt);
            BackendArray col = backend.fromDoubles(new double[] {1, 2}, new int[] {2, 1}, dt);
            BackendArray m23 = backend.fromDoubles(new double[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, dt);
            BackendArray m44 = backend.full(new int[] {4, 4}, 0.5, dt);
            time("fromDoubles [3]", n, () -> backend.fromDoubles(new double[] {1, 2, 3}, new int[] {3}, dt));
            time("toDoubleArray [3] (no INDArray allocated)", n, () -> {
                backend.toDoubleArray(x);
                return () -> { };
            });
            time("binary ADD [3]+[3]", n, () -> backend.binary(BinaryOp.ADD, x, y));
            time("binary ADD [1,3]+[2,1] broadcast", n, () -> backend.binary(BinaryOp.ADD, row, col));
            time("binary MAXIMUM [3] vs scalar (relu)", n, () -> backend.binary(BinaryOp.MAXIMUM, x, s));
            time("binary GREATER [3] (bool + cast)", n, () -> backend.binary(BinaryOp.GREATER, x, y));
            time("unary EXP [3] (legacy transform)", n, () -> backend.unary(UnaryOp.EXP, x));
            time("unary TANH [3] (legacy transform)", n, () -> backend.unary(UnaryOp.TANH, x));
            time("reduce SUM [2,3] axis 1", n, () -> backend.reduce(ReduceOp.SUM, m23, new int[] {1}, false));
            time("reduce MAX [2,3] all", n, () -> backend.reduce(ReduceOp.MAX, m23, new int[] {0, 1}, false));
            time("matmul 4x4", n, () -> backend.matmul(m44, m44));
            time("reshape [2,3]->[3,2] (alloc + memcpy)", n, () -> backend.reshape(m23, new int[] {3, 2}));
            time("permute [2,3]", n, () -> backend.permute(m23, new int[] {1, 0}));
            time("where [2,3]", n, () -> backend.where(m23, m23, m23));
        }
    }
}
