#!/usr/bin/python3
"""Writes polygrad's PyTorch fixtures for the ops added for porting PyTorch scripts (issue 14).

Run from the repository root with a Python that has torch (Debian's python3-torch 1.13 was used):

    /usr/bin/python3 tools/pytorch-fixtures/generate_ops_breadth.py

It writes breadth-float32.json and breadth-float64.json under
conformance-tests/src/main/resources/io/polygrad/conformance/pytorch/, in the format of
generate_ops.py (fixtures_common.py): every input written out, both dtypes, gradients of
sum(output * upstream). The op names are polygrad's (BreadthFixtureOps maps each to its Tensor,
Functional or nn call); each lambda here is PyTorch's meaning of it.
"""

import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures_common import run_case, write  # noqa: E402

OUT = os.path.join("conformance-tests", "src", "main", "resources", "io", "polygrad", "conformance", "pytorch")
GENERATOR = "tools/pytorch-fixtures/generate_ops_breadth.py"

NAN = math.nan
INF = math.inf

A6 = [0.5, -1.25, 2.0, -0.75, 1.5, 3.0]
X234 = [float(((i * 7) % 11) - 5) * 0.5 for i in range(24)]
# Edge inputs for unary ops: zeros of both signs, kinks, infinities, NaN, large and tiny values.
EDGE = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 30.0, -30.0, 100.0, -100.0, 1e-30, -1e-30, INF, -INF, NAN]
SMALL = [1e-10, -1e-10, 1e-7, -1e-7, 1e-4, -1e-4, 3e-3, -3e-3]


def I(values, shape=None, grad=True):
    """An input spec: flat values, shape (1-d by default), whether it requires a gradient."""
    return (list(values), [len(values)] if shape is None else list(shape), grad)


