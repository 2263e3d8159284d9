#!/usr/bin/python3
"""Writes polygrad's PyTorch fixtures for the int64 index ops and the class-index losses.

Run from the repository root with a Python that has torch (Debian's python3-torch 1.13 was used):

    /usr/bin/python3 tools/pytorch-fixtures/generate_index.py

It writes index-float32.json and index-float64.json under
conformance-tests/src/main/resources/io/polygrad/conformance/pytorch/ (the suite's "index" family):
argmax/argmin (ties, NaN, keepdim, flattened), gather, scatter_add, index_select, masked_fill, and
cross_entropy/nll_loss with weight, ignore_index and label_smoothing. Index inputs are stored as numbers
(the fixture format holds floats) and made int64 on both sides (``t.long()`` here, ``to(INT64)`` in
PyTorchOpChecks); masks are stored as 0/1 and made bool here (polygrad reads non-zero as true).
"""

import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures_common import run_case, write  # noqa: E402

OUT = os.path.join("conformance-tests", "src", "main", "resources", "io", "polygrad", "conformance", "pytorch")
GENERATOR = "tools/pytorch-fixtures/generate_index.py"

NAN = math.nan
INF = math.inf

M34 = [0.5, -1.25, 2.0, 2.0, -0.75, 1.5, 3.0, 1.5, 0.25, -2.0, 0.5, 4.0]
LOGITS = [1.0, 2.0, 0.5, -1.0, 0.0, 3.0, 0.3, 0.2, 0.1, -0.5, 1.5, -2.0]  # [4, 3]
WEIGHT = [0.5, 2.0, 1.25]


def I(values, shape=None, grad=True):
    return (list(values), [len(values)] if shape is None else list(shape), grad)


def IX(values, shape=None):
    """An index input: whole numbers, no gradient (int64 on both sides)."""
    return I([float(v) for v in values], shape, grad=False)


