#!/usr/bin/env python3
"""Cuts the small Fashion-MNIST subset that polygrad's tests read from the full data set.

Usage (from the repository root, with Debian's package installed: apt-get install dataset-fashion-mnist):

    /usr/bin/python3 tools/fashion-mnist-subset/cut_subset.py \
        [--source /usr/share/datasets/fashion-mnist] [--train 2000] [--test 1000]

Writes the first N training and M test images with their labels, as the four standard gzip-compressed
IDX files, to conformance-tests/src/main/resources/io/polygrad/conformance/fashion-mnist-subset/.
The output is byte-for-byte reproducible (gzip header without a file name or time stamp).
"""
import argparse
import gzip
import io
import os
import struct

FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "conformance-tests", "src", "main", "resources", "io", "polygrad",
                   "conformance", "fashion-mnist-subset")


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype, rank = struct.unpack(">HBB", raw[:4])
    assert zero == 0 and dtype == 0x08, f"{path}: not an unsigned-byte IDX file"
    shape = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    return list(shape), raw[4 + 4 * rank:]


def write_idx(path, shape, body):
    header = struct.pack(">HBB", 0, 0x08, len(shape)) + struct.pack(">" + "I" * len(shape), *shape)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(header + body)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--train", type=int, default=2000)
    p.add_argument("--test", type=int, default=1000)
    args = p.parse_args()
    os.makedirs(OUT, exist_ok=True)
    for name, count in zip(FILES, [args.train, args.train, args.test, args.test]):
        src = os.path.join(args.source, name + ".gz")
        if not os.path.exists(src):
            src = os.path.join(args.source, name)
        shape, body = read_idx(src)
        record = len(body) // shape[0]
        write_idx(os.path.join(OUT, name + ".gz"), [count] + shape[1:], body[:count * record])
        print(f"{name}.gz: {count} of {shape[0]} records")


if __name__ == "__main__":
    main()
