#!/usr/bin/env python3
"""Writes Workloads/onnx/llm/tiny-llama.onnx: a Llama-architecture decoder
with a KV cache, in the form Hugging Face exporters (optimum, onnxruntime-genai)
give it, with seeded random weights.

    python3 -m venv V && V/bin/pip install onnx onnxruntime numpy
    V/bin/python Scripts/llm/make-tiny-decoder.py

Graph inputs, as optimum names them:
  input_ids       int64 [batch_size, sequence_length]
  attention_mask  int64 [batch_size, past_sequence_length + sequence_length]
  position_ids    int64 [batch_size, sequence_length]
  past_key_values.{i}.key/.value  float [batch_size, kv_heads, past_sequence_length, head_dim]
Outputs: logits [batch_size, sequence_length, vocab] and
present.{i}.key/.value [batch_size, kv_heads, past_sequence_length + sequence_length, head_dim].

Each block: RMSNorm written out (Pow, ReduceMean, Add, Sqrt, Div, Mul),
Q/K/V projections, rotary embedding (cos/sin tables gathered by position_ids,
rotate_half by Split/Neg/Concat), the new K and V concatenated to the cache,
grouped-query attention (K/V heads repeated by Unsqueeze/Expand/Reshape with
shapes computed from Shape, as exporters write them), a causal mask built
from attention_mask and position_ids (Range, Less, Not, And, Where), softmax,
output projection, residual, RMSNorm, SwiGLU feed-forward (SiLU as
x * Sigmoid(x)), residual; then a final RMSNorm and the LM head.

The script checks the model with onnxruntime: the logits of one decode step
after a prefill equal those of a prefill over the longer prompt.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LAYERS, D, HEADS, KV_HEADS, FFN, VOCAB, CONTEXT = 2, 64, 4, 2, 128, 256, 256
HEAD_DIM = D // HEADS
EPS = 1e-5
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Workloads", "onnx", "llm", "tiny-llama.onnx")

rng = np.random.default_rng(2026)
nodes, inits = [], []
counter = [0]


def const(name, array):
    inits.append(numpy_helper.from_array(np.asarray(array), name))
    return name


def weight(name, shape, scale):
    return const(name, (rng.standard_normal(shape) * scale).astype(np.float32))


def node(op, inputs, outputs=None, name=None, **attrs):
    counter[0] += 1
    name = name or f"/{op}_{counter[0]}"
    outputs = outputs or [name + "/output_0"]
    nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))
    return outputs[0] if len(outputs) == 1 else outputs


def rms_norm(x, scale, prefix):
    sq = node("Pow", [x, const(prefix + ".two", np.float32(2))], name=prefix + "/Pow")
    mean = node("ReduceMean", [sq, const(prefix + ".axes", np.array([-1], np.int64))], name=prefix + "/ReduceMean", keepdims=1)
    var = node("Add", [mean, const(prefix + ".eps", np.float32(EPS))], name=prefix + "/Add")
    root = node("Sqrt", [var], name=prefix + "/Sqrt")
    normed = node("Div", [x, root], name=prefix + "/Div")
    return node("Mul", [normed, scale], name=prefix + "/Mul")


def heads(x, count, prefix):
    """[b, s, count*hd] -> [b, count, s, hd]"""
    shaped = node("Reshape", [x, const(prefix + ".shape", np.array([0, 0, count, HEAD_DIM], np.int64))], name=prefix + "/Reshape")
    return node("Transpose", [shaped], name=prefix + "/Transpose", perm=[0, 2, 1, 3])


def rotary(x, cos, sin, prefix):
    half = HEAD_DIM // 2
    x1, x2 = node("Split", [x, const(prefix + ".split", np.array([half, half], np.int64))],
                  [prefix + "/x1", prefix + "/x2"], name=prefix + "/Split", axis=-1)
    rotated = node("Concat", [node("Neg", [x2], name=prefix + "/Neg"), x1], name=prefix + "/Concat", axis=-1)
    return node("Add", [node("Mul", [x, cos], name=prefix + "/MulCos"),
                        node("Mul", [rotated, sin], name=prefix + "/MulSin")], name=prefix + "/Add")


def repeat_kv(x, prefix):
    """[b, kvh, T, hd] -> [b, heads, T, hd], shapes from Shape(x)."""
    rep = HEADS // KV_HEADS
    shape = node("Shape", [x], name=prefix + "/Shape")
    b = node("Gather", [shape, const(prefix + ".i0", np.array([0], np.int64))], name=prefix + "/GatherB", axis=0)
    t = node("Gather", [shape, const(prefix + ".i2", np.array([2], np.int64))], name=prefix + "/GatherT", axis=0)
    expanded_shape = node("Concat", [b, const(prefix + ".kvh", np.array([KV_HEADS, rep], np.int64)), t,
                                     const(prefix + ".hd", np.array([HEAD_DIM], np.int64))], name=prefix + "/ConcatE", axis=0)
    merged_shape = node("Concat", [b, const(prefix + ".h", np.array([HEADS], np.int64)), t,
                                   const(prefix + ".hd2", np.array([HEAD_DIM], np.int64))], name=prefix + "/ConcatM", axis=0)
    unsq = node("Unsqueeze", [x, const(prefix + ".ax2", np.array([2], np.int64))], name=prefix + "/Unsqueeze")
    expanded = node("Expand", [unsq, expanded_shape], name=prefix + "/Expand")
    return node("Reshape", [expanded, merged_shape], name=prefix + "/Reshape")


inputs = [
    helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
    helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "past_sequence_length + sequence_length"]),
    helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
]
outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", VOCAB])]
for i in range(LAYERS):
    for kind in ("key", "value"):
        inputs.append(helper.make_tensor_value_info(
            f"past_key_values.{i}.{kind}", TensorProto.FLOAT, ["batch_size", KV_HEADS, "past_sequence_length", HEAD_DIM]))
        outputs.append(helper.make_tensor_value_info(
            f"present.{i}.{kind}", TensorProto.FLOAT,
            ["batch_size", KV_HEADS, "past_sequence_length + sequence_length", HEAD_DIM]))

x = node("Gather", [weight("model.embed_tokens.weight", (VOCAB, D), 0.5), "input_ids"], name="/model/embed_tokens/Gather", axis=0)

# Rotary tables (theta 10000), gathered by position: [b, 1, s, hd].
inv = 1.0 / (10000 ** (np.arange(0, HEAD_DIM, 2) / HEAD_DIM))
angles = np.outer(np.arange(CONTEXT), inv)
angles = np.concatenate([angles, angles], axis=1)
cos = node("Unsqueeze", [node("Gather", [const("cos_cache", np.cos(angles).astype(np.float32)), "position_ids"], name="/rotary/GatherCos", axis=0),
                         const("rotary.ax1", np.array([1], np.int64))], name="/rotary/UnsqueezeCos")
sin = node("Unsqueeze", [node("Gather", [const("sin_cache", np.sin(angles).astype(np.float32)), "position_ids"], name="/rotary/GatherSin", axis=0),
                         const("rotary.ax1b", np.array([1], np.int64))], name="/rotary/UnsqueezeSin")

# Causal mask [b, 1, s, T]: key j is visible to query position p when j <= p
# and attention_mask[j] is 1.
mask_shape = node("Shape", ["attention_mask"], name="/mask/Shape")
total = node("Gather", [mask_shape, const("mask.i1", np.array(1, np.int64))], name="/mask/Gather", axis=0)
keys = node("Range", [const("mask.zero", np.array(0, np.int64)), total, const("mask.one", np.array(1, np.int64))], name="/mask/Range")
queries = node("Unsqueeze", ["position_ids", const("mask.ax", np.array([1, 3], np.int64))], name="/mask/UnsqueezeQ")
future = node("Less", [queries, keys], name="/mask/Less")
visible = node("Not", [future], name="/mask/Not")
padded = node("Cast", [node("Unsqueeze", ["attention_mask", const("mask.ax12", np.array([1, 2], np.int64))], name="/mask/UnsqueezeM")],
              name="/mask/Cast", to=TensorProto.BOOL)
allowed = node("And", [visible, padded], name="/mask/And")
bias = node("Where", [allowed, const("mask.zero_f", np.float32(0)), const("mask.neg", np.float32(-1e9))], name="/mask/Where")

for i in range(LAYERS):
    p = f"/model/layers.{i}"
    h = rms_norm(x, const(f"layers.{i}.input_layernorm.weight", (1 + 0.1 * rng.standard_normal(D)).astype(np.float32)), p + "/input_layernorm")
    q = node("MatMul", [h, weight(f"layers.{i}.q_proj", (D, D), D ** -0.5)], name=p + "/self_attn/q_proj/MatMul")
    k = node("MatMul", [h, weight(f"layers.{i}.k_proj", (D, KV_HEADS * HEAD_DIM), D ** -0.5)], name=p + "/self_attn/k_proj/MatMul")
    v = node("MatMul", [h, weight(f"layers.{i}.v_proj", (D, KV_HEADS * HEAD_DIM), D ** -0.5)], name=p + "/self_attn/v_proj/MatMul")
    q = rotary(heads(q, HEADS, p + "/self_attn/q"), cos, sin, p + "/self_attn/q_rot")
    k = rotary(heads(k, KV_HEADS, p + "/self_attn/k"), cos, sin, p + "/self_attn/k_rot")
    v = heads(v, KV_HEADS, p + "/self_attn/v")
    present_k = node("Concat", [f"past_key_values.{i}.key", k], [f"present.{i}.key"], name=p + "/self_attn/ConcatK", axis=2)
    present_v = node("Concat", [f"past_key_values.{i}.value", v], [f"present.{i}.value"], name=p + "/self_attn/ConcatV", axis=2)
    k_all = repeat_kv(present_k, p + "/self_attn/repeat_k")
    v_all = repeat_kv(present_v, p + "/self_attn/repeat_v")
    kt = node("Transpose", [k_all], name=p + "/self_attn/TransposeK", perm=[0, 1, 3, 2])
    scores = node("MatMul", [q, kt], name=p + "/self_attn/MatMulQK")
    scaled = node("Mul", [scores, const(f"{p}.scale", np.float32(HEAD_DIM ** -0.5))], name=p + "/self_attn/Scale")
    masked = node("Add", [scaled, bias], name=p + "/self_attn/AddMask")
    probs = node("Softmax", [masked], name=p + "/self_attn/Softmax", axis=-1)
    context = node("MatMul", [probs, v_all], name=p + "/self_attn/MatMulPV")
    merged = node("Reshape", [node("Transpose", [context], name=p + "/self_attn/TransposeC", perm=[0, 2, 1, 3]),
                              const(f"{p}.merge", np.array([0, 0, D], np.int64))], name=p + "/self_attn/ReshapeC")
    o = node("MatMul", [merged, weight(f"layers.{i}.o_proj", (D, D), D ** -0.5)], name=p + "/self_attn/o_proj/MatMul")
    x = node("Add", [x, o], name=p + "/residual1")
    h = rms_norm(x, const(f"layers.{i}.post_attention_layernorm.weight", (1 + 0.1 * rng.standard_normal(D)).astype(np.float32)), p + "/post_attention_layernorm")
    gate = node("MatMul", [h, weight(f"layers.{i}.gate_proj", (D, FFN), D ** -0.5)], name=p + "/mlp/gate_proj/MatMul")
    up = node("MatMul", [h, weight(f"layers.{i}.up_proj", (D, FFN), D ** -0.5)], name=p + "/mlp/up_proj/MatMul")
    silu = node("Mul", [gate, node("Sigmoid", [gate], name=p + "/mlp/Sigmoid")], name=p + "/mlp/SiLU")
    down = node("MatMul", [node("Mul", [silu, up], name=p + "/mlp/Mul"), weight(f"layers.{i}.down_proj", (FFN, D), FFN ** -0.5)],
                name=p + "/mlp/down_proj/MatMul")
    x = node("Add", [x, down], name=p + "/residual2")

x = rms_norm(x, const("norm.weight", np.ones(D, np.float32)), "/model/norm")
node("MatMul", [x, weight("lm_head.weight", (D, VOCAB), D ** -0.5)], ["logits"], name="/lm_head/MatMul")

graph = helper.make_graph(nodes, "tiny-llama", inputs, outputs, inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="edgesim-make-tiny-decoder")
model.ir_version = 9
onnx.checker.check_model(model, full_check=True)
os.makedirs(os.path.dirname(OUT), exist_ok=True)
onnx.save(model, OUT)

# Check: prefill of 6 tokens then one decode step equals a 7-token prefill.
import onnxruntime as ort

session = ort.InferenceSession(OUT, providers=["CPUExecutionProvider"])
tokens = rng.integers(0, VOCAB, size=(1, 7), dtype=np.int64)


def feed(ids, past, start):
    n = ids.shape[1]
    f = {"input_ids": ids, "attention_mask": np.ones((1, start + n), np.int64),
         "position_ids": np.arange(start, start + n, dtype=np.int64)[None, :]}
    for i in range(LAYERS):
        for j, kind in enumerate(("key", "value")):
            f[f"past_key_values.{i}.{kind}"] = past[2 * i + j]
    return f


empty = [np.zeros((1, KV_HEADS, 0, HEAD_DIM), np.float32)] * (2 * LAYERS)
full = session.run(None, feed(tokens, empty, 0))
first = session.run(None, feed(tokens[:, :6], empty, 0))
step = session.run(None, feed(tokens[:, 6:], first[1:], 6))
error = np.abs(step[0][0, -1] - full[0][0, -1]).max()
assert error < 1e-4, error
print(f"wrote {OUT}: {os.path.getsize(OUT)} bytes; decode step matches prefill within {error:.2e}")

# A decode step's inputs and logits, for `edgesim run --dim` (the cache of
# the 6-token prefill above, then token 7), beside the model.
folder = os.path.dirname(OUT)
for name, value in feed(tokens[:, 6:], first[1:], 6).items():
    np.save(os.path.join(folder, f"tiny-llama.step.{name}.npy"), value)
np.save(os.path.join(folder, "tiny-llama.step.logits.npy"), step[0])
