#!/usr/bin/python3
"""Writes polygrad's PyTorch fixtures for ops and losses (forward values and gradients).

Run from the repository root with a Python that has torch (Debian's python3-torch 1.13 was used):

    /usr/bin/python3 tools/pytorch-fixtures/generate_ops.py

It writes ops-float32.json, ops-float64.json, losses-float32.json and losses-float64.json under
conformance-tests/src/main/resources/io/polygrad/conformance/pytorch/. Every input is written out
below (no RNG), in both dtypes; the gradient of a case is that of sum(output * upstream) with the
explicit upstream of fixtures_common.upstream_values. The op names are polygrad's (PyTorchOpChecks
maps each to the Tensor, Functional or Losses call); each lambda here is PyTorch's meaning of it.
"""

import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures_common import run_case, write  # noqa: E402

OUT = os.path.join("conformance-tests", "src", "main", "resources", "io", "polygrad", "conformance", "pytorch")
GENERATOR = "tools/pytorch-fixtures/generate_ops.py"

NAN = math.nan
INF = math.inf

# Plain values (no edge cases), for shapes and broadcasting.
A6 = [0.5, -1.25, 2.0, -0.75, 1.5, 3.0]
B6 = [1.5, 0.25, -2.0, 0.5, -1.0, 2.5]
ROW3 = [0.5, -2.0, 1.25]
COL2 = [2.0, -0.5]
POS6 = [0.25, 0.5, 1.0, 2.0, 3.5, 10.0]

# Edge inputs for unary ops: zeros of both signs, kinks, infinities, NaN, large and tiny values.
EDGE = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 30.0, -30.0, 100.0, -100.0, 1e-30, -1e-30, INF, -INF, NAN]
LOG_EDGE = [0.0, -0.0, 1e-30, 0.5, 1.0, 2.0, 1e30, INF, -1.0, -INF, NAN]


def I(values, shape=None, grad=True, dtype=None):
    """An input spec: flat values, shape (1-d by default), whether it requires a gradient."""
    spec = (list(values), [len(values)] if shape is None else list(shape), grad)
    return spec + (dtype,) if dtype else spec


def cmp(fn):
    return lambda a, b: fn(a, b).to(torch.promote_types(a.dtype, b.dtype))


