#!/usr/bin/env python3
"""Print a TFLite model's operators layer by layer: input and output shapes,
stride and dilation of every convolution, its MACs, and the totals (convolution
MACs, constant elements). Developer tooling for checking a generated workload
against the published model it stands for (issue 15: the held-out DeepLab 257
and SSD 300 workloads); never run by `swift test` or CI.

Setup (any machine with Python 3):

    python3 -m venv V && V/bin/pip install tflite numpy

Usage:

    V/bin/python Scripts/workloads/tflite-layers.py MODEL.tflite

The files read for Documentation/Validation.md ("Pixel 3's DeepLab 257 and SSD
300 held-out misses") are public copies committed in GitHub repositories:
deeplabv3_257_mv_gpu.tflite in floe/deepseg (models/, commit c003ad7128c3),
and coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.zip (the TFLite starter model's
archive, whose detect.tflite it holds) in nathanrooy/rpi-urban-mobility-tracker
(umt/models/tflite/, commit 490323abd7cb). For "Coral's DeepLab files, read layer
by layer" (Validation.md, held-out discussion): deeplabv3_mnv2_pascal_quant.tflite,
deeplabv3_mnv2_dm05_pascal_quant.tflite and their _edgetpu twins in
google-coral/test_data (repository root, commit 104342d). They are not committed here.
"""
import sys

import numpy as np
import tflite


def main(path):
    model = tflite.Model.GetRootAsModel(open(path, "rb").read(), 0)
    graph = model.Subgraphs(0)
    names = {v: k for k, v in tflite.BuiltinOperator.__dict__.items() if not k.startswith("_")}

    def shape(index):
        tensor = graph.Tensors(index)
        return [int(d) for d in tensor.ShapeAsNumpy()] if tensor.ShapeLength() else []

    total = 0
    for k in range(graph.OperatorsLength()):
        op = graph.Operators(k)
        code = model.OperatorCodes(op.OpcodeIndex())
        builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        name = names.get(builtin, str(builtin))
        if name == "CUSTOM":
            name = "CUSTOM:" + code.CustomCode().decode()
        inputs = [i for i in op.InputsAsNumpy() if i >= 0]
        outputs = list(op.OutputsAsNumpy())
        detail = ""
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            options = tflite.Conv2DOptions() if name == "CONV_2D" else tflite.DepthwiseConv2DOptions()
            table = op.BuiltinOptions()
            options.Init(table.Bytes, table.Pos)
            weights, out = shape(inputs[1]), shape(outputs[0])
            per_output = weights[1] * weights[2] * (weights[3] if name == "CONV_2D" else 1)
            macs = int(np.prod(out)) * per_output
            total += macs
            detail = (f" stride {options.StrideH()} dilation {options.DilationHFactor()}"
                      f" weights {weights} MACs {macs}")
        output_name = graph.Tensors(outputs[0]).Name().decode()
        print(f"{k} {name} {shape(inputs[0]) if inputs else []} -> "
              f"{[shape(o) for o in outputs]}{detail} {output_name}")
    constants = 0
    for i in range(graph.TensorsLength()):
        tensor = graph.Tensors(i)
        if model.Buffers(tensor.Buffer()).DataLength() > 0 and tensor.ShapeLength() > 0:
            constants += int(np.prod(tensor.ShapeAsNumpy()))
    print(f"convolution MACs {total}; constant elements {constants}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
