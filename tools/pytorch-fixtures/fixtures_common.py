"""Shared helpers for the PyTorch fixture generators of polygrad (ops and losses).

A fixture file is JSON:

    {"generator": ..., "torch": "1.13.1", "dtype": "float32", "cases": [case, ...]}

and a case is

    {"id": "exp/edge", "op": "exp", "params": {...},
     "inputs": [{"shape": [3], "values": [...], "grad": true}, ...],
     "upstream": [...],                    # the explicit upstream gradient (absent: not differentiable)
     "output": {"shape": [3], "values": [...]},
     "grads": [[...] or null, ...]}        # d sum(output * upstream) / d input (null: no gradient)

Values are flat (row-major) lists. A finite value is a JSON number written with Python's repr, the
shortest decimal that reads back as the same double, so doubles (and float32 values, which are
doubles too) are stored exactly; NaN, +inf and -inf are the strings "NaN", "Infinity" and
"-Infinity" (what Java's Double.parseDouble reads).
"""

import json
import math

import torch

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def encode(values):
    """Returns a flat list of JSON-safe values: finite floats as numbers, non-finite as strings."""
    out = []
    for v in values:
        v = float(v)
        if math.isnan(v):
            out.append("NaN")
        elif math.isinf(v):
            out.append("Infinity" if v > 0 else "-Infinity")
        else:
            out.append(v)
    return out


def flat(t):
    """Returns the values of tensor ``t`` as a flat list of Python floats (exact for float32 and float64)."""
    return [float(v) for v in t.detach().to(torch.float64).reshape(-1).tolist()]


def upstream_values(n):
    """Returns the explicit upstream gradient of an output of ``n`` elements: 1, -0.5, 2, 0.25, -1.5, 0.75, ...

    Written out, not drawn from an RNG: each value is exact in float32, non-zero, and they differ, so a
    gradient sent to the wrong element shows.
    """
    pattern = [1.0, -0.5, 2.0, 0.25, -1.5, 0.75, 3.0, -0.125]
    return [pattern[i % len(pattern)] * (1.0 + (i // len(pattern))) for i in range(n)]


def run_case(case_id, op, params, inputs, fn, dtype, differentiable=True, deliberate=None):
    """Runs ``fn`` on ``inputs`` in ``dtype`` and returns the case's JSON dict.

    ``deliberate`` is None or (reason, polygrad_fn): a case where polygrad deliberately differs from
    PyTorch (docs/PYTORCH-DIFFERENCES.md). ``polygrad_fn`` computes polygrad's choice, with torch, from
    the same inputs; it is stored under "polygrad" ({"reason", "output", "grads"}) next to PyTorch's
    values, and the suite checks polygrad's.

    ``inputs`` is a list of (values, shape, requires_grad[, input_dtype]); values is a flat list of floats.
    ``fn(*tensors)`` returns the output tensor. Gradients are those of sum(output * upstream).
    """
    tensors = []
    for spec in inputs:
        values, shape, grad = spec[0], spec[1], spec[2]
        in_dtype = DTYPES[spec[3]] if len(spec) > 3 else DTYPES[dtype]
        t = torch.tensor(values, dtype=torch.float64).reshape(shape).to(in_dtype)
        t.requires_grad_(grad and differentiable)
        tensors.append(t)
    if deliberate is not None:
        alt = run_case(case_id, op, params, inputs, deliberate[1], dtype, differentiable)
    out = fn(*tensors)
    case = {
        "id": case_id,
        "op": op,
        "params": {k: (encode([v])[0] if isinstance(v, float) else v) for k, v in params.items()},
        "inputs": [{"shape": list(t.shape), "values": encode(flat(t)), "grad": bool(spec[2] and differentiable),
                    **({"dtype": spec[3]} if len(spec) > 3 else {})}
                   for t, spec in zip(tensors, inputs)],
        "output": {"shape": list(out.shape), "dtype": str(out.dtype).replace("torch.", ""),
                   "values": encode(flat(out))},
    }
    if differentiable and any(t.requires_grad for t in tensors):
        up = torch.tensor(upstream_values(out.numel()), dtype=out.dtype).reshape(out.shape)
        grads = torch.autograd.grad((out * up).sum(), [t for t in tensors if t.requires_grad], allow_unused=True)
        it = iter(grads)
        grad_list = []
        for t in tensors:
            if t.requires_grad:
                g = next(it)
                grad_list.append(encode(flat(g if g is not None else torch.zeros_like(t))))
            else:
                grad_list.append(None)
        case["upstream"] = encode(flat(up))
        case["grads"] = grad_list
    if deliberate is not None:
        case["polygrad"] = {"reason": deliberate[0], "output": alt["output"]["values"]}
        if "grads" in alt:
            case["polygrad"]["grads"] = alt["grads"]
    return case


def write(path, dtype, generator, cases):
    """Writes the fixture file ``path`` (one case per line, so diffs stay readable)."""
    ids = [c["id"] for c in cases]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit("duplicate case ids: %s" % sorted(dupes))
    with open(path, "w") as f:
        f.write('{"generator": %s, "torch": %s, "dtype": %s, "cases": [\n'
                % (json.dumps(generator), json.dumps(torch.__version__), json.dumps(dtype)))
        f.write(",\n".join(json.dumps(c, allow_nan=False, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