def op_cases():
    c = []

    def add(case_id, op, params, inputs, fn, differentiable=True, deliberate=None):
        c.append((case_id, op, params, inputs, fn, differentiable, deliberate))

    # ------------------------------------------------------------ binary arithmetic, broadcasting
    binaries = {
        "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
        "maximum": torch.maximum, "minimum": torch.minimum,
    }
    for name, fn in binaries.items():
        add(name + "/same-shape", name, {}, [I(A6, [2, 3]), I(B6, [2, 3])], fn)
        add(name + "/broadcast-row", name, {}, [I(A6, [2, 3]), I(ROW3, [3])], fn)
        add(name + "/broadcast-both", name, {}, [I(COL2, [2, 1]), I(ROW3, [1, 3])], fn)
        add(name + "/0d", name, {}, [I([1.5], []), I(A6, [2, 3])], fn)
    edge_a = [0.0, -0.0, 1.0, INF, -INF, INF, NAN, 2.0, NAN, 3.0, 3.0, -1.0]
    edge_b = [0.0, 0.0, 0.0, 1.0, 1.0, INF, 1.0, NAN, NAN, 3.0, -INF, -0.0]
    for name, fn in binaries.items():
        add(name + "/edge", name, {}, [I(edge_a), I(edge_b)], fn)
    # maximum/minimum: ties (gradient split) and NaN in either operand (who gets the gradient)
    ties_a = [1.0, 2.0, -3.0, NAN, 5.0, NAN, 0.0]
    ties_b = [1.0, 2.5, -3.0, 4.0, NAN, NAN, -0.0]
    add("maximum/ties-nan", "maximum", {}, [I(ties_a), I(ties_b)], torch.maximum)
    add("minimum/ties-nan", "minimum", {}, [I(ties_a), I(ties_b)], torch.minimum)

    # pow with a tensor exponent: 0^x, 1^NaN, 1^inf, (-1)^inf, negative bases, fractional exponents
    base = [2.0, 0.5, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, -1.0, -1.0, -2.0, -2.0, 4.0, INF, NAN, 3.0]
    expo = [3.0, -2.0, 0.0, 2.0, 0.5, NAN, INF, -INF, INF, -INF, 3.0, 0.5, 0.5, -1.0, 0.0, 1.5]
    add("pow/edge", "pow", {}, [I(base), I(expo)], torch.pow)
    add("pow/same-shape", "pow", {}, [I(POS6, [2, 3]), I(B6, [2, 3])], torch.pow)
    add("pow/broadcast", "pow", {}, [I(POS6, [2, 3]), I([2.0, -0.5, 1.5], [3])], torch.pow)
    # pow with a Java double exponent
    for e in [2.0, 3.0, 0.5, -1.0, 0.0, -0.5, 1.0, INF, NAN]:
        # PyTorch's pow(x, 0.5) and pow(x, -0.5) are sqrt(x) and rsqrt(x): (-inf)^0.5 = NaN, (-0)^-0.5 = -inf,
        # (-inf)^-0.5 = NaN, where its own pow with a tensor exponent (C's pow) gives inf, inf and 0.
        fast_path = e in (0.5, -0.5)
        add("pow-scalar/%s" % e, "pow-scalar", {"value": e},
            [I([2.0, 0.5, 0.0, -0.0, 1.0, -1.0, -2.0, 1e20, INF, -INF, NAN])], lambda a, e=e: torch.pow(a, e),
            deliberate=("pow-scalar-sqrt", lambda a, e=e: torch.pow(a, torch.full_like(a, e))) if fast_path else None)

    # scalar forms (Tensor.add(double), ...)
    scalars = {
        "add-scalar": lambda a, v: a + v, "sub-scalar": lambda a, v: a - v, "rsub-scalar": lambda a, v: v - a,
        "mul-scalar": lambda a, v: a * v, "div-scalar": lambda a, v: a / v, "rdiv-scalar": lambda a, v: v / a,
    }
    for name, fn in scalars.items():
        add(name + "/plain", name, {"value": 1.5}, [I(A6, [2, 3])], lambda a, fn=fn: fn(a, 1.5))
        add(name + "/edge", name, {"value": 0.0}, [I(EDGE)], lambda a, fn=fn: fn(a, 0.0))
        add(name + "/0d", name, {"value": -2.0}, [I([3.0], [])], lambda a, fn=fn: fn(a, -2.0))

    # comparisons: 0/1 in the promoted dtype, no gradient
    comparisons = {"gt": torch.gt, "ge": torch.ge, "lt": torch.lt, "le": torch.le, "eq": torch.eq, "ne": torch.ne}
    ca = [1.0, 2.0, NAN, INF, -0.0, 3.0, -INF, NAN]
    cb = [1.0, 1.0, 1.0, INF, 0.0, 4.0, -INF, NAN]
    for name, fn in comparisons.items():
        add(name + "/edge", name, {}, [I(ca, grad=False), I(cb, grad=False)], cmp(fn), False)
        add(name + "/broadcast", name, {}, [I(A6, [2, 3], grad=False), I([0.5, 0.25, 2.0], [3], grad=False)],
            cmp(fn), False)
        add(name + "-scalar/edge", name + "-scalar", {"value": 1.0}, [I(ca, grad=False)],
            lambda a, fn=fn: fn(a, 1.0).to(a.dtype), False)

    # where(condition, a, b)
    add("where/same-shape", "where", {},
        [I([1, 0, 1, 0, 0, 1], [2, 3], grad=False), I(A6, [2, 3]), I(B6, [2, 3])],
        lambda cnd, a, b: torch.where(cnd != 0, a, b))
    add("where/broadcast", "where", {},
        [I([1, 0, 1], [3], grad=False), I(COL2, [2, 1]), I([NAN], [])],
        lambda cnd, a, b: torch.where(cnd != 0, a, b))
    add("where/nan-unselected", "where", {},
        [I([1, 0, 1, 0], grad=False), I([1.0, NAN, INF, 2.0]), I([NAN, 3.0, 4.0, -INF])],
        lambda cnd, a, b: torch.where(cnd != 0, a, b))

    # ------------------------------------------------------------ unary
    unaries = {
        "neg": torch.neg, "exp": torch.exp, "abs": torch.abs, "sign": torch.sign, "square": torch.square,
        "tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
    }
    for name, fn in unaries.items():
        add(name + "/edge", name, {}, [I(EDGE if name not in ("sign", "abs") else EDGE[:-1])], fn)
        add(name + "/2d", name, {}, [I(A6, [2, 3])], fn)
        add(name + "/0d", name, {}, [I([-0.75], [])], fn)
    # torch.sign(NaN) is 0 (pytorch/pytorch#41245, open), so abs'(NaN) = sgn(NaN) = 0 too: polygrad keeps NaN.
    nan_sign = lambda a: torch.sign(a) + torch.where(torch.isnan(a), a.detach(), torch.zeros_like(a.detach()))
    add("sign/nan", "sign", {}, [I([NAN, 1.0, -2.0, 0.0])], torch.sign, deliberate=("sign-nan", nan_sign))
    add("abs/nan", "abs", {}, [I([NAN, 1.0, -2.0, 0.0])], torch.abs,
        deliberate=("sign-nan", lambda a: a * nan_sign(a).detach()))
    for name, fn in {"log": torch.log, "sqrt": torch.sqrt}.items():
        add(name + "/edge", name, {}, [I(LOG_EDGE)], fn)
        add(name + "/2d", name, {}, [I(POS6, [2, 3])], fn)
        add(name + "/0d", name, {}, [I([2.5], [])], fn)
    add("exp/large", "exp", {}, [I([80.0, 88.0, 88.7, 89.0, 700.0, 709.0, 710.0, -87.0, -104.0, -745.0, -746.0])],
        torch.exp)
    add("tanh/moderate", "tanh", {}, [I([-5.0, -0.3, 0.001, 0.2, 1.0, 4.0, 9.0, 19.0])], torch.tanh)
    add("sigmoid/moderate", "sigmoid", {}, [I([-40.0, -17.0, -5.0, -0.3, 0.001, 0.2, 4.0, 17.0, 40.0])],
        torch.sigmoid)
    for lo, hi, name in [(-1.0, 1.0, "unit"), (0.0, 0.0, "point"), (-INF, 0.5, "half-open")]:
        add("clamp/" + name, "clamp", {"min": lo, "max": hi},
            [I([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, INF, -INF, NAN])],
            lambda a, lo=lo, hi=hi: torch.clamp(a, lo, hi))

    # ------------------------------------------------------------ reductions
    X23 = [1.0, -2.0, 3.0, 0.5, 4.0, -1.5]
    X234 = [float(((i * 7) % 11) - 5) * 0.5 for i in range(24)]
    for name, fn in {"sum": torch.sum, "mean": torch.mean}.items():
        add(name + "/all", name, {}, [I(X23, [2, 3])], fn)
        add(name + "/all-0d", name, {}, [I([2.5], [])], fn)
        add(name + "/all-edge", name, {}, [I([1.0, INF, 2.0])], fn)
        add(name + "/all-nan", name, {}, [I([1.0, NAN, 2.0])], fn)
        for axes, keep in [([0], False), ([1], True), ([-1], False), ([0, 2], False), ([1, 2], True),
                           ([0, 1, 2], False)]:
            add("%s/axes%s%s" % (name, "".join(str(a) for a in axes), "-keep" if keep else ""), name,
                {"axes": axes, "keepDims": keep}, [I(X234, [2, 3, 4])],
                lambda a, axes=axes, keep=keep, fn=fn: fn(a, dim=axes, keepdim=keep))
        for ax in [0, -1]:
            for keep in [False, True]:
                add("%s/0d-axis%d%s" % (name, ax, "-keep" if keep else ""), name, {"axes": [ax], "keepDims": keep},
                    [I([2.5], [])], lambda a, ax=ax, keep=keep, fn=fn: fn(a, dim=ax, keepdim=keep))
    # max over all elements (torch.max: ties share the gradient; a NaN is the maximum)
    add("max/all", "max", {}, [I(X23, [2, 3])], torch.max)
    add("max/all-ties", "max", {}, [I([3.0, 1.0, 3.0, -2.0, 3.0, 0.0], [2, 3])], torch.max)
    add("max/all-nan", "max", {}, [I([1.0, NAN, 5.0, 2.0])], torch.max)
    add("max/all-inf", "max", {}, [I([1.0, INF, 5.0, -INF])], torch.max)
    add("max/all-0d", "max", {}, [I([-1.5], [])], torch.max)
    # max over axes is torch.amax (ties share the gradient, as polygrad's)
    for axes, keep in [([0], False), ([1], True), ([-1], False), ([0, 2], True), ([0, 1, 2], False)]:
        add("max/axes%s%s" % ("".join(str(a) for a in axes), "-keep" if keep else ""), "max",
            {"axes": axes, "keepDims": keep}, [I(X234, [2, 3, 4])],
            lambda a, axes=axes, keep=keep: torch.amax(a, dim=axes, keepdim=keep))
    add("max/axis1-ties", "max", {"axes": [1], "keepDims": False},
        [I([2.0, 2.0, 1.0, -1.0, -1.0, -1.0], [2, 3])], lambda a: torch.amax(a, dim=[1]))
    add("max/axis1-inf", "max", {"axes": [1], "keepDims": False},
        [I([INF, 2.0, 1.0, -INF, -INF, -INF], [2, 3])], lambda a: torch.amax(a, dim=[1]))
    # torch.amax over a slice holding a NaN gives the whole slice a NaN gradient (0/0 in its tie count);
    # torch.max(x) and torch.max(x, dim) give it to the NaN, as polygrad does for every max.
    add("max/axis1-nan", "max", {"axes": [1], "keepDims": False},
        [I([1.0, NAN, 2.0, 3.0, 1.0, 0.0], [2, 3])], lambda a: torch.amax(a, dim=[1]),
        deliberate=("amax-nan", lambda a: torch.max(a, 1).values))
    for ax in [0, -1]:
        add("max/0d-axis%d" % ax, "max", {"axes": [ax], "keepDims": False}, [I([2.5], [])],
            lambda a, ax=ax: torch.amax(a, dim=[ax]))

    # ------------------------------------------------------------ matmul
    M23 = [1.0, 2.0, -1.0, 0.5, -3.0, 2.0]
    M34 = [0.5, -1.0, 2.0, 1.5, -0.5, 3.0, 1.0, -2.0, 2.5, 0.25, -1.0, 1.0]
    V3 = [2.0, -1.0, 0.5]
    add("matmul/2d-2d", "matmul", {}, [I(M23, [2, 3]), I(M34, [3, 4])], torch.matmul)
    add("matmul/1d-1d", "matmul", {}, [I(V3), I(ROW3)], torch.matmul)
    add("matmul/1d-2d", "matmul", {}, [I(V3), I(M34, [3, 4])], torch.matmul)
    add("matmul/2d-1d", "matmul", {}, [I(M23, [2, 3]), I(V3)], torch.matmul)
    add("matmul/batch-broadcast", "matmul", {},
        [I(M23 + [x * 0.5 for x in M23], [2, 2, 3]), I(M34, [3, 4])], torch.matmul)
    add("matmul/batch-1d", "matmul", {}, [I(M23 + M23[::-1], [2, 2, 3]), I(V3)], torch.matmul)
    add("matmul/inf", "matmul", {}, [I([1.0, INF, 0.0, 1.0], [2, 2]), I([1.0, 2.0, 0.0, 3.0], [2, 2])],
        torch.matmul)
    for ta, tb in [(False, True), (True, False), (True, True)]:
        a_shape = [3, 2] if ta else [2, 3]
        b_shape = [4, 3] if tb else [3, 4]
        add("matmul-t/%s%s" % ("T" if ta else "N", "T" if tb else "N"), "matmul-t",
            {"transposeThis": ta, "transposeOther": tb}, [I(M23, a_shape), I(M34, b_shape)],
            lambda a, b, ta=ta, tb=tb: torch.matmul(a.transpose(-1, -2) if ta else a,
                                                    b.transpose(-1, -2) if tb else b))

    # ------------------------------------------------------------ shape ops
    add("reshape/2d-3d", "reshape", {"shape": [3, 1, 2]}, [I(A6, [2, 3])], lambda a: a.reshape(3, 1, 2))
    add("reshape/infer", "reshape", {"shape": [-1]}, [I(A6, [2, 3])], lambda a: a.reshape(-1))
    add("reshape/0d", "reshape", {"shape": [1, 1]}, [I([4.0], [])], lambda a: a.reshape(1, 1))
    add("reshape/to-0d", "reshape", {"shape": []}, [I([4.0], [1])], lambda a: a.reshape([]))
    add("transpose/2d", "transpose", {}, [I(A6, [2, 3])], lambda a: a.t())
    add("transpose/axes", "transpose", {"axes": [0, -1]}, [I(X234, [2, 3, 4])], lambda a: a.transpose(0, -1))
    add("permute/3d", "permute", {"axes": [2, 0, 1]}, [I(X234, [2, 3, 4])], lambda a: a.permute(2, 0, 1))
    add("broadcastTo/row", "broadcastTo", {"shape": [2, 3]}, [I(ROW3)], lambda a: a.broadcast_to([2, 3]))
    add("broadcastTo/0d", "broadcastTo", {"shape": [2, 2]}, [I([1.5], [])], lambda a: a.broadcast_to([2, 2]))
    add("broadcastTo/col", "broadcastTo", {"shape": [2, 2, 3]}, [I(COL2, [2, 1])],
        lambda a: a.broadcast_to([2, 2, 3]))
    add("slice/axis1", "slice", {"axis": 1, "start": 1, "end": 3}, [I(X234, [2, 3, 4])], lambda a: a[:, 1:3])
    add("slice/negative", "slice", {"axis": -1, "start": -3, "end": -1}, [I(X234, [2, 3, 4])],
        lambda a: a[..., -3:-1])
    add("index/axis0", "index", {"axis": 0, "index": 1}, [I(X234, [2, 3, 4])], lambda a: a.select(0, 1))
    add("index/axis2", "index", {"axis": 2, "index": 3}, [I(X234, [2, 3, 4])], lambda a: a.select(2, 3))
    add("concat/axis0", "concat", {"axis": 0}, [I(A6, [2, 3]), I(ROW3, [1, 3])], lambda a, b: torch.cat([a, b], 0))
    add("concat/axis1", "concat", {"axis": -1}, [I(A6, [2, 3]), I(COL2, [2, 1]), I(B6[:4], [2, 2])],
        lambda a, b, d: torch.cat([a, b, d], -1))

    # ------------------------------------------------------------ nn.functional
    LOGITS = [1.0, 2.0, 3.0, -1.0, 0.0, 1.0, 100.0, 100.0, -100.0, 0.5, 0.5, 0.5]
    for name, fn in {"softmax": F.softmax, "logSoftmax": F.log_softmax}.items():
        for ax in [1, 0, -1]:
            add("%s/axis%d" % (name, ax), name, {"axis": ax}, [I(LOGITS, [4, 3])], lambda a, ax=ax, fn=fn: fn(a, ax))
        add(name + "/masked", name, {"axis": 1}, [I([1.0, -INF, 2.0, -INF, -INF, 0.0], [2, 3])],
            lambda a, fn=fn: fn(a, 1))
        add(name + "/1d-large", name, {"axis": 0}, [I([1000.0, 999.0, -1000.0, 0.0])], lambda a, fn=fn: fn(a, 0))
    for ax, keep in [(1, False), (0, True), (-1, True)]:
        add("logSumExp/axis%d%s" % (ax, "-keep" if keep else ""), "logSumExp", {"axis": ax, "keepDims": keep},
            [I(LOGITS, [4, 3])], lambda a, ax=ax, keep=keep: torch.logsumexp(a, ax, keep))
    add("logSumExp/inf", "logSumExp", {"axis": 1, "keepDims": False},
        [I([-INF, -INF, -INF, 1.0, -INF, 2.0, INF, 0.0, 1.0], [3, 3])], lambda a: torch.logsumexp(a, 1))
    SP = [-100.0, -30.0, -20.5, -5.0, -1.0, -0.0, 0.0, 0.5, 1.0, 5.0, 19.9, 20.0, 20.1, 30.0, 100.0, INF, -INF, NAN]
    add("softplus/default", "softplus", {}, [I(SP)], F.softplus)
    add("softplus/2d", "softplus", {}, [I(A6, [2, 3])], F.softplus)
    for beta, threshold in [(1.0, 20.0), (2.0, 20.0), (0.5, 10.0), (1.0, 1.0), (3.0, 5.0)]:
        add("softplus/beta%s-threshold%s" % (beta, threshold), "softplus-beta",
            {"beta": beta, "threshold": threshold}, [I(SP)],
            lambda a, beta=beta, threshold=threshold: F.softplus(a, beta, threshold))
    add("linear/bias", "linear", {}, [I(A6, [2, 3]), I(M34, [4, 3]), I([0.5, -1.0, 0.0, 2.0])],
        lambda x, w, b: F.linear(x, w, b))
    add("linear/no-bias", "linear-nobias", {}, [I(A6, [2, 3]), I(M34, [4, 3])], lambda x, w: F.linear(x, w))
    add("linear/1d", "linear", {}, [I(V3), I(M23, [2, 3]), I(COL2)], lambda x, w, b: F.linear(x, w, b))
    add("linear/batch", "linear", {}, [I(X234[:12], [2, 2, 3]), I(M34, [4, 3]), I([0.5, -1.0, 0.0, 2.0])],
        lambda x, w, b: F.linear(x, w, b))

    # in-place updates (no gradient: polygrad allows them on tensors that need none, or inside NoGrad)
    inplace = {"subi": lambda a, b: a.sub_(b), "addi": lambda a, b: a.add_(b), "muli": lambda a, b: a.mul_(b),
               "divi": lambda a, b: a.div_(b), "assign": lambda a, b: a.copy_(b)}
    for name, fn in inplace.items():
        add(name + "/broadcast", name, {}, [I(A6, [2, 3], grad=False), I(ROW3, [3], grad=False)],
            lambda a, b, fn=fn: fn(a.clone(), b), False)
        add(name + "/edge", name, {}, [I(edge_a, grad=False), I(edge_b, grad=False)],
            lambda a, b, fn=fn: fn(a.clone(), b), False)
    for name, fn in {"subi-scalar": lambda a, v: a.sub_(v), "muli-scalar": lambda a, v: a.mul_(v),
                     "fill": lambda a, v: a.fill_(v)}.items():
        add(name + "/plain", name, {"value": 2.5}, [I(A6, [2, 3], grad=False)],
            lambda a, fn=fn: fn(a.clone(), 2.5), False)
        add(name + "/nan", name, {"value": NAN}, [I(EDGE, grad=False)], lambda a, fn=fn: fn(a.clone(), NAN), False)

    # dtype conversion (gradient back in the input's dtype)
    add("to/float64", "to-float64", {}, [I(A6, [2, 3])], lambda a: a.to(torch.float64))
    add("to/float32", "to-float32", {}, [I([0.1, 1.0 / 3.0, 1e-50, 1e39, -2.5, NAN])], lambda a: a.to(torch.float32))
    return c


