#!/usr/bin/env python3
"""Gives a shape-only torchvision ONNX model seeded random weights, for timing.

The models under Workloads/onnx/torchvision/ hold their graphs and small
constants but not their weights (external data that was never committed).
This script loads one, fills every external tensor with seeded random values
(He-normal convolution weights, N(0, 0.01) fully connected weights,
batch-norm scales and variances in [0.8, 1.2], small biases, shifts and
means), keeps the inline constants (batch-norm parameters of a fresh
network), makes the batch axis of the input and output symbolic (so batches
of any size run, in edgesim and in onnxruntime) and writes a self-contained
.onnx. With --images it also writes a seeded N(0, 1) input batch as .npy.

    /tmp/venv/bin/python Scripts/seeded-weights.py \
        Workloads/onnx/torchvision/mobilenet_v2.onnx /tmp/mobilenet_v2.onnx \
        --images 8 --images-out /tmp/images-8.npy [--seed 0]

The outputs are for benchmarks (Scripts/benchmark-large.sh): random weights
give meaningless classes but the real network's shapes and arithmetic.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def fill(model: onnx.ModelProto, rng: np.random.Generator) -> int:
    """Replaces every external initializer by seeded values; returns the count."""
    filled = 0
    for index, tensor in enumerate(model.graph.initializer):
        if tensor.data_location != onnx.TensorProto.EXTERNAL:
            continue
        if tensor.data_type != onnx.TensorProto.FLOAT:
            sys.exit(f"{tensor.name}: only float external tensors are filled")
        shape = tuple(tensor.dims)
        if len(shape) == 4:  # convolution [M][C/g][kh][kw]: He-normal
            fan_in = shape[1] * shape[2] * shape[3]
            values = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
        elif len(shape) == 2:  # fully connected
            values = rng.normal(0.0, 0.01, shape)
        elif tensor.name.endswith(("running_var", ".weight")):
            # batch-norm variance and scale: near a fresh network's 1
            values = rng.uniform(0.8, 1.2, shape)
        else:  # biases, batch-norm shifts and means: near 0
            values = rng.normal(0.0, 0.05, shape)
        replacement = numpy_helper.from_array(
            values.astype(np.float32), tensor.name)
        model.graph.initializer[index].CopyFrom(replacement)
        filled += 1
    return filled


def symbolic_batch(model: onnx.ModelProto) -> None:
    for value in list(model.graph.input) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims:
            dims[0].ClearField("dim_value")
            dims[0].dim_param = "N"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="shape-only .onnx (external weights absent)")
    parser.add_argument("out", help="self-contained .onnx to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--images", type=int, default=0,
                        help="also write this many seeded N(0,1) input images")
    parser.add_argument("--images-out", help=".npy for --images")
    args = parser.parse_args()
    if args.images and not args.images_out:
        sys.exit("--images needs --images-out")

    model = onnx.load(args.model, load_external_data=False)
    rng = np.random.default_rng(args.seed)
    if fill(model, rng) == 0:
        sys.exit(f"{args.model}: no external tensors to fill")
    symbolic_batch(model)
    onnx.checker.check_model(model)
    onnx.save(model, args.out)
    if args.images:
        dims = model.graph.input[0].type.tensor_type.shape.dim
        shape = (args.images,) + tuple(d.dim_value for d in dims[1:])
        images = np.random.default_rng(args.seed + 1).normal(0.0, 1.0, shape)
        np.save(args.images_out, images.astype(np.float32))


if __name__ == "__main__":
    main()
