#!/usr/bin/env python3
"""Writes Tests/Fixtures/exporter-survey/: tiny ONNX graphs holding the
patterns of other exporters that EdgeSim refused or miscounted in the
exporter survey (Scripts/workloads/survey-exporters.py, issue #16), each with
an input and onnxruntime's output (.npy):

- shape-float-ceil.onnx: Hugging Face MobileViT's patch-grid size,
  `Shape → Gather → Cast(float) → Div → Ceil → Mul → Cast(int64) →
  Unsqueeze → Concat → Reshape` (float arithmetic on a value computed from
  a shape).
- pad-transpose-chain.onnx: PyTorch's legacy exporter's `F.pad` on a 3-D
  tensor (MobileBERT's embeddings), `pads` computed from the padding list by
  `Concat → Reshape → Slice → Transpose → Reshape → Cast`.
- gather-last-step.onnx: `y[:, -1]` after a MatMul, a Gather whose index
  is a constant (not a parameter).

    python3 -m venv V && V/bin/pip install onnx onnxruntime numpy
    V/bin/python Scripts/workloads/make-exporter-fixtures.py
"""
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "exporter-survey")
RNG = np.random.default_rng(16)


def const(name, array):
    return helper.make_node("Constant", [], [name], name=name, value=numpy_helper.from_array(np.asarray(array), name))


def save(name, nodes, inputs, outputs, initializers, feed):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make-exporter-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    result = session.run(None, feed)[0]
    for key, value in feed.items():
        np.save(os.path.join(OUT, "%s.input.%s.npy" % (name, key)), value)
    np.save(os.path.join(OUT, name + ".output.npy"), result)


def shape_float_ceil():
    # x [1, 4, 6, 6] → grid side ceil(6 / 2) · 2 = 6 → reshape to
    # [1, 4, 3, 2, 3·2] (patches of 2 along the height), then Conv 1×1.
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Shape", ["c"], ["s"], name="shape"),
        const("two_i", np.array(2, np.int64)),
        helper.make_node("Gather", ["s", "two_i"], ["h"], name="height", axis=0),
        helper.make_node("Cast", ["h"], ["hf"], name="to_float", to=TensorProto.FLOAT),
        const("patch", np.array(2.0, np.float32)),
        helper.make_node("Div", ["hf", "patch"], ["q"], name="div"),
        helper.make_node("Ceil", ["q"], ["qc"], name="ceil"),
        helper.make_node("Mul", ["qc", "patch"], ["nh"], name="mul"),
        helper.make_node("Cast", ["nh"], ["nhi"], name="to_int", to=TensorProto.INT64),
        helper.make_node("Div", ["nhi", "two_i"], ["rows"], name="rows"),
        const("axes0", np.array([0], np.int64)),
        helper.make_node("Unsqueeze", ["rows", "axes0"], ["rows1"], name="unsqueeze"),
        const("head", np.array([1, 4], np.int64)),
        const("tail", np.array([2, -1], np.int64)),
        helper.make_node("Concat", ["head", "rows1", "tail"], ["target"], name="concat", axis=0),
        helper.make_node("Reshape", ["c", "target"], ["y"], name="patches"),
    ]
    w = numpy_helper.from_array(RNG.standard_normal((4, 3, 1, 1)).astype(np.float32), "w")
    x = RNG.standard_normal((1, 3, 6, 6)).astype(np.float32)
    save(
        "shape-float-ceil", nodes,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 6, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 3, 2, 6])], [w], {"x": x})


def pad_transpose_chain():
    # F.pad(e, [0, 0, 0, 1, 0, 0]) on e [1, 5, 8], as the legacy exporter
    # writes it (opset 17): the padding list reversed in pairs into pads.
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["e"], name="embed"),
        const("pad_list", np.array([0, 0, 0, 1], np.int64)),
        const("zeros_shape", np.array([2], np.int64)),
        helper.make_node(
            "ConstantOfShape", ["zeros_shape"], ["zeros"], name="zeros",
            value=numpy_helper.from_array(np.array([0], np.int64))),
        helper.make_node("Concat", ["pad_list", "zeros"], ["padding"], name="concat", axis=0),
        const("pairs", np.array([-1, 2], np.int64)),
        helper.make_node("Reshape", ["padding", "pairs"], ["paired"], name="reshape_pairs"),
        const("start", np.array([-1], np.int64)),
        const("end", np.array([-(2**63)], np.int64)),
        const("axis0", np.array([0], np.int64)),
        const("step", np.array([-1], np.int64)),
        helper.make_node("Slice", ["paired", "start", "end", "axis0", "step"], ["reversed"], name="reverse"),
        helper.make_node("Transpose", ["reversed"], ["by_side"], name="transpose", perm=[1, 0]),
        const("flat", np.array([-1], np.int64)),
        helper.make_node("Reshape", ["by_side", "flat"], ["pads64"], name="reshape_pads"),
        helper.make_node("Cast", ["pads64"], ["pads"], name="cast", to=TensorProto.INT64),
        helper.make_node("Pad", ["e", "pads"], ["y"], name="pad", mode="constant"),
    ]
    w = numpy_helper.from_array(RNG.standard_normal((6, 8)).astype(np.float32), "w")
    x = RNG.standard_normal((1, 5, 6)).astype(np.float32)
    save(
        "pad-transpose-chain", nodes,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 5, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6, 8])], [w], {"x": x})


def gather_last_step():
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["h"], name="project"),
        const("last", np.array(-1, np.int64)),
        helper.make_node("Gather", ["h", "last"], ["y"], name="last_step", axis=1),
    ]
    w = numpy_helper.from_array(RNG.standard_normal((6, 4)).astype(np.float32), "w")
    x = RNG.standard_normal((1, 5, 6)).astype(np.float32)
    save(
        "gather-last-step", nodes,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 5, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], [w], {"x": x})


def main():
    os.makedirs(OUT, exist_ok=True)
    shape_float_ceil()
    pad_transpose_chain()
    gather_last_step()


if __name__ == "__main__":
    main()
