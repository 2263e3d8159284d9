#!/usr/bin/env python3
"""Writes the PyTorch fixtures of polygrad's second round of optimizer features: Adagrad, Adamax, NAdam
and RAdam with their options, parameter groups, gradient clipping, the state names of every optimizer,
and the learning rates of LambdaLR, MultiplicativeLR, ConstantLR, PolynomialLR, CosineAnnealingWarmRestarts,
CyclicLR and OneCycleLR (with momentum cycling, several groups, and resuming with last_epoch).

Same problem, inputs and format as generate_optim.py (whose helpers it imports); every input is written
out, nothing depends on a random generator. Run from the repository root with PyTorch 1.13:

    /usr/bin/python3 tools/pytorch-fixtures/generate_optim2.py

It rewrites conformance-tests/src/main/resources/io/polygrad/conformance/pytorch/{optim2-trajectories,
lr2-schedules,clip-grad}.json; PyTorchOptimChecks in conformance-tests reads them.
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_optim as g1  # noqa: E402
from generate_optim import B0, STEPS, W0, X, Y, f32, nudged, write  # noqa: E402

OPTIMIZERS = [
    # (id, class, options, groups, clip); groups: [(param names, options)], clip: (kind, args)
    ("adagrad-defaults", "Adagrad", {}, None, None),
    ("adagrad", "Adagrad", {"lr": 0.1}, None, None),
    ("adagrad-lr-decay", "Adagrad", {"lr": 0.1, "lr_decay": 0.05}, None, None),
    ("adagrad-all", "Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.5,
                                "eps": 1e-6}, None, None),
    ("adagrad-maximize", "Adagrad", {"lr": 0.05, "weight_decay": 0.1, "maximize": True}, None, None),
    ("adamax-defaults", "Adamax", {}, None, None),
    ("adamax", "Adamax", {"lr": 0.05}, None, None),
    ("adamax-betas-eps", "Adamax", {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-3}, None, None),
    ("adamax-weight-decay", "Adamax", {"lr": 0.05, "weight_decay": 0.1}, None, None),
    ("adamax-maximize", "Adamax", {"lr": 0.02, "weight_decay": 0.1, "maximize": True}, None, None),
    ("nadam-defaults", "NAdam", {}, None, None),
    ("nadam", "NAdam", {"lr": 0.01}, None, None),
    ("nadam-momentum-decay", "NAdam", {"lr": 0.01, "momentum_decay": 0.02}, None, None),
    ("nadam-all", "NAdam", {"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-4, "weight_decay": 0.1}, None, None),
    ("radam-defaults", "RAdam", {}, None, None),
    ("radam", "RAdam", {"lr": 0.05}, None, None),
    ("radam-betas", "RAdam", {"lr": 0.05, "betas": [0.8, 0.9]}, None, None),
    ("radam-all", "RAdam", {"lr": 0.03, "betas": [0.85, 0.95], "eps": 1e-4, "weight_decay": 0.1}, None, None),
    # parameter groups: W and b in separate groups, each with its own options over the defaults
    ("sgd-groups", "SGD", {"lr": 0.05, "momentum": 0.9},
     [(["W"], {}), (["b"], {"lr": 0.01, "momentum": 0.5, "weight_decay": 0.1})], None),
    ("adam-groups", "Adam", {"lr": 0.05},
     [(["W"], {"amsgrad": True}), (["b"], {"lr": 0.01, "betas": [0.8, 0.99], "weight_decay": 0.05})], None),
    ("rmsprop-groups", "RMSprop", {"lr": 0.005},
     [(["W"], {"momentum": 0.5}), (["b"], {"lr": 0.01, "centered": True})], None),
    ("adagrad-groups", "Adagrad", {"lr": 0.1},
     [(["W"], {"lr_decay": 0.01}), (["b"], {"lr": 0.05, "initial_accumulator_value": 0.2})], None),
    # gradient clipping between backward and step
    ("sgd-clip-norm", "SGD", {"lr": 0.05, "momentum": 0.9}, None, ("norm", {"max_norm": 1.0})),
    ("sgd-clip-norm-1", "SGD", {"lr": 0.05}, None, ("norm", {"max_norm": 2.0, "norm_type": 1.0})),
    ("adam-clip-norm-inf", "Adam", {"lr": 0.05}, None, ("norm", {"max_norm": 0.5, "norm_type": math.inf})),
    ("sgd-clip-value", "SGD", {"lr": 0.05, "momentum": 0.5}, None, ("value", {"clip_value": 0.3})),
]

CLASSES = ("Adagrad", "Adamax", "NAdam", "RAdam")


def trajectory(cls, options, groups, clip, dtype, w0=W0, b0=B0):
    w = torch.tensor(w0, dtype=dtype, requires_grad=True)
    b = torch.tensor(b0, dtype=dtype, requires_grad=True)
    x = torch.tensor(X, dtype=dtype)
    y = torch.tensor(Y, dtype=dtype)
    named = {"W": w, "b": b}
    params = [w, b] if groups is None else [dict(params=[named[n] for n in names], **o) for names, o in groups]
    opt = getattr(torch.optim, cls)(params, **options)
    rnd = f32 if dtype == torch.float32 else float
    losses, ps, norms = [], [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((x @ w.T + b - y) ** 2).mean()
        loss.backward()
        if clip is not None:
            kind, args = clip
            if kind == "norm":
                norms.append(rnd(torch.nn.utils.clip_grad_norm_([w, b], **args).item()))
            else:
                torch.nn.utils.clip_grad_value_([w, b], **args)
        opt.step()
        losses.append(rnd(loss.item()))
        ps.append([rnd(v) for v in w.detach().flatten().tolist() + b.detach().tolist()])
    out = {"loss": losses, "params": ps}
    if norms:
        out["norms"] = norms
    return out, opt


def state_keys(opt):
    """The names of the state PyTorch keeps for the first parameter (step, buffers and scalars)."""
    return sorted(opt.state_dict()["state"][0].keys())


BAD = []


def optim_fixture():
    cases = []
    for cid, cls, options, groups, clip in OPTIMIZERS:
        case = {"id": cid, "optimizer": cls, "options": options}
        if groups is not None:
            case["groups"] = [{"params": names, "options": o} for names, o in groups]
        if clip is not None:
            case["clip"] = dict(kind=clip[0], **{k: (g1_inf(v)) for k, v in clip[1].items()})
        for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
            case[name], opt = trajectory(cls, options, groups, clip, dtype)
        case["stateKeys"] = state_keys(opt)
        base = case["float32"]["params"]
        sens = 0.0
        for k in (1, -1):
            other = trajectory(cls, options, groups, clip, torch.float32, nudged(W0, k), nudged(B0, -k))[0]["params"]
            sens = max(sens, max(abs(a - b) for ra, rb in zip(base, other) for a, b in zip(ra, rb)))
        if sens > 1e-6:
            BAD.append("case %s amplifies rounding: a 1-ulp change of the initial values moves float32 by %.2e" % (cid, sens))
        case["float32Sensitivity"] = sens
        cases.append(case)
    if BAD:
        sys.exit("\n".join(BAD))
    defaults = {}
    for cls in CLASSES:
        opt = getattr(torch.optim, cls)([torch.zeros(1, requires_grad=True)])
        defaults[cls] = {k: v for k, v in opt.defaults.items() if isinstance(v, (bool, int, float, list, tuple))}
    state_names = {}
    for cls, kw in (("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"amsgrad": True}), ("AdamW", {"amsgrad": True}),
                    ("RMSprop", {"momentum": 0.9, "centered": True}), ("Adagrad", {}), ("Adamax", {}), ("NAdam", {}),
                    ("RAdam", {})):
        p = torch.tensor([1.0, -2.0], requires_grad=True)
        opt = getattr(torch.optim, cls)([p], **kw)
        (p ** 2).sum().backward()
        opt.step()
        state_names[cls] = {"options": kw, "keys": state_keys(opt)}
    return {"torch": torch.__version__, "steps": STEPS, "X": X, "Y": Y, "W0": W0, "B0": B0,
            "loss": "mean((X @ W.T + b - Y) ** 2)", "params": "W.flatten() then b, after each step",
            "norms": "clip_grad_norm_'s return value at each step, when clipping by norm",
            "defaults": defaults, "stateNames": state_names, "cases": cases}


def g1_inf(v):
    return "Infinity" if v == math.inf else v


# ---------------------------------------------------------------- schedulers

EPOCHS = 40
LAMBDAS = {"pow0.95": lambda e: 0.95 ** e, "inv": lambda e: 1.0 / (e + 1), "const0.9": lambda e: 0.9,
           "step-halves": lambda e: 0.5 if e % 5 == 0 else 1.0}

SCHEDULERS = [
    # (id, spec, optimizer: (class, options, group lrs), resume epoch or None)
    ("lambda-pow", {"kind": "LambdaLR", "lambdas": ["pow0.95"]}, None, None),
    ("lambda-per-group", {"kind": "LambdaLR", "lambdas": ["pow0.95", "inv"]}, ("SGD", {}, [0.1, 0.02]), None),
    ("multiplicative", {"kind": "MultiplicativeLR", "lambdas": ["const0.9"]}, None, None),
    ("multiplicative-per-group", {"kind": "MultiplicativeLR", "lambdas": ["step-halves", "const0.9"]},
     ("SGD", {}, [0.1, 0.05]), None),
    ("constant-defaults", {"kind": "ConstantLR"}, None, None),
    ("constant", {"kind": "ConstantLR", "factor": 0.5, "total_iters": 4}, None, None),
    ("polynomial-defaults", {"kind": "PolynomialLR"}, None, None),
    ("polynomial-square", {"kind": "PolynomialLR", "total_iters": 10, "power": 2.0}, None, None),
    ("polynomial-sqrt-groups", {"kind": "PolynomialLR", "total_iters": 8, "power": 0.5}, ("SGD", {}, [0.1, 0.3]), None),
    ("cawr", {"kind": "CosineAnnealingWarmRestarts", "T_0": 5}, None, None),
    ("cawr-mult", {"kind": "CosineAnnealingWarmRestarts", "T_0": 3, "T_mult": 2, "eta_min": 0.01}, None, None),
    ("cyclic-triangular", {"kind": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4},
     ("SGD", {"momentum": 0.9}, [0.1]), None),
    ("cyclic-triangular2", {"kind": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3,
                            "step_size_down": 5, "mode": "triangular2", "base_momentum": 0.7, "max_momentum": 0.95},
     ("SGD", {"momentum": 0.9}, [0.1]), None),
    ("cyclic-exp-range-groups", {"kind": "CyclicLR", "base_lr": [0.01, 0.001], "max_lr": [0.1, 0.05],
                                 "step_size_up": 5, "mode": "exp_range", "gamma": 0.97},
     ("RMSprop", {"momentum": 0.5}, [0.1, 0.01]), None),
    ("cyclic-adam-no-momentum", {"kind": "CyclicLR", "base_lr": 0.001, "max_lr": 0.01, "step_size_up": 6,
                                 "cycle_momentum": False}, ("Adam", {}, [0.001]), None),
    ("onecycle", {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 40}, ("SGD", {"momentum": 0.9}, [0.1]), None),
    ("onecycle-linear-three-phase-adam", {"kind": "OneCycleLR", "max_lr": 0.01, "total_steps": 45,
                                          "anneal_strategy": "linear", "three_phase": True},
     ("Adam", {}, [0.001]), None),
    ("onecycle-epochs-groups", {"kind": "OneCycleLR", "max_lr": [0.1, 0.05], "epochs": 5, "steps_per_epoch": 9,
                                "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0,
                                "base_momentum": 0.8, "max_momentum": 0.9},
     ("SGD", {"momentum": 0.9}, [0.1, 0.05]), None),
    ("onecycle-no-momentum", {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 40, "cycle_momentum": False},
     None, None),
    # resuming: the schedule runs to the resume epoch, then a new one with last_epoch = that epoch continues
    ("resume-step", {"kind": "StepLR", "step_size": 3, "gamma": 0.5}, None, 7),
    ("resume-cosine", {"kind": "CosineAnnealingLR", "T_max": 10, "eta_min": 0.01}, None, 12),
    ("resume-lambda", {"kind": "LambdaLR", "lambdas": ["pow0.95"]}, None, 5),
    ("resume-polynomial", {"kind": "PolynomialLR", "total_iters": 10, "power": 2.0}, None, 4),
    ("resume-cawr-mult", {"kind": "CosineAnnealingWarmRestarts", "T_0": 3, "T_mult": 2}, None, 10),
    ("resume-cyclic", {"kind": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4},
     ("SGD", {"momentum": 0.9}, [0.1]), 9),
    ("resume-onecycle", {"kind": "OneCycleLR", "max_lr": 0.1, "total_steps": 40}, ("SGD", {"momentum": 0.9}, [0.1]),
     15),
    ("sequential-constant-cawr", {"kind": "SequentialLR", "milestones": [4], "schedulers": [
        {"kind": "ConstantLR", "factor": 0.25, "total_iters": 4},
        {"kind": "CosineAnnealingWarmRestarts", "T_0": 6}]}, None, None),
    ("chained-constant-polynomial-groups", {"kind": "ChainedScheduler", "schedulers": [
        {"kind": "ConstantLR", "factor": 0.5, "total_iters": 3},
        {"kind": "PolynomialLR", "total_iters": 20, "power": 1.5}]}, ("SGD", {}, [0.1, 0.04]), None),
]


def make(opt, spec, last_epoch=-1):
    kind = spec["kind"]
    S = torch.optim.lr_scheduler
    a = {k: v for k, v in spec.items() if k not in ("kind", "schedulers", "lambdas")}
    if last_epoch != -1:
        a["last_epoch"] = last_epoch
    if kind in ("LambdaLR", "MultiplicativeLR"):
        fns = [LAMBDAS[n] for n in spec["lambdas"]]
        return getattr(S, kind)(opt, fns if len(fns) > 1 else fns[0], **a)
    if kind in ("ConstantLR", "PolynomialLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR"):
        return getattr(S, kind)(opt, **a)
    if kind == "SequentialLR":
        return S.SequentialLR(opt, [make(opt, s) for s in spec["schedulers"]], **a)
    if kind == "ChainedScheduler":
        return S.ChainedScheduler([make(opt, s) for s in spec["schedulers"]])
    return g1.make(opt, dict(spec, **({"last_epoch": last_epoch} if last_epoch != -1 else {})))


def momentum_of(opt, group):
    g = opt.param_groups[group]
    return g["betas"][0] if "betas" in g else g.get("momentum", 0.0)


def lr_fixture():
    cases = []
    for cid, spec, optimizer, resume in SCHEDULERS:
        cls, options, lrs0 = optimizer if optimizer is not None else ("SGD", {}, [g1.BASE_LR])
        groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs0]
        opt = getattr(torch.optim, cls)(groups, **options)
        sched = make(opt, spec)
        n = len(lrs0)
        lrs = [[g["lr"] for g in opt.param_groups]]
        last = [list(sched.get_last_lr())]
        mom = [[momentum_of(opt, i) for i in range(n)]]
        for epoch in range(1, EPOCHS + 1):
            opt.step()
            if resume is not None and epoch == resume + 1:
                sched = make(opt, spec, last_epoch=resume)  # its construction is this epoch's step
            else:
                sched.step()
            lrs.append([g["lr"] for g in opt.param_groups])
            last.append(list(sched.get_last_lr()))
            mom.append([momentum_of(opt, i) for i in range(n)])
        case = {"id": cid, "scheduler": spec, "optimizer": {"class": cls, "options": options, "lrs": lrs0},
                "lr": lrs, "lastLr": last, "momentum": mom}
        if resume is not None:
            case["resume"] = resume
        cases.append(case)
    # ReduceLROnPlateau with two groups and per-group min_lr
    p = [{"params": [torch.zeros(1, requires_grad=True)], "lr": 0.1},
         {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.02}]
    opt = torch.optim.SGD(p, lr=0.1)
    options = {"factor": 0.5, "patience": 1, "min_lr": [0.01, 0.005]}
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
    lrs = [[g["lr"] for g in opt.param_groups]]
    for m in g1.LOSSES:
        opt.step()
        sched.step(m)
        lrs.append([g["lr"] for g in opt.param_groups])
    cases.append({"id": "plateau-groups-min-lrs", "scheduler": dict(kind="ReduceLROnPlateau", **options),
                  "optimizer": {"class": "SGD", "options": {}, "lrs": [0.1, 0.02]}, "metrics": g1.LOSSES, "lr": lrs})
    return {"torch": torch.__version__, "epochs": EPOCHS, "lambdas": {"pow0.95": "0.95 ** e", "inv": "1 / (e + 1)",
                                                                     "const0.9": "0.9",
                                                                     "step-halves": "0.5 if e % 5 == 0 else 1"},
            "lr": "every group's lr after construction, then after each step; momentum: momentum or betas[0]",
            "cases": cases}


# ---------------------------------------------------------------- clipping

GRADS = [[0.5, -1.5, 2.0, 0.25, -0.75, 1.0], [3.0, -0.125], [0.0, 0.0, 0.0]]


def clip_fixture():
    cases = []
    for max_norm, norm_type in ((1.0, 2.0), (10.0, 2.0), (0.5, 1.0), (2.0, 3.0), (1.5, 0.5), (0.75, math.inf),
                                (100.0, math.inf), (1.0, 0.0)):
        for dtype, name in ((torch.float32, "float32"), (torch.float64, "float64")):
            ps = []
            for gv in GRADS:
                p = torch.zeros(len(gv), dtype=dtype, requires_grad=True)
                p.grad = torch.tensor(gv, dtype=dtype)
                ps.append(p)
            total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
            cases.append({"kind": "norm", "dtype": name, "max_norm": max_norm, "norm_type": g1_inf(norm_type),
                          "total": float(total), "grads": [p.grad.tolist() for p in ps]})
    for clip_value in (0.5, 1.0, 5.0):
        ps = []
        for gv in GRADS:
            p = torch.zeros(len(gv), dtype=torch.float64, requires_grad=True)
            p.grad = torch.tensor(gv, dtype=torch.float64)
            ps.append(p)
        torch.nn.utils.clip_grad_value_(ps, clip_value)
        cases.append({"kind": "value", "dtype": "float64", "clip_value": clip_value,
                      "grads": [p.grad.tolist() for p in ps]})
    p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    p.grad = torch.tensor([math.inf, 1.0], dtype=torch.float64)
    try:
        torch.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
        nonfinite_error = False
    except RuntimeError:
        nonfinite_error = True
    return {"torch": torch.__version__, "grads": GRADS, "cases": cases,
            "nonfinite": {"grad": ["Infinity", 1.0], "error_if_nonfinite": True, "raises": nonfinite_error}}


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(g1.OUT, exist_ok=True)
    write("optim2-trajectories.json", optim_fixture())
    write("lr2-schedules.json", lr_fixture())
    write("clip-grad.json", clip_fixture())
