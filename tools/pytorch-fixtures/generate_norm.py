#!/usr/bin/python3
"""Writes polygrad's PyTorch fixtures for normalisation layers, the new loss options and module state dicts.

Run from the repository root with a Python that has torch (Debian's python3-torch 1.13 was used):

    /usr/bin/python3 tools/pytorch-fixtures/generate_norm.py

It writes, under conformance-tests/src/main/resources/io/polygrad/conformance/pytorch/:

* norm-float32.json, norm-float64.json: functional cases in the format of fixtures_common (op name,
  explicit inputs, PyTorch's output and the gradients of sum(output * upstream)); NormChecks maps each
  op name to polygrad's call (Functional.batchNorm, Functional.layerNorm, Losses.*).
* norm-modules.json: module sequences run by PyTorch's nn modules. "batchnorm" cases: a BatchNorm1d or
  BatchNorm2d fed a few training batches (per step: output, input gradient, weight and bias gradient,
  running_mean, running_var, num_batches_tracked) and then one evaluation batch. "statedict": the
  state_dict keys and shapes and the repr of a small model (Sequential of Linear, BatchNorm1d and a
  ModuleList).

Every input is written out below (a fixed formula, no RNG) and exact in float32.
"""

import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures_common import encode, flat, run_case, upstream_values, write  # noqa: E402

