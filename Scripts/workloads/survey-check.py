#!/usr/bin/env python3
"""Checks models exported by other tools (Scripts/workloads/survey-exporters.py)
against EdgeSim, as issue #16's "Done means" asks: for each model in a
survey folder it

1. counts MACs per node independently of EdgeSim: onnxruntime runs the model
   with every node output made a graph output, and the MACs follow from the
   shapes it actually produced (Documentation/Counting.md's formulas for
   Conv, ConvTranspose, Gemm, MatMul, LSTM, GRU, Einsum and their integer
   kin); parameters are the elements of the floating-point initializers,
   minus BatchNormalization's running statistics and minus one element per
   folded BatchNormalization channel (Counting.md: folding replaces γ, β by
   one conv bias);
2. runs `edgesim inspect --json` and compares the MACs node by node (by ONNX
   node name) and the totals;
3. runs `edgesim simulate --no-trace` on every Hardware/*.yaml and records
   ok, a located refusal (exit 1 with `error:`), or a crash (any other exit);
4. runs `edgesim run` on the model's inputs and compares the first graph
   output with onnxruntime's (max |a-b| / max |ref|; the bar is 1e-4).

    python3 -m venv V && V/bin/pip install onnx onnxruntime numpy
    V/bin/python Scripts/workloads/survey-check.py SURVEY_DIR [--edgesim PATH] [--markdown]

A survey folder holds NAME.onnx, NAME.json ({"exporter", "family",
"inputs": {input: file.npy}, "dims": {symbol: value}, "batch": N}) and the
input .npy files. Nothing here is run by `swift test` or CI.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def prod(xs):
    p = 1
    for x in xs:
        p *= int(x)
    return p


def runtime_shapes(model, feeds):
    """Every tensor's shape as onnxruntime produces it (and the initializers')."""
    shapes = {i.name: tuple(i.dims) for i in model.graph.initializer}
    m = onnx.ModelProto()
    m.CopyFrom(model)
    existing = {o.name for o in m.graph.output}
    for node in m.graph.node:
        for out in node.output:
            if out and out not in existing:
                m.graph.output.append(onnx.ValueInfoProto(name=out))
                existing.add(out)
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(m.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    for name, value in zip(names, sess.run(names, feeds)):
        shapes[name] = tuple(np.asarray(value).shape)
    for name, value in feeds.items():
        shapes[name] = tuple(value.shape)
    return shapes


def node_macs(node, s):
    """Counting.md's MAC formula for one node, from runtime shapes `s`."""
    op, ins, outs = node.op_type, list(node.input), list(node.output)
    shape = lambda i: s[ins[i]]
    if op in ("Conv", "ConvInteger", "QLinearConv"):
        w = shape(3 if op == "QLinearConv" else 1)
        return prod(s[outs[0]]) * prod(w[1:])
    if op == "ConvTranspose":
        w = shape(1)
        return prod(shape(0)) * prod(w[1:])
    if op == "Gemm":
        a = shape(0)
        k = a[0] if attr(node, "transA", 0) else a[1]
        return prod(s[outs[0]]) * k
    if op in ("MatMul", "MatMulInteger", "QLinearMatMul", "FusedMatMul"):
        a = shape(0)
        return prod(s[outs[0]]) * a[-1]
    if op in ("LSTM", "GRU"):
        x, hidden = shape(0), attr(node, "hidden_size")
        t, b = (x[1], x[0]) if attr(node, "layout", 0) else (x[0], x[1])
        d = 2 if attr(node, "direction", b"forward") in (b"bidirectional", "bidirectional") else 1
        gates = 4 if op == "LSTM" else 3
        return t * d * b * gates * hidden * (x[2] + hidden)
    if op == "Einsum":
        eq = attr(node, "equation").decode().replace(" ", "")
        lhs = eq.split("->")[0].split(",")
        if len(lhs) < 2:
            return 0
        sizes = {}
        for term, name in zip(lhs, ins):
            dims = s[name]
            term = term.replace("...", "")
            offset = len(dims) - len(term)
            for i, label in enumerate(term):
                sizes[label] = dims[offset + i]
        return (len(lhs) - 1) * prod(sizes.values())
    return 0


# Counting.md's input positions that are metadata (neither parameters nor
# activations) and those that are stored but not learned.
METADATA = {
    "Reshape": {1}, "Squeeze": {1}, "Unsqueeze": {1}, "Clip": {1, 2}, "Expand": {1}, "Tile": {1},
    "Split": {1}, "TopK": {1}, "CumSum": {1}, "Trilu": {1}, "Slice": {1, 2, 3, 4}, "Resize": {1, 2, 3},
    "Pad": {1, 2, 3}, "ConstantOfShape": {0}, "Shape": {0}, "Range": {0, 1, 2}, "LSTM": {4}, "GRU": {4},
}
METADATA.update({r: {1} for r in ("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
                                   "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp")})
