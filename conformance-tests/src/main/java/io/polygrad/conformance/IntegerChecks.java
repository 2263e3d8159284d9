package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import io.polygrad.nn.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The int64 checks of the suite, on every backend (in the autograd-semantics part, as they use both
 * float dtypes): creation and read-back (values beyond 2^53 kept
 * exactly), casts (float to int64 truncates toward zero, as PyTorch), arithmetic, comparisons (int64
 * 0/1), sums, max, where and movement on int64, promotion with floats, {@code argmax}/{@code argmin}
 * with ties and NaN, and the rule that int64 never carries a gradient. The indexing ops' values and
 * float64 finite-difference gradients are {@link OpRegistry} samples ({@code gather[…]},
 * {@code scatterAdd[…]}, {@code indexSelect[…]}, {@code maskedFill[…]}).
 */
final class IntegerChecks {

    private IntegerChecks() {
    }

    /** Returns the checks, with ids {@code int64/<name>}. */
    static List<Check> checks() {
        List<Check> out = new ArrayList<>();
        out.add(check("creation", "creation from long[] and int[], full and read-back", IntegerChecks::creation));
        out.add(check("casts", "casts to and from int64 (truncation toward zero)", IntegerChecks::casts));
        out.add(check("arithmetic", "arithmetic, comparisons, sums, max and where on int64", IntegerChecks::arithmetic));
        out.add(check("movement", "reshape, permute, broadcastTo, slice and concat of int64", IntegerChecks::movement));
        out.add(check("promotion", "int64 with floats promotes to the float dtype; div is true division",
                IntegerChecks::promotion));
        out.add(check("argmax", "argmax/argmin: first index on ties, NaN is the extreme, keepDim, flattened",
                IntegerChecks::argReduce));
        out.add(check("no-grad", "int64 tensors never require or receive gradients", IntegerChecks::noGrad));
        out.add(check("embedding", "Embedding rows, repeated-index gradients and the padding row",
                IntegerChecks::embedding));
        return out;
    }

    private static Check check(String name, String title, java.util.function.Consumer<BackendUnderTest> body) {
        return Check.of("int64/" + name, Part.AUTOGRAD, "int64 " + name, null, title, s -> body.accept(s.backend()));
    }

    private static void creation(BackendUnderTest b) {
        Engine e = b.engine(DType.FLOAT32);
        long big = (1L << 53) + 1;
        Tensor t = e.tensor(new long[] {big, -3, 0, Long.MAX_VALUE, Long.MIN_VALUE, 7}, 2, 3);
        expect(b, "dtype", DType.INT64, t.dtype());
        expectLongs(b, "tensor(long[])", new long[] {big, -3, 0, Long.MAX_VALUE, Long.MIN_VALUE, 7}, t.toLongArray());
        expectLongs(b, "tensor(int[])", new long[] {4, -1}, e.tensor(new int[] {4, -1}).toLongArray());
        expectLongs(b, "full", new long[] {7, 7}, e.full(7, DType.INT64, 2).toLongArray());
        expectLongs(b, "zeros", new long[] {0, 0, 0}, e.zeros(DType.INT64, 3).toLongArray());
        expect(b, "longValue", -5L, e.tensor(new long[] {-5}).longValue());
        expect(b, "0-d scalar", 9L, e.scalar(9, DType.INT64).longValue());
        expect(b, "toDoubleArray", "[-3.0, 2.0]", Arrays.toString(e.tensor(new long[] {-3, 2}).toDoubleArray()));
        expect(b, "toString", "tensor([[ 1, -2],\n        [30,  4]])",
                e.tensor(new long[] {1, -2, 30, 4}, 2, 2).toString());
        expect(b, "empty", 0, e.tensor(new long[0], 0, 3).toLongArray().length);
        expectLongs(b, "toEngine copy", new long[] {big}, e.tensor(new long[] {big}).toEngine(e).toLongArray());
    }

