package io.polygrad;

import static io.polygrad.Autograd.SAVES_IN1;
import static io.polygrad.Autograd.record;

import io.polygrad.spi.ArgReduceOp;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The indexing ops behind {@link Tensor}: {@code argmax}/{@code argmin} (int64 results, never
 * differentiable), {@code gather} and {@code scatterAdd} (each the other's backward), and the
 * composites {@code indexSelect} (a gather with the index broadcast along the other axes) and
 * {@code maskedFill} (a {@code where}). Indices are int64 tensors, as PyTorch's.
 */
final class IndexingOps {

    private IndexingOps() {
    }

    static Tensor argReduce(ArgReduceOp op, Tensor x, int axis, boolean keepDim) {
        String name = op == ArgReduceOp.ARGMAX ? "argmax" : "argmin";
        int[] shape = x.data().shape();
        if (shape.length == 0) {
            // As in PyTorch, a 0-d tensor has one implicit axis (0 or -1): the position is 0.
            Tensor.normalizeAxis(axis, 1, name);
            return x.engine().wrap(x.backend().full(Shapes.scalar(), 0, DType.INT64));
        }
        int a = Tensor.normalizeAxis(axis, shape.length, name);
        if (shape[a] == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce over axis " + a + " of size 0 in shape "
                    + Shapes.toString(shape) + " (it has no " + (op == ArgReduceOp.ARGMAX ? "largest" : "smallest")
                    + " element)");
        }
        return x.engine().wrap(x.backend().argReduce(op, x.data(), a, keepDim));
    }

    static Tensor argReduceAll(ArgReduceOp op, Tensor x) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException((op == ArgReduceOp.ARGMAX ? "argmax" : "argmin")
                    + "(): the tensor of shape " + Shapes.toString(x.data().shape()) + " has no elements");
        }
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor flat = x.reshape(-1);
            Tensor out = argReduce(op, flat, 0, false);
            if (flat != x) {
                flat.close();
            }
            return out;
        }
    }

    static Tensor gather(Tensor x, int axis, Tensor index) {
        x.checkSameBackend(index, "gather");
        int a = indexAxis("gather", x, axis, index);
        int[] inShape = x.data().shape();
        BackendArray values = x.backend().gather(x.data(), a, index.data());
        return record(x.engine(), values, "Gather", SAVES_IN1, (g, out, in) -> new Tensor[] {
            in[0].requiresGrad() ? scatterInto(g, inShape, a, in[1]) : null, null}, x, index);
    }

    static Tensor scatterAdd(Tensor x, int axis, Tensor index, Tensor src) {
        x.checkSameBackend(index, "scatterAdd");
        x.checkSameBackend(src, "scatterAdd");
        int a = indexAxis("scatterAdd", x, axis, index);
        if (src.rank() != x.rank()) {
            throw new IllegalArgumentException("scatterAdd: src of shape " + Shapes.toString(src.data().shape())
                    + " must have the rank of the tensor, shape " + Shapes.toString(x.data().shape()));
        }
        DType common = DType.promote(x.dtype(), src.dtype());
        if (common != x.dtype()) {
            throw new IllegalArgumentException("scatterAdd: src of dtype " + src.dtype()
                    + " cannot be added into a tensor of dtype " + x.dtype() + "; cast src first");
        }
        Tensor s = src.to(common);
        int[] srcShape = s.data().shape();
        BackendArray values = x.backend().scatterAdd(x.data(), a, index.data(), s.data());
        return record(x.engine(), values, "ScatterAdd", SAVES_IN1, (g, out, in) -> new Tensor[] {
            in[0].requiresGrad() ? g : null, null,
            in[2].requiresGrad() ? padTo(g.gather(a, in[1]), srcShape) : null}, x, index, s);
    }

    static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        int[] shape = x.data().shape();
        int[] is = index.data().shape();
        if (is.length > 1) {
            throw new IllegalArgumentException("indexSelect: index must be 1-d (or 0-d), got shape "
                    + Shapes.toString(is));
        }
        requireInt64("indexSelect", index, "index");
        int rank = Math.max(shape.length, 1);
        int a = Tensor.normalizeAxis(axis, rank, "indexSelect");
        if (shape.length == 0) {
            return gather(x.reshape(1), 0, index.reshape(-1)).reshape(is.length == 0 ? new int[0] : new int[] {1});
        }
        int n = is.length == 0 ? 1 : is[0];
        int[] along = new int[shape.length];
        Arrays.fill(along, 1);
        along[a] = n;
        int[] target = shape.clone();
        target[a] = n;
        Tensor expanded = index.reshape(along).broadcastTo(target);
        return gather(x, a, expanded);
    }

    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        x.checkSameBackend(mask, "maskedFill");
        int[] shape = x.data().shape();
        int[] b = Shapes.broadcast(mask.data().shape(), shape);
        if (b == null || !Arrays.equals(b, shape)) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + Shapes.toString(mask.data().shape())
                    + " cannot be broadcast to the tensor's shape " + Shapes.toString(shape));
        }
        Tensor fill = x.engine().wrap(x.backend().full(Shapes.scalar(), value, x.dtype()));
        return ElementwiseOps.where(mask, fill, x);
    }

    /** Returns zeros of {@code shape} with {@code g} added at the positions {@code index} names: gather's backward. */
    private static Tensor scatterInto(Tensor g, int[] shape, int axis, Tensor index) {
        Tensor zeros = g.engine().wrap(g.backend().full(shape, 0.0, g.dtype()));
        return zeros.scatterAdd(axis, index, g);
    }

    /** Returns {@code t} padded with zeros at the end of each axis to {@code shape} (no copy when it has it). */
    private static Tensor padTo(Tensor t, int[] shape) {
        Tensor out = t;
        for (int d = 0; d < shape.length; d++) {
            int have = out.data().shape()[d];
            if (have < shape[d]) {
                int[] padShape = out.data().shape();
                padShape[d] = shape[d] - have;
                Tensor pad = out.engine().wrap(out.backend().full(padShape, 0.0, out.dtype()));
                List<Tensor> parts = new ArrayList<>(List.of(out, pad));
                out = Tensor.concat(parts, d);
            }
        }
        return out;
    }

    /** Checks an index argument's dtype and rank and returns {@code axis} normalised. */
    private static int indexAxis(String op, Tensor x, int axis, Tensor index) {
        requireInt64(op, index, "index");
        int rank = x.rank();
        if (index.rank() != rank) {
            throw new IllegalArgumentException(op + ": index of shape " + Shapes.toString(index.data().shape())
                    + " must have the rank of the tensor, shape " + Shapes.toString(x.data().shape()));
        }
        return Tensor.normalizeAxis(axis, Math.max(rank, 1), op);
    }

    /** Fails, naming the op, the argument, its dtype and shape, unless {@code t} is int64. */
    static void requireInt64(String op, Tensor t, String arg) {
        if (t.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": " + arg + " must be an int64 tensor, got " + t.dtype()
                    + " of shape " + Shapes.toString(t.data().shape()) + "; cast it with to(DType.INT64)");
        }
    }
}
