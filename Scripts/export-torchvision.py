#!/usr/bin/env python3
"""Exports EdgeSim's reference torchvision networks as shape-only ONNX files.

For each of resnet18, resnet50, mobilenet_v2, squeezenet1_1, alexnet and
vgg16 this script

1. builds the torchvision model with random weights (``weights=None``,
   ``torch.manual_seed(0)``) in eval mode;
2. exports it to ONNX (opset 13, TorchScript exporter, input ``input`` of
   shape 1x3x224x224, output ``logits``, ``do_constant_folding=True``).
   BatchNormalization nodes are *kept* (``TrainingMode.PRESERVE`` on a model
   in eval mode): EdgeSim folds batch-norm at import, and the committed
   models should exercise that. The exporter's de-duplication of identical
   initializers (random-init biases and BN parameters are often all zeros or
   ones) inserts ``Identity`` nodes; they are undone so every node reads its
   own initializer, as in a model with trained weights;
3. checks the model with ``onnx.checker``, runs ONNX shape inference and
   computes the MACs of every Conv and Gemm node from the inferred shapes,
   which must equal fvcore's count for the corresponding PyTorch module;
4. saves it with every tensor of 1 KiB or more in an external file
   ``<name>.weights`` and deletes that file, so the committed ``<name>.onnx``
   holds the graph, the small constants, and ``external_data`` references
   (location, offset, length) for the weights: enough for shape inference,
   MAC/parameter counting and simulation, not for execution;
5. writes ``reference-counts.json`` with fvcore's figures (see the README
   beside the outputs for the conventions).

Usage (from the repository root; the virtualenv is ignored by git):

    python3 -m venv Scripts/.venv
    Scripts/.venv/bin/pip install -r Scripts/requirements.txt
    Scripts/.venv/bin/python Scripts/export-torchvision.py

Outputs go to ``Workloads/onnx/torchvision/``.
"""
import json
import os
import sys
import tempfile
import warnings

import numpy as np
import onnx
import torch
import torchvision
from fvcore.nn import FlopCountAnalysis
from onnx import numpy_helper, shape_inference

MODELS = ["resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1", "alexnet",
          "vgg16"]
# torchvision's own published figures (from the pretrained weights' metadata,
# shipped in the package): parameter count and "_ops" in GFLOPs, which
# torchvision documents as multiply-adds of conv and linear layers.
WEIGHTS = {"resnet18": "ResNet18_Weights", "resnet50": "ResNet50_Weights",
           "mobilenet_v2": "MobileNet_V2_Weights",
           "squeezenet1_1": "SqueezeNet1_1_Weights",
           "alexnet": "AlexNet_Weights", "vgg16": "VGG16_Weights"}
OPSET = 13
INPUT_SHAPE = (1, 3, 224, 224)
SIZE_THRESHOLD = 1024  # bytes; smaller tensors stay inline in the .onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Workloads", "onnx", "torchvision")


def undo_initializer_dedup(model):
    """Replaces `Identity(initializer)` nodes by a copy of the initializer."""
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    kept = []
    removed = 0
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in inits:
            copy = onnx.TensorProto()
            copy.CopyFrom(inits[node.input[0]])
            copy.name = node.output[0]
            graph.initializer.append(copy)
            inits[copy.name] = copy
            removed += 1
        else:
            kept.append(node)
    del graph.node[:]
    graph.node.extend(kept)
    # Drop initializers nobody reads any more.
    used = {name for n in graph.node for name in n.input}
    used |= {o.name for o in graph.output}
    live = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(live)
    return removed


def onnx_conv_gemm_macs(model):
    """MACs of each Conv and Gemm node, from ONNX shape inference."""
    inferred = shape_inference.infer_shapes(model, strict_mode=True)
    g = inferred.graph
    shapes = {}
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        dims = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        shapes[vi.name] = dims
    for t in g.initializer:
        shapes[t.name] = list(t.dims)
    macs = {}
    for node in g.node:
        if node.op_type == "Conv":
            w = shapes[node.input[1]]  # [Cout, Cin/group, kh, kw]
            y = shapes[node.output[0]]  # [N, Cout, Hout, Wout]
            macs[node.name] = int(np.prod(y) * np.prod(w[1:]))
        elif node.op_type == "Gemm":
            attrs = {a.name: onnx.helper.get_attribute_value(a)
                     for a in node.attribute}
            a = shapes[node.input[0]]
            m, k = (a[1], a[0]) if attrs.get("transA", 0) else (a[0], a[1])
            y = shapes[node.output[0]]
            macs[node.name] = int(m * k * y[1])
    return macs


def module_of(node_name):
    """Module path of a node from the TorchScript exporter's scoped name.

    `/layer1/layer1.0/conv1/Conv` -> `layer1.0.conv1`: a scope level is
    either the full path of a child module or the child's attribute name.
    """
    parts = [p for p in node_name.split("/") if p][:-1]
    parent, path, previous = "", "", None
    for part in parts:
        if previous is None or not part.startswith(previous + "."):
            parent = path  # a child of the module named so far
        # else: the same parent as `previous` (e.g. `downsample.0`)
        path = f"{parent}.{part}" if parent else part
        previous = part
    return path