OUT = os.path.join("conformance-tests", "src", "main", "resources", "io", "polygrad", "conformance", "pytorch")
GENERATOR = "tools/pytorch-fixtures/generate_norm.py"
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def seq(n, offset=0, scale=0.25, mod=11):
    """n values ((i*7 + offset) % mod - mod//2) * scale: varied, signed, exact in float32."""
    return [(((i * 7 + offset) % mod) - mod // 2) * scale for i in range(n)]


def prob(n, offset=0):
    """n probabilities strictly inside (0, 1), exact in float32."""
    return [((i * 5 + offset) % 15 + 0.5) / 16.0 for i in range(n)]


def I(values, shape=None, grad=True):
    return (list(values), [len(values)] if shape is None else list(shape), grad)


def functional_cases():
    c = []

    def add(case_id, op, params, inputs, fn):
        c.append((case_id, op, params, inputs, fn))

    # ---- batch norm, training (batch statistics, no running statistics), with and without affine
    for name, shape in [("2d", [4, 3]), ("3d", [2, 3, 4]), ("4d", [2, 2, 3, 3])]:
        n = 1
        for d in shape:
            n *= d
        ch = shape[1]
        add("batchNorm/train-%s" % name, "batchNorm-train", {"eps": 1e-5},
            [I(seq(n), shape), I([1.5, -0.5, 2.0][:ch]), I([0.25, -1.0, 0.5][:ch])],
            lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True, eps=1e-5))
        add("batchNorm/train-noaffine-%s" % name, "batchNorm-train-noaffine", {"eps": 1e-3},
            [I(seq(n, 3), shape)], lambda x: F.batch_norm(x, None, None, training=True, eps=1e-3))
    # ---- batch norm, evaluation (PyTorch refuses a gradient for the running statistics)
    add("batchNorm/eval-3d", "batchNorm-eval", {"eps": 1e-5},
        [I(seq(12), [3, 2, 2]), I([0.5, -0.25], grad=False), I([1.5, 0.75], grad=False), I([2.0, -1.0]),
         I([0.5, 0.25])],
        lambda x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, training=False, eps=1e-5))
    add("batchNorm/eval-4d", "batchNorm-eval", {"eps": 0.1},
        [I(seq(24, 5), [2, 3, 2, 2]), I([0.5, -0.25, 1.0], grad=False), I([1.5, 0.75, 4.0], grad=False),
         I([2.0, -1.0, 1.0]),
         I([0.5, 0.25, 0.0])],
        lambda x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, training=False, eps=0.1))
    # ---- layer norm
    add("layerNorm/last", "layerNorm", {"shape": [3], "eps": 1e-5},
        [I(seq(6), [2, 3]), I([1.5, -0.5, 2.0]), I([0.25, -1.0, 0.5])],
        lambda x, w, b: F.layer_norm(x, [3], w, b, eps=1e-5))
    add("layerNorm/last-two", "layerNorm", {"shape": [2, 3], "eps": 1e-5},
        [I(seq(12, 4), [2, 2, 3]), I(seq(6, 1, 0.5), [2, 3]), I(seq(6, 2), [2, 3])],
        lambda x, w, b: F.layer_norm(x, [2, 3], w, b, eps=1e-5))
    add("layerNorm/noaffine", "layerNorm-noaffine", {"shape": [4], "eps": 1e-2},
        [I(seq(8, 6), [2, 4])], lambda x: F.layer_norm(x, [4], eps=1e-2))

    reductions = {"mean": "MEAN", "sum": "SUM", "none": "NONE"}
    for red, jred in reductions.items():
        # ---- BCE on probabilities, with and without weight
        add("bce/%s" % red, "bce", {"reduction": jred}, [I(prob(8), [2, 4]), I(prob(8, 3), [2, 4])],
            lambda x, y, red=red: F.binary_cross_entropy(x, y, reduction=red))
        add("bce/weight-%s" % red, "bce-weight", {"reduction": jred},
            [I(prob(8), [2, 4]), I([1.0, 0.0, 1.0, 0.0, 0.5, 1.0, 0.0, 1.0], [2, 4]),
             I([0.5, 2.0, 1.0, 0.25], [4], grad=False)],
            lambda x, y, w, red=red: F.binary_cross_entropy(x, y, weight=w, reduction=red))
        # at 0 and 1 the log is clamped at -100 and the input gradient is w(x-y)/max(x(1-x), 1e-12); the
        # target's gradient there is +-inf in PyTorch and +-100 in polygrad (docs/PYTORCH-DIFFERENCES.md)
        add("bce/edges-%s" % red, "bce", {"reduction": jred},
            [I([0.0, 1.0, 0.0, 1.0, 0.5, 1e-30]), I([0.0, 1.0, 1.0, 0.0, 0.5, 1.0], grad=False)],
            lambda x, y, red=red: F.binary_cross_entropy(x, y, reduction=red))
        # ---- BCE with logits: weight, pos_weight, both
        X = [0.0, 1.0, -1.0, 3.0, -3.0, 50.0, -50.0, 0.5]
        Y = [0.0, 1.0, 0.0, 0.25, 1.0, 0.0, 1.0, 0.5]
        add("bceWithLogits/weight-%s" % red, "bceWithLogits-options", {"reduction": jred, "weight": True,
                                                                       "posWeight": False},
            [I(X, [2, 4]), I(Y, [2, 4]), I([0.5, 2.0, 1.0, 0.25], [4], grad=False)],
            lambda x, y, w, red=red: F.binary_cross_entropy_with_logits(x, y, weight=w, reduction=red))
        add("bceWithLogits/posWeight-%s" % red, "bceWithLogits-options", {"reduction": jred, "weight": False,
                                                                          "posWeight": True},
            [I(X, [2, 4]), I(Y, [2, 4]), I([3.0, 0.5, 1.0, 2.0], [4], grad=False)],
            lambda x, y, p, red=red: F.binary_cross_entropy_with_logits(x, y, pos_weight=p, reduction=red))
        add("bceWithLogits/both-%s" % red, "bceWithLogits-options", {"reduction": jred, "weight": True,
                                                                     "posWeight": True},
            [I(X, [2, 4]), I(Y, [2, 4]), I([2.0, 0.5], [2, 1], grad=False), I([3.0, 0.5, 1.0, 2.0], [4], grad=False)],
            lambda x, y, w, p, red=red: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=p,
                                                                           reduction=red))
    # ---- KL divergence: every reduction, probability and log targets, zero probabilities
    logq = F.log_softmax(torch.tensor(seq(8), dtype=torch.float64).reshape(2, 4), 1)
    LOGQ = [float(v) for v in logq.reshape(-1)]
    P = [0.125, 0.25, 0.5, 0.125, 0.375, 0.125, 0.25, 0.25]
    LOGP = [-2.0, -1.5, -0.5, -3.0, -1.0, -1.25, -2.5, -0.75]
    for red, jred in list(reductions.items()) + [("batchmean", None)]:
        for log_target, tgt in [(False, P), (True, LOGP)]:
            params = {"logTarget": log_target} if red == "batchmean" else {"reduction": jred, "logTarget": log_target}
            add("klDiv/%s%s" % (red, "-logtarget" if log_target else ""),
                "klDivBatchMean" if red == "batchmean" else "klDiv", params, [I(LOGQ, [2, 4]), I(tgt, [2, 4])],
                lambda x, y, red=red, lt=log_target: F.kl_div(x, y, reduction=red, log_target=lt))
    add("klDiv/zero-target", "klDiv", {"reduction": "SUM", "logTarget": False},
        [I(LOGQ, [2, 4]), I([0.0, 0.5, 0.5, 0.0, 1.0, 0.0, 0.0, 0.0], [2, 4], grad=False)],
        lambda x, y: F.kl_div(x, y, reduction="sum"))
    add("klDiv/default", "klDiv-default", {}, [I(LOGQ, [2, 4]), I(P, [2, 4])], lambda x, y: F.kl_div(x, y))
    # ---- Huber and smooth L1 with their default delta / beta
    PE = [0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -3.0, 2.25]
    TE = [0.0, 0.25, 0.0, 0.0, 0.5, 0.0, 0.0, -1.0]
    add("huber/default", "huber-default", {}, [I(PE, [2, 4]), I(TE, [2, 4])], lambda a, b: F.huber_loss(a, b))
    add("smoothL1/default", "smoothL1-default", {}, [I(PE, [2, 4]), I(TE, [2, 4])],
        lambda a, b: F.smooth_l1_loss(a, b))
    for red, jred in reductions.items():
        add("huber/default-delta-%s" % red, "huber-reduction", {"reduction": jred}, [I(PE), I(TE)],
            lambda a, b, red=red: F.huber_loss(a, b, reduction=red))
        add("smoothL1/default-beta-%s" % red, "smoothL1-reduction", {"reduction": jred}, [I(PE), I(TE)],
            lambda a, b, red=red: F.smooth_l1_loss(a, b, reduction=red))
    return c


