#!/usr/bin/env python3
"""Writes the PyTorch fixtures of polygrad's optimizers, LR schedulers and init formulas.

Every input is written out here (initial parameters, data, metric sequences, shapes); nothing
depends on a random number generator. The init fixtures record the bounds and standard deviations
that torch.nn.init itself passes to uniform_/normal_ (intercepted), not random draws.

Run from the repository root with the PyTorch you want as the oracle (these were made with 1.13):

    /usr/bin/python3 tools/pytorch-fixtures/generate_optim.py

It rewrites conformance-tests/src/main/resources/io/polygrad/conformance/pytorch/{optim,lr,init}-*.json;
PyTorchOptimChecks in conformance-tests reads them.
"""
import json
import math
import os
import sys

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "conformance-tests", "src", "main",
                   "resources", "io", "polygrad", "conformance", "pytorch")

STEPS = 50

# The problem: W [2, 3] and b [2] fitted by mean squared error to explicit data,
# loss = mean((X @ W.T + b - Y) ** 2).
X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.75], [0.0, -0.5, 1.25], [1.0, 2.0, -1.5],
     [-0.75, -1.25, 0.5]]
Y = [[1.0, -2.0], [0.5, 1.5], [-1.0, 0.25], [2.0, -0.5], [-1.5, 1.0], [0.75, 0.0]]
W0 = [[0.3, -0.2, 0.1], [-0.4, 0.25, 0.6]]
B0 = [0.05, -0.15]