    private static void casts(BackendUnderTest b) {
        for (DType dtype : DType.floatingPoint()) {
            Engine e = b.engine(dtype);
            Tensor x = e.tensor(new double[] {-2.7, -0.5, 0.5, 2.7, 3, -1e10}, dtype, 6);
            expectLongs(b, dtype + " to int64", new long[] {-2, 0, 0, 2, 3, -10000000000L},
                    x.to(DType.INT64).toLongArray());
            Tensor back = e.tensor(new long[] {-2, 1L << 40, 5}).to(dtype);
            expect(b, "int64 to " + dtype, dtype, back.dtype());
            expect(b, "int64 to " + dtype, "[-2.0, 1.099511627776E12, 5.0]", Arrays.toString(back.toDoubleArray()));
            expectLongs(b, "toLongArray of " + dtype, new long[] {-2, 2}, e.tensor(new double[] {-2.9, 2.9}, dtype)
                    .toLongArray());
        }
    }

    private static void arithmetic(BackendUnderTest b) {
        Engine e = b.engine(DType.FLOAT64);
        Tensor a = e.tensor(new long[] {1, -2, 3, 4, 5, -6}, 2, 3);
        Tensor row = e.tensor(new long[] {10, 20, 30});
        expectLongs(b, "add broadcast", new long[] {11, 18, 33, 14, 25, 24}, a.add(row).toLongArray());
        expectLongs(b, "sub", new long[] {-9, -22, -27, -6, -15, -36}, a.sub(row).toLongArray());
        expectLongs(b, "mul", new long[] {10, -40, 90, 40, 100, -180}, a.mul(row).toLongArray());
        expectLongs(b, "mul by whole number", new long[] {3, -6, 9, 12, 15, -18}, a.mul(3).toLongArray());
        expectLongs(b, "maximum", new long[] {3, 3, 3, 4, 5, 3}, a.maximum(e.scalar(3, DType.INT64)).toLongArray());
        expectLongs(b, "minimum", new long[] {1, -2, 3, 3, 3, -6}, a.minimum(e.scalar(3, DType.INT64)).toLongArray());
        expectLongs(b, "neg", new long[] {-1, 2, -3, -4, -5, 6}, a.neg().toLongArray());
        expectLongs(b, "abs", new long[] {1, 2, 3, 4, 5, 6}, a.abs().toLongArray());
        expectLongs(b, "sign", new long[] {1, -1, 1, 1, 1, -1}, a.sign().toLongArray());
        expectLongs(b, "large values add exactly", new long[] {(1L << 60) + 1},
                e.tensor(new long[] {1L << 60}).add(1).toLongArray());
        Tensor gt = a.gt(e.scalar(2, DType.INT64));
        expect(b, "comparison dtype", DType.INT64, gt.dtype());
        expectLongs(b, "gt", new long[] {0, 0, 1, 1, 1, 0}, gt.toLongArray());
        expectLongs(b, "eq", new long[] {0, 0, 1, 0, 0, 0}, a.eq(3).toLongArray());
        expectLongs(b, "le", new long[] {1, 1, 1, 0, 0, 1}, a.le(3).toLongArray());
        expectLongs(b, "ne", new long[] {1, 1, 0, 1, 1, 1}, a.ne(3).toLongArray());
        expectLongs(b, "sum over axis 1", new long[] {2, 3}, a.sum(1, false).toLongArray());
        expectLongs(b, "sum over axis 0, keepDims", new long[] {5, 3, -3}, a.sum(0, true).toLongArray());
        expect(b, "sum dtype", DType.INT64, a.sum().dtype());
        expect(b, "sum of all", 5L, a.sum().longValue());
        expect(b, "sum beyond 2^53", (1L << 60) + 3, e.tensor(new long[] {1L << 60, 1, 2}).sum().longValue());
        expectLongs(b, "max over axis 1", new long[] {3, 5}, a.max(1, false).toLongArray());
        expect(b, "max of all", 5L, a.max().longValue());
        expectLongs(b, "where", new long[] {1, 20, 3, 4, 5, 30}, Tensor.where(a.gt(0), a, row).toLongArray());
        expectLongs(b, "where with a float condition", new long[] {1, 9}, Tensor.where(
                e.tensor(new double[] {0.5, 0}), e.tensor(new long[] {1, 2}), e.scalar(9, DType.INT64)).toLongArray());
        expectLongs(b, "maskedFill", new long[] {-1, -2, -1, -1, -1, -6}, a.maskedFill(a.gt(0), -1).toLongArray());
    }