def batchnorm_sequence(case_id, module_type, num_features, shape, dtype, **options):
    """Runs a fresh batch norm module through 3 training steps and 1 evaluation step."""
    torch_dtype = DTYPES[dtype]
    bn = getattr(nn, module_type)(num_features, **options).to(torch_dtype)
    if bn.affine:
        with torch.no_grad():
            bn.weight.copy_(torch.tensor([1.5, -0.5, 2.0, 0.75][:num_features]))
            bn.bias.copy_(torch.tensor([0.25, -1.0, 0.5, 0.0][:num_features]))
    n = 1
    for d in shape:
        n *= d
    steps = []
    for k, training in enumerate([True, True, True, False]):
        bn.train(training)
        x = torch.tensor(seq(n, 3 * k, 0.25 * (k + 1), 13), dtype=torch.float64).reshape(shape).to(torch_dtype)
        x.requires_grad_(True)
        out = bn(x)
        up = torch.tensor(upstream_values(out.numel()), dtype=torch_dtype).reshape(out.shape)
        params = [p for p in [bn.weight, bn.bias] if p is not None]
        grads = torch.autograd.grad((out * up).sum(), [x] + params)
        step = {"training": training, "input": encode(flat(x)), "output": encode(flat(out)),
                "upstream": encode(flat(up)), "inputGrad": encode(flat(grads[0]))}
        if params:
            step["weightGrad"] = encode(flat(grads[1]))
            step["biasGrad"] = encode(flat(grads[2]))
        if bn.track_running_stats:
            step["runningMean"] = encode(flat(bn.running_mean))
            step["runningVar"] = encode(flat(bn.running_var))
            step["numBatchesTracked"] = int(bn.num_batches_tracked)
        steps.append(step)
    affine = {"weight": encode(flat(bn.weight)), "bias": encode(flat(bn.bias))} if bn.affine else {}
    return {"id": case_id, "module": module_type, "dtype": dtype, "numFeatures": num_features, "shape": shape,
            "eps": bn.eps, "momentum": bn.momentum, "affine": bn.affine, **affine,
            "trackRunningStats": bn.track_running_stats, "repr": repr(bn), "steps": steps}


def state_dict_case():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4),
                          nn.ModuleList([nn.Linear(4, 2), nn.Identity(), nn.LayerNorm(2)]),
                          nn.Sequential(nn.BatchNorm2d(2, momentum=None, affine=False), nn.LayerNorm([2, 3], eps=1e-6)))
    return {"id": "statedict/sequential", "repr": repr(model),
            "keys": [{"key": k, "shape": list(v.shape)} for k, v in model.state_dict().items()]}


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = functional_cases()
    for dtype in ["float32", "float64"]:
        rows = [run_case(cid, op, params, inputs, fn, dtype) for cid, op, params, inputs, fn in cases]
        path = os.path.join(OUT, "norm-%s.json" % dtype)
        write(path, dtype, GENERATOR, rows)
        print("%s: %d cases" % (path, len(rows)))
    modules = []
    for dtype in ["float32", "float64"]:
        modules.append(batchnorm_sequence("batchnorm/2d-default/" + dtype, "BatchNorm2d", 3, [2, 3, 2, 2], dtype))
        modules.append(batchnorm_sequence("batchnorm/2d-cumulative/" + dtype, "BatchNorm2d", 2, [3, 2, 2, 1], dtype,
                                          momentum=None))
        modules.append(batchnorm_sequence("batchnorm/1d-vectors/" + dtype, "BatchNorm1d", 4, [3, 4], dtype,
                                          momentum=0.25, eps=1e-3))
        modules.append(batchnorm_sequence("batchnorm/1d-sequences-noaffine/" + dtype, "BatchNorm1d", 2, [2, 2, 3],
                                          dtype, affine=False))
        modules.append(batchnorm_sequence("batchnorm/1d-untracked/" + dtype, "BatchNorm1d", 3, [4, 3], dtype,
                                          track_running_stats=False))
    path = os.path.join(OUT, "norm-modules.json")
    with open(path, "w") as f:
        f.write('{"generator": %s, "torch": %s, "batchnorm": [\n' % (json.dumps(GENERATOR), json.dumps(torch.__version__)))
        f.write(",\n".join(json.dumps(m, allow_nan=False, separators=(",", ":")) for m in modules))
        f.write('\n], "statedict": [\n%s\n]}\n' % json.dumps(state_dict_case(), separators=(",", ":")))
    print("%s: %d batch norm sequences and a state dict" % (path, len(modules)))


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
