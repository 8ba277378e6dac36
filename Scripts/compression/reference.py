#!/usr/bin/env python3
"""An independent implementation of ../shared/COMPRESSION.md in numpy.

Reads an ONNX model and a plan (JSON: {"defaults": {...}, "layers": {name:
{...}}} with the YAML plan's keys, already free of inheritance subtleties
except key-by-key override), and prints per stored layer the sizes of §4
and the decoded weights, as JSON. Written from the spec, not from the Swift
code; Tests/EdgeSimEndToEndTests compares edgesim compress's report.json
and compressed.onnx with its committed output.

  /tmp/venv/bin/python Scripts/compression/reference.py MODEL.onnx PLAN.json
"""
import heapq
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper

KINDS = {"Conv", "ConvTranspose", "Gemm", "MatMul"}


def settings(plan, name):
    d = dict(plan.get("defaults", {}))
    own = plan.get("layers", {}).get(name, {})
    if "ternary" in own and "cluster_bits" not in own:
        d.pop("cluster_bits", None)
    if "cluster_bits" in own and "ternary" not in own:
        d.pop("ternary", None)
    if "rank" in own:
        d.pop("energy", None)
    if "energy" in own:
        d.pop("rank", None)
    for k, v in own.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


def prune(w, density):
    n = w.size
    k = min(n, max(1, int(np.round(np.float64(density) * n))))  # half-even
    order = np.lexsort((np.arange(n), -np.abs(w)))  # |w| desc, index asc
    out = np.zeros_like(w)
    keep = order[:k]
    out[keep] = w[keep]
    return out


def kmeans(w, bits):
    nz = np.nonzero(w)[0]
    idx = np.zeros(w.size, dtype=np.int64)
    if nz.size == 0:
        return idx, np.zeros(0)
    x = w[nz].astype(np.float64)
    k = min(2**bits - 1, np.unique(x).size)
    lo, hi = x.min(), x.max()
    c = np.array([lo if k == 1 else lo + (hi - lo) * i / (k - 1) for i in range(k)])
    assign = None
    for _ in range(100):
        new = np.argmin(np.abs(x[:, None] - c[None, :]), axis=1)  # first on ties
        if assign is not None and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            members = x[assign == j]  # flat order
            if members.size:
                s = 0.0
                for v in members:
                    s += v
                c[j] = s / members.size
    idx[nz] = assign + 1
    return idx, c


def ternary(w, t):
    a = np.abs(w.astype(np.float64))
    delta = 0.7 * a.mean() if t == "twn" else t * a.max()
    wd = w.astype(np.float64)
    pos = wd > delta
    neg = wd < -delta
    wp = wd[pos].mean() if pos.any() else 0.0
    wn = (-wd[neg]).mean() if neg.any() else 0.0
    idx = np.zeros(w.size, dtype=np.int64)
    idx[pos] = 1
    idx[neg] = 2
    return idx, wp, wn


def huffman(counts):
    counts = [c for c in counts if c > 0]
    if len(counts) <= 1:
        return sum(counts)
    heapq.heapify(counts)
    total = 0
    while len(counts) > 1:
        a = heapq.heappop(counts)
        b = heapq.heappop(counts)
        total += a + b
        heapq.heappush(counts, a + b)
    return total


def storage(symbols, p, v, use_huffman):
    gaps, values = [], []
    gap = 0
    for s in symbols:
        if s == 0:
            gap += 1
            continue
        while gap > 2**p - 1:
            gaps.append(2**p - 1)
            values.append(0)
            gap -= 2**p
        gaps.append(gap)
        values.append(s)
        gap = 0
    entries = len(gaps)
    fillers = sum(1 for g, s in zip(gaps, values) if s == 0)
    r = {"entries": entries, "fillers": fillers}
    if not use_huffman:
        sparse, dense = entries * (p + v), len(symbols) * v
        r.update(form="sparse" if sparse < dense else "dense",
                 gap_huffman_bits=0, value_huffman_bits=0, table_bits=0,
                 stream=min(sparse, dense))
        return r
    def counts(seq):
        u, c = np.unique(np.array(seq, dtype=np.uint64), return_counts=True)
        return list(c)
    g, sv, dv = counts(gaps), counts(values), counts(list(symbols))
    sparse = huffman(list(g)) + huffman(list(sv)) + 8 * (len(g) + len(sv))
    dense = huffman(list(dv)) + 8 * len(dv)
    if sparse < dense:
        r.update(form="sparse", gap_huffman_bits=huffman(list(g)),
                 value_huffman_bits=huffman(list(sv)),
                 table_bits=8 * (len(g) + len(sv)), stream=sparse)
    else:
        r.update(form="dense", gap_huffman_bits=0,
                 value_huffman_bits=huffman(list(dv)), table_bits=8 * len(dv),
                 stream=dense)
    return r