def cases():
    c = []

    def add(case_id, op, params, inputs, fn, differentiable=True):
        c.append((case_id, op, params, inputs, fn, differentiable))

    # ------------------------------------------------------------ argmax / argmin
    ties_nan = [1.0, 5.0, 5.0, 2.0, 0.0, -3.0, NAN, 7.0, 2.0, 2.0, 2.0, 2.0]
    for name, fn in [("argmax", torch.argmax), ("argmin", torch.argmin)]:
        for axis in [0, 1, -1]:
            for keep in [False, True]:
                add("%s/axis%d%s" % (name, axis, "-keep" if keep else ""), name, {"axis": axis, "keepDim": keep},
                    [I(M34, [3, 4], grad=False)], lambda x, fn=fn, axis=axis, keep=keep: fn(x, dim=axis, keepdim=keep),
                    differentiable=False)
        add("%s/ties-nan" % name, name, {"axis": 1, "keepDim": False}, [I(ties_nan, [3, 4], grad=False)],
            lambda x, fn=fn: fn(x, dim=1), differentiable=False)
        add("%s/all-ties-nan" % name, name + "-all", {}, [I(ties_nan, [3, 4], grad=False)],
            lambda x, fn=fn: fn(x), differentiable=False)
        add("%s/all-3d" % name, name + "-all", {}, [I(M34, [2, 3, 2], grad=False)],
            lambda x, fn=fn: fn(x), differentiable=False)
        add("%s/inf-signed-zero" % name, name, {"axis": 0, "keepDim": False},
            [I([-INF, -0.0, 0.0, INF, INF, -INF], [6], grad=False)], lambda x, fn=fn: fn(x, dim=0),
            differentiable=False)
        add("%s/3d-axis1" % name, name, {"axis": 1, "keepDim": False}, [I(M34, [2, 3, 2], grad=False)],
            lambda x, fn=fn: fn(x, dim=1), differentiable=False)

    # ------------------------------------------------------------ gather / scatter_add / index_select
    add("gather/axis1-repeated", "gather", {"axis": 1}, [I(M34, [3, 4]), IX([3, 0, 3, 1, 1, 2, 0, 0, 0], [3, 3])],
        lambda x, i: torch.gather(x, 1, i.long()))
    add("gather/axis0-smaller", "gather", {"axis": 0}, [I(M34, [3, 4]), IX([2, 0, 1], [1, 3])],
        lambda x, i: torch.gather(x, 0, i.long()))
    add("gather/3d-axis2", "gather", {"axis": 2}, [I(M34, [2, 3, 2]), IX([1, 0, 0, 1, 1, 1], [2, 3, 1])],
        lambda x, i: torch.gather(x, 2, i.long()))
    add("gather/1d", "gather", {"axis": 0}, [I(M34[:5]), IX([4, 4, 0, 2])],
        lambda x, i: torch.gather(x, 0, i.long()))
    add("scatterAdd/axis1-repeated", "scatterAdd", {"axis": 1},
        [I(M34, [3, 4]), IX([0, 0, 3, 2, 1, 1, 0, 3, 3], [3, 3]), I([1.0, -2.0, 0.5, 4.0, 0.25, 3.0, -1.0, 2.5, 1.5], [3, 3])],
        lambda x, i, s: torch.scatter_add(x, 1, i.long(), s))
    add("scatterAdd/axis0", "scatterAdd", {"axis": 0},
        [I(M34, [3, 4]), IX([2, 0, 2, 1, 0, 0, 0, 1], [2, 4]), I([1.0, -2.0, 0.5, 4.0, 0.25, 3.0, -1.0, 2.5], [2, 4])],
        lambda x, i, s: torch.scatter_add(x, 0, i.long(), s))
    add("scatterAdd/1d-into-zeros", "scatterAdd", {"axis": 0},
        [I([0.0] * 5), IX([1, 3, 1, 1]), I([1.5, -2.0, 0.25, 4.0])],
        lambda x, i, s: torch.scatter_add(x, 0, i.long(), s))
    add("indexSelect/axis0-repeated", "indexSelect", {"axis": 0}, [I(M34, [3, 4]), IX([2, 0, 2, 1])],
        lambda x, i: torch.index_select(x, 0, i.long()))
    add("indexSelect/axis1", "indexSelect", {"axis": 1}, [I(M34, [3, 4]), IX([3, 1])],
        lambda x, i: torch.index_select(x, 1, i.long()))
    add("indexSelect/3d-axis-1", "indexSelect", {"axis": -1}, [I(M34, [2, 3, 2]), IX([1, 1, 0])],
        lambda x, i: torch.index_select(x, -1, i.long()))
    add("indexSelect/embedding-rows", "indexSelect", {"axis": 0}, [I(M34, [6, 2]), IX([5, 0, 0, 3, 5])],
        lambda x, i: torch.index_select(x, 0, i.long()))

    # ------------------------------------------------------------ masked_fill
    for value in [0.0, -INF, 2.5]:
        add("maskedFill/row-%s" % value, "maskedFill", {"value": value},
            [I(M34, [3, 4]), I([1.0, 0.0, 0.0, 1.0], [4], grad=False)],
            lambda x, m, value=value: x.masked_fill(m.bool(), value))
    add("maskedFill/same-shape", "maskedFill", {"value": -1.0},
        [I(M34, [3, 4]), I([float(i % 3 == 0) for i in range(12)], [3, 4], grad=False)],
        lambda x, m: x.masked_fill(m.bool(), -1.0))

    # ------------------------------------------------------------ cross_entropy options, nll_loss
    targets = [1, 2, 0, 2]
    for red in ["mean", "sum", "none"]:
        jred = red.upper()
        for weighted in [False, True]:
            for ignore in [-100, 2]:
                for eps in [0.0, 0.1]:
                    params = {"reduction": jred, "ignoreIndex": ignore, "labelSmoothing": eps, "weighted": weighted}
                    inputs = [I(LOGITS, [4, 3]), IX(targets)] + ([I(WEIGHT, grad=False)] if weighted else [])
                    cid = "crossEntropyOptions/%s%s%s%s" % (red, "-weight" if weighted else "",
                                                            "-ignore2" if ignore != -100 else "",
                                                            "-smooth0.1" if eps else "")

                    def fn(x, t, w=None, red=red, ignore=ignore, eps=eps):
                        return F.cross_entropy(x, t.long(), weight=w, ignore_index=ignore, reduction=red,
                                               label_smoothing=eps)
                    add(cid, "crossEntropyOptions", params, inputs, fn)
            params = {"reduction": jred, "ignoreIndex": 0, "labelSmoothing": 0.0, "weighted": weighted}
            inputs = [I([v / 3.0 - 1 for v in range(12)], [4, 3]), IX(targets)] + (
                [I(WEIGHT, grad=False)] if weighted else [])
            add("nll/%s%s-ignore0" % (red, "-weight" if weighted else ""), "nll", params, inputs,
                lambda x, t, w=None, red=red: F.nll_loss(x, t.long(), weight=w, ignore_index=0, reduction=red))
            add("nll/%s%s" % (red, "-weight" if weighted else ""), "nll",
                {"reduction": jred, "ignoreIndex": -100, "labelSmoothing": 0.0, "weighted": weighted}, inputs,
                lambda x, t, w=None, red=red: F.nll_loss(x, t.long(), weight=w, reduction=red))
        # spatial [N, C, d] with weight, ignore and smoothing; class probabilities with weight and smoothing
        add("crossEntropyOptions/spatial-%s-weight-ignore1-smooth0.2" % red, "crossEntropyOptions",
            {"reduction": jred, "ignoreIndex": 1, "labelSmoothing": 0.2, "weighted": True},
            [I([float(((i * 5) % 7) - 3) for i in range(12)], [2, 3, 2]), IX([0, 2, 1, 1], [2, 2]),
             I(WEIGHT, grad=False)],
            lambda x, t, w, red=red: F.cross_entropy(x, t.long(), weight=w, ignore_index=1, reduction=red,
                                                     label_smoothing=0.2))
        add("crossEntropyOptions/probabilities-%s-weight-smooth0.3" % red, "crossEntropyOptions",
            {"reduction": jred, "ignoreIndex": -100, "labelSmoothing": 0.3, "weighted": True},
            [I(LOGITS, [4, 3]), I([0.2, 0.3, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.25, 0.25, 0.5], [4, 3], grad=False),
             I(WEIGHT, grad=False)],
            lambda x, t, w, red=red: F.cross_entropy(x, t, weight=w, reduction=red, label_smoothing=0.3))
    add("nll/all-ignored-mean", "nll", {"reduction": "MEAN", "ignoreIndex": 1, "labelSmoothing": 0.0,
                                         "weighted": False},
        [I([-1.0, -0.5, -2.0, -0.25], [2, 2]), IX([1, 1])],
        lambda x, t: F.nll_loss(x, t.long(), ignore_index=1))
    add("crossEntropyOptions/unbatched-smooth0.1", "crossEntropyOptions",
        {"reduction": "MEAN", "ignoreIndex": -100, "labelSmoothing": 0.1, "weighted": False},
        [I([0.5, -1.0, 2.0, 0.0]), IX([3], [])],
        lambda x, t: F.cross_entropy(x, t.long(), label_smoothing=0.1))
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    all_cases = cases()
    for dtype in ["float32", "float64"]:
        rows = [run_case(cid, op, params, inputs, fn, dtype, differentiable)
                for cid, op, params, inputs, fn, differentiable in all_cases]
        path = os.path.join(OUT, "index-%s.json" % dtype)
        write(path, dtype, GENERATOR, rows)
        print("%s: %d cases" % (path, len(rows)))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
