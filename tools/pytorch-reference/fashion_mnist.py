#!/usr/bin/env python3
"""PyTorch twin of `./polygrad train fashion-mnist`, for epoch times and accuracies on the same CPU.

Same networks, optimiser and batches as polygrad's CLI: pixels scaled to [0, 1] (with --normalize then
standardised by the training set's mean 0.2860 and std 0.3530, as the CLI's default; --cosine anneals the
learning rate per epoch as the CLI's default --schedule cosine),
Adam (lr 1e-3, PyTorch defaults otherwise), batch 128 shuffled every epoch, cross-entropy; the MLP is
784-256-128-10 with ReLU, the CNN Conv2d(1,32,5,pad 2)-ReLU-MaxPool2d(2)-Conv2d(32,64,5,pad 2)-ReLU-
MaxPool2d(2)-Flatten-Linear(3136,1024)-ReLU-Dropout(0.4)-Linear(1024,10).

    /usr/bin/python3 tools/pytorch-reference/fashion_mnist.py --model cnn --epochs 1 --threads 2

Uses Debian's python3-torch (1.13.1, CPU) and the IDX files of Debian's dataset-fashion-mnist.
Prints one line per epoch: seconds, mean training loss, test accuracy.
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{stem}(.gz) not found in {directory}")


MEAN, STD = 0.2860, 0.3530


def load(directory, split, limit, normalize):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(find(directory, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(find(directory, f"{prefix}-labels-idx1-ubyte"))
    if limit:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    if normalize:
        x = (x - MEAN) / STD
    return x, torch.from_numpy(labels.astype(np.int64))


def model(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.4), nn.Linear(1024, 10))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--train-limit", type=int, default=0)
    p.add_argument("--test-limit", type=int, default=0)
    p.add_argument("--normalize", action="store_true")
    p.add_argument("--cosine", action="store_true", help="CosineAnnealingLR(T_max=epochs) stepped per epoch")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = load(a.data, "train", a.train_limit, a.normalize)
    tx, ty = load(a.data, "test", a.test_limit, a.normalize)
    net = model(a.model)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs) if a.cosine else None
    print(f"torch {torch.__version__}, {a.threads} threads, {a.model}, {len(x)} training images")
    for epoch in range(1, a.epochs + 1):
        net.train()
        order = torch.randperm(len(x))
        start = time.perf_counter()
        total, batches = 0.0, 0
        for i in range(0, len(x), a.batch_size):
            idx = order[i:i + a.batch_size]
            opt.zero_grad()
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        seconds = time.perf_counter() - start
        if scheduler:
            scheduler.step()
        net.eval()
        with torch.no_grad():
            correct = sum((net(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item()
                          for i in range(0, len(tx), 1000))
        print(f"epoch {epoch}: {seconds:.1f} s, {1000 * seconds / batches:.1f} ms/step, "
              f"train loss {total / batches:.4f}, test accuracy {correct / len(tx):.4f}")


if __name__ == "__main__":
    main()