def loss_cases():
    c = []

    def add(case_id, op, params, inputs, fn, differentiable=True, deliberate=None):
        c.append((case_id, op, params, inputs, fn, differentiable, deliberate))

    reductions = {"mean": "MEAN", "sum": "SUM", "none": "NONE"}
    P = [0.5, -1.25, 2.0, -0.75, 1.5, 3.0, 0.0, 4.0]
    T = [1.5, -1.25, -2.0, 0.5, 1.0, 2.5, 0.0, -3.0]
    # errors: 0 (kink), inside/outside/at the huber threshold, large
    PE = [0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -3.0, 1e10]
    TE = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    for red, jred in reductions.items():
        add("mse/%s" % red, "mse", {"reduction": jred}, [I(P, [2, 4]), I(T, [2, 4])],
            lambda a, b, red=red: F.mse_loss(a, b, reduction=red))
        add("mae/%s" % red, "mae", {"reduction": jred}, [I(P, [2, 4]), I(T, [2, 4])],
            lambda a, b, red=red: F.l1_loss(a, b, reduction=red))
        add("mae/%s-kinks" % red, "mae", {"reduction": jred}, [I(PE), I(TE)],
            lambda a, b, red=red: F.l1_loss(a, b, reduction=red))
        add("mse/%s-edge" % red, "mse", {"reduction": jred}, [I(PE), I(TE)],
            lambda a, b, red=red: F.mse_loss(a, b, reduction=red))
        for delta in [1.0, 0.5, 2.0]:
            add("huber/delta%s-%s" % (delta, red), "huber", {"delta": delta, "reduction": jred}, [I(PE), I(TE)],
                lambda a, b, red=red, delta=delta: F.huber_loss(a, b, reduction=red, delta=delta))
        for beta in [1.0, 0.5, 2.0, 0.0]:
            # beta = 0 at a zero error: PyTorch 1.13's kernel gives the gradient -1 (pytorch/pytorch#96813,
            # fixed in 2.1 by calling l1_loss); polygrad gives L1's 0, as PyTorch documents.
            add("smoothL1/beta%s-%s" % (beta, red), "smoothL1", {"beta": beta, "reduction": jred}, [I(PE), I(TE)],
                lambda a, b, red=red, beta=beta: F.smooth_l1_loss(a, b, reduction=red, beta=beta),
                deliberate=("smoothl1-beta0", lambda a, b, red=red: F.l1_loss(a, b, reduction=red))
                if beta == 0.0 else None)
        add("huber/2d-%s" % red, "huber", {"delta": 1.0, "reduction": jred}, [I(P, [2, 4]), I(T, [2, 4])],
            lambda a, b, red=red: F.huber_loss(a, b, reduction=red))
        add("smoothL1/2d-%s" % red, "smoothL1", {"beta": 1.0, "reduction": jred}, [I(P, [2, 4]), I(T, [2, 4])],
            lambda a, b, red=red: F.smooth_l1_loss(a, b, reduction=red))
        # binary cross-entropy with logits: 0, large logits, soft targets
        add("bceWithLogits/%s" % red, "bceWithLogits", {"reduction": jred},
            [I([0.0, 1.0, -1.0, 3.0, -3.0, 50.0, -50.0, 200.0, -200.0, 0.5]),
             I([0.0, 1.0, 0.0, 0.25, 1.0, 0.0, 1.0, 1.0, 0.0, 0.5])],
            lambda x, y, red=red: F.binary_cross_entropy_with_logits(x, y, reduction=red))
        # cross-entropy with class indices: [N, C], [C], [N, C, d], masked (-inf) logits, large logits
        add("crossEntropy/indices-%s" % red, "crossEntropy", {"reduction": jred},
            [I([1.0, 2.0, 3.0, -1.0, 0.0, 1.0, 100.0, 100.0, -100.0, 0.5, 0.5, 0.5], [4, 3]),
             I([2, 0, 1, 1], [4], grad=False)],
            lambda x, t, red=red: F.cross_entropy(x, t.long(), reduction=red))
        add("crossEntropy/masked-%s" % red, "crossEntropy", {"reduction": jred},
            [I([1.0, -INF, 2.0, -INF, 0.5, -INF, -INF, -INF, 3.0], [3, 3]), I([0, 1, 2], [3], grad=False)],
            lambda x, t, red=red: F.cross_entropy(x, t.long(), reduction=red))
        add("crossEntropy/spatial-%s" % red, "crossEntropy", {"reduction": jred},
            [I([float(((i * 5) % 7) - 3) for i in range(12)], [2, 3, 2]), I([0, 2, 1, 1], [2, 2], grad=False)],
            lambda x, t, red=red: F.cross_entropy(x, t.long(), reduction=red))
        add("crossEntropy/probabilities-%s" % red, "crossEntropy", {"reduction": jred},
            [I([1.0, 2.0, 3.0, -1.0, 0.0, 1.0], [2, 3]), I([0.2, 0.3, 0.5, 1.0, 0.0, 0.0], [2, 3])],
            lambda x, t, red=red: F.cross_entropy(x, t, reduction=red))
    # the overloads without a reduction (the mean)
    for name, fn in {"mse": F.mse_loss, "mae": F.l1_loss, "bceWithLogits": F.binary_cross_entropy_with_logits}.items():
        add(name + "/default", name + "-default", {}, [I(P, [2, 4]), I([0.0, 1.0, 0.25, 0.5, 1.0, 0.0, 0.75, 1.0], [2, 4])],
            fn)
    add("crossEntropy/default", "crossEntropy-default", {},
        [I([1.0, 2.0, 3.0, -1.0, 0.0, 1.0], [2, 3]), I([2, 0], [2], grad=False)],
        lambda x, t: F.cross_entropy(x, t.long()))
    add("crossEntropy/unbatched", "crossEntropy", {"reduction": "MEAN"},
        [I([0.5, -1.0, 2.0, 0.0]), I([3], [], grad=False)],
        lambda x, t: F.cross_entropy(x, t.long()))
    add("crossEntropy/unbatched-masked", "crossEntropy", {"reduction": "MEAN"},
        [I([0.5, -INF, 2.0, -INF]), I([2], [], grad=False)], lambda x, t: F.cross_entropy(x, t.long()))
    add("crossEntropy/probabilities-masked", "crossEntropy", {"reduction": "SUM"},
        [I([1.0, -INF, 3.0, -INF, 0.0, 1.0], [2, 3]), I([0.5, 0.0, 0.5, 0.0, 0.0, 1.0], [2, 3])],
        lambda x, t: F.cross_entropy(x, t, reduction="sum"))
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    for family, cases in [("ops", op_cases()), ("losses", loss_cases())]:
        for dtype in ["float32", "float64"]:
            rows = [run_case(cid, op, params, inputs, fn, dtype, differentiable, deliberate)
                    for cid, op, params, inputs, fn, differentiable, deliberate in cases]
            path = os.path.join(OUT, "%s-%s.json" % (family, dtype))
            write(path, dtype, GENERATOR, rows)
            print("%s: %d cases" % (path, len(rows)))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