def fvcore_counts(model, x):
    flops = FlopCountAnalysis(model, (x,))
    flops.unsupported_ops_warnings(False)
    flops.uncalled_modules_warnings(False)
    by_module = flops.by_module()
    by_operator = {k: int(v) for k, v in sorted(flops.by_operator().items())}
    conv_gemm = {}
    for name, m in model.named_modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            conv_gemm[name] = int(by_module[name])
    return int(flops.total()), by_operator, conv_gemm


def param_counts(model):
    total = sum(p.numel() for p in model.parameters())
    conv_gemm = sum(p.numel() for m in model.modules()
                    if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))
                    for p in m.parameters(recurse=False))
    bn = sum(p.numel() for m in model.modules()
             if isinstance(m, torch.nn.BatchNorm2d)
             for p in m.parameters(recurse=False))
    return int(total), int(conv_gemm), int(bn)


def export_one(name, tmp):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.randn(*INPUT_SHAPE)
    raw_path = os.path.join(tmp, f"{name}.raw.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (x,), raw_path, dynamo=False, opset_version=OPSET,
            input_names=["input"], output_names=["logits"],
            do_constant_folding=True,
            training=torch.onnx.TrainingMode.PRESERVE)
    proto = onnx.load(raw_path)
    identities = undo_initializer_dedup(proto)
    proto.producer_name = "EdgeSim Scripts/export-torchvision.py"
    proto.producer_version = (f"torch {torch.__version__}, "
                              f"torchvision {torchvision.__version__}")
    proto.doc_string = (
        f"torchvision.models.{name}(weights=None) after torch.manual_seed(0), "
        f"eval mode, BatchNormalization kept. Shape-only copy: tensors of "
        f"{SIZE_THRESHOLD} bytes or more reference the external file "
        f"{name}.weights, which is not distributed.")
    onnx.checker.check_model(proto)

    onnx_macs = onnx_conv_gemm_macs(proto)
    total, by_operator, conv_gemm = fvcore_counts(model, x)
    node_of = {}
    for node_name, macs in onnx_macs.items():
        module = module_of(node_name)
        if module not in conv_gemm:
            sys.exit(f"{name}: ONNX node {node_name} has no module {module}")
        if conv_gemm[module] != macs:
            sys.exit(f"{name}: {node_name}: ONNX shapes give {macs} MACs, "
                     f"fvcore {conv_gemm[module]}")
        node_of[module] = node_name
    missing = set(conv_gemm) - set(node_of)
    if missing:
        sys.exit(f"{name}: modules without an ONNX node: {sorted(missing)}")

    out_path = os.path.join(OUT_DIR, f"{name}.onnx")
    weights = os.path.join(OUT_DIR, f"{name}.weights")
    onnx.save_model(proto, out_path, save_as_external_data=True,
                    all_tensors_to_one_file=True, location=f"{name}.weights",
                    size_threshold=SIZE_THRESHOLD)
    weights_bytes = os.path.getsize(weights)
    os.remove(weights)

    params, conv_gemm_params, bn_params = param_counts(model)
    ops = sorted({n.op_type for n in proto.graph.node})
    conv_gemm_total = sum(conv_gemm.values())
    extras = {k: v for k, v in by_operator.items()
              if k not in ("conv", "linear", "addmm")}
    notes = (
        f"fvcore FlopCountAnalysis on 1x3x224x224, eval mode; 1 flop = 1 "
        f"multiply-add. Conv+Gemm MACs {conv_gemm_total}; the total also "
        f"counts {extras or 'nothing else'} (batch_norm: 2 per element with "
        f"affine in eval mode; adaptive_avg_pool2d: 1 per input element). "
        f"Parameters: every nn.Parameter (conv/linear weights and biases "
        f"{conv_gemm_params}, BatchNorm gamma/beta {bn_params}); BN running "
        f"mean/var are buffers and not counted. The ONNX keeps "
        f"{sum(1 for n in proto.graph.node if n.op_type == 'BatchNormalization')}"
        f" BatchNormalization nodes; removed {identities} exporter Identity "
        f"nodes. ONNX ops: {', '.join(ops)}. External weights were "
        f"{weights_bytes} bytes.")
    meta = getattr(torchvision.models, WEIGHTS[name]).IMAGENET1K_V1.meta
    if meta["num_params"] != params:
        sys.exit(f"{name}: {params} parameters, torchvision says "
                 f"{meta['num_params']}")
    if abs(meta["_ops"] - conv_gemm_total / 1e9) > 0.0051 * meta["_ops"]:
        sys.exit(f"{name}: {conv_gemm_total} conv+gemm MACs, torchvision "
                 f"says {meta['_ops']} G")
    record = {
        "total_macs_fvcore": total,
        "total_params": params,
        "conv_gemm_macs_total": conv_gemm_total,
        "conv_gemm_params": conv_gemm_params,
        "batchnorm_params": bn_params,
        "fvcore_by_operator": by_operator,
        "conv_gemm_macs": conv_gemm,
        "onnx_node_of_module": node_of,
        "torchvision_meta": {"num_params": meta["num_params"],
                             "gmacs": meta["_ops"]},
        "notes": notes,
    }
    return record, os.path.getsize(out_path)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in MODELS:
            record, size = export_one(name, tmp)
            counts[name] = record
            print(f"{name:14s} {size:9d} bytes  MACs {record['total_macs_fvcore']:>13,d}"
                  f"  conv+gemm {record['conv_gemm_macs_total']:>13,d}"
                  f"  params {record['total_params']:>11,d}")
    with open(os.path.join(OUT_DIR, "reference-counts.json"), "w") as f:
        json.dump(counts, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
