#!/usr/bin/env python3
"""Quantizes a float ONNX model to int8 QDQ with onnxruntime, for timing.

onnxruntime's static post-training quantization (QDQ format, per-tensor
int8 activations with MinMax calibration over the given .npy batch,
per-channel int8 weights): the int8 reference that
Scripts/benchmark-large.sh times `edgesim run --precision` against.

    /tmp/venv/bin/python Scripts/quantize-onnxruntime.py MODEL.onnx CALIBRATION.npy OUT.onnx
"""
import argparse
import os
import tempfile

import numpy as np
import onnx
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                      QuantType, quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process


class Batches(CalibrationDataReader):
    """The calibration images one at a time."""

    def __init__(self, name: str, images: np.ndarray):
        self.items = iter([{name: images[i:i + 1]} for i in range(len(images))])

    def get_next(self):
        return next(self.items, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("calibration")
    parser.add_argument("out")
    args = parser.parse_args()
    images = np.load(args.calibration).astype(np.float32)
    name = onnx.load(args.model, load_external_data=False).graph.input[0].name
    with tempfile.TemporaryDirectory() as work:
        prepared = os.path.join(work, "prepared.onnx")
        # ONNX shape inference suffices (no sympy needed).
        quant_pre_process(args.model, prepared, skip_symbolic_shape=True)
        quantize_static(prepared, args.out, Batches(name, images),
                        quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QInt8,
                        weight_type=QuantType.QInt8, per_channel=True)


if __name__ == "__main__":
    main()
