#!/usr/bin/env python3
"""Writes the PyTorch fixtures of the native convolution and pooling kernels (io.polygrad.spi.ConvolutionKernels).

Each case runs one of torch.nn.functional.conv2d, max_pool2d and avg_pool2d on explicit inputs (written
out by a formula here, no random number generator) and records PyTorch's output and the gradients of
sum(output * upstream) with respect to the input (and, for conv2d, the weight): exactly what the kernels'
forward and backward methods must return. The cases cover stride, padding, dilation, groups (depthwise
included), sizes that leave rows and columns out, overlapping pooling windows, ties in max pooling and
both average-pooling divisors.

Run from the repository root with the PyTorch you want as the oracle (these were made with 1.13):

    /usr/bin/python3 tools/pytorch-fixtures/generate_conv_kernels.py

It rewrites conv-kernels-{float32,float64}.json in the test resources of backend-nd4j and backend-djl
(io/polygrad/nd4j/ and io/polygrad/djl/); Nd4jConvolutionTest and DjlConvolutionTest read them. The file
format is fixtures_common's: a case has "kind" (conv2d, maxPool2d, avgPool2d), the geometry ("stride",
"padding", "dilation", "groups" or "kernel", "stride", "padding", "countIncludePad"), "input", "weight" and
"bias" (conv2d; bias may be null), "output", "upstream", "gradInput" and "gradWeight" (conv2d).
"""
import json
import math
import os

import torch
import torch.nn.functional as F

from fixtures_common import encode, flat, upstream_values

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUTS = [os.path.join(ROOT, m, "src", "test", "resources", "io", "polygrad", p)
        for m, p in (("backend-nd4j", "nd4j"), ("backend-djl", "djl"))]


def values(n, seed, step=64.0):
    """Returns n values in [-2, 2], multiples of 1/step (exact in float32), varied by seed."""
    return [round(2.0 * math.sin(0.73 * i + seed) * step) / step for i in range(n)]


def ties(n, seed):
    """Returns n small integers with many repeats, so pooling windows hold ties."""
    return [float(((i * 7 + seed) % 5) - 2) for i in range(n)]


def numel(shape):
    return math.prod(shape)


def tensor(vals, shape, dtype):
    return torch.tensor(vals, dtype=torch.float64).reshape(shape).to(dtype).requires_grad_(True)


def arr(t):
    return {"shape": list(t.shape), "values": encode(flat(t))}


