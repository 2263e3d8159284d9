package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.polygrad.DType;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.conformance.Comparison;
import io.polygrad.conformance.Tolerances;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Returns the verdict of libtorch's own autograd (DJL's {@link GradientCollector}) on polygrad's
 * shared autograd running on the djl backend: the same expressions, from the same initial values, give
 * the same losses, gradients and SGD trajectories, within the suite's tolerances
 * ({@link Tolerances}, never widened here). Each test prints the largest measured differences.
 */
class DjlAutogradOracleTest {

    private static final int STEPS = 25;

    // ------------------------------------------------------------------ the two worlds

    /** Returns a polygrad engine on the djl backend with default dtype {@code dtype}. */
    private static io.polygrad.Engine polygrad(DType dtype) {
        return BackendUnderTest.of("djl", new DjlModule()).engine(dtype);
    }

    private static Tensor pgTensor(io.polygrad.Engine e, double[] values, int[] shape, DType dt) {
        return shape.length == 0 ? e.scalar(values[0], dt) : e.tensor(values, dt, shape);
    }

    private static NDArray djlArray(NDManager m, double[] values, int[] shape, DType dt) {
        Shape s = new Shape(Arrays.stream(shape).asLongStream().toArray());
        if (dt == DType.FLOAT64) {
            return m.create(values, s);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return m.create(f, s);
    }

    private static double[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Returns a scalar holding {@code v} in the dtype of {@code like}, so DJL never widens float32. */
    private static NDArray scalarLike(NDArray like, double v) {
        return like.getDataType() == DataType.FLOAT64 ? like.getManager().create(v)
                : like.getManager().create((float) v);
    }

    /** One model, written twice: in polygrad's Tensor ops and in DJL's NDArray ops. */
    private interface Model {
        Tensor polygradLoss(List<Tensor> params);

        NDArray libtorchLoss(List<NDArray> params);
    }

    /** Records the largest differences seen while comparing the two runs. */
    private static final class Report {
        private final String name;
        private final Tolerances tol;
        private double maxAbs;
        private double maxRel;
        private int comparisons;

        Report(String name, DType dt) {
            this.name = name + " in " + dt;
            this.tol = Tolerances.forDType(dt);
        }

        void compare(String what, double[] polygrad, double[] libtorch) {
            Comparison c = Comparison.of(polygrad, libtorch, tol);
            comparisons++;
            maxAbs = Math.max(maxAbs, c.maxAbs());
            maxRel = Math.max(maxRel, c.maxRel());
            assertTrue(c.withinTolerance(), () -> name + ", " + what + ": polygrad " + Arrays.toString(polygrad)
                    + " vs libtorch " + Arrays.toString(libtorch) + " (" + c.describe() + ", tolerance " + tol + ")");
        }

        void print() {
            System.out.printf(Locale.ROOT, "oracle %-42s %4d comparisons, max abs %.2e, max rel %.2e%n", name,
                    comparisons, maxAbs, maxRel);
        }
    }

    /**
     * Runs {@code steps} SGD steps (lr) of {@code model} in both worlds from {@code init}, comparing the
     * loss, every gradient and every parameter after every step. With {@code zeroGrad} false the
     * gradients accumulate over the steps, as in the tutorial's literal loop (both libraries accumulate).
     */
    @SuppressWarnings("try") // the NoGrad scope is entered for its effect only
    private static void sgd(Report report, DType dt, List<double[]> init, List<int[]> shapes, Model model,
            double lr, int steps, boolean zeroGrad) {
        io.polygrad.Engine pg = polygrad(dt);
        List<Tensor> pgParams = new ArrayList<>();
        for (int i = 0; i < init.size(); i++) {
            pgParams.add(pgTensor(pg, init.get(i), shapes.get(i), dt).requiresGrad(true));
        }
        Engine torch = Engine.getEngine("PyTorch");
        try (NDManager m = torch.newBaseManager()) {
            List<NDArray> djlParams = new ArrayList<>();
            for (int i = 0; i < init.size(); i++) {
                NDArray p = djlArray(m, init.get(i), shapes.get(i), dt);
                p.setRequiresGradient(true);
                djlParams.add(p);
            }
            for (int step = 0; step < steps; step++) {
                Tensor pgLoss = model.polygradLoss(pgParams);
                pgLoss.backward();
                double[] djlLoss;
                try (GradientCollector gc = torch.newGradientCollector()) {
                    NDArray loss = model.libtorchLoss(djlParams);
                    gc.backward(loss);
                    djlLoss = values(loss);
                }
                report.compare("loss at step " + step, pgLoss.toDoubleArray(), djlLoss);
                for (int i = 0; i < init.size(); i++) {
                    report.compare("gradient of parameter " + i + " at step " + step,
                            pgParams.get(i).grad().toDoubleArray(), values(djlParams.get(i).getGradient()));
                }
                try (NoGrad ignored = NoGrad.enter()) {
                    for (Tensor p : pgParams) {
                        p.subi(p.grad().mul(lr));
                    }
                }
                boolean gradMode = JniUtils.isGradMode();
                JniUtils.setGradMode(false);
                try {
                    for (NDArray p : djlParams) {
                        NDArray g = p.getGradient();
                        p.subi(g.mul(scalarLike(p, lr)));
                        if (zeroGrad) {
                            g.muli(scalarLike(g, 0)); // libtorch keeps accumulating into .grad until zeroed
                        }
                    }
                } finally {
                    JniUtils.setGradMode(gradMode);
                }
                if (zeroGrad) {
                    pgParams.forEach(Tensor::zeroGrad);
                }
                for (int i = 0; i < init.size(); i++) {
                    report.compare("parameter " + i + " after step " + step, pgParams.get(i).toDoubleArray(),
                            values(djlParams.get(i)));
                }
            }
        }
        report.print();
    }

    // ------------------------------------------------------------------ data

    /** Returns a model whose data tensors are made once per world, lazily, from plain values. */
    private static Model model(DType dt, double[][] data, int[][] dataShapes,
            Function<Object[], Tensor> pg, Function<Object[], NDArray> djl) {
        return new Model() {
            private Tensor[] pgData;
            private NDArray[] djlData;

            @Override
            public Tensor polygradLoss(List<Tensor> params) {
                if (pgData == null) {
                    pgData = new Tensor[data.length];
                    for (int i = 0; i < data.length; i++) {
                        pgData[i] = pgTensor(params.get(0).engine(), data[i], dataShapes[i], dt);
                    }
                }
                Object[] args = new Object[params.size() + data.length];
                params.toArray(args);
                System.arraycopy(pgData, 0, args, params.size(), data.length);
                return pg.apply(args);
            }

            @Override
            public NDArray libtorchLoss(List<NDArray> params) {
                if (djlData == null) {
                    djlData = new NDArray[data.length];
                    for (int i = 0; i < data.length; i++) {
                        djlData[i] = djlArray(params.get(0).getManager(), data[i], dataShapes[i], dt);
                    }
                }
                Object[] args = new Object[params.size() + data.length];
                params.toArray(args);
                System.arraycopy(djlData, 0, args, params.size(), data.length);
                return djl.apply(args);
            }
        };
    }

    // ------------------------------------------------------------------ the problems

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("quadratic a·x²+b·x+c with mean absolute error from a=b=c=1.1, SGD lr 0.01, zeroGrad every step")
    void quadratic_mae_sgdWithZeroGrad_matchesLibtorch(DType dt) {
        quadratic(dt, true);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("quadratic, the tutorial's literal loop: gradients accumulate over the steps in both")
    void quadratic_mae_sgdAccumulating_matchesLibtorch(DType dt) {
        quadratic(dt, false);
    }

    private static void quadratic(DType dt, boolean zeroGrad) {
        double[][] xy = io.polygrad.problems.Problems.noisyQuadraticPoints();
        int n = xy[0].length;
        Model m = model(dt, xy, new int[][] {{n}, {n}},
                a -> {
                    Tensor pa = (Tensor) a[0], pb = (Tensor) a[1], pc = (Tensor) a[2], x = (Tensor) a[3], y = (Tensor) a[4];
                    return pa.mul(x.mul(x)).add(pb.mul(x)).add(pc).sub(y).abs().mean();
                },
                a -> {
                    NDArray pa = (NDArray) a[0], pb = (NDArray) a[1], pc = (NDArray) a[2], x = (NDArray) a[3], y = (NDArray) a[4];
                    return pa.mul(x.mul(x)).add(pb.mul(x)).add(pc).sub(y).abs().mean();
                });
        double[] start = {1.1};
        sgd(new Report("quadratic MAE " + (zeroGrad ? "zeroGrad" : "accumulating"), dt),
                dt, List.of(start, start, start), List.of(new int[0], new int[0], new int[0]), m, 0.01, STEPS, zeroGrad);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("line y = w·x + b with MSE on seeded data (y = 2x - 3 + noise), SGD lr 0.1")
    void line_mse_sgd_matchesLibtorch(DType dt) {
        io.polygrad.Engine e = polygrad(DType.FLOAT64);
        e.manualSeed(7);
        double[] x = e.uniform(-1, 1, DType.FLOAT64, 50).toDoubleArray();
        double[] noise = e.normal(0, 0.1, DType.FLOAT64, 50).toDoubleArray();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * x[i] - 3 + noise[i];
        }
        Model m = model(dt, new double[][] {x, y}, new int[][] {{50}, {50}},
                a -> {
                    Tensor w = (Tensor) a[0], b = (Tensor) a[1], xs = (Tensor) a[2], ys = (Tensor) a[3];
                    Tensor d = xs.mul(w).add(b).sub(ys);
                    return d.mul(d).mean();
                },
                a -> {
                    NDArray w = (NDArray) a[0], b = (NDArray) a[1], xs = (NDArray) a[2], ys = (NDArray) a[3];
                    NDArray d = xs.mul(w).add(b).sub(ys);
                    return d.mul(d).mean();
                });
        sgd(new Report("line MSE", dt), dt, List.of(new double[] {0.5}, new double[] {0}),
                List.of(new int[] {1}, new int[] {1}), m, 0.1, STEPS, true);
    }

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("one hidden ReLU layer W2·relu(W1·x + b1) + b2 with MSE on the quadratic data, seeded init, SGD")
    void reluNet_mse_sgd_matchesLibtorch(DType dt) {
        double[][] xy = io.polygrad.problems.Problems.noisyQuadraticPoints();
        int n = xy[0].length;
        int hidden = 8;
        io.polygrad.Engine e = polygrad(DType.FLOAT64);
        e.manualSeed(42);
        double[] w1 = e.uniform(-1, 1, DType.FLOAT64, 1, hidden).toDoubleArray();
        double[] b1 = e.uniform(-1, 1, DType.FLOAT64, hidden).toDoubleArray();
        double[] w2 = e.uniform(-0.5, 0.5, DType.FLOAT64, hidden, 1).toDoubleArray();
        double[] b2 = e.uniform(-0.5, 0.5, DType.FLOAT64, 1).toDoubleArray();
        Model m = model(dt, xy, new int[][] {{n, 1}, {n, 1}},
                a -> {
                    Tensor pw1 = (Tensor) a[0], pb1 = (Tensor) a[1], pw2 = (Tensor) a[2], pb2 = (Tensor) a[3];
                    Tensor x = (Tensor) a[4], y = (Tensor) a[5];
                    Tensor d = x.matmul(pw1).add(pb1).relu().matmul(pw2).add(pb2).sub(y);
                    return d.mul(d).mean();
                },
                a -> {
                    NDArray pw1 = (NDArray) a[0], pb1 = (NDArray) a[1], pw2 = (NDArray) a[2], pb2 = (NDArray) a[3];
                    NDArray x = (NDArray) a[4], y = (NDArray) a[5];
                    NDArray d = Activation.relu(x.matMul(pw1).add(pb1)).matMul(pw2).add(pb2).sub(y);
                    return d.mul(d).mean();
                });
        sgd(new Report("ReLU net MSE", dt), dt, List.of(w1, b1, w2, b2),
                List.of(new int[] {1, hidden}, new int[] {hidden}, new int[] {hidden, 1}, new int[] {1}), m, 0.01,
                STEPS, true);
    }

    // ------------------------------------------------------------------ random chains

    /** One step of a random chain, in both worlds; {@code t} is [3,4], x a [3,4] leaf, v a [4] leaf in [0.5, 1.5]. */
    private record ChainOp(String name, ChainFn<Tensor> pg, ChainFn<NDArray> djl) {
    }

    @FunctionalInterface
    private interface ChainFn<T> {
        T apply(T t, T x, T v);
    }

    private static final List<ChainOp> CHAIN_OPS = List.of(
            new ChainOp("add v", (t, x, v) -> t.add(v), (t, x, v) -> t.add(v)),
            new ChainOp("mul v", (t, x, v) -> t.mul(v), (t, x, v) -> t.mul(v)),
            new ChainOp("div v", (t, x, v) -> t.div(v), (t, x, v) -> t.div(v)),
            new ChainOp("sub x", (t, x, v) -> t.sub(x), (t, x, v) -> t.sub(x)),
            new ChainOp("mul x", (t, x, v) -> t.mul(x), (t, x, v) -> t.mul(x)),
            new ChainOp("tanh", (t, x, v) -> t.tanh(), (t, x, v) -> t.tanh()),
            new ChainOp("sigmoid", (t, x, v) -> t.sigmoid(), (t, x, v) -> Activation.sigmoid(t)),
            new ChainOp("exp(tanh)", (t, x, v) -> t.tanh().exp(), (t, x, v) -> t.tanh().exp()),
            new ChainOp("relu", (t, x, v) -> t.relu(), (t, x, v) -> Activation.relu(t)),
            new ChainOp("abs", (t, x, v) -> t.abs(), (t, x, v) -> t.abs()),
            new ChainOp("maximum x", (t, x, v) -> t.maximum(x), (t, x, v) -> t.maximum(x)),
            new ChainOp("log(|t|+1)", (t, x, v) -> t.abs().add(1).log(), (t, x, v) -> t.abs().add(1).log()),
            new ChainOp("sqrt(t²+1)", (t, x, v) -> t.mul(t).add(1).sqrt(), (t, x, v) -> t.mul(t).add(1).sqrt()),
            // Not DJL's pow(Number): it wraps the exponent around a Java direct buffer (from_blob) and closes
            // it at once, while libtorch's graph still saves it for the backward; once the buffer is
            // garbage-collected the backward reads freed memory (d/dx came out ±Infinity, 0 or wrong in 69 of
            // 300 runs with a System.gc() every 2 ms; 0 of 300 so). A scalar the manager keeps stays valid.
            new ChainOp("tanh(t^2)", (t, x, v) -> t.pow(2).tanh(), (t, x, v) -> t.pow(scalarLike(t, 2)).tanh()),
            new ChainOp("t + rowsum", (t, x, v) -> t.add(t.sum(1, true)),
                    (t, x, v) -> t.add(t.sum(new int[] {1}, true))),
            new ChainOp("t * colmean", (t, x, v) -> t.mul(t.mean(0, true)),
                    (t, x, v) -> t.mul(t.mean(new int[] {0}, true))),
            // max: polygrad splits the gradient among tied maxima (as torch.amax), libtorch's max(dim), the only
            // one DJL offers, gives it to one index; adding x/8 makes ties (after relu or abs) improbable.
            new ChainOp("s - rowmax(s), s = t + x/8", (t, x, v) -> {
                Tensor s = t.add(x.div(8));
                return s.sub(s.max(1, true));
            }, (t, x, v) -> {
                NDArray s = t.add(x.div(scalarLike(x, 8)));
                return s.sub(s.max(new int[] {1}, true));
            }),
            new ChainOp("transpose+reshape", (t, x, v) -> t.transpose().reshape(3, 4),
                    (t, x, v) -> t.transpose().reshape(3, 4)),
            new ChainOp("rotate columns", (t, x, v) -> Tensor.concat(List.of(t.slice(1, 1, 4), t.slice(1, 0, 1)), 1),
                    (t, x, v) -> NDArrays.concat(new NDList(t.get(":, 1:4"), t.get(":, 0:1")), 1)));

    @ParameterizedTest
    @MethodSource("io.polygrad.DType#floatingPoint")
    @DisplayName("20 seeded random chains of 6 ops, then a matmul and a sum: same value and gradients of every leaf")
    void randomChains_matchLibtorch(DType dt) {
        Report report = new Report("random chains", dt);
        Engine torch = Engine.getEngine("PyTorch");
        for (int seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            double[] xv = uniform(rnd, 12, -1, 1);
            double[] vv = uniform(rnd, 4, 0.5, 1.5);
            double[] wv = uniform(rnd, 8, -1, 1);
            List<ChainOp> chain = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                chain.add(CHAIN_OPS.get(rnd.nextInt(CHAIN_OPS.size())));
            }
            String name = "seed " + seed + " " + chain.stream().map(ChainOp::name).toList();

            io.polygrad.Engine pg = polygrad(dt);
            Tensor x = pg.tensor(xv, dt, 3, 4).requiresGrad(true);
            Tensor v = pg.tensor(vv, dt, 4).requiresGrad(true);
            Tensor w = pg.tensor(wv, dt, 4, 2).requiresGrad(true);
            Tensor t = x;
            for (ChainOp op : chain) {
                t = op.pg().apply(t, x, v);
            }
            Tensor out = t.matmul(w).sum();
            out.backward();

            try (NDManager m = torch.newBaseManager()) {
                NDArray dx = djlArray(m, xv, new int[] {3, 4}, dt);
                NDArray dv = djlArray(m, vv, new int[] {4}, dt);
                NDArray dw = djlArray(m, wv, new int[] {4, 2}, dt);
                for (NDArray p : List.of(dx, dv, dw)) {
                    p.setRequiresGradient(true);
                }
                NDArray dout;
                try (GradientCollector gc = torch.newGradientCollector()) {
                    NDArray dt2 = dx;
                    for (ChainOp op : chain) {
                        dt2 = op.djl().apply(dt2, dx, dv);
                    }
                    dout = dt2.matMul(dw).sum();
                    gc.backward(dout);
                }
                assertEquals(0, out.rank(), name);
                report.compare(name + ": value", out.toDoubleArray(), values(dout));
                report.compare(name + ": d/dx", gradOrZeros(x), values(dx.getGradient()));
                report.compare(name + ": d/dv", gradOrZeros(v), values(dv.getGradient()));
                report.compare(name + ": d/dw", gradOrZeros(w), values(dw.getGradient()));
            }
        }
        report.print();
    }

    /** Returns the gradient of a leaf, or zeros when no op used it (PyTorch's None; DJL reports zeros). */
    private static double[] gradOrZeros(Tensor leaf) {
        return leaf.grad() == null ? new double[leaf.numel()] : leaf.grad().toDoubleArray();
    }

    private static double[] uniform(Random rnd, int n, double lo, double hi) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return out;
    }
}
