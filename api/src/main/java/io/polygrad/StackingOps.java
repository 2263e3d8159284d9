package io.polygrad;

import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shape ops added for porting PyTorch code (issue 14): {@code squeeze}, {@code unsqueeze},
 * {@code stack}, {@code unbind} and {@code get(i)} (indexing the first axis), composites of reshape,
 * concat and index, whose backward rules those ops already state.
 */
final class StackingOps {

    private StackingOps() {
    }

    static Tensor squeeze(Tensor x) {
        int[] shape = x.data().shape();
        int[] out = Arrays.stream(shape).filter(d -> d != 1).toArray();
        return out.length == shape.length ? x : x.reshape(out);
    }

    static Tensor squeeze(Tensor x, int axis) {
        int[] shape = x.data().shape();
        if (shape.length == 0) {
            Tensor.normalizeAxis(axis, 1, "squeeze");
            return x;
        }
        int ax = Tensor.normalizeAxis(axis, shape.length, "squeeze");
        if (shape[ax] != 1) {
            return x; // PyTorch: squeezing an axis whose size is not 1 leaves the tensor as it is
        }
        return x.reshape(without(shape, ax));
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        int[] shape = x.data().shape();
        int ax = insertionAxis(axis, shape.length, "unsqueeze");
        int[] out = new int[shape.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == ax ? 1 : shape[j++];
        }
        return x.reshape(out);
    }

    /** Returns {@code axis} in {@code [-rank-1, rank]} counted from the start: a position for a new axis. */
    private static int insertionAxis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank + 1 : axis;
        if (a < 0 || a > rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range [" + (-rank - 1) + ", " + rank
                    + "] for a new axis of a tensor of rank " + rank);
        }
        return a;
    }

    static Tensor stack(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int[] first = tensors.get(0).data().shape();
        int ax = insertionAxis(axis, first.length, "stack");
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!Arrays.equals(t.data().shape(), first)) {
                throw new IllegalArgumentException("stack: expects tensors of equal shape, but tensor 0 has shape "
                        + Shapes.toString(first) + " and tensor " + i + " has shape "
                        + Shapes.toString(t.data().shape()));
            }
            parts.add(unsqueeze(t, ax));
        }
        return Tensor.concat(parts, ax);
    }

    static List<Tensor> unbind(Tensor x, int axis) {
        int[] shape = x.data().shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("unbind: a 0-d tensor has no axis to unbind");
        }
        int ax = Tensor.normalizeAxis(axis, shape.length, "unbind");
        List<Tensor> out = new ArrayList<>(shape[ax]);
        for (int i = 0; i < shape[ax]; i++) {
            out.add(x.index(ax, i));
        }
        return out;
    }

    static Tensor get(Tensor x, int i) {
        int[] shape = x.data().shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("get: a 0-d tensor has no first axis to index; use item()");
        }
        if (shape[0] == 0) {
            throw new IllegalArgumentException("get: index " + i + " is out of range: the first axis is empty (shape "
                    + Shapes.toString(shape) + ")");
        }
        if (i < -shape[0] || i >= shape[0]) {
            throw new IllegalArgumentException("get: index " + i + " is out of range for the first axis of size "
                    + shape[0] + " (shape " + Shapes.toString(shape) + "; valid indices are " + -shape[0] + " to "
                    + (shape[0] - 1) + ")");
        }
        return x.index(0, i);
    }

    private static int[] without(int[] shape, int ax) {
        int[] out = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k != ax) {
                out[j++] = shape[k];
            }
        }
        return out;
    }
}