    private static void movement(BackendUnderTest b) {
        Engine e = b.engine(DType.FLOAT32);
        Tensor a = e.tensor(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        expectLongs(b, "reshape", new long[] {1, 2, 3, 4, 5, 6}, a.reshape(3, 2).toLongArray());
        expectLongs(b, "transpose", new long[] {1, 4, 2, 5, 3, 6}, a.transpose().toLongArray());
        expectLongs(b, "broadcastTo", new long[] {1, 2, 3, 1, 2, 3}, a.slice(0, 0, 1).broadcastTo(2, 3).toLongArray());
        expectLongs(b, "broadcast 0-d", new long[] {8, 8}, e.scalar(8, DType.INT64).broadcastTo(2).toLongArray());
        expectLongs(b, "slice", new long[] {2, 3, 5, 6}, a.slice(1, 1, 3).toLongArray());
        expectLongs(b, "concat", new long[] {1, 2, 3, 10, 4, 5, 6, 20}, Tensor.concat(List.of(a,
                e.tensor(new long[] {10, 20}, 2, 1)), 1).toLongArray());
        expectLongs(b, "index", new long[] {4, 5, 6}, a.index(0, 1).toLongArray());
        expectLongs(b, "gather of int64", new long[] {3, 4}, a.gather(1, e.tensor(new long[] {2, 0}, 2, 1))
                .toLongArray());
        expectLongs(b, "scatterAdd of int64", new long[] {5, 0, 9},
                e.zeros(DType.INT64, 3).scatterAdd(0, e.tensor(new long[] {0, 2, 0}), e.tensor(new long[] {2, 9, 3}))
                        .toLongArray());
        expectLongs(b, "indexSelect of int64", new long[] {4, 5, 6, 1, 2, 3},
                a.indexSelect(0, e.tensor(new long[] {1, 0})).toLongArray());
    }

    private static void promotion(BackendUnderTest b) {
        for (DType dtype : DType.floatingPoint()) {
            Engine e = b.engine(dtype);
            Tensor i = e.tensor(new long[] {3, -7});
            Tensor f = e.tensor(new double[] {0.5, 2}, dtype, 2);
            expect(b, "int64 + " + dtype, dtype, i.add(f).dtype());
            expect(b, "int64 + " + dtype, "[3.5, -5.0]", Arrays.toString(i.add(f).toDoubleArray()));
            expect(b, "int64 / int64 in an engine of " + dtype, dtype, i.div(e.tensor(new long[] {2, 2})).dtype());
            expect(b, "int64 / int64", "[1.5, -3.5]", Arrays.toString(i.div(e.tensor(new long[] {2, 2}))
                    .toDoubleArray()));
            expect(b, "int64 + 0.5", "[3.5, -6.5]", Arrays.toString(i.add(0.5).toDoubleArray()));
            expect(b, "exp of int64", dtype, i.exp().dtype());
            expect(b, "pow of int64", "[9.0, 49.0]", Arrays.toString(i.pow(2).toDoubleArray()));
            expect(b, "comparison with a float", DType.promote(DType.INT64, dtype), i.gt(f).dtype());
        }
    }

    private static void argReduce(BackendUnderTest b) {
        for (DType dtype : DType.floatingPoint()) {
            Engine e = b.engine(dtype);
            double nan = Double.NaN;
            Tensor x = e.tensor(new double[] {1, 5, 5, 2, 0, -3, nan, 7, 2, 2, 2, 2}, dtype, 3, 4);
            Tensor am = x.argmax(1);
            expect(b, "argmax dtype", DType.INT64, am.dtype());
            expectLongs(b, dtype + " argmax (ties: first; NaN wins)", new long[] {1, 2, 0}, am.toLongArray());
            expectLongs(b, dtype + " argmin (NaN wins)", new long[] {0, 2, 0}, x.argmin(1).toLongArray());
            expectLongs(b, dtype + " argmax over axis 0", new long[] {2, 0, 1, 1}, x.argmax(0).toLongArray());
            expect(b, "argmax keepDim shape", "[3, 1]", Arrays.toString(x.argmax(-1, true).shape()));
            expect(b, "argmax() flattened (first NaN)", 6L, x.argmax().longValue());
            expect(b, "argmin() flattened (first NaN)", 6L, x.argmin().longValue());
            Tensor y = e.tensor(new double[] {3, -1, 4, -1, 4}, dtype, 5);
            expect(b, "argmax() ties", 2L, y.argmax().longValue());
            expect(b, "argmin() ties", 1L, y.argmin().longValue());
            expect(b, "argmax of a 0-d tensor", 0L, e.scalar(2.5, dtype).argmax(0).longValue());
            expect(b, "argmax of -inf and -0.0", 1L,
                    e.tensor(new double[] {Double.NEGATIVE_INFINITY, -0.0, 0.0}, dtype, 3).argmax().longValue());
        }
        Engine e = b.engine(DType.FLOAT32);
        expectLongs(b, "argmax of int64", new long[] {2, 0}, e.tensor(new long[] {1, 3, 9, 8, 8, -1}, 2, 3).argmax(1)
                .toLongArray());
        expectLongs(b, "argmin of int64", new long[] {0, 2}, e.tensor(new long[] {1, 3, 9, 8, 8, -1}, 2, 3).argmin(1)
                .toLongArray());
    }

    private static void noGrad(BackendUnderTest b) {
        Engine e = b.engine(DType.FLOAT64);
        Tensor i = e.tensor(new long[] {1, 2});
        try {
            i.requiresGrad(true);
            throw new AssertionError(b.name() + ": requiresGrad(true) on an int64 tensor did not fail");
        } catch (IllegalStateException expected) {
            // as PyTorch: only floating-point tensors can require gradients
        }
        Tensor w = e.tensor(new double[] {1.5, -2.5}).requiresGrad(true);
        Tensor cast = w.mul(2).to(DType.INT64);
        expect(b, "a cast to int64 has no grad_fn", null, cast.gradFn());
        expect(b, "argmax does not require grad", false, w.argmax().requiresGrad());
        expect(b, "a comparison does not require grad", false, w.gt(0).requiresGrad());
        // w[1] (shape [1]) broadcasts over the two elements of w·i, so it collects 2 besides i's 2
        Tensor loss = w.mul(i).add(w.gather(0, e.tensor(new long[] {1}))).sum();
        loss.backward();
        expect(b, "gradient dtype", DType.FLOAT64, w.grad().dtype());
        expect(b, "gradient of sum(w·i + w[1])", "[1.0, 4.0]", Arrays.toString(w.grad().toDoubleArray()));
    }

    private static void embedding(BackendUnderTest b) {
        Engine e = b.engine(DType.FLOAT64);
        Embedding emb = new Embedding(e, 4, 2, 0, DType.FLOAT64);
        double[] weight = emb.weight().toDoubleArray();
        expect(b, "padding row starts at zero", "[0.0, 0.0]", Arrays.toString(Arrays.copyOf(weight, 2)));
        Tensor out = emb.forward(e.tensor(new long[] {2, 0, 2, 3}, 2, 2));
        expect(b, "shape", "[2, 2, 2]", Arrays.toString(out.shape()));
        double[] rows = out.toDoubleArray();
        expect(b, "row 2", weight[4] + "," + weight[5], rows[0] + "," + rows[1]);
        out.mul(e.tensor(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, DType.FLOAT64, 2, 2, 2)).sum().backward();
        // row 2 is used twice (weights 1,2 and 5,6), row 3 once (7,8), the padding row 0 (3,4) gets nothing
        expect(b, "gradient", "[0.0, 0.0, 0.0, 0.0, 6.0, 8.0, 7.0, 8.0]",
                Arrays.toString(emb.weight().grad().toDoubleArray()));
    }

    private static void expectLongs(BackendUnderTest b, String what, long[] expected, long[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(b.name() + " int64 " + what + ": got " + Arrays.toString(actual) + ", expected "
                    + Arrays.toString(expected));
        }
    }

    private static void expect(BackendUnderTest b, String what, Object expected, Object actual) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionError(b.name() + " " + what + ": got " + actual + ", expected " + expected);
        }
    }
}
