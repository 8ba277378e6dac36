#!/usr/bin/env python3
"""Exports one small model of each modern family (issue #16 item 7) to
Workloads/onnx/modern/ with PyTorch's ONNX exporter, seeded random weights,
and writes beside each an input and onnxruntime's float output (.npy) and a
manifest with PyTorch's own parameter count and FLOP count
(torch.utils.flop_counter: matrix products and convolutions, 2 FLOPs a MAC).

    python3 -m venv V && V/bin/pip install torch onnx onnxscript onnxruntime numpy
    V/bin/python Scripts/workloads/export-modern.py

(PyPI's torch wheel pulls in the CUDA libraries; the export runs on the CPU.)

Families: a DistilBERT-style text encoder (token and position embeddings,
attention mask, post-LN blocks with GELU), a MobileViT-style hybrid
(convolutions, then unfold → transformer → fold), a YOLO-style detector
(strided convolutions, SPPF max pools, nearest upsampling, concatenation), a
U-Net segmenter (max pools, transposed convolutions, skip concatenations),
LSTM and GRU keyword spotters over 49 MFCC frames. The decoder LLM is
Scripts/llm/make-tiny-decoder.py's. The text encoder and the detector are
also exported by the dynamo exporter (`-dynamo`), whose graphs differ (no
Shape chains, decomposed operators).
"""
import json
import os

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Workloads", "onnx", "modern")


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x, bias=None):
        b, s, d = x.shape
        split = lambda t: t.view(b, s, self.heads, self.dh).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / (self.dh ** 0.5)
        if bias is not None:
            scores = scores + bias
        context = scores.softmax(-1) @ v
        return self.o(context.transpose(1, 2).reshape(b, s, d))


class Block(nn.Module):
    """Post-LN (BERT/DistilBERT) or pre-LN (ViT) transformer block."""

    def __init__(self, d, heads, ffn, pre_norm):
        super().__init__()
        self.attn, self.pre = Attention(d, heads), pre_norm
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff1, self.ff2 = nn.Linear(d, ffn), nn.Linear(ffn, d)

    def forward(self, x, bias=None):
        if self.pre:
            x = x + self.attn(self.ln1(x), bias)
            return x + self.ff2(F.gelu(self.ff1(self.ln2(x))))
        x = self.ln1(x + self.attn(x, bias))
        return self.ln2(x + self.ff2(F.gelu(self.ff1(x))))


class TextEncoder(nn.Module):
    def __init__(self, vocab=500, d=64, heads=4, ffn=128, layers=2, seq=32, classes=2):
        super().__init__()
        self.tokens, self.positions = nn.Embedding(vocab, d), nn.Embedding(seq, d)
        self.norm = nn.LayerNorm(d)
        self.blocks = nn.ModuleList(Block(d, heads, ffn, False) for _ in range(layers))
        self.head = nn.Linear(d, classes)

    def forward(self, input_ids, attention_mask):
        s = input_ids.shape[1]
        x = self.norm(self.tokens(input_ids) + self.positions(torch.arange(s)))
        bias = (1.0 - attention_mask[:, None, None, :].float()) * -1e9
        for block in self.blocks:
            x = block(x, bias)
        return self.head(x[:, 0])


def conv_bn(cin, cout, k=3, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*layers, nn.SiLU()) if act else nn.Sequential(*layers)


