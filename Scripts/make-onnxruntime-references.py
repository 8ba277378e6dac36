#!/usr/bin/env python3
"""Records onnxruntime's outputs for the bundled ONNX models with real weights.

The float executor's tests compare EdgeSim against these files (the product
asks for agreement within 1e-4 relative). For each model in MODELS this
script runs onnxruntime on the first COUNT test images of
`Workloads/digits/test-images.npy` and writes, under
`Tests/Fixtures/onnxruntime/<model>/`:

  input.npy                  the input batch (float32, COUNT x 1 x 8 x 8)
  labels.npy                 its labels (int64), for accuracy checks
  output-<name>.npy          every graph output
  node-NN-<node>.npy         every node's output (NN = the node's index in
                             the graph's node list, which is topological)
  manifest.json              which file is what, plus versions and hashes

Intermediate values are obtained by adding each node output as an extra graph
output to an in-memory copy of the model. Both the plain and the augmented
model run with graph optimizations disabled and one thread, so every value is
what the node itself computes; the script also runs the unmodified model with
onnxruntime's default optimizations and records the largest difference of
the graph outputs in the manifest.

Usage (from the repository root; see Scripts/README.md for the venv):

    Scripts/.venv/bin/python Scripts/make-onnxruntime-references.py
"""
import hashlib
import json
import os
import re
import shutil

import numpy as np
import onnx
import onnxruntime as ort
from onnx import shape_inference

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = {
    "digits-plain": "Workloads/digits/digits-plain.onnx",
    "digits-dwsep": "Workloads/digits/digits-dwsep.onnx",
}
IMAGES = "Workloads/digits/test-images.npy"
LABELS = "Workloads/digits/test-labels.npy"
COUNT = 16
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "onnxruntime")


def session(model_bytes, optimized):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimized
        else ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    return ort.InferenceSession(model_bytes, options,
                                providers=["CPUExecutionProvider"])


def with_every_node_output(model):
    """A copy of `model` whose graph outputs include every node output."""
    inferred = shape_inference.infer_shapes(model, strict_mode=True)
    types = {vi.name: vi for vi in inferred.graph.value_info}
    augmented = onnx.ModelProto()
    augmented.CopyFrom(model)
    existing = {o.name for o in augmented.graph.output}
    for node in augmented.graph.node:
        for name in node.output:
            if name and name not in existing:
                augmented.graph.output.append(types[name])
                existing.add(name)
    return augmented


def safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make(model_name, model_path, images, labels):
    out = os.path.join(OUT_DIR, model_name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    model = onnx.load(os.path.join(ROOT, model_path))
    input_name = model.graph.input[0].name
    output_names = [o.name for o in model.graph.output]

    np.save(os.path.join(out, "input.npy"), images)
    np.save(os.path.join(out, "labels.npy"), labels)

    plain = session(model.SerializeToString(), optimized=False)
    outputs = plain.run(output_names, {input_name: images})
    optimized = session(model.SerializeToString(), optimized=True)
    outputs_opt = optimized.run(output_names, {input_name: images})

    augmented = with_every_node_output(model)
    every = session(augmented.SerializeToString(), optimized=False)
    all_names = [o.name for o in augmented.graph.output]
    values = dict(zip(all_names, every.run(all_names, {input_name: images})))

    manifest_outputs = {}
    for name, value, value_opt in zip(output_names, outputs, outputs_opt):
        if not np.array_equal(value, values[name]):
            raise SystemExit(f"{model_name}: {name} differs when node "
                             f"outputs are exposed")
        file = f"output-{safe(name)}.npy"
        np.save(os.path.join(out, file), value)
        manifest_outputs[name] = {
            "file": file, "shape": list(value.shape),
            "dtype": str(value.dtype),
            "max_abs_diff_vs_optimized_session":
                float(np.abs(value - value_opt).max()),
        }

    nodes = []
    for index, node in enumerate(model.graph.node):
        for name in node.output:
            value = values[name]
            file = f"node-{index:02d}-{safe(node.name or node.op_type)}.npy"
            if len(node.output) > 1:
                file = file.replace(".npy", f"-{safe(name)}.npy")
            np.save(os.path.join(out, file), value)
            nodes.append({"index": index, "node": node.name,
                          "op_type": node.op_type, "output": name,
                          "file": file, "shape": list(value.shape),
                          "dtype": str(value.dtype)})

    predictions = np.argmax(outputs[0], axis=1)
    manifest = {
        "model": model_path,
        "model_sha256": sha256(os.path.join(ROOT, model_path)),
        "input": {"name": input_name, "file": "input.npy",
                  "shape": list(images.shape), "dtype": str(images.dtype),
                  "source": f"{IMAGES}[:{COUNT}]"},
        "labels": {"file": "labels.npy", "source": f"{LABELS}[:{COUNT}]",
                   "correct": int((predictions == labels).sum())},
        "outputs": manifest_outputs,
        "nodes": nodes,
        "onnxruntime": {
            "version": ort.__version__,
            "provider": "CPUExecutionProvider",
            "graph_optimization_level": "ORT_DISABLE_ALL",
            "threads": 1,
        },
        "made_by": "Scripts/.venv/bin/python "
                   "Scripts/make-onnxruntime-references.py",
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"{model_name}: {len(nodes)} node outputs, "
          f"{manifest['labels']['correct']}/{COUNT} correct, {size:,} bytes")
    return size


def main():
    images = np.load(os.path.join(ROOT, IMAGES))[:COUNT]
    labels = np.load(os.path.join(ROOT, LABELS))[:COUNT]
    total = sum(make(name, path, images, labels)
                for name, path in MODELS.items())
    print(f"total {total:,} bytes")
    if total > 1_000_000:
        raise SystemExit("fixtures exceed 1 MB; lower COUNT")


if __name__ == "__main__":
    main()
