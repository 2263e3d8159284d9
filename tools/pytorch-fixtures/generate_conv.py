"""Writes polygrad's PyTorch fixtures for convolution and pooling (forward values and gradients).

Run from the repository root with a Python that has torch (Debian's python3-torch 1.13 was used):

    /usr/bin/python3 tools/pytorch-fixtures/generate_conv.py

It writes conv-float32.json and conv-float64.json under
conformance-tests/src/main/resources/io/polygrad/conformance/pytorch/ (the fixture format of
fixtures_common.py). Inputs are multiples of 1/8 in [-2, 2] (exact in float32, so both dtypes see the
same values) from a fixed, written-out recurrence, not an RNG; the small integer ranges make ties in
max pooling, which PyTorch's CPU kernel sends to the first maximum of the window in row-major order.
The op names are polygrad's (PyTorchOpChecks maps each to ConvolutionOps); each lambda here is
PyTorch's meaning of it.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures_common import run_case, write  # noqa: E402

OUT = os.path.join("conformance-tests", "src", "main", "resources", "io", "polygrad", "conformance", "pytorch")
GENERATOR = "tools/pytorch-fixtures/generate_conv.py"


def values(n, seed, levels=33):
    """n multiples of 1/8 in [-2, 2] from a linear congruential recurrence (levels = how many distinct)."""
    out = []
    state = seed
    for _ in range(n):
        state = (state * 1103515245 + 12345) % (1 << 31)
        out.append(((state >> 8) % levels - (levels // 2)) / 8.0)
    return out


def I(shape, seed, grad=True, levels=33):
    n = 1
    for d in shape:
        n *= d
    return (values(n, seed, levels), list(shape), grad)


def conv_cases():
    c = []

    def conv(case_id, x, w, b, stride, padding, dilation, groups):
        params = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups, "bias": b is not None}
        inputs = [x, w] + ([b] if b is not None else [])
        fn = (lambda xx, ww, bb=None: F.conv2d(xx, ww, bb, stride, padding, dilation, groups))
        c.append((case_id, "conv2d", params, inputs, fn))

    conv("conv2d/basic", I([2, 3, 5, 5], 1), I([4, 3, 3, 3], 2), I([4], 3), [1, 1], [0, 0], [1, 1], 1)
    conv("conv2d/stride2-pad1", I([2, 2, 7, 6], 4), I([3, 2, 3, 3], 5), I([3], 6), [2, 2], [1, 1], [1, 1], 1)
    conv("conv2d/dilation2-pad2", I([1, 2, 7, 7], 7), I([2, 2, 3, 3], 8), I([2], 9), [1, 1], [2, 2], [2, 2], 1)
    conv("conv2d/groups2", I([2, 4, 5, 5], 10), I([6, 2, 3, 3], 11), I([6], 12), [1, 1], [1, 1], [1, 1], 2)
    conv("conv2d/depthwise", I([1, 3, 4, 4], 13), I([3, 1, 2, 2], 14), None, [1, 1], [0, 0], [1, 1], 3)
    conv("conv2d/rect-kernel-asym-stride", I([1, 2, 6, 5], 15), I([2, 2, 2, 3], 16), I([2], 17), [2, 1], [1, 0],
         [1, 1], 1)
    conv("conv2d/no-bias-5x5-pad2", I([2, 1, 6, 6], 18), I([2, 1, 5, 5], 19), None, [1, 1], [2, 2], [1, 1], 1)
    conv("conv2d/unbatched", I([2, 5, 5], 20), I([3, 2, 3, 3], 21), I([3], 22), [1, 1], [1, 1], [1, 1], 1)
    conv("conv2d/kernel-equals-padded-input", I([1, 1, 3, 3], 23), I([1, 1, 5, 5], 24), None, [1, 1], [1, 1],
         [1, 1], 1)

    def pool(case_id, op, x, kernel, stride, padding, count_include_pad=True):
        params = {"kernel": kernel, "stride": stride, "padding": padding, "countIncludePad": count_include_pad}
        if op == "maxPool2d":
            fn = lambda xx: F.max_pool2d(xx, kernel, stride, padding)
        else:
            fn = lambda xx: F.avg_pool2d(xx, kernel, stride, padding, count_include_pad=count_include_pad)
        c.append((case_id, op, params, [x], fn))

    pool("maxPool2d/k2", "maxPool2d", I([2, 2, 4, 4], 30), [2, 2], [2, 2], [0, 0])
    pool("maxPool2d/k3-s2-pad1-overlap", "maxPool2d", I([1, 2, 7, 7], 31), [3, 3], [2, 2], [1, 1])
    pool("maxPool2d/k3-s1-pad1-ties", "maxPool2d", I([1, 1, 5, 5], 32, levels=2), [3, 3], [1, 1], [1, 1])
    pool("maxPool2d/k2-s1-ties", "maxPool2d", I([1, 2, 4, 4], 33, levels=3), [2, 2], [1, 1], [0, 0])
    pool("maxPool2d/rect-k2x3-s1x2", "maxPool2d", I([1, 2, 5, 7], 34), [2, 3], [1, 2], [1, 1])
    pool("maxPool2d/negative-pad1", "maxPool2d", ([-1.0 - i / 8.0 for i in range(16)], [1, 1, 4, 4], True), [2, 2],
         [2, 2], [1, 1])
    pool("maxPool2d/unbatched", "maxPool2d", I([2, 4, 4], 35), [2, 2], [2, 2], [0, 0])
    pool("avgPool2d/k2", "avgPool2d", I([2, 2, 4, 4], 40), [2, 2], [2, 2], [0, 0])
    pool("avgPool2d/k3-s2-pad1-include", "avgPool2d", I([1, 2, 7, 7], 41), [3, 3], [2, 2], [1, 1], True)
    pool("avgPool2d/k3-s2-pad1-exclude", "avgPool2d", I([1, 2, 7, 7], 41), [3, 3], [2, 2], [1, 1], False)
    pool("avgPool2d/rect-k3x2-s1x2-pad1-exclude", "avgPool2d", I([2, 1, 5, 6], 42), [3, 2], [1, 2], [1, 1], False)
    pool("avgPool2d/unbatched", "avgPool2d", I([2, 4, 4], 43), [2, 2], [1, 1], [0, 0])

    def unfold(case_id, x, kernel, dilation, padding, stride):
        params = {"kernel": kernel, "dilation": dilation, "padding": padding, "stride": stride}
        c.append((case_id, "unfold", params, [x], lambda xx: F.unfold(xx, kernel, dilation, padding, stride)))

    def fold(case_id, x, size, kernel, dilation, padding, stride):
        params = {"outputSize": size, "kernel": kernel, "dilation": dilation, "padding": padding, "stride": stride}
        c.append((case_id, "fold", params, [x], lambda xx: F.fold(xx, size, kernel, dilation, padding, stride)))

    unfold("unfold/k2x3-dil1x2-pad1x0-s2x1", I([2, 2, 5, 5], 50), [2, 3], [1, 2], [1, 0], [2, 1])
    unfold("unfold/unbatched-k3-pad1", I([1, 4, 4], 51), [3, 3], [1, 1], [1, 1], [1, 1])
    # [N, C*kH*kW, L] for C = 2, a 2x3 kernel with dilation [1, 2], padding [1, 0], stride [2, 1] over 5x5: L = 3*1
    fold("fold/k2x3-dil1x2-pad1x0-s2x1", I([2, 12, 3], 52), [5, 5], [2, 3], [1, 2], [1, 0], [2, 1])
    fold("fold/overlap-k3-pad1", I([1, 9, 16], 53), [4, 4], [3, 3], [1, 1], [1, 1], [1, 1])
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = conv_cases()
    for dtype in ["float32", "float64"]:
        rows = [run_case(cid, op, params, inputs, fn, dtype) for cid, op, params, inputs, fn in cases]
        path = os.path.join(OUT, "conv-%s.json" % dtype)
        write(path, dtype, GENERATOR, rows)
        print("%s: %d cases" % (path, len(rows)))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
