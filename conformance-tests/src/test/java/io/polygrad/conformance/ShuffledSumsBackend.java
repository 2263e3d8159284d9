package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.util.Random;

/**
 * Creates a legitimate variation of scratch, as another correct backend would differ from it: every sum,
 * mean and matmul accumulates in a random order (matmul with fused multiply-adds), in the array's own
 * precision. With {@code ulpNoise}, every float32 and float64 result of add, sub, mul, div, pow, exp,
 * log, sqrt and tanh is also moved by a random -1, 0 or +1 ulp, a pessimistic model of kernels that are
 * not correctly rounded (fast math). Used to measure, and to test, the trajectory tolerances.
 */
final class ShuffledSumsBackend extends DelegatingBackend {

    private final Random random;
    private final boolean ulpNoise;

    ShuffledSumsBackend(long seed, boolean ulpNoise) {
        super(ulpNoise ? "shuffled-sums+ulp-noise" : "shuffled-sums");
        this.random = new Random(seed);
        this.ulpNoise = ulpNoise;
    }

    @Override
    public BackendArray unary(UnaryOp op, BackendArray a) {
        BackendArray r = d.unary(op, a);
        return op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SIGN ? r : noisy(r);
    }

    @Override
    public BackendArray binary(BinaryOp op, BackendArray a, BackendArray b) {
        BackendArray r = d.binary(op, a, b);
        switch (op) {
            case ADD:
            case SUB:
            case MUL:
            case DIV:
            case POW:
                return noisy(r);
            default:
                return r;
        }
    }

    private BackendArray noisy(BackendArray r) {
        if (!ulpNoise) {
            return r;
        }
        double[] v = d.toDoubleArray(r);
        for (int i = 0; i < v.length; i++) {
            int step = random.nextInt(3) - 1;
            if (step != 0 && v[i] != 0 && Double.isFinite(v[i])) {
                v[i] = r.dtype() == DType.FLOAT32
                        ? (step > 0 ? Math.nextUp((float) v[i]) : Math.nextDown((float) v[i]))
                        : (step > 0 ? Math.nextUp(v[i]) : Math.nextDown(v[i]));
            }
        }
        return d.fromDoubles(v, r.shape(), r.dtype());
    }

    @Override
    public BackendArray reduce(ReduceOp op, BackendArray a, int[] axes, boolean keepDims) {
        if (op == ReduceOp.MAX || axes.length == 0) {
            return d.reduce(op, a, axes, keepDims);
        }
        int[] shape = a.shape();
        int[] kept = Shapes.reduced(shape, axes, true);
        int n = Shapes.size(shape);
        int outN = Shapes.size(kept);
        int[] inStrides = Shapes.strides(shape);
        int[] outStrides = Shapes.strides(kept);
        int[] count = new int[outN];
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            int o = 0;
            for (int ax = 0; ax < shape.length; ax++) {
                int c = rest / inStrides[ax];
                rest %= inStrides[ax];
                if (kept[ax] == shape[ax]) {
                    o += c * outStrides[ax];
                }
            }
            target[i] = o;
            count[o]++;
        }
        int[][] members = new int[outN][];
        for (int o = 0; o < outN; o++) {
            members[o] = new int[count[o]];
            count[o] = 0;
        }
        for (int i = 0; i < n; i++) {
            members[target[i]][count[target[i]]++] = i;
        }
        boolean f32 = a.dtype() == DType.FLOAT32;
        double[] in = d.toDoubleArray(a);
        double[] out = new double[outN];
        for (int o = 0; o < outN; o++) {
            int[] m = members[o];
            shuffle(m);
            float sf = 0f;
            double sd = 0;
            for (int i : m) {
                sf += (float) in[i];
                sd += in[i];
            }
            double s = f32 ? sf : sd;
            if (op == ReduceOp.MEAN) {
                s = f32 ? (float) s / (float) m.length : s / m.length;
            }
            out[o] = s;
        }
        return d.fromDoubles(out, Shapes.reduced(shape, axes, keepDims), a.dtype());
    }

    @Override
    public BackendArray matmul(BackendArray a, BackendArray b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        int r = as.length;
        int m = as[r - 2];
        int k = as[r - 1];
        int n = bs[r - 1];
        int batch = Shapes.size(as) / Math.max(1, m * k);
        boolean f32 = a.dtype() == DType.FLOAT32;
        double[] x = d.toDoubleArray(a);
        double[] y = d.toDoubleArray(b);
        double[] out = new double[batch * m * n];
        int[] order = new int[k];
        for (int p = 0; p < k; p++) {
            order[p] = p;
        }
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    shuffle(order);
                    float sf = 0f;
                    double sd = 0;
                    for (int p : order) {
                        double xv = x[t * m * k + i * k + p];
                        double yv = y[t * k * n + p * n + j];
                        if (f32) {
                            sf = Math.fma((float) xv, (float) yv, sf);
                        } else {
                            sd = Math.fma(xv, yv, sd);
                        }
                    }
                    out[t * m * n + i * n + j] = f32 ? sf : sd;
                }
            }
        }
        int[] os = as.clone();
        os[r - 1] = n;
        return d.fromDoubles(out, os, a.dtype());
    }

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
