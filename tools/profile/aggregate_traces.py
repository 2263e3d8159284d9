#!/usr/bin/env python3
"""Sums libtorch profiler traces (Chrome JSON, as JniUtils.stopProfile writes them) by op.

Usage: aggregate_traces.py DIR [--tree] [--shapes]

DIR holds polygrad-R.json and raw-R.json (one training step each, from
io.polygrad.benchmarks.CnnProfile). For each side it prints, per top-level op (one not nested in
another), the median over the traces of its total time per step; with --shapes, per op and input
shapes (when the profiler recorded them); with --tree, also the nested ops of the first trace of each
side.
"""
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def load(path):
    events = [e for e in json.load(open(path)) if e.get("ph") == "X"]
    events.sort(key=lambda e: (e["tid"], e["ts"], -e["dur"]))
    roots, stack = [], []
    for e in events:
        e["children"] = []
        while stack and (stack[-1]["tid"] != e["tid"]
                         or e["ts"] >= stack[-1]["ts"] + stack[-1]["dur"] - 1e-3):
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(e)
        stack.append(e)
    return roots


def key(e, shapes):
    if not shapes or not e.get("shape"):
        return e["name"]
    return e["name"] + " " + str([s for s in e["shape"] if s]).replace(" ", "")


def totals(roots, shapes):
    top = defaultdict(float)
    count = defaultdict(int)
    for e in roots:
        k = key(e, shapes)
        top[k] += e["dur"]
        count[k] += 1
    return top, count


def show(e, depth, out):
    out.append(f"{'  ' * depth}{e['name']:<50} {e['dur'] / 1000:8.2f} ms")
    for c in e["children"]:
        if c["dur"] > 200:
            show(c, depth + 1, out)


def main():
    d = Path(sys.argv[1])
    tree = "--tree" in sys.argv
    shapes = "--shapes" in sys.argv
    for side in ("polygrad", "raw"):
        files = sorted(d.glob(side + "-*.json"))
        per_op = defaultdict(list)
        counts = {}
        spans = []
        for f in files:
            roots = load(f)
            top, count = totals(roots, shapes)
            for k in set(top) | set(per_op):
                per_op[k].append(top.get(k, 0.0))
            counts.update(count)
            spans.append(sum(e["dur"] for e in roots))
        print(f"== {side}: {len(files)} steps, top-level ops {statistics.median(spans) / 1000:.1f} ms per step (median)")
        for k, v in sorted(per_op.items(), key=lambda kv: -statistics.median(kv[1])):
            m = statistics.median(v) / 1000
            if m >= 0.05:
                print(f"  {k:<70} {counts.get(k, 0):3d}x {m:8.2f} ms")
        if tree and files:
            out = []
            for e in load(files[0]):
                if e["dur"] > 200:
                    show(e, 1, out)
            print("\n".join(out))


if __name__ == "__main__":
    main()