def cases():
    c = []

    def add(case_id, op, params, inputs, fn, differentiable=True, deliberate=None):
        c.append((case_id, op, params, inputs, fn, differentiable, deliberate))

    # ------------------------------------------------------------ unary primitives and activations
    unaries = {
        "log1p": torch.log1p, "expm1": torch.expm1, "sin": torch.sin, "cos": torch.cos, "erf": torch.erf,
        "leakyRelu": F.leaky_relu, "gelu": F.gelu, "gelu-tanh": lambda a: F.gelu(a, approximate="tanh"),
        "silu": F.silu, "elu": F.elu, "logSigmoid": F.logsigmoid,
    }
    for name, fn in unaries.items():
        add(name + "/edge", name, {}, [I(EDGE)], fn)
        add(name + "/2d", name, {}, [I(A6, [2, 3])], fn)
        # -0.75 is within 0.002 of the tanh GELU's minimum (-0.7518), where its derivative is the difference
        # of two terms near 0.22 and comes out as 1e-3: PyTorch's fused float32 kernel (SLEEF's tanhf) and
        # tanh one ulp apart give gradients 3e-8 apart there (2.8e-5 relative); -0.5 is well conditioned.
        add(name + "/0d", name, {}, [I([-0.5 if name == "gelu-tanh" else -0.75], [])], fn)
    for name in ["log1p", "expm1", "sin", "erf"]:
        add(name + "/small", name, {}, [I(SMALL)], unaries[name])
        # tiny values only, so the array-scaled atol is tiny too: log(1 + x) and exp(x) - 1 fail here
        add(name + "/tiny", name, {}, [I([1e-10, -1e-12, 3e-15, -1e-16, 1e-20])], unaries[name])
    add("log1p/domain", "log1p", {}, [I([-1.0, -0.5, -0.999, -2.0, 1e30, 1e300])], torch.log1p)
    add("expm1/large", "expm1", {}, [I([20.0, 80.0, 88.0, 89.0, 700.0, 710.0, -20.0, -40.0, -800.0])], torch.expm1)
    add("sin/large", "sin", {}, [I([3.14159, 6.5, 100.0, 1e4, -1e4, 1e6])], torch.sin)
    add("cos/large", "cos", {}, [I([1.5707963, 6.5, 100.0, 1e4, -1e4, 1e6])], torch.cos)
    add("erf/range", "erf", {}, [I([0.3, 0.46875, 0.47, 0.9, 2.0, 3.9, 4.0, 4.1, 5.5, 6.0, 9.0, 27.0, -0.47, -3.0,
                                    -5.0])], torch.erf)
    for slope in [0.2, -0.5, 0.0]:
        add("leakyRelu-slope/%s" % slope, "leakyRelu-slope", {"negativeSlope": slope}, [I(EDGE)],
            lambda a, slope=slope: F.leaky_relu(a, slope))
    for alpha in [0.5, 2.0]:
        add("elu-alpha/%s" % alpha, "elu-alpha", {"alpha": alpha}, [I(EDGE)], lambda a, alpha=alpha: F.elu(a, alpha))
    MOD = [-6.0, -3.0, -1.5, -0.3, 0.001, 0.2, 1.0, 2.5, 5.0, 9.0]
    for name in ["gelu", "gelu-tanh", "silu", "logSigmoid", "elu"]:
        add(name + "/moderate", name, {}, [I(MOD)], unaries[name])
    add("logSigmoid/large", "logSigmoid", {}, [I([-1000.0, -90.0, -40.0, 40.0, 90.0, 1000.0])], F.logsigmoid)
    for lo, name in [(0.5, "half"), (-INF, "minus-inf"), (INF, "inf")]:
        add("clampMin/" + name, "clampMin", {"min": lo}, [I([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0, INF, -INF, NAN])],
            lambda a, lo=lo: torch.clamp(a, min=lo))
        add("clampMax/" + name, "clampMax", {"max": lo}, [I([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0, INF, -INF, NAN])],
            lambda a, lo=lo: torch.clamp(a, max=lo))

    # ------------------------------------------------------------ min / amin
    X23 = [1.0, -2.0, 3.0, 0.5, 4.0, -1.5]
    add("min/all", "min", {}, [I(X23, [2, 3])], torch.min)
    add("min/all-ties", "min", {}, [I([-3.0, 1.0, -3.0, 2.0, -3.0, 0.0], [2, 3])], torch.min)
    add("min/all-nan", "min", {}, [I([1.0, NAN, -5.0, 2.0])], torch.min)
    add("min/all-inf", "min", {}, [I([1.0, INF, 5.0, -INF])], torch.min)
    add("min/all-0d", "min", {}, [I([-1.5], [])], torch.min)
    for axes, keep in [([0], False), ([1], True), ([-1], False), ([0, 2], True), ([0, 1, 2], False)]:
        add("min/axes%s%s" % ("".join(str(a) for a in axes), "-keep" if keep else ""), "min",
            {"axes": axes, "keepDims": keep}, [I(X234, [2, 3, 4])],
            lambda a, axes=axes, keep=keep: torch.amin(a, dim=axes, keepdim=keep))
    add("min/axis1-ties", "min", {"axes": [1], "keepDims": False},
        [I([2.0, 1.0, 1.0, -1.0, -1.0, -1.0], [2, 3])], lambda a: torch.amin(a, dim=[1]))
    add("amin/axis0", "amin", {"axes": [0], "keepDims": True}, [I(X23, [2, 3])],
        lambda a: torch.amin(a, dim=[0], keepdim=True))
    add("amax/axis1", "amax", {"axes": [1], "keepDims": False}, [I(X23, [2, 3])], lambda a: torch.amax(a, dim=[1]))
    # torch.amin over a slice holding a NaN gives the whole slice a NaN gradient (0/0 in its tie count);
    # torch.min(x, dim) gives it to the NaN, as polygrad does for every min (the amax-nan difference).
    add("min/axis1-nan", "min", {"axes": [1], "keepDims": False},
        [I([1.0, NAN, 2.0, 3.0, 1.0, 0.0], [2, 3])], lambda a: torch.amin(a, dim=[1]),
        deliberate=("amax-nan", lambda a: torch.min(a, 1).values))

    # ------------------------------------------------------------ prod (gradient with zeros)
    add("prod/all", "prod", {}, [I(A6, [2, 3])], torch.prod)
    add("prod/all-one-zero", "prod", {}, [I([2.0, 0.0, -1.5, 3.0])], torch.prod)
    add("prod/all-two-zeros", "prod", {}, [I([2.0, 0.0, -1.5, 0.0])], torch.prod)
    add("prod/all-0d", "prod", {}, [I([-2.5], [])], torch.prod)
    add("prod/all-inf", "prod", {}, [I([2.0, INF, -1.0])], torch.prod)
    P = [1.0, 0.0, 2.0, -1.5, 0.5, 3.0, 0.0, 0.0, 4.0, 2.0, -1.0, 0.5]
    for ax, keep in [(0, False), (1, True), (-1, False)]:
        add("prod/axis%d%s" % (ax, "-keep" if keep else ""), "prod", {"axes": [ax], "keepDims": keep},
            [I(P, [3, 4])], lambda a, ax=ax, keep=keep: torch.prod(a, ax, keepdim=keep))
    add("prod/axis1-no-zeros", "prod", {"axes": [1], "keepDims": False}, [I(X234, [2, 3, 4])],
        lambda a: torch.prod(a, 1))

    # ------------------------------------------------------------ var / std with correction
    V = [1.0, 2.0, 4.0, -1.0, 0.5, 3.0, 2.0, 2.0, 2.0, 5.0, -3.0, 0.25]
    for name, fn in {"var": torch.var, "std": torch.std}.items():
        add(name + "/all", name, {}, [I(V, [3, 4])], fn)
        add(name + "/all-0d", name, {"correction": 0.0}, [I([1.5], [])], lambda a, fn=fn: fn(a, dim=None, correction=0))
        for corr in [0.0, 1.0, 2.0]:
            add("%s/all-correction%d" % (name, corr), name, {"correction": corr}, [I(V, [3, 4])],
                lambda a, fn=fn, corr=corr: fn(a, dim=None, correction=int(corr)))
        for axes, corr, keep in [([0], 1.0, False), ([1], 0.0, True), ([-1], 2.0, False), ([0, 1], 1.0, True)]:
            add("%s/axes%s-correction%d%s" % (name, "".join(str(a) for a in axes), corr, "-keep" if keep else ""),
                name, {"axes": axes, "correction": corr, "keepDims": keep}, [I(V, [3, 4])],
                lambda a, fn=fn, axes=axes, corr=corr, keep=keep: fn(a, dim=axes, correction=int(corr), keepdim=keep))
        add(name + "/axes02", name, {"axes": [0, 2], "correction": 1.0, "keepDims": False}, [I(X234, [2, 3, 4])],
            lambda a, fn=fn: fn(a, dim=[0, 2]))
        add(name + "/constant-slice", name, {"axes": [1], "correction": 1.0, "keepDims": False},
            [I([2.0, 2.0, 2.0, 1.0, 2.0, 4.0], [2, 3])], lambda a, fn=fn: fn(a, dim=[1]))
        # correction >= n: divides by max(0, n - correction) = 0, inf or NaN as PyTorch
        add(name + "/correction-equals-n", name, {"axes": [1], "correction": 3.0, "keepDims": False},
            [I([2.0, 2.0, 2.0, 1.0, 2.0, 4.0], [2, 3])], lambda a, fn=fn: fn(a, dim=[1], correction=3))
        add(name + "/correction-above-n", name, {"axes": [1], "correction": 4.0, "keepDims": False},
            [I([2.0, 2.0, 2.0, 1.0, 2.0, 4.0], [2, 3])], lambda a, fn=fn: fn(a, dim=[1], correction=4))
        # one element with correction 1: 0/0 (PyTorch 1.13's backward of the all-elements form fails on a
        # one-element tensor, "got [] but expected shape compatible with [1]", so the axis form is used)
        add(name + "/one-element", name, {"axes": [0], "correction": 1.0, "keepDims": False}, [I([3.0])],
            lambda a, fn=fn: fn(a, dim=[0]))

    # ------------------------------------------------------------ norm
    N = [3.0, -4.0, 0.0, 1.5, -2.0, 0.5]
    for p in [2.0, 1.0, 3.0, 0.5, 1.5, 0.0, INF, -INF]:
        add("norm/all-p%s" % p, "norm", {"p": p}, [I(N, [2, 3])], lambda a, p=p: torch.linalg.vector_norm(a, p))
        add("norm/axis1-p%s" % p, "norm", {"p": p, "axes": [1], "keepDims": False}, [I(N, [2, 3])],
            lambda a, p=p: torch.linalg.vector_norm(a, p, dim=[1]))
        add("norm/zero-p%s" % p, "norm", {"p": p, "axes": [1], "keepDims": True},
            [I([0.0, 0.0, 0.0, 1.0, -1.0, 1.0], [2, 3])],
            lambda a, p=p: torch.linalg.vector_norm(a, p, dim=[1], keepdim=True))
    add("norm/default", "norm", {}, [I(N, [2, 3])], torch.norm)
    add("norm/axes01-keep", "norm", {"p": 2.0, "axes": [0, 2], "keepDims": True}, [I(X234, [2, 3, 4])],
        lambda a: torch.linalg.vector_norm(a, 2, dim=[0, 2], keepdim=True))
    add("norm/fro", "norm-fro", {}, [I(N, [2, 3])], lambda a: torch.norm(a, "fro"))
    add("norm/fro-axes", "norm-fro", {"axes": [0, 1], "keepDims": False}, [I(X234, [2, 3, 4])],
        lambda a: torch.norm(a, "fro", dim=[0, 1]))
    add("norm/inf-ties", "norm", {"p": INF, "axes": [1], "keepDims": False},
        [I([3.0, -3.0, 1.0, 2.0, 2.0, -2.0], [2, 3])], lambda a: torch.linalg.vector_norm(a, INF, dim=[1]))
    add("norm/with-inf", "norm", {"p": 2.0}, [I([1.0, INF, -2.0])], lambda a: torch.linalg.vector_norm(a, 2))

    # ------------------------------------------------------------ cumsum
    for ax in [0, 1, -1]:
        add("cumsum/axis%d" % ax, "cumsum", {"axis": ax}, [I(X234, [2, 3, 4])], lambda a, ax=ax: torch.cumsum(a, ax))
    add("cumsum/1d-edge", "cumsum", {"axis": 0}, [I([1.0, INF, 2.0, -INF, 3.0, NAN, 1.0])],
        lambda a: torch.cumsum(a, 0))
    add("cumsum/0d", "cumsum", {"axis": 0}, [I([2.5], [])], lambda a: torch.cumsum(a, 0))
    add("cumsum/long", "cumsum", {"axis": 0}, [I([0.1 * ((i * 13) % 17 - 8) for i in range(100)])],
        lambda a: torch.cumsum(a, 0))

    # ------------------------------------------------------------ softplus (the module's defaults)
    SP = [-100.0, -20.5, -1.0, 0.0, 0.5, 19.9, 20.0, 20.1, 100.0, INF, -INF, NAN]
    add("Softplus/default", "Softplus", {}, [I(SP)], torch.nn.Softplus())
    add("Softplus/beta2-threshold5", "Softplus", {"beta": 2.0, "threshold": 5.0}, [I(SP)],
        torch.nn.Softplus(2.0, 5.0))
    for name, mod in {"LeakyReLU": torch.nn.LeakyReLU(), "GELU": torch.nn.GELU(),
                      "GELU-tanh": torch.nn.GELU(approximate="tanh"), "SiLU": torch.nn.SiLU(),
                      "ELU": torch.nn.ELU(0.7)}.items():
        add(name + "/module", name, {}, [I(A6, [2, 3])], mod)

    # ------------------------------------------------------------ shape ops
    add("squeeze/all", "squeeze", {}, [I(A6, [1, 2, 1, 3, 1])], lambda a: a.squeeze())
    add("squeeze/axis", "squeeze", {"axis": 2}, [I(A6, [1, 2, 1, 3])], lambda a: a.squeeze(2))
    add("squeeze/axis-not-1", "squeeze", {"axis": 1}, [I(A6, [1, 2, 1, 3])], lambda a: a.squeeze(1))
    add("squeeze/negative", "squeeze", {"axis": -4}, [I(A6, [1, 2, 1, 3])], lambda a: a.squeeze(-4))
    add("squeeze/0d", "squeeze", {"axis": 0}, [I([2.0], [])], lambda a: a.squeeze(0))
    for ax in [0, 1, 2, -1, -3]:
        add("unsqueeze/axis%d" % ax, "unsqueeze", {"axis": ax}, [I(A6, [2, 3])], lambda a, ax=ax: a.unsqueeze(ax))
    add("unsqueeze/0d", "unsqueeze", {"axis": 0}, [I([2.0], [])], lambda a: a.unsqueeze(0))
    for ax in [0, 1, 2, -1]:
        add("stack/axis%d" % ax, "stack", {"axis": ax}, [I(A6, [2, 3]), I(X234[:6], [2, 3]), I(X234[6:12], [2, 3])],
            lambda a, b, d, ax=ax: torch.stack([a, b, d], ax))
    add("stack/0d", "stack", {"axis": 0}, [I([1.0], []), I([2.0], [])], lambda a, b: torch.stack([a, b]))
    add("stack/one", "stack", {"axis": 0}, [I(A6, [2, 3])], lambda a: torch.stack([a]))
    for ax in [0, 1, -1]:
        add("unbind/axis%d" % ax, "unbind", {"axis": ax}, [I(X234, [2, 3, 4])],
            lambda a, ax=ax: torch.stack([t * (i + 1) for i, t in enumerate(torch.unbind(a, ax))], 0))
    for i in [0, 1, -1, -2]:
        add("get/%d" % i, "get", {"index": i}, [I(A6, [2, 3])], lambda a, i=i: a[i])
    add("get/1d", "get", {"index": 2}, [I(A6)], lambda a: a[2])
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    rows_all = cases()
    for dtype in ["float32", "float64"]:
        rows = [run_case(cid, op, params, inputs, fn, dtype, differentiable, deliberate)
                for cid, op, params, inputs, fn, differentiable, deliberate in rows_all]
        path = os.path.join(OUT, "breadth-%s.json" % dtype)
        write(path, dtype, GENERATOR, rows)
        print("%s: %d cases" % (path, len(rows)))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