def store(name, op, w, s):
    w = w.astype(np.float32).ravel()
    if "density" in s:
        w = prune(w, s["density"])
    if "ternary" in s:
        idx, wp, wn = ternary(w, s["ternary"].get("threshold", 0.05))
        decoded = np.array([0, wp, -wn], dtype=np.float32)[idx]
        symbols, v, book = idx, 2, 64
    elif "cluster_bits" in s:
        b = s["cluster_bits"]
        idx, c = kmeans(w, b)
        decoded = np.concatenate([[0.0], c]).astype(np.float32)[idx]
        symbols, v, book = idx, b, (2**b - 1) * 32
    else:
        decoded = np.where(w == 0, np.float32(0), w).astype(np.float32)
        symbols, v, book = decoded.view(np.uint32).astype(np.int64), 32, 0
    p = s.get("index_bits", 4 if op in ("Conv", "ConvTranspose") else 5)
    r = storage(list(symbols), p, v, s.get("huffman", False))
    stored = r.pop("stream") + book
    r.update(name=name, op=op, weights=int(w.size),
             nonzeros=int(np.count_nonzero(symbols)), index_bits=p,
             value_bits=v, codebook_bits=book, stored_bits=int(stored),
             decoded=[float(x) for x in decoded])
    return {k: (int(x) if isinstance(x, np.integer) else x) for k, x in r.items()}


def low_rank(node, w, attrs, s):
    op = node.op_type
    if op == "Conv":
        m = w.reshape(w.shape[0], -1).astype(np.float64)  # M × CRS
    else:
        m = (w.T if attrs.get("transB", 0) else w).astype(np.float64)  # K × M
    u, sig, vt = np.linalg.svd(m, full_matrices=False)
    if "rank" in s:
        r = s["rank"]
    else:
        e = np.cumsum(sig**2)
        r = int(np.argmax(e >= s["energy"] * e[-1])) + 1
    rows, cols = m.shape
    if r * (rows + cols) >= rows * cols:
        return None
    root = np.sqrt(sig[:r])
    first_side = vt[:r, :] if op == "Conv" else u[:, :r].T  # r × (input dim)
    second_side = u[:, :r].T if op == "Conv" else vt[:r, :]
    for i in range(r):
        j = int(np.argmax(np.abs(first_side[i])))
        if first_side[i][j] < 0:
            first_side[i] *= -1
            second_side[i] *= -1
    if op == "Conv":
        a = (root[:, None] * first_side).astype(np.float32)  # r × CRS
        b = (second_side.T * root[None, :]).astype(np.float32)  # M × r
    else:
        a = (first_side.T * root[None, :]).astype(np.float32)  # K × r
        b = (root[:, None] * second_side).astype(np.float32)  # r × M
    return a, b


def main(model_path, plan_path):
    model = onnx.load(model_path)
    plan = json.load(open(plan_path))
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    out = []
    for node in model.graph.node:
        if node.op_type not in KINDS or len(node.input) < 2 or node.input[1] not in inits:
            continue
        w = inits[node.input[1]]
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        s = settings(plan, node.name)
        if ("rank" in s or "energy" in s) and attrs.get("group", 1) == 1:
            pair = low_rank(node, w, attrs, s)
            if pair is not None:
                out.append(store(node.name + "_a", node.op_type, pair[0], s))
                out.append(store(node.name + "_b", node.op_type, pair[1], s))
                continue
        out.append(store(node.name, node.op_type, w, s))
    json.dump({"layers": out}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