UNLEARNED = {
    "QuantizeLinear": {1, 2}, "DequantizeLinear": {1, 2}, "QLinearConv": {1, 2, 4, 5, 6, 7},
    "QLinearMatMul": {1, 2, 4, 5, 6, 7}, "ConvInteger": {2, 3}, "MatMulInteger": {2, 3},
    "LSTM": {5, 6}, "GRU": {5, 6}, "BatchNormalization": {3, 4}, "Gather": {1},
}


INTEGER_TYPES = {onnx.TensorProto.INT64, onnx.TensorProto.INT32, onnx.TensorProto.BOOL, onnx.TensorProto.INT8, onnx.TensorProto.UINT8}
FOLDED = {
    "Gather", "Concat", "Unsqueeze", "Squeeze", "Reshape", "Cast", "Slice", "Add", "Sub", "Mul", "Div",
    "ConstantOfShape", "Range", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor",
    "Not", "Where", "Identity", "Transpose",
}


def independent_parameters(model, shapes):
    """Per node, the elements of the constant inputs Counting.md calls
    learned: initializers and Constant outputs (and what is computed from
    them alone), not those computed from a Shape, at positions that are
    neither metadata nor unlearned; a Conv or ConvTranspose read by a
    BatchNormalization gains the folded bias. Returns ({node: params},
    total with each constant once)."""
    initializers = {i.name for i in model.graph.initializer} | {i.name for i in model.graph.sparse_initializer}
    constant = set(initializers)
    integer = {i.name for i in model.graph.initializer if i.data_type in INTEGER_TYPES}
    shape_derived = set()
    for node in model.graph.node:  # exporters write nodes in topological order
        ins = [i for i in node.input if i]
        if node.op_type in ("Shape", "Size"):  # constant once the dims are bound
            shape_derived.update(node.output)
            constant.update(node.output)
            integer.update(node.output)
        elif node.op_type == "Constant":
            constant.update(node.output)
            value = attr(node, "value")
            if value is None or value.data_type in INTEGER_TYPES:
                integer.update(node.output)
        elif node.op_type == "Expand" and all(i in constant for i in ins) and node.input[0] not in initializers:
            # A broadcast literal (the legacy exporter's zero initial state)
            # is evaluated at import and is not learned (Counting.md).
            constant.update(node.output)
            shape_derived.update(node.output)
        elif all(i in constant for i in ins) and (
            (node.op_type in FOLDED and (node.op_type not in ("Add", "Sub", "Mul", "Div") or all(i in integer for i in ins)))
            or (node.op_type in ("Add", "Sub", "Mul", "Div", "Ceil", "Floor", "Round") and any(i in shape_derived for i in ins))
        ):
            # What the importer evaluates at import (ConstantFolder.swift);
            # other operators on constants stay nodes there and here.
            constant.update(node.output)
            if all(i in integer for i in ins[:1]) or node.op_type in ("Shape", "ConstantOfShape", "Range"):
                integer.update(node.output)
            if any(i in shape_derived for i in ins):
                shape_derived.update(node.output)
    graph_inputs = {i.name for i in model.graph.input}
    consumers = {}
    for node in model.graph.node:
        for i in node.input:
            consumers.setdefault(i, []).append(node)
    # The legacy exporter writes a shared initializer once and Identity nodes
    # for its other names; those are one stored tensor.
    alias = {}
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in constant:
            alias[node.output[0]] = alias.get(node.input[0], node.input[0])
    per_node, learned = {}, {}
    for node in model.graph.node:
        if all(o in constant for o in node.output if o):
            continue  # folded away
        skip = METADATA.get(node.op_type, set()) | UNLEARNED.get(node.op_type, set())
        count = 0
        for position, name in enumerate(node.input):
            if not name or position in skip or name not in constant or name in shape_derived or name in graph_inputs:
                continue
            n = prod(shapes[name])
            count += n
            learned[alias.get(name, name)] = n
        if node.op_type in ("Conv", "ConvTranspose") and len([i for i in node.input if i]) < 3:
            readers = consumers.get(node.output[0], [])
            if len(readers) == 1 and readers[0].op_type == "BatchNormalization":
                channels = shapes[node.output[0]][1]
                count += channels
                learned[node.name + "/folded-bias"] = channels
        if node.op_type == "BatchNormalization" and node.input[0] not in graph_inputs:
            producers = [n for n in model.graph.node if node.input[0] in n.output]
            if producers and producers[0].op_type in ("Conv", "ConvTranspose") and len(consumers.get(node.input[0], [])) == 1:
                for name in node.input[1:3]:
                    learned.pop(name, None)  # folded into the conv
                continue
        per_node[node.name] = count
    if os.environ.get("SURVEY_DEBUG"):
        print(learned, file=sys.stderr)
    return per_node, sum(learned.values())


def edgesim_dims(model, meta):
    args = ["--batch", str(meta.get("batch", 1))]
    for name, value in meta.get("dims", {}).items():
        args += ["--dim", "%s=%d" % (name, value)]
    return args


def run(cmd, timeout=600):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -999, "", "timeout"


