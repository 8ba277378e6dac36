#!/usr/bin/env python3
"""Writes Workloads/onnx/llm/llama-tiny-optimum.onnx: a Hugging Face
LlamaForCausalLM with a tiny configuration (2 layers, hidden 64, 4 heads, 2
KV heads, intermediate 128, vocabulary 256; seeded random weights) exported
by Hugging Face optimum exactly as users export real ones:

    optimum-cli export onnx --model DIR --task text-generation-with-past OUT

    python3 -m venv V && V/bin/pip install torch transformers optimum-onnx onnxruntime
    V/bin/python Scripts/llm/export-hf-llama.py

Versions that made the committed file: torch 2.9.1, transformers 4.57.6,
optimum 2.1.0, optimum-onnx 0.1.0. The script checks with onnxruntime that a
decode step after a prefill gives the logits of the longer prefill.
"""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort
import torch
from transformers import LlamaConfig, LlamaForCausalLM

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Workloads", "onnx", "llm",
                   "llama-tiny-optimum.onnx")
LAYERS, KV_HEADS, HEAD_DIM = 2, 2, 16

with tempfile.TemporaryDirectory() as work:
    config = LlamaConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=LAYERS,
                         num_attention_heads=4, num_key_value_heads=KV_HEADS, max_position_embeddings=256,
                         tie_word_embeddings=False)
    torch.manual_seed(2026)
    LlamaForCausalLM(config).eval().save_pretrained(os.path.join(work, "model"))
    cli = os.path.join(os.path.dirname(sys.executable), "optimum-cli")
    subprocess.run([cli, "export", "onnx", "--model", os.path.join(work, "model"), "--task",
                    "text-generation-with-past", os.path.join(work, "onnx")], check=True)
    shutil.copy(os.path.join(work, "onnx", "model.onnx"), OUT)

session = ort.InferenceSession(OUT, providers=["CPUExecutionProvider"])
rng = np.random.default_rng(2026)
tokens = rng.integers(0, 256, size=(1, 7), dtype=np.int64)


def feed(ids, past, start):
    n = ids.shape[1]
    f = {"input_ids": ids, "attention_mask": np.ones((1, start + n), np.int64),
         "position_ids": np.arange(start, start + n, dtype=np.int64)[None, :]}
    for i in range(LAYERS):
        f[f"past_key_values.{i}.key"] = past[2 * i]
        f[f"past_key_values.{i}.value"] = past[2 * i + 1]
    return f


empty = [np.zeros((1, KV_HEADS, 0, HEAD_DIM), np.float32)] * (2 * LAYERS)
full = session.run(None, feed(tokens, empty, 0))
first = session.run(None, feed(tokens[:, :6], empty, 0))
step = session.run(None, feed(tokens[:, 6:], first[1:], 6))
error = np.abs(step[0][0, -1] - full[0][0, -1]).max()
assert error < 1e-4, error
print(f"wrote {OUT}: {os.path.getsize(OUT)} bytes; decode step matches prefill within {error:.2e}")

# A decode step's inputs and logits, for `edgesim run --dim`, beside the model.
folder = os.path.dirname(OUT)
for name, value in feed(tokens[:, 6:], first[1:], 6).items():
    np.save(os.path.join(folder, f"llama-tiny-optimum.step.{name}.npy"), value)
np.save(os.path.join(folder, "llama-tiny-optimum.step.logits.npy"), step[0])