def conv_case(cid, dtype, n, c, h, w, o, k, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1,
              bias=True):
    x = tensor(values(n * c * h * w, 0.1), [n, c, h, w], dtype)
    wt = tensor(values(o * (c // groups) * k[0] * k[1], 1.7, 32.0), [o, c // groups, k[0], k[1]], dtype)
    b = tensor(values(o, 2.9, 16.0), [o], dtype) if bias else None
    out = F.conv2d(x, wt, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    up = torch.tensor(upstream_values(out.numel()), dtype=dtype).reshape(out.shape)
    gx, gw = torch.autograd.grad((out * up).sum(), [x, wt])
    return {"id": cid, "kind": "conv2d", "stride": list(stride), "padding": list(padding),
            "dilation": list(dilation), "groups": groups, "input": arr(x), "weight": arr(wt),
            "bias": arr(b) if bias else None, "output": arr(out), "upstream": arr(up),
            "gradInput": arr(gx), "gradWeight": arr(gw)}


def pool_case(cid, kind, dtype, shape, kernel, stride, padding=(0, 0), count_include_pad=True, tie=False,
              constant=None):
    n = numel(shape)
    vals = [constant] * n if constant is not None else ties(n, 3) if tie else values(n, 0.4)
    x = tensor(vals, shape, dtype)
    if kind == "maxPool2d":
        out = F.max_pool2d(x, kernel, stride, padding)
    else:
        out = F.avg_pool2d(x, kernel, stride, padding, count_include_pad=count_include_pad)
    up = torch.tensor(upstream_values(out.numel()), dtype=dtype).reshape(out.shape)
    (gx,) = torch.autograd.grad((out * up).sum(), [x])
    return {"id": cid, "kind": kind, "kernel": list(kernel), "stride": list(stride), "padding": list(padding),
            "countIncludePad": count_include_pad, "input": arr(x), "output": arr(out), "upstream": arr(up),
            "gradInput": arr(gx)}


def cases(dtype):
    return [
        conv_case("conv/basic", dtype, 2, 3, 6, 5, 4, (3, 3)),
        conv_case("conv/no-bias", dtype, 2, 3, 5, 5, 2, (2, 2), bias=False),
        conv_case("conv/pad2-k5", dtype, 2, 1, 7, 7, 4, (5, 5), padding=(2, 2)),
        conv_case("conv/stride2-pad1", dtype, 2, 3, 7, 6, 4, (3, 2), stride=(2, 1), padding=(1, 0)),
        conv_case("conv/stride3-leftover", dtype, 1, 2, 8, 9, 3, (3, 3), stride=(3, 3), padding=(1, 1)),
        conv_case("conv/dilation2", dtype, 2, 2, 8, 7, 3, (3, 3), padding=(2, 1), dilation=(2, 2)),
        conv_case("conv/mixed", dtype, 1, 2, 9, 10, 3, (2, 3), stride=(1, 2), padding=(2, 0), dilation=(1, 2)),
        conv_case("conv/stride2-dilation2", dtype, 1, 2, 9, 9, 2, (3, 3), stride=(2, 2), padding=(1, 1),
                  dilation=(2, 2)),
        conv_case("conv/groups2", dtype, 2, 4, 5, 5, 6, (3, 3), padding=(1, 1), groups=2),
        conv_case("conv/depthwise", dtype, 2, 3, 6, 6, 6, (2, 2), stride=(2, 2), groups=3),
        conv_case("conv/groups2-stride2-dilation", dtype, 1, 4, 9, 8, 4, (3, 2), stride=(2, 1), padding=(1, 1),
                  dilation=(1, 2), groups=2, bias=False),
        conv_case("conv/1x1", dtype, 3, 4, 3, 2, 5, (1, 1)),
        pool_case("max/k2s2", "maxPool2d", dtype, [2, 3, 6, 5], (2, 2), (2, 2)),
        pool_case("max/k3s2p1-overlap", "maxPool2d", dtype, [2, 2, 7, 6], (3, 3), (2, 2), (1, 1)),
        pool_case("max/k3s1-ties", "maxPool2d", dtype, [1, 2, 6, 6], (3, 3), (1, 1), tie=True),
        pool_case("max/k2s1p1-ties", "maxPool2d", dtype, [1, 2, 5, 4], (2, 2), (1, 1), (1, 1), tie=True),
        pool_case("max/constant", "maxPool2d", dtype, [1, 1, 4, 5], (2, 3), (1, 2), (1, 1), constant=-1.5),
        pool_case("max/k2x3-s1x2-p1", "maxPool2d", dtype, [2, 2, 5, 7], (2, 3), (1, 2), (1, 1)),
        pool_case("avg/k2s2", "avgPool2d", dtype, [2, 3, 6, 5], (2, 2), (2, 2)),
        pool_case("avg/k3s2p1-include", "avgPool2d", dtype, [2, 2, 7, 6], (3, 3), (2, 2), (1, 1), True),
        pool_case("avg/k3s2p1-exclude", "avgPool2d", dtype, [2, 2, 7, 6], (3, 3), (2, 2), (1, 1), False),
        pool_case("avg/k3x2-s2x1-p1-exclude", "avgPool2d", dtype, [1, 2, 6, 5], (3, 2), (2, 1), (1, 1), False),
        pool_case("avg/k3x2-s2x1-p1-include", "avgPool2d", dtype, [1, 2, 6, 5], (3, 2), (2, 1), (1, 1), True),
        pool_case("avg/k3s1-overlap", "avgPool2d", dtype, [1, 2, 5, 6], (3, 3), (1, 1)),
    ]


def main():
    for dtype_name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        cs = cases(dtype)
        for out_dir in OUTS:
            os.makedirs(out_dir, exist_ok=True)
            with open(os.path.join(out_dir, "conv-kernels-%s.json" % dtype_name), "w") as f:
                f.write('{"generator": "tools/pytorch-fixtures/generate_conv_kernels.py", "torch": %s, "dtype": %s, '
                        '"cases": [\n' % (json.dumps(torch.__version__), json.dumps(dtype_name)))
                f.write(",\n".join(json.dumps(c, allow_nan=False, separators=(",", ":")) for c in cs))
                f.write("\n]}\n")


if __name__ == "__main__":
    main()
