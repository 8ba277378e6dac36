#!/usr/bin/env python3
"""Builds a small ONNX model of every element-wise activation EdgeSim imports
and records onnxruntime's output for it, as an oracle for the float executor.

The model (opset 20) reads x [1, 97] (a ramp over [-6, 6]) and concatenates,
along axis 1, every activation applied to x; Log, Sqrt and Reciprocal read
Softplus(x) (positive). Non-default attributes are set where an operator has
them, so that the importer's attribute reading is checked too. Writes, under
`Tests/Fixtures/onnxruntime/activations/`:

  activations.onnx   the model
  input.npy          x (float32 [1, 97])
  output.npy         onnxruntime's output (float32 [1, 97 * len(OPS)])
  manifest.json      the operators in output order, versions and hashes

Usage (from the repository root; see Scripts/README.md for the venv):

    Scripts/.venv/bin/python Scripts/make-activation-references.py
"""
import hashlib
import json
import os

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper

OUT = "Tests/Fixtures/onnxruntime/activations"
WIDTH = 97

# (op, attributes, reads softplus(x) instead of x)
OPS = [
    ("Sigmoid", {}, False),
    ("HardSigmoid", {"alpha": 0.25, "beta": 0.4}, False),
    ("HardSwish", {}, False),
    ("LeakyRelu", {"alpha": 0.2}, False),
    ("Tanh", {}, False),
    ("Elu", {"alpha": 0.7}, False),
    ("Selu", {}, False),
    ("Celu", {"alpha": 1.5}, False),
    ("Softplus", {}, False),
    ("Softsign", {}, False),
    ("Mish", {}, False),
    ("ThresholdedRelu", {"alpha": 0.5}, False),
    ("Gelu", {}, False),
    ("Gelu", {"approximate": "tanh"}, False),
    ("Erf", {}, False),
    ("Exp", {}, False),
    ("Log", {}, True),
    ("Sqrt", {}, True),
    ("Reciprocal", {}, True),
    ("Neg", {}, False),
    ("Abs", {}, False),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    nodes = [helper.make_node("Softplus", ["x"], ["positive"], name="positive")]
    outputs = []
    for index, (op, attributes, positive) in enumerate(OPS):
        name = f"{op.lower()}_{index}"
        nodes.append(
            helper.make_node(
                op, ["positive" if positive else "x"], [name], name=name,
                **attributes))
        outputs.append(name)
    nodes.append(helper.make_node("Concat", outputs, ["y"], name="all", axis=1))
    graph = helper.make_graph(
        nodes, "activations",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, WIDTH])],
        [helper.make_tensor_value_info(
            "y", TensorProto.FLOAT, [1, WIDTH * len(OPS)])])
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 20)],
        producer_name="Scripts/make-activation-references.py")
    model.ir_version = 9
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(OUT, "activations.onnx")
    onnx.save(model, path)

    x = np.linspace(-6, 6, WIDTH, dtype=np.float32).reshape(1, WIDTH)
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = (
        onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL)
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        path, options, providers=["CPUExecutionProvider"])
    (y,) = session.run(None, {"x": x})
    np.save(os.path.join(OUT, "input.npy"), x)
    np.save(os.path.join(OUT, "output.npy"), y.astype(np.float32))
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    manifest = {
        "model": "activations.onnx",
        "model_sha256": digest,
        "input": "input.npy",
        "output": "output.npy",
        "width": WIDTH,
        "operators": [
            {"op": op, "attributes": attributes, "reads": (
                "softplus(x)" if positive else "x")}
            for op, attributes, positive in OPS
        ],
        "onnxruntime": onnxruntime.__version__,
        "onnx": onnx.__version__,
        "numpy": np.__version__,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
