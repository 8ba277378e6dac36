#!/usr/bin/env python3
"""Writes an ONNX model with ResNet-50's weight tensors (main path: the 7×7
stem, every bottleneck's 1×1, 3×3, 1×1 convs, and the 1000-way FC; 23.5 M
weights) as one chain on an 8×8 input with seeded random weights, to time
`edgesim compress` on ResNet-50-sized weights (BENCHMARKS.md). Downsample
shortcuts are left out (1.4 M weights), so the chain stays shape-consistent.

  /tmp/venv/bin/python Scripts/compression/make-resnet50-sized.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(50)
nodes, inits = [], []
x = "input"


def conv(name, cin, cout, k):
    global x
    w = (rng.standard_normal((cout, cin, k, k)) * np.sqrt(2 / (cin * k * k))).astype(np.float32)
    b = np.zeros(cout, dtype=np.float32)
    inits.extend([numpy_helper.from_array(w, name + ".weight"),
                  numpy_helper.from_array(b, name + ".bias")])
    nodes.append(helper.make_node(
        "Conv", [x, name + ".weight", name + ".bias"], [name + "_out"], name=name,
        kernel_shape=[k, k], pads=[k // 2] * 4))
    nodes.append(helper.make_node("Relu", [name + "_out"], [name + "_relu"], name=name + "_relu"))
    x = name + "_relu"


conv("conv1", 3, 64, 7)
cin = 64
for stage, (width, blocks) in enumerate([(64, 3), (128, 4), (256, 6), (512, 3)]):
    for b in range(blocks):
        conv(f"layer{stage+1}.{b}.conv1", cin, width, 1)
        conv(f"layer{stage+1}.{b}.conv2", width, width, 3)
        conv(f"layer{stage+1}.{b}.conv3", width, 4 * width, 1)
        cin = 4 * width
nodes.append(helper.make_node("GlobalAveragePool", [x], ["pooled"], name="pool"))
nodes.append(helper.make_node("Flatten", ["pooled"], ["flat"], name="flatten"))
fc = (rng.standard_normal((1000, 2048)) * 0.02).astype(np.float32)
inits.extend([numpy_helper.from_array(fc, "fc.weight"),
              numpy_helper.from_array(np.zeros(1000, np.float32), "fc.bias")])
nodes.append(helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1))
graph = helper.make_graph(
    nodes, "resnet50-sized",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 8, 8])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 1000])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.save(model, sys.argv[1])
print(sum(t.dims[0] * int(np.prod(t.dims[1:])) for t in inits if t.name.endswith("weight")), "weights")