class MobileViTBlock(nn.Module):
    def __init__(self, c, d=48, patch=2, layers=2):
        super().__init__()
        self.patch = patch
        self.local = nn.Sequential(conv_bn(c, c), nn.Conv2d(c, d, 1, bias=False))
        self.blocks = nn.ModuleList(Block(d, 4, 2 * d, True) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.project = conv_bn(d, c, 1)
        self.fuse = conv_bn(2 * c, c)

    def forward(self, x):
        y = self.local(x)
        b, d, h, w = y.shape
        p = self.patch
        # Unfold: [b, d, h, w] -> [b*p*p, (h/p)*(w/p), d]
        y = y.reshape(b, d, h // p, p, w // p, p).permute(0, 3, 5, 2, 4, 1).reshape(b * p * p, (h // p) * (w // p), d)
        for block in self.blocks:
            y = block(y)
        y = self.norm(y)
        y = y.reshape(b, p, p, h // p, w // p, d).permute(0, 5, 3, 1, 4, 2).reshape(b, d, h, w)
        return self.fuse(torch.cat([x, self.project(y)], dim=1))


class ViTHybrid(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(conv_bn(3, 16, stride=2), conv_bn(16, 16, groups=16), conv_bn(16, 32, 1),
                                  conv_bn(32, 32, stride=2, groups=32), conv_bn(32, 32, 1))
        self.vit = MobileViTBlock(32)
        self.head = nn.Linear(32, classes)

    def forward(self, x):
        x = self.vit(self.stem(x))
        return self.head(x.mean((2, 3)))


class Detector(nn.Module):
    """YOLO-style: strided backbone, SPPF, FPN upsampling, two heads."""

    def __init__(self, classes=4, anchors=3):
        super().__init__()
        self.b1 = nn.Sequential(conv_bn(3, 8, stride=2), conv_bn(8, 16, stride=2), conv_bn(16, 16))
        self.b2 = nn.Sequential(conv_bn(16, 32, stride=2), conv_bn(32, 32))
        self.b3 = nn.Sequential(conv_bn(32, 64, stride=2), conv_bn(64, 32, 1))
        self.pool = nn.MaxPool2d(5, 1, 2)
        self.sppf = conv_bn(128, 64, 1)
        self.lateral = conv_bn(64, 32, 1)
        self.merge = conv_bn(64, 32)
        out = anchors * (5 + classes)
        self.head_small, self.head_large = nn.Conv2d(32, out, 1), nn.Conv2d(64, out, 1)

    def forward(self, x):
        c3 = self.b2(self.b1(x))
        c4 = self.b3(c3)
        p1 = self.pool(c4)
        p2 = self.pool(p1)
        p3 = self.pool(p2)
        top = self.sppf(torch.cat([c4, p1, p2, p3], 1))
        up = F.interpolate(self.lateral(top), scale_factor=2.0, mode="nearest")
        fine = self.merge(torch.cat([up, c3], 1))
        return self.head_large(top), self.head_small(fine)


class UNet(nn.Module):
    def __init__(self, classes=3):
        super().__init__()
        self.e1, self.e2, self.e3 = conv_bn(3, 16), conv_bn(16, 32), conv_bn(32, 64)
        self.u2, self.u1 = nn.ConvTranspose2d(64, 32, 2, 2), nn.ConvTranspose2d(32, 16, 2, 2)
        self.d2, self.d1 = conv_bn(64, 32), conv_bn(32, 16)
        self.out = nn.Conv2d(16, classes, 1)

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(F.max_pool2d(a, 2))
        c = self.e3(F.max_pool2d(b, 2))
        y = self.d2(torch.cat([self.u2(c), b], 1))
        y = self.d1(torch.cat([self.u1(y), a], 1))
        return self.out(y)


class Spotter(nn.Module):
    def __init__(self, kind, features=10, hidden=64, classes=12):
        super().__init__()
        self.rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(features, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[:, -1])


def export(name, model, inputs, input_names, output_names, rng, dynamo=False):
    model.eval()
    # Random BatchNorm statistics, so that folding them is exercised.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    path = os.path.join(OUT, name + ".onnx")
    with torch.no_grad():
        torch.onnx.export(model, tuple(inputs), path, input_names=input_names, output_names=output_names,
                          opset_version=18, dynamo=dynamo)
        with FlopCounterMode(display=False) as counter:
            model(*inputs)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    feeds = {n: t.numpy() for n, t in zip(input_names, inputs)}
    outputs = session.run(None, feeds)
    with torch.no_grad():
        expected = model(*inputs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    for mine, theirs in zip(outputs, expected):
        assert np.allclose(mine, theirs.numpy(), atol=1e-4), name
    for n, t in feeds.items():
        np.save(os.path.join(OUT, f"{name}.input.{n}.npy"), t)
    np.save(os.path.join(OUT, f"{name}.output.npy"), outputs[0])
    return {
        "model": f"{name}.onnx",
        "inputs": {n: f"{name}.input.{n}.npy" for n in input_names},
        "output": f"{name}.output.npy",
        "torch_parameters": sum(p.numel() for p in model.parameters()),
        "torch_flops": int(counter.get_total_flops()),
        "bytes": os.path.getsize(path),
        "exporter": "torch.onnx.export(dynamo=%s), torch %s" % (dynamo, torch.__version__),
    }


def main():
    torch.manual_seed(2026)
    rng = np.random.default_rng(2026)
    os.makedirs(OUT, exist_ok=True)
    manifest = {}
    ids = torch.tensor(rng.integers(1, 500, size=(1, 32)), dtype=torch.int64)
    mask = torch.ones(1, 32, dtype=torch.int64)
    mask[0, 24:] = 0
    manifest["text-encoder"] = export("text-encoder", TextEncoder(), [ids, mask],
                                      ["input_ids", "attention_mask"], ["logits"], rng)
    manifest["text-encoder-dynamo"] = export("text-encoder-dynamo", TextEncoder(), [ids, mask],
                                             ["input_ids", "attention_mask"], ["logits"], rng, dynamo=True)
    image = lambda size: torch.tensor(rng.standard_normal((1, 3, size, size)), dtype=torch.float32)
    manifest["vit-hybrid"] = export("vit-hybrid", ViTHybrid(), [image(64)], ["image"], ["logits"], rng)
    manifest["detector"] = export("detector", Detector(), [image(128)], ["image"], ["large", "small"], rng)
    manifest["segmenter"] = export("segmenter", UNet(), [image(64)], ["image"], ["mask"], rng)
    manifest["detector-dynamo"] = export("detector-dynamo", Detector(), [image(128)], ["image"],
                                         ["large", "small"], rng, dynamo=True)
    mfcc = torch.tensor(rng.standard_normal((1, 49, 10)), dtype=torch.float32)
    for kind in ("lstm", "gru"):
        manifest[f"kws-{kind}"] = export(f"kws-{kind}", Spotter(kind), [mfcc], ["mfcc"], ["logits"], rng)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    for name, entry in manifest.items():
        print(f"{name}: {entry['bytes']} bytes, {entry['torch_parameters']} parameters, "
              f"{entry['torch_flops'] // 2} MACs (torch flop counter)")


if __name__ == "__main__":
    main()
