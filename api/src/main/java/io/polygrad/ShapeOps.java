package io.polygrad;

import static io.polygrad.Autograd.SAVES_NONE;
import static io.polygrad.Autograd.record;
import static io.polygrad.Tensor.normalizeAxis;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shape ops behind {@link Tensor}: reshape, permute, broadcast, slice, concat and the dtype
 * cast, each forward followed by its backward rule, and {@link #unbroadcast}, which sums a gradient
 * back to the shape of a broadcast input.
 */
final class ShapeOps {

    private ShapeOps() {
    }

    /** Returns the gradient {@code g} summed over the axes along which {@code shape} was broadcast. */
    static Tensor unbroadcast(Tensor g, int[] shape) {
        int[] gs = g.data().shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int[] axes = new int[gs.length];
        int count = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) {
                axes[count++] = i;
            }
        }
        // Without leading axes, keep-dims summation lands on the input's shape in one op.
        Tensor summed = count == 0 ? g : g.sum(Arrays.copyOf(axes, count), lead == 0);
        return Arrays.equals(summed.data().shape(), shape) ? summed : summed.reshape(shape);
    }

    static Tensor reshape(Tensor x, int[] newShape) {
        int[] shape = x.data().shape();
        int[] target = inferShape(newShape, shape);
        BackendArray values = x.backend().reshape(x.data(), target);
        if (Arrays.equals(target, shape)) {
            return record(x.engine(), values, "Reshape", SAVES_NONE, (g, out, in) -> new Tensor[] {g}, x);
        }
        return record(x.engine(), values, "Reshape", SAVES_NONE, (g, out, in) -> new Tensor[] {g.reshape(shape)}, x);
    }

    private static int[] inferShape(int[] newShape, int[] shape) {
        int size = Shapes.size(shape);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be -1, got "
                            + Shapes.toString(newShape));
                }
                infer = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid shape " + Shapes.toString(newShape));
            } else {
                known *= newShape[i];
            }
        }
        int[] target = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape: shape " + Shapes.toString(newShape)
                        + " is invalid for input of size " + size);
            }
            target[infer] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException("reshape: shape " + Shapes.toString(newShape)
                    + " is invalid for input of shape " + Shapes.toString(shape) + " (size " + size + ")");
        }
        return target;
    }

    static Tensor transpose(Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("transpose(): expects a 2-d tensor, got shape "
                    + Shapes.toString(x.data().shape()) + "; use transpose(dim0, dim1)");
        }
        return transpose(x, 0, 1);
    }

    static Tensor transpose(Tensor x, int axis0, int axis1) {
        int r = x.rank();
        int a0 = normalizeAxis(axis0, r, "transpose");
        int a1 = normalizeAxis(axis1, r, "transpose");
        int[] perm = Shapes.allAxes(r);
        perm[a0] = a1;
        perm[a1] = a0;
        return permute(x, perm);
    }

    static Tensor permute(Tensor x, int[] axes) {
        int r = x.rank();
        if (axes.length != r) {
            throw new IllegalArgumentException("permute: got " + axes.length + " axes " + Arrays.toString(axes)
                    + " for a tensor of rank " + r);
        }
        int[] perm = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            perm[i] = normalizeAxis(axes[i], r, "permute");
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: axis repeated in " + Arrays.toString(axes));
            }
            seen[perm[i]] = true;
        }
        int[] inverse = new int[r];
        for (int i = 0; i < r; i++) {
            inverse[perm[i]] = i;
        }
        return record(x.engine(), x.backend().permute(x.data(), perm), "Permute", SAVES_NONE,
                (g, out, in) -> new Tensor[] {g.permute(inverse)}, x);
    }

    static Tensor broadcastTo(Tensor x, int[] shape) {
        int[] mine = x.data().shape();
        int[] b = Shapes.broadcast(mine, shape);
        if (b == null || !Arrays.equals(b, shape)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Shapes.toString(mine)
                    + " cannot be broadcast to " + Shapes.toString(shape));
        }
        if (Arrays.equals(mine, shape)) {
            return x;
        }
        return record(x.engine(), x.backend().broadcastTo(x.data(), shape.clone()), "Expand", SAVES_NONE,
                (g, out, in) -> new Tensor[] {unbroadcast(g, mine)}, x);
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        int[] shape = x.data().shape();
        int ax = normalizeAxis(axis, shape.length, "slice");
        int n = shape[ax];
        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : end;
        if (s < 0 || e > n || s > e) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is out of bounds for axis "
                    + axis + " of size " + n + " in shape " + Shapes.toString(shape));
        }
        Engine engine = x.engine();
        return record(engine, x.backend().slice(x.data(), ax, s, e), "Slice", SAVES_NONE, (g, out, in) -> {
            List<Tensor> parts = new ArrayList<>(3);
            if (s > 0) {
                int[] before = shape.clone();
                before[ax] = s;
                parts.add(engine.zeros(g.dtype(), before));
            }
            parts.add(g);
            if (e < n) {
                int[] after = shape.clone();
                after[ax] = n - e;
                parts.add(engine.zeros(g.dtype(), after));
            }
            return new Tensor[] {parts.size() == 1 ? g : concat(parts, ax)};
        }, x);
    }

    static Tensor index(Tensor x, int axis, int i) {
        int[] shape = x.data().shape();
        int ax = normalizeAxis(axis, shape.length, "index");
        int idx = i < 0 ? i + shape[ax] : i;
        if (idx < 0 || idx >= shape[ax]) {
            throw new IllegalArgumentException("index: " + i + " is out of bounds for axis " + axis + " of size "
                    + shape[ax]);
        }
        int[] out = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k != ax) {
                out[j++] = shape[k];
            }
        }
        return slice(x, ax, idx, idx + 1).reshape(out);
    }

    static Tensor concat(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("concat: needs at least one tensor");
        }
        Tensor first = tensors.get(0);
        int rank = first.rank();
        int ax = normalizeAxis(axis, rank, "concat");
        DType dtype = first.dtype();
        for (Tensor t : tensors) {
            first.checkSameBackend(t, "concat");
            dtype = DType.promote(dtype, t.dtype());
            int[] s = t.data().shape();
            boolean ok = s.length == rank;
            for (int i = 0; ok && i < rank; i++) {
                ok = i == ax || s[i] == first.data().shape()[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: shape " + Shapes.toString(s) + " does not match "
                        + Shapes.toString(first.data().shape()) + " except along axis " + ax);
            }
        }
        Tensor[] inputs = new Tensor[tensors.size()];
        BackendArray[] arrays = new BackendArray[inputs.length];
        int[] offsets = new int[inputs.length + 1];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = tensors.get(i);
            inputs[i] = t.dtype() == dtype ? t : t.to(dtype);
            arrays[i] = inputs[i].data();
            offsets[i + 1] = offsets[i] + arrays[i].shape()[ax];
        }
        BackendArray values = first.backend().concat(arrays, ax);
        return record(first.engine(), values, "Cat", SAVES_NONE, (g, out, in) -> {
            Tensor[] grads = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                grads[i] = in[i].requiresGrad() ? g.slice(ax, offsets[i], offsets[i + 1]) : null;
            }
            return grads;
        }, inputs);
    }

    static Tensor to(Tensor x, DType target) {
        DType source = x.dtype();
        if (source == target) {
            return x;
        }
        return record(x.engine(), x.backend().cast(x.data(), target), "To", SAVES_NONE,
                (g, out, in) -> new Tensor[] {g.to(source)}, x);
    }
}