OPTIMIZERS = [
    # (id, class, options); every option polygrad offers, alone and combined
    ("sgd", "SGD", {"lr": 0.05}),
    ("sgd-momentum", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("sgd-dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}),
    ("sgd-nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd-weight-decay", "SGD", {"lr": 0.05, "weight_decay": 0.1}),
    ("sgd-nesterov-weight-decay", "SGD", {"lr": 0.03, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
    ("sgd-momentum-dampening-weight-decay", "SGD", {"lr": 0.04, "momentum": 0.7, "dampening": 0.3,
                                                     "weight_decay": 0.2}),
    ("sgd-maximize", "SGD", {"lr": 0.01, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}),
    ("adam-defaults", "Adam", {}),
    ("adam", "Adam", {"lr": 0.05}),
    ("adam-betas", "Adam", {"lr": 0.05, "betas": [0.8, 0.99]}),
    ("adam-eps", "Adam", {"lr": 0.05, "eps": 1e-2}),
    ("adam-weight-decay", "Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("adam-amsgrad", "Adam", {"lr": 0.05, "amsgrad": True}),
    ("adam-amsgrad-all", "Adam", {"lr": 0.02, "betas": [0.5, 0.9], "eps": 1e-3, "weight_decay": 0.05,
                                  "amsgrad": True}),
    ("adam-maximize", "Adam", {"lr": 0.02, "weight_decay": 0.1, "amsgrad": True, "maximize": True}),
    ("adamw-defaults", "AdamW", {}),
    ("adamw", "AdamW", {"lr": 0.05}),
    ("adamw-weight-decay", "AdamW", {"lr": 0.05, "weight_decay": 0.3}),
    ("adamw-betas-eps", "AdamW", {"lr": 0.05, "betas": [0.7, 0.95], "eps": 1e-4}),
    ("adamw-amsgrad", "AdamW", {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    ("adamw-maximize", "AdamW", {"lr": 0.02, "weight_decay": 0.1, "maximize": True}),
    ("rmsprop-defaults", "RMSprop", {}),
    ("rmsprop-alpha", "RMSprop", {"lr": 0.005, "alpha": 0.9}),
    ("rmsprop-eps", "RMSprop", {"lr": 0.01, "eps": 1e-2}),
    ("rmsprop-weight-decay", "RMSprop", {"lr": 0.01, "weight_decay": 0.1}),
    ("rmsprop-momentum", "RMSprop", {"lr": 0.005, "momentum": 0.9}),
    ("rmsprop-centered", "RMSprop", {"lr": 0.01, "centered": True}),
    ("rmsprop-centered-momentum", "RMSprop", {"lr": 0.005, "alpha": 0.95, "momentum": 0.5, "centered": True}),
    ("rmsprop-all", "RMSprop", {"lr": 0.003, "alpha": 0.9, "eps": 1e-4, "weight_decay": 0.05, "momentum": 0.3,
                                "centered": True}),
    ("rmsprop-maximize", "RMSprop", {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.1,
                                     "maximize": True}),
]


def f32(x):
    """The float32 value of x, as the shortest decimal that round-trips in float32."""
    import struct
    v = struct.unpack("f", struct.pack("f", x))[0]
    for digits in range(6, 10):
        s = "%.*g" % (digits, v)
        if struct.unpack("f", struct.pack("f", float(s)))[0] == v:
            return float(s)
    return v


def nudged(values, ulps):
    """values (float32) moved by ulps units in the last place, for the sensitivity measurement."""
    t = torch.tensor(values, dtype=torch.float32)
    for _ in range(abs(ulps)):
        t = torch.nextafter(t, torch.full_like(t, math.inf if ulps > 0 else -math.inf))
    return t.tolist()


def trajectory(cls, options, dtype, w0=W0, b0=B0):
    w = torch.tensor(w0, dtype=dtype, requires_grad=True)
    b = torch.tensor(b0, dtype=dtype, requires_grad=True)
    x = torch.tensor(X, dtype=dtype)
    y = torch.tensor(Y, dtype=dtype)
    opt = getattr(torch.optim, cls)([w, b], **options)
    rnd = f32 if dtype == torch.float32 else float
    losses, params = [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((x @ w.T + b - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(rnd(loss.item()))
        params.append([rnd(v) for v in w.detach().flatten().tolist() + b.detach().tolist()])
    return {"loss": losses, "params": params}


def optim_fixture():
    cases = []
    for cid, cls, options in OPTIMIZERS:
        case = {"id": cid, "optimizer": cls, "options": options}
        for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
            case[name] = trajectory(cls, options, dtype)
        # How far PyTorch's own float32 trajectory moves when the initial parameters move by one ulp
        # (W up and b down, then the reverse): the rounding sensitivity of the case. A case that amplifies
        # rounding (RMSprop near sign descent) tests nothing but rounding, so it is refused.
        base = case["float32"]["params"]
        sens = 0.0
        for k in (1, -1):
            other = trajectory(cls, options, torch.float32, nudged(W0, k), nudged(B0, -k))["params"]
            sens = max(sens, max(abs(a - b) for ra, rb in zip(base, other) for a, b in zip(ra, rb)))
        if sens > 1e-6:
            sys.exit("case %s amplifies rounding: a 1-ulp change of the initial values moves float32 by %.2e" % (cid, sens))
        case["float32Sensitivity"] = sens
        cases.append(case)
    defaults = {}
    for cls in ("SGD", "Adam", "AdamW", "RMSprop"):
        p = [torch.zeros(1, requires_grad=True)]
        opt = getattr(torch.optim, cls)(p, lr=0.5) if cls == "SGD" else getattr(torch.optim, cls)(p)
        d = {k: v for k, v in opt.defaults.items() if isinstance(v, (bool, int, float, list, tuple))}
        if cls == "SGD":
            d.pop("lr")  # torch.optim.SGD has no default learning rate: lr is required
            try:
                torch.optim.SGD(p)
                d["lrRequired"] = False
            except (TypeError, ValueError):
                d["lrRequired"] = True
        defaults[cls] = d
    return {"torch": torch.__version__, "steps": STEPS, "X": X, "Y": Y, "W0": W0, "B0": B0,
            "loss": "mean((X @ W.T + b - Y) ** 2)", "params": "W.flatten() then b, after each step",
            "defaults": defaults, "cases": cases}


# ---------------------------------------------------------------- schedulers

EPOCHS = 40
BASE_LR = 0.1


def make(opt, spec):
    kind = spec["kind"]
    a = {k: v for k, v in spec.items() if k not in ("kind", "schedulers")}
    S = torch.optim.lr_scheduler
    if kind == "StepLR":
        return S.StepLR(opt, **a)
    if kind == "MultiStepLR":
        return S.MultiStepLR(opt, **a)
    if kind == "ExponentialLR":
        return S.ExponentialLR(opt, **a)
    if kind == "CosineAnnealingLR":
        return S.CosineAnnealingLR(opt, **a)
    if kind == "LinearLR":
        return S.LinearLR(opt, **a)
    if kind == "SequentialLR":
        return S.SequentialLR(opt, [make(opt, s) for s in spec["schedulers"]], **a)
    if kind == "ChainedScheduler":
        return S.ChainedScheduler([make(opt, s) for s in spec["schedulers"]])
    raise ValueError(kind)


SCHEDULERS = [
    ("step", {"kind": "StepLR", "step_size": 3, "gamma": 0.5}),
    ("step-default-gamma", {"kind": "StepLR", "step_size": 4}),
    ("multistep", {"kind": "MultiStepLR", "milestones": [2, 5, 5, 9, 30], "gamma": 0.5}),
    ("multistep-unsorted-default-gamma", {"kind": "MultiStepLR", "milestones": [12, 3]}),
    ("exponential", {"kind": "ExponentialLR", "gamma": 0.9}),
    ("cosine", {"kind": "CosineAnnealingLR", "T_max": 10, "eta_min": 0.01}),
    ("cosine-default-eta-min", {"kind": "CosineAnnealingLR", "T_max": 7}),
    ("linear", {"kind": "LinearLR", "start_factor": 0.25, "end_factor": 1.0, "total_iters": 6}),
    ("linear-decay", {"kind": "LinearLR", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 8}),
    ("linear-defaults", {"kind": "LinearLR"}),
    ("sequential-warmup-cosine", {"kind": "SequentialLR", "milestones": [4], "schedulers": [
        {"kind": "LinearLR", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 4},
        {"kind": "CosineAnnealingLR", "T_max": 10, "eta_min": 0.0}]}),
    ("sequential-three", {"kind": "SequentialLR", "milestones": [5, 12], "schedulers": [
        {"kind": "ExponentialLR", "gamma": 0.9},
        {"kind": "StepLR", "step_size": 2, "gamma": 0.5},
        {"kind": "MultiStepLR", "milestones": [3, 6], "gamma": 0.2}]}),
    ("chained-warmup-exponential", {"kind": "ChainedScheduler", "schedulers": [
        {"kind": "LinearLR", "start_factor": 0.5, "end_factor": 1.0, "total_iters": 4},
        {"kind": "ExponentialLR", "gamma": 0.9}]}),
    ("chained-step-multistep", {"kind": "ChainedScheduler", "schedulers": [
        {"kind": "StepLR", "step_size": 3, "gamma": 0.5},
        {"kind": "MultiStepLR", "milestones": [4, 8], "gamma": 0.1}]}),
    ("chained-linear-cosine", {"kind": "ChainedScheduler", "schedulers": [
        {"kind": "LinearLR", "start_factor": 0.2, "end_factor": 1.0, "total_iters": 5},
        {"kind": "CosineAnnealingLR", "T_max": 12, "eta_min": 0.001}]}),
]

# ReduceLROnPlateau, driven by explicit metric sequences
LOSSES = [1.0, 0.9, 0.85, 0.84, 0.84, 0.841, 0.8399, 0.845, 0.85, 0.83, 0.8299, 0.83, 0.831, 0.832, 0.7, 0.71, 0.72,
          0.72, 0.73, 0.69, 0.69, 0.69, 0.69, 0.69, 0.689, 0.6899, 0.7, 0.7, 0.7, 0.7]
ACCURACIES = [0.1, 0.2, 0.25, 0.25, 0.2, 0.26, 0.3, 0.3, 0.305, 0.3, 0.29, 0.31, 0.35, 0.35, 0.35, 0.36, 0.36,
              0.36, 0.36, 0.37, 0.4, 0.4, 0.39, 0.38, 0.38, 0.41, 0.41, 0.41, 0.41, 0.41]
PLATEAUS = [
    ("plateau-defaults", {}, LOSSES * 2),
    ("plateau-min-rel", {"factor": 0.5, "patience": 2, "threshold": 0.01}, LOSSES),
    ("plateau-min-abs-cooldown", {"factor": 0.5, "patience": 1, "threshold": 0.005, "threshold_mode": "abs",
                                  "cooldown": 2}, LOSSES),
    ("plateau-max-rel-min-lr", {"mode": "max", "factor": 0.3, "patience": 1, "min_lr": 0.005}, ACCURACIES),
    ("plateau-max-abs-eps", {"mode": "max", "factor": 0.5, "patience": 0, "threshold": 0.02,
                             "threshold_mode": "abs", "eps": 0.02}, ACCURACIES),
]


def lr_fixture():
    cases = []
    for cid, spec in SCHEDULERS:
        p = [torch.zeros(1, requires_grad=True)]
        opt = torch.optim.SGD(p, lr=BASE_LR)
        sched = make(opt, spec)
        lrs = [opt.param_groups[0]["lr"]]
        last = [sched.get_last_lr()[0]]
        for _ in range(EPOCHS):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
            last.append(sched.get_last_lr()[0])
        cases.append({"id": cid, "scheduler": spec, "lr": lrs, "lastLr": last})
    for cid, options, metrics in PLATEAUS:
        p = [torch.zeros(1, requires_grad=True)]
        opt = torch.optim.SGD(p, lr=BASE_LR)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
        lrs = [opt.param_groups[0]["lr"]]
        for m in metrics:
            opt.step()
            sched.step(m)
            lrs.append(opt.param_groups[0]["lr"])
        cases.append({"id": cid, "scheduler": dict(kind="ReduceLROnPlateau", **options), "metrics": metrics,
                      "lr": lrs})
    plateau_defaults = {k: v for k, v in vars(torch.optim.lr_scheduler.ReduceLROnPlateau(
        torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=BASE_LR))).items()
        if k in ("mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "eps")}
    plateau_defaults["min_lr"] = 0.0
    return {"torch": torch.__version__, "baseLr": BASE_LR, "epochs": EPOCHS,
            "lr": "the optimizer's lr after construction, then after each step", "plateauDefaults": plateau_defaults,
            "linearDefaults": {"start_factor": 1.0 / 3, "end_factor": 1.0, "total_iters": 5}, "cases": cases}


# ---------------------------------------------------------------- init

class Recorder:
    """Records what torch.nn.init passes to uniform_/normal_ instead of drawing."""

    def __init__(self):
        self.calls = []

    def __enter__(self):
        self.u, self.n = torch.Tensor.uniform_, torch.Tensor.normal_
        rec = self

        def uniform_(t, a=0.0, b=1.0, generator=None):
            rec.calls.append(("uniform", list(t.shape), a, b))
            return t

        def normal_(t, mean=0.0, std=1.0, generator=None):
            rec.calls.append(("normal", list(t.shape), mean, std))
            return t

        torch.Tensor.uniform_, torch.Tensor.normal_ = uniform_, normal_
        return self

    def __exit__(self, *exc):
        torch.Tensor.uniform_, torch.Tensor.normal_ = self.u, self.n


SHAPES = [[3, 5], [7, 4, 3], [6, 2, 3, 3], [4, 3, 2, 2, 2], [1, 1], [16, 64]]
NONLINEARITIES = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]


def init_fixture():
    gains = []
    for n in NONLINEARITIES:
        gains.append({"nonlinearity": n, "param": None, "gain": torch.nn.init.calculate_gain(n)})
    for slope in (0.0, 0.2, math.sqrt(5), 1.0):
        gains.append({"nonlinearity": "leaky_relu", "param": slope,
                      "gain": torch.nn.init.calculate_gain("leaky_relu", slope)})
    fans = []
    for s in SHAPES + [[5, 0], [0, 3, 2]]:
        fi, fo = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(s))
        fans.append({"shape": s, "fanIn": fi, "fanOut": fo})
    fan_errors = []
    for s in ([], [4]):
        try:
            torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(s))
            fan_errors.append({"shape": s, "error": False})
        except ValueError:
            fan_errors.append({"shape": s, "error": True})
    bounds = []
    for s in SHAPES:
        for gain in (1.0, 0.5, 5.0 / 3):
            for fn in ("xavier_uniform_", "xavier_normal_"):
                with Recorder() as r:
                    getattr(torch.nn.init, fn)(torch.empty(s), gain=gain)
                kind, _, lo, hi = r.calls[0]
                bounds.append({"init": fn, "shape": s, "gain": gain,
                               "value": hi if kind == "uniform" else hi, "low": lo})
        variants = [{}]  # the defaults: a=0, mode fan_in, leaky_relu
        for mode in ("fan_in", "fan_out"):
            for nl, a in (("leaky_relu", 0.0), ("leaky_relu", math.sqrt(5)), ("leaky_relu", 0.2), ("relu", 0.0),
                          ("tanh", 0.0), ("linear", 0.0), ("selu", 0.0)):
                variants.append({"a": a, "mode": mode, "nonlinearity": nl})
        for fn in ("kaiming_uniform_", "kaiming_normal_"):
            for v in variants:
                with Recorder() as r:
                    getattr(torch.nn.init, fn)(torch.empty(s), **v)
                kind, _, lo, hi = r.calls[0]
                bounds.append({"init": fn, "shape": s, "options": v, "value": hi, "low": lo})
    zero_element = []
    for fn in ("kaiming_uniform_", "kaiming_normal_"):
        with Recorder() as r:
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                getattr(torch.nn.init, fn)(torch.empty([0, 3]))
        zero_element.append({"init": fn, "shape": [0, 3], "draws": len(r.calls)})
    linear = []
    for fin, fout in ((3, 2), (1, 1), (64, 16), (5, 7)):
        with Recorder() as r:
            torch.nn.Linear(fin, fout)
        (wk, ws, wlo, whi), (bk, bs, blo, bhi) = r.calls
        assert wk == bk == "uniform"
        linear.append({"inFeatures": fin, "outFeatures": fout, "weightShape": ws, "weightBound": whi,
                       "biasShape": bs, "biasBound": bhi})
    return {"torch": torch.__version__,
            "note": "bounds and stds are what torch.nn.init passes to uniform_(-value, value) / normal_(0, value)",
            "gains": gains, "fans": fans, "fanErrors": fan_errors, "bounds": bounds, "zeroElement": zero_element,
            "linear": linear}


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    write("optim-trajectories.json", optim_fixture())
    write("lr-schedules.json", lr_fixture())
    write("init-formulas.json", init_fixture())
