package io.polygrad;

import static io.polygrad.Autograd.SAVES_IN0;
import static io.polygrad.Autograd.SAVES_NONE;
import static io.polygrad.Autograd.record;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import java.util.Arrays;
import java.util.Locale;

/**
 * The reductions behind {@link Tensor} (sum, mean, max and min over axes, with or without keep-dims),
 * one forward and one backward rule for all four: the gradient is broadcast back over the reduced
 * axes, divided by the count for mean, and shared equally among tied maxima for max and min (among the NaNs
 * where a slice holds one).
 */
final class ReductionOps {

    private ReductionOps() {
    }

    static Tensor reduce(ReduceOp op, Tensor x, int[] axes, boolean keepDims, String name) {
        int[] shape = x.data().shape();
        int[] norm = normalizeAxes(axes, shape.length, messageName(name));
        if (op == ReduceOp.MEAN && !x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean needs a floating-point tensor, got " + x.dtype()
                    + "; cast first, e.g. x.to(DType.FLOAT32).mean()");
        }
        for (int a : norm) {
            if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && shape[a] == 0) {
                throw new IllegalArgumentException(name.toLowerCase(Locale.ROOT) + ": cannot reduce over axis " + a
                        + " of size 0 in shape " + Shapes.toString(shape));
            }
        }
        BackendArray values = x.backend().reduce(op, x.data(), norm, keepDims);
        int[] kept = Shapes.reduced(shape, norm, true);
        // A gradient reduced over leading axes only (or all axes) broadcasts back without a reshape.
        boolean leadingAxes = norm.length == 0 || norm[norm.length - 1] == norm.length - 1;
        // Sum and mean read only shapes; max reads its input (PyTorch saves it and the result).
        boolean extremum = op == ReduceOp.MAX || op == ReduceOp.MIN;
        return record(x.engine(), values, name, extremum ? SAVES_IN0 : SAVES_NONE, (g, out, in) -> {
            Tensor gk = keepDims || leadingAxes ? g : g.reshape(kept);
            switch (op) {
                case SUM:
                    return new Tensor[] {gk.broadcastTo(shape)};
                case MEAN: {
                    long count = 1;
                    for (int a : norm) {
                        count *= shape[a];
                    }
                    return new Tensor[] {gk.div((double) count).broadcastTo(shape)};
                }
                default: {
                    // The maxima get the gradient; a NaN is the maximum of its slice, so where the
                    // maximum is NaN the NaNs share it (PyTorch's torch.max and torch.max(dim)).
                    // MIN (PyTorch's amin and min()) shares the gradient among its ties the same way.
                    Tensor m = op == ReduceOp.MAX ? in[0].max(norm, true) : in[0].min(norm, true);
                    Tensor mask = in[0].eq(m).maximum(in[0].ne(in[0]).mul(m.ne(m)));
                    Tensor count = mask.sum(norm, true);
                    return new Tensor[] {mask.mul(gk).div(count)};
                }
            }
        }, x);
    }

    /** Returns the op's name as messages spell it ({@code Sum}: {@code sum}), without building a string per call. */
    private static String messageName(String name) {
        switch (name) {
            case "Sum": return "sum";
            case "Mean": return "mean";
            case "Max": return "max";
            case "Min": return "min";
            default: return name.toLowerCase(Locale.ROOT);
        }
    }

    /** Returns the axes normalised (negative counts from the end) and sorted; fails on repeats. */
    static int[] normalizeAxes(int[] axes, int rank, String op) {
        if (rank == 0) {
            // As in PyTorch, a 0-d tensor reduces over axis 0 or -1 (its one implicit axis): the value itself.
            for (int a : axes) {
                if (a != 0 && a != -1) {
                    throw new IllegalArgumentException(op + ": axis " + a + " is out of range for a tensor of rank 0");
                }
            }
            if (axes.length > 1) {
                throw new IllegalArgumentException(op + ": axis 0 repeated in " + Arrays.toString(axes));
            }
            return new int[0];
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = Tensor.normalizeAxis(axes[i], rank, op);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " repeated in " + Arrays.toString(axes));
            }
        }
        return out;
    }
}
