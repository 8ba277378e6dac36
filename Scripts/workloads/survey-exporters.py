#!/usr/bin/env python3
"""Exports modern models with the usual tools, as a user would, into a survey
folder for Scripts/workloads/survey-check.py (issue #16, "Done means": other
models than our own bundled exports must import, count, simulate and match
onnxruntime). Weights are random (small configurations; the Hugging Face hub
is not needed: each transformers model is built from a config, saved, and
exported from that folder by `optimum-cli export onnx`).

    python3 -m venv V && V/bin/pip install torch torchvision timm transformers \
        optimum-onnx onnx onnxruntime onnxscript numpy
    V/bin/python Scripts/workloads/survey-exporters.py OUT_DIR [--only NAME]
    V/bin/python Scripts/workloads/survey-check.py OUT_DIR --edgesim .build/debug/edgesim --markdown

Each model NAME gets NAME.onnx (possibly NAME.onnx.data), NAME.json and one
NAME.<input>.npy per graph input. The models are not committed (several MB);
the results table is in Documentation/Validation.md.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch

RNG = np.random.default_rng(16)
torch.manual_seed(16)


def save_meta(out, name, exporter, family, feeds, dims=None, batch=1):
    inputs = {}
    for k, v in feeds.items():
        f = "%s.%s.npy" % (name, k.replace("/", "_").replace(".", "_"))
        np.save(os.path.join(out, f), v)
        inputs[k] = f
    meta = {"exporter": exporter, "family": family, "inputs": inputs, "dims": dims or {}, "batch": batch}
    json.dump(meta, open(os.path.join(out, name + ".json"), "w"), indent=1)


def random_feeds(path, dims, vocab=100):
    """Inputs for every graph input: token ids below `vocab`, masks of ones,
    positions 0..n, floats from N(0, 1); symbolic dims from `dims`."""
    model = onnx.load(path, load_external_data=False)
    inits = {i.name for i in model.graph.initializer}
    feeds = {}
    for i in model.graph.input:
        if i.name in inits:
            continue
        t = i.type.tensor_type
        shape = []
        for d in t.shape.dim:
            if d.HasField("dim_value"):
                shape.append(d.dim_value)
            else:
                p = d.dim_param
                value = dims.get(p)
                if value is None:  # an expression like "past_sequence_length + 1"
                    value = eval(p, {}, dict(dims))
                shape.append(int(value))
        if t.elem_type in (onnx.TensorProto.INT64, onnx.TensorProto.INT32):
            dtype = np.int64 if t.elem_type == onnx.TensorProto.INT64 else np.int32
            if "mask" in i.name:
                feeds[i.name] = np.ones(shape, dtype)
            elif "position" in i.name:
                feeds[i.name] = np.broadcast_to(np.arange(shape[-1]), shape).astype(dtype)
            elif "token_type" in i.name:
                feeds[i.name] = np.zeros(shape, dtype)
            else:
                feeds[i.name] = RNG.integers(0, vocab, shape).astype(dtype)
        else:
            feeds[i.name] = RNG.standard_normal(shape).astype(np.float32)
    return feeds


def optimum(out, name, model, task, dims, family, opset=None, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "src"), os.path.join(tmp, "onnx")
        # Random, not freshly initialised, weights: Hugging Face initialises
        # classifier heads and biases to zero, which would hide errors.
        with torch.no_grad():
            for p in model.parameters():
                p.add_(torch.randn_like(p) * 0.05)
        model.save_pretrained(src)
        cmd = [sys.executable, "-m", "optimum.commands.optimum_cli", "export", "onnx", "--model", src, "--task", task]
        cmd += (["--opset", str(opset)] if opset else []) + list(extra) + [dst]
        subprocess.run(cmd, check=True, capture_output=True)
        onnx_files = [f for f in os.listdir(dst) if f.endswith(".onnx")]
        src_model = os.path.join(dst, "model.onnx" if "model.onnx" in onnx_files else onnx_files[0])
        m = onnx.load(src_model)
        onnx.save(m, os.path.join(out, name + ".onnx"))
    import optimum.version

    feeds = random_feeds(os.path.join(out, name + ".onnx"), dims, vocab=model.config.vocab_size if hasattr(model.config, "vocab_size") else 100)
    save_meta(out, name, "optimum-cli %s (task %s%s)" % (optimum.version.__version__, task, ", opset %d" % opset if opset else ""), family, feeds, dims)


def torch_export(out, name, model, args, input_names, family, dynamo=False, dynamic=None, opset=None):
    model.eval()
    path = os.path.join(out, name + ".onnx")
    kwargs = {"input_names": input_names, "dynamo": dynamo}
    if opset:
        kwargs["opset_version"] = opset
    if dynamic and not dynamo:
        kwargs["dynamic_axes"] = dynamic
    with torch.no_grad():
        torch.onnx.export(model, tuple(args), path, **kwargs)
    # Keep one file (the dynamo exporter may write external data).
    m = onnx.load(path)
    for f in os.listdir(out):
        if f.startswith(name + ".onnx") and f != name + ".onnx":
            os.remove(os.path.join(out, f))
    onnx.save(m, path)
    feeds = {n: a.numpy() for n, a in zip(input_names, args)}
    label = "torch.onnx.export(dynamo=%s%s), torch %s" % (dynamo, ", opset %d" % opset if opset else "", torch.__version__.split("+")[0])
    save_meta(out, name, label, family, feeds)


def text_encoders(out):
    from transformers import BertConfig, BertModel, DistilBertConfig, DistilBertForSequenceClassification, MobileBertConfig, MobileBertModel

    dims = {"batch_size": 1, "sequence_length": 16}
    optimum(out, "hf-distilbert", DistilBertForSequenceClassification(DistilBertConfig(vocab_size=200, dim=64, n_layers=2, n_heads=4, hidden_dim=128, max_position_embeddings=64)), "text-classification", dims, "text encoder")
    optimum(out, "hf-bert-tiny", BertModel(BertConfig(vocab_size=200, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, max_position_embeddings=64)), "feature-extraction", dims, "text encoder")
    optimum(out, "hf-mobilebert", MobileBertModel(MobileBertConfig(vocab_size=200, hidden_size=64, embedding_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, intra_bottleneck_size=32, max_position_embeddings=64)), "feature-extraction", dims, "text encoder")


def vision_transformers(out):
    import timm
    from transformers import MobileViTConfig, MobileViTForImageClassification

    cfg = MobileViTConfig(image_size=64, hidden_sizes=[32, 40, 48], neck_hidden_sizes=[8, 8, 16, 16, 24, 32, 64], num_labels=10)
    optimum(out, "hf-mobilevit", MobileViTForImageClassification(cfg), "image-classification", {"batch_size": 1, "num_channels": 3, "height": 64, "width": 64}, "ViT hybrid")
    model = timm.create_model("mobilevitv2_050", pretrained=False, num_classes=10)
    x = torch.randn(1, 3, 64, 64)
    torch_export(out, "timm-mobilevitv2", model, [x], ["image"], "ViT hybrid")
    model = timm.create_model("levit_128s", pretrained=False, num_classes=10, img_size=128)
    torch_export(out, "timm-levit-dynamo", model, [torch.randn(1, 3, 128, 128)], ["image"], "ViT hybrid", dynamo=True)


def decoders(out):
    from transformers import GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

    dims = {"batch_size": 1, "sequence_length": 4, "past_sequence_length": 6}
    optimum(out, "hf-gpt2-past", GPT2LMHeadModel(GPT2Config(vocab_size=200, n_positions=64, n_embd=32, n_layer=2, n_head=2)), "text-generation-with-past", dims, "decoder LLM")
    qwen = Qwen2ForCausalLM(Qwen2Config(vocab_size=200, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64))
    optimum(out, "hf-qwen2-past", qwen, "text-generation-with-past", dims, "decoder LLM")


def detectors_segmenters(out):
    import torchvision.models.detection as det
    import torchvision.models.segmentation as seg

    x = torch.randn(1, 3, 128, 128)
    for dynamo in (False, True):
        suffix = "-dynamo" if dynamo else ""
        for name, model in (
            ("tv-lraspp", seg.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=5)),
            ("tv-deeplabv3-mbv3", seg.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=5, aux_loss=False)),
        ):
            try:
                torch_export(out, name + suffix, model, [x], ["image"], "segmenter", dynamo=dynamo)
            except Exception as e:
                print(name + suffix, "export failed:", repr(e)[:300])
    ssd = det.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=5).eval()

    class SSDHead(torch.nn.Module):
        """The detector without its post-processing (boxes and class logits
        per anchor), as edge deployments export it."""

        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            features = list(self.m.backbone(x).values())
            out = self.m.head(features)
            return out["bbox_regression"], out["cls_logits"]

    x = torch.randn(1, 3, 320, 320)
    for dynamo in (False, True):
        torch_export(out, "tv-ssdlite-head" + ("-dynamo" if dynamo else ""), SSDHead(ssd), [x], ["image"], "detector", dynamo=dynamo)

    # The whole detector with its post-processing (NonMaxSuppression,
    # TopK, data-dependent shapes), as torchvision's docs export it.
    image = torch.randn(3, 320, 320)
    path = os.path.join(out, "tv-ssdlite-full.onnx")
    try:
        with torch.no_grad():
            torch.onnx.export(ssd, ([image],), path, input_names=["image"], opset_version=17, dynamo=False)
        save_meta(out, "tv-ssdlite-full", "torch.onnx.export(dynamo=False, opset 17), torch %s" % torch.__version__.split("+")[0], "detector", {"image": image.numpy()})
    except Exception as e:
        print("tv-ssdlite-full export failed:", repr(e)[:300])


class Spotter(torch.nn.Module):
    def __init__(self, kind, batch_first, bidirectional, layers, features=10, hidden=24, classes=6):
        super().__init__()
        rnn = torch.nn.LSTM if kind == "lstm" else torch.nn.GRU
        self.rnn = rnn(features, hidden, num_layers=layers, batch_first=batch_first, bidirectional=bidirectional)
        self.batch_first = batch_first
        self.head = torch.nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, x):
        y, _ = self.rnn(x)
        last = y[:, -1] if self.batch_first else y[-1]
        return self.head(last)


def spotters(out):
    for kind in ("lstm", "gru"):
        for bf, bi, layers in ((True, True, 1), (False, False, 2), (True, True, 2)):
            name = "rnn-%s-%s%s-l%d" % (kind, "bf" if bf else "tf", "-bi" if bi else "", layers)
            x = torch.randn(1, 20, 10) if bf else torch.randn(20, 1, 10)
            for dynamo in (False, True):
                try:
                    torch_export(out, name + ("-dynamo" if dynamo else ""), Spotter(kind, bf, bi, layers), [x], ["mfcc"], "keyword spotter", dynamo=dynamo)
                except Exception as e:
                    print(name, dynamo, "export failed:", repr(e)[:300])


def quantized(out):
    import torchvision
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    model = torchvision.models.mobilenet_v3_small(weights=None, num_classes=10).eval()
    x = torch.randn(1, 3, 96, 96)
    with tempfile.TemporaryDirectory() as tmp:
        fp = os.path.join(tmp, "fp.onnx")
        raw = os.path.join(tmp, "raw.onnx")
        torch.onnx.export(model, (x,), raw, input_names=["image"], dynamo=False, opset_version=17)
        # onnxruntime's documented first step (shape inference, constant
        # folding, BatchNorm fusion) before quantize_static.
        from onnxruntime.quantization.shape_inference import quant_pre_process

        quant_pre_process(raw, fp)

        class Reader(CalibrationDataReader):
            def __init__(self):
                self.data = iter([{"image": RNG.standard_normal((1, 3, 96, 96)).astype(np.float32)} for _ in range(4)])

            def get_next(self):
                return next(self.data, None)

        for name, fmt, per_channel in (
            ("ort-qdq-perchannel", QuantFormat.QDQ, True),
            ("ort-qdq-pertensor", QuantFormat.QDQ, False),
            ("ort-qoperator", QuantFormat.QOperator, True),
        ):
            path = os.path.join(out, name + ".onnx")
            quantize_static(fp, path, Reader(), quant_format=fmt, per_channel=per_channel, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
            import onnxruntime

            save_meta(out, name, "onnxruntime %s quantize_static (%s, %s)" % (onnxruntime.__version__, fmt.name, "per-channel" if per_channel else "per-tensor"), "QDQ CNN", {"image": x.numpy()})


FAMILIES = {
    "text": text_encoders,
    "vit": vision_transformers,
    "decoder": decoders,
    "vision": detectors_segmenters,
    "rnn": spotters,
    "quant": quantized,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--only", nargs="*", default=list(FAMILIES))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for family in args.only:
        try:
            FAMILIES[family](args.out)
        except Exception as e:
            print(family, "failed:", repr(e)[:500], flush=True)


if __name__ == "__main__":
    main()