def check(path, edgesim, devices):
    name = os.path.splitext(os.path.basename(path))[0]
    meta = json.load(open(os.path.splitext(path)[0] + ".json"))
    folder = os.path.dirname(path)
    model = onnx.load(path)
    feeds = {k: np.load(os.path.join(folder, f)) for k, f in meta["inputs"].items()}
    row = {"model": name, "exporter": meta["exporter"], "family": meta["family"]}
    row["ops"] = sorted({n.op_type for n in model.graph.node})
    shapes = runtime_shapes(model, feeds)
    reference = {n.name: node_macs(n, shapes) for n in model.graph.node}
    row["macs_independent"] = sum(reference.values())
    param_reference, row["params_independent"] = independent_parameters(model, shapes)
    dims = edgesim_dims(model, meta)

    code, out, err = run([edgesim, "inspect", path, "--json"] + dims)
    if code != 0:
        row["inspect"] = "exit %d: %s" % (code, (err.strip().splitlines() or [""])[0][:300])
    else:
        counted = json.loads(out)
        row["macs_edgesim"] = counted["totals"]["macs"]
        row["params_edgesim"] = counted["totals"]["params"]
        mine = {l["name"]: l["macs"] for l in counted["layers"]}
        row["mac_mismatches"] = [
            (n, reference[n], mine.get(n)) for n in reference if reference[n] and mine.get(n) != reference[n]
        ][:5]
        theirs = {l["name"]: l["params"] for l in counted["layers"]}
        row["param_mismatches"] = [
            (n, param_reference[n], theirs[n]) for n in param_reference if n in theirs and theirs[n] != param_reference[n]
        ][:5]
        row["param_unmatched"] = [(n, c) for n, c in param_reference.items() if c and n not in theirs][:5]
        row["inspect"] = "ok"

    row["simulate"] = {}
    for device in devices:
        code, out, err = run([edgesim, "simulate", "--model", path, "--hardware", device, "--no-trace"] + dims)
        dev = os.path.splitext(os.path.basename(device))[0]
        if code == 0:
            row["simulate"][dev] = "ok"
        elif code == 1 and "error:" in err:
            row["simulate"][dev] = "refused: " + err.strip().splitlines()[0][:200]
        else:
            row["simulate"][dev] = "CRASH exit %d: %s" % (code, err.strip()[-300:])

    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    expected = session.run([session.get_outputs()[0].name], feeds)[0].astype(np.float64)
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, "out.npy")
        inputs = []
        for k, f in meta["inputs"].items():
            inputs += ["--input", "%s=%s" % (k, os.path.join(folder, f))]
        code, out, err = run([edgesim, "run", "--model", path, "--output", out_path] + inputs + dims[2:])
        if code != 0:
            row["run"] = "exit %d: %s" % (code, (err.strip().splitlines() or [""])[0][:300])
        else:
            got = np.load(out_path).astype(np.float64)
            if got.shape != expected.shape:
                row["run"] = "shape %s vs onnxruntime %s" % (got.shape, expected.shape)
            else:
                scale = max(np.abs(expected).max(), 1e-30)
                row["run_error"] = float(np.abs(got - expected).max() / scale)
                row["run"] = "ok" if row["run_error"] <= 1e-4 else "MISMATCH"
                if np.abs(expected).max() == 0:
                    row["run"] = "degenerate (onnxruntime's output is all zeros)"
    return row


def markdown(rows):
    lines = [
        "| model | exporter | MACs edgesim / independent | params edgesim / independent | simulate | run vs ORT |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        macs = "%s / %s" % (r.get("macs_edgesim", "—"), r["macs_independent"])
        params = "%s / %s" % (r.get("params_edgesim", "—"), r["params_independent"])
        sims = r["simulate"]
        ok = [d for d, v in sims.items() if v == "ok"]
        bad = ["%s: %s" % (d, v[:60]) for d, v in sims.items() if v != "ok"]
        sim = "%d/%d ok" % (len(ok), len(sims)) + ("; " + "; ".join(bad) if bad else "")
        err = ("%.1e" % r["run_error"]) if "run_error" in r else r.get("run", "")
        lines.append("| %s | %s | %s | %s | %s | %s |" % (r["model"], r["exporter"], macs, params, sim, err))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--edgesim", default="edgesim")
    parser.add_argument("--only", default=None, help="a substring of the model names to check")
    parser.add_argument("--no-simulate", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    devices = [] if args.no_simulate else sorted(glob.glob(os.path.join(ROOT, "Hardware", "*.yaml")))
    rows = []
    for path in sorted(glob.glob(os.path.join(args.folder, "*.onnx"))):
        if args.only and args.only not in path:
            continue
        try:
            row = check(path, args.edgesim, devices)
        except Exception as e:  # a reference failure is reported, not fatal
            row = {"model": os.path.basename(path), "error": repr(e)[:300]}
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.markdown:
        print(markdown([r for r in rows if "error" not in r]))


if __name__ == "__main__":
    main()
