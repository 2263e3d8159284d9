#!/usr/bin/env python3
"""Writes a safetensors file of PyTorch tensors in every element type polygrad reads, and their values.

    /usr/bin/python3 tools/pytorch-fixtures/generate_safetensors.py

The `safetensors` package is not in Debian, so the file is laid out by hand exactly as the format
specifies (8-byte little-endian header length, JSON header sorted like the reference writer, then the
tensors' raw little-endian bytes as PyTorch holds them: `tensor.numpy().tobytes()`, bfloat16 through its
int16 view). The values go to a JSON file next to it as the float64 numbers PyTorch's `.double()` gives,
which `SafeTensorsTest` compares with what polygrad reads.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "conformance-tests", "src", "test", "resources", "io",
                   "polygrad", "io")

CODES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
         torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
         torch.bool: "BOOL"}


def raw(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def main():
    g = torch.Generator().manual_seed(7)
    base = torch.randn(2, 3, generator=g) * 100
    tensors = {
        "f64": base.double() / 3,
        "f32": base.float() / 3,
        "f16": torch.tensor([[0.1, -2.5, 65504.0], [6.1e-5, 5.96e-8, -0.0]]).half(),
        "bf16": (base / 7).bfloat16(),
        "i64": torch.tensor([-(2 ** 62), 0, 2 ** 62 + 5]),
        "i32": torch.tensor([[-(2 ** 31), 7], [2 ** 31 - 1, -1]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 12345, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, -1, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 200, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.25, dtype=torch.float16),
    }
    order = sorted(tensors.items(), key=lambda kv: (-kv[1].element_size(), kv[0]))
    header, blobs, offset = {"__metadata__": {"written_by": f"torch {torch.__version__}"}}, [], 0
    for name, t in order:
        b = raw(t)
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(os.path.join(OUT, "pytorch-dtypes.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    values = {name: {"dtype": CODES[t.dtype], "shape": list(t.shape),
                     "values": ([float(v) for v in t.reshape(-1).double().tolist()] if t.dtype.is_floating_point
                                else [int(v) for v in t.reshape(-1).tolist()])}
              for name, t in tensors.items()}
    with open(os.path.join(OUT, "pytorch-dtypes.json"), "w") as f:
        json.dump({"torch": torch.__version__, "tensors": values}, f, indent=1)
        f.write("\n")


def write(path, tensors, metadata):
    """Writes `tensors` (name -> torch tensor) as a safetensors file laid out as the reference writer does."""
    order = sorted(tensors.items(), key=lambda kv: (-kv[1].element_size(), kv[0]))
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in order:
        b = raw(t)
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def model_checkpoint():
    """A small trained model's state_dict in float16 (num_batches_tracked stays int64), an input and its output."""
    torch.manual_seed(3)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        model(torch.randn(8, 4)).pow(2).mean().backward()
        opt.step()
    state = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    write(os.path.join(OUT, "pytorch-model-f16.safetensors"), state, {"written_by": f"torch {torch.__version__}"})
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()})
    model.eval()
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(OUT, "pytorch-model-f16.json"), "w") as f:
        json.dump({"torch": torch.__version__, "input": x.double().tolist(), "output": y.double().tolist(),
                   "keys": list(state.keys())}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
    model_checkpoint()
