#!/usr/bin/env python3
"""Affine (ONNX QDQ / QLinear) reference models and onnxruntime outputs (issue #16 item 6).

Builds tiny quantized ONNX models and quantizes the committed digits model with
onnxruntime.quantization.quantize_static (QDQ, MinMax), runs onnxruntime
(CPUExecutionProvider, default optimization level ORT_ENABLE_ALL: the QDQ graph
is fused into QLinearConv / QGemm / QLinearMatMul / QLinearAdd kernels, which
is what users of onnxruntime get) and writes, into Workloads/affine/:

  NAME.onnx           the model (float32 input, integer or float output)
  NAME-input.npy      float32 input
  NAME-output.npy     onnxruntime's first output (uint8/int8/int32, or float32
                      for the digits model, whose output is DequantizeLinear of
                      the last QuantizeLinear: exact given the integers)

Never run by `swift test` or CI; the outputs are committed. The Swift tests
(Tests/EdgeSimCommandsTests/AffineRunCommandTests.swift) run `edgesim run` on
each model and compare the output with onnxruntime's exactly.

Recreate the environment:
  python3 -m venv V && V/bin/pip install onnx onnxruntime numpy
  V/bin/python Scripts/affine-references.py [PATH/TO/edgesim]
With an edgesim binary, it also runs `edgesim quantize --method affine` on the
digits model and commits onnxruntime's outputs of the QDQ models it writes.
Made with onnx 1.23, onnxruntime 1.32.0 on x86-64 (AVX-512 VNNI).
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Workloads", "affine")
rng = np.random.default_rng(16)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def save(name, graph_nodes, inits, inp_shape, out_name, out_type, out_shape, x):
    """Builds the model, runs onnxruntime once to learn the output's shape, and
    saves the model with that shape (batch dimension symbolic)."""
    def build(shape):
        graph = helper.make_graph(
            graph_nodes, name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, inp_shape)],
            [helper.make_tensor_value_info(out_name, out_type, shape)],
            inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8
        return model
    probe = build(None)
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    y = session.run(None, {"x": x})[0]
    model = build(["N"] + list(y.shape[1:]))
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    run(name, path, x)


def run(name, path, x):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    y = session.run(None, {session.get_inputs()[0].name: x})[0]
    np.save(os.path.join(OUT, name + "-input.npy"), x)
    np.save(os.path.join(OUT, name + "-output.npy"), y)
    print(name, x.shape, "->", y.dtype, y.shape)


def qtype(signed):
    return (np.int8, TensorProto.INT8) if signed else (np.uint8, TensorProto.UINT8)


def activation_params(lo, hi, signed):
    """ORT MinMax, asymmetric: the range widened to hold 0."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    qmin, qmax = (-128, 127) if signed else (0, 255)
    scale = np.float32((hi - lo) / (qmax - qmin))
    zp = int(round(qmin - lo / scale))
    return scale, zp


def weight_params(w, per_channel):
    """Symmetric int8, per output channel (axis 0) or per tensor."""
    if per_channel:
        m = np.abs(w.reshape(w.shape[0], -1)).max(axis=1)
    else:
        m = np.array(np.abs(w).max())
    scale = np.where(m == 0, 1.0, m / 127.0).astype(np.float32)
    shape = (-1,) + (1,) * (w.ndim - 1) if per_channel else ()
    q = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def qdq_conv(name, signed, per_channel, depthwise):
    c, m = (4, 4) if depthwise else (3, 5)
    group = c if depthwise else 1
    x = rng.uniform(-1.0, 2.0, (2, c, 7, 7)).astype(np.float32)
    w = rng.normal(0, 0.4, (m, c // group, 3, 3)).astype(np.float32)
    b = rng.normal(0, 0.2, (m,)).astype(np.float32)
    dt, tp = qtype(signed)
    sx, zx = activation_params(-1.0, 2.0, signed)
    sy, zy = activation_params(-4.0, 5.0, signed)
    wq, sw = weight_params(w, per_channel)
    bq = np.rint(b / (sx * sw)).astype(np.int32)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"]),
        helper.make_node("DequantizeLinear", ["wq", "sw", "zw"], ["wd"], axis=0),
        helper.make_node("DequantizeLinear", ["bq", "sb", "zb"], ["bd"], axis=0),
        helper.make_node("Conv", ["xd", "wd", "bd"], ["y"], group=group,
                         pads=[1, 1, 1, 1], strides=[1, 1] if depthwise else [2, 1]),
        helper.make_node("QuantizeLinear", ["y", "sy", "zy"], ["yq"]),
    ]
    sb = (sx * sw).astype(np.float32)
    inits = [const("sx", sx), const("zx", dt(zx)), const("sy", sy), const("zy", dt(zy)),
             const("wq", wq), const("sw", sw), const("zw", np.zeros(sw.shape, np.int8)),
             const("bq", bq), const("sb", sb), const("zb", np.zeros(sb.shape, np.int32))]
    save(name, nodes, inits, ["N", c, 7, 7], "yq", tp, None, x)


def qdq_gemm(name, signed, per_channel, op):
    k, n = 12, 6
    x = rng.uniform(-2.0, 2.0, (5, k)).astype(np.float32)
    w = rng.normal(0, 0.5, (n, k) if op == "Gemm" else (k, n)).astype(np.float32)
    dt, tp = qtype(signed)
    sx, zx = activation_params(-2.0, 2.0, signed)
    sy, zy = activation_params(-3.0, 3.5, signed)
    if op == "Gemm":
        wq, sw = weight_params(w, per_channel)
        waxis = 0
    else:
        wqt, sw = weight_params(w.T.copy(), per_channel)
        wq = wqt.T.copy()
        waxis = 1
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"]),
        helper.make_node("DequantizeLinear", ["wq", "sw", "zw"], ["wd"], axis=waxis),
    ]
    inits = [const("sx", sx), const("zx", dt(zx)), const("sy", sy), const("zy", dt(zy)),
             const("wq", wq), const("sw", sw), const("zw", np.zeros(sw.shape, np.int8))]
    if op == "Gemm":
        b = rng.normal(0, 0.3, (n,)).astype(np.float32)
        sb = (sx * sw).astype(np.float32) * np.ones(n, np.float32)
        bq = np.rint(b / sb).astype(np.int32)
        nodes += [
            helper.make_node("DequantizeLinear", ["bq", "sb", "zb"], ["bd"], axis=0),
            helper.make_node("Gemm", ["xd", "wd", "bd"], ["y"], transB=1),
        ]
        inits += [const("bq", bq), const("sb", sb), const("zb", np.zeros(n, np.int32))]
    else:
        nodes.append(helper.make_node("MatMul", ["xd", "wd"], ["y"]))
    nodes.append(helper.make_node("QuantizeLinear", ["y", "sy", "zy"], ["yq"]))
    save(name, nodes, inits, ["N", k], "yq", tp, None, x)


def qdq_add(name, signed):
    x = rng.uniform(-1.0, 1.0, (3, 4, 5)).astype(np.float32)
    c = rng.uniform(-2.0, 1.0, (3, 4, 5)).astype(np.float32)
    dt, tp = qtype(signed)
    sx, zx = activation_params(-1.0, 1.0, signed)
    sc, zc = activation_params(-2.0, 1.0, signed)
    sy, zy = activation_params(-2.5, 2.0, signed)
    cq = np.clip(np.rint(c / sc) + zc, *((-128, 127) if signed else (0, 255))).astype(dt)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"]),
        helper.make_node("Relu", ["xd"], ["r"]),
        helper.make_node("QuantizeLinear", ["r", "sx", "zx"], ["rq"]),
        helper.make_node("DequantizeLinear", ["rq", "sx", "zx"], ["rd"]),
        helper.make_node("DequantizeLinear", ["cq", "sc", "zc"], ["cd"]),
        helper.make_node("Add", ["rd", "cd"], ["y"]),
        helper.make_node("QuantizeLinear", ["y", "sy", "zy"], ["yq"]),
    ]
    inits = [const("sx", sx), const("zx", dt(zx)), const("sc", sc), const("zc", dt(zc)),
             const("cq", cq), const("sy", sy), const("zy", dt(zy))]
    save(name, nodes, inits, ["N", 4, 5], "yq", tp, None, x)


def qdq_conv_clip_gap(name, signed):
    """Conv -> Clip(0, 6) -> QuantizeLinear (onnxruntime removes the Clip when
    the quantized range lies inside it) -> GlobalAveragePool between
    DequantizeLinear and QuantizeLinear (QLinearGlobalAveragePool)."""
    x = rng.uniform(-1.0, 1.0, (3, 4, 6, 6)).astype(np.float32)
    w = rng.normal(0, 0.6, (6, 4, 3, 3)).astype(np.float32)
    dt, tp = qtype(signed)
    sx, zx = activation_params(-1.0, 1.0, signed)
    s1, z1 = activation_params(0.0, 5.9, signed)
    s2, z2 = activation_params(0.0, 3.1, signed)
    wq, sw = weight_params(w, True)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"]),
        helper.make_node("DequantizeLinear", ["wq", "sw", "zw"], ["wd"], axis=0),
        helper.make_node("Conv", ["xd", "wd"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Clip", ["c", "lo", "hi"], ["r"]),
        helper.make_node("QuantizeLinear", ["r", "s1", "z1"], ["rq"]),
        helper.make_node("DequantizeLinear", ["rq", "s1", "z1"], ["rd"]),
        helper.make_node("GlobalAveragePool", ["rd"], ["g"]),
        helper.make_node("QuantizeLinear", ["g", "s2", "z2"], ["yq"]),
    ]
    inits = [const("sx", sx), const("zx", dt(zx)), const("s1", s1), const("z1", dt(z1)),
             const("s2", s2), const("z2", dt(z2)), const("wq", wq), const("sw", sw),
             const("zw", np.zeros(sw.shape, np.int8)), const("lo", np.float32(0.0)),
             const("hi", np.float32(6.0))]
    save(name, nodes, inits, ["N", 4, 6, 6], "yq", tp, None, x)


def mobile_block(name, signed, per_channel):
    """A MobileNetV2-style float model (Conv+Clip(0,6), expand 1x1,
    depthwise 3x3, project 1x1, residual Add, GlobalAveragePool, Flatten,
    Gemm) quantized by onnxruntime's quantize_static (QDQ, MinMax)."""
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                          QuantType, quantize_static)
    local = np.random.default_rng(7)
    c, e = 8, 24

    def f(n, a):
        return numpy_helper.from_array(np.asarray(a, np.float32), n)
    inits = [f("w0", local.normal(0, .3, (c, 3, 3, 3))), f("b0", local.normal(0, .1, c)),
             f("w1", local.normal(0, .3, (e, c, 1, 1))), f("b1", local.normal(0, .1, e)),
             f("w2", local.normal(0, .3, (e, 1, 3, 3))), f("b2", local.normal(0, .1, e)),
             f("w3", local.normal(0, .3, (c, e, 1, 1))), f("b3", local.normal(0, .1, c)),
             f("wf", local.normal(0, .3, (10, c))), f("bf", local.normal(0, .1, 10)),
             f("lo", 0.0), f("hi", 6.0)]
    n = helper.make_node
    nodes = [n("Conv", ["x", "w0", "b0"], ["c0"], pads=[1, 1, 1, 1], strides=[2, 2]),
             n("Clip", ["c0", "lo", "hi"], ["r0"]),
             n("Conv", ["r0", "w1", "b1"], ["c1"]), n("Clip", ["c1", "lo", "hi"], ["r1"]),
             n("Conv", ["r1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1], group=e),
             n("Clip", ["c2", "lo", "hi"], ["r2"]),
             n("Conv", ["r2", "w3", "b3"], ["c3"]), n("Add", ["c3", "r0"], ["a"]),
             n("GlobalAveragePool", ["a"], ["g"]), n("Flatten", ["g"], ["f"]),
             n("Gemm", ["f", "wf", "bf"], ["logits"], transB=1)]
    graph = helper.make_graph(
        nodes, "mobile_block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 16, 16])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    float_path = os.path.join(OUT, "mobile-block-float.onnx")
    onnx.save(model, float_path)
    xs = local.uniform(-1, 1, (32, 3, 16, 16)).astype(np.float32)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter([{"x": xs[i:i + 1]} for i in range(32)])

        def get_next(self):
            return next(self.it, None)
    path = os.path.join(OUT, name + ".onnx")
    quantize_static(float_path, path, Reader(), quant_format=QuantFormat.QDQ,
                    per_channel=per_channel,
                    activation_type=QuantType.QInt8 if signed else QuantType.QUInt8,
                    weight_type=QuantType.QInt8)
    os.remove(float_path)
    run(name, path, xs[:8])


def qlinear(name, signed):
    """QuantizeLinear -> QLinearConv -> Flatten -> QLinearMatMul (explicit operators)."""
    x = rng.uniform(-1.0, 1.0, (2, 2, 5, 5)).astype(np.float32)
    dt, tp = qtype(signed)
    sx, zx = activation_params(-1.0, 1.0, signed)
    s1, z1 = activation_params(-3.0, 3.0, signed)
    s2, z2 = activation_params(-6.0, 6.0, signed)
    w = rng.normal(0, 0.5, (3, 2, 3, 3)).astype(np.float32)
    wq, sw = weight_params(w, True)
    b = np.rint(rng.normal(0, 0.2, 3) / (sx * sw)).astype(np.int32)
    m = rng.normal(0, 0.3, (27, 4)).astype(np.float32)
    mqt, sm = weight_params(m.T.copy(), False)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        helper.make_node("QLinearConv", ["xq", "sx", "zx", "wq", "sw", "zw", "s1", "z1", "b"],
                         ["c"], pads=[0, 0, 0, 0], strides=[1, 1], kernel_shape=[3, 3]),
        helper.make_node("Flatten", ["c"], ["f"], axis=1),
        helper.make_node("QLinearMatMul", ["f", "s1", "z1", "mq", "sm", "zm", "s2", "z2"], ["yq"]),
    ]
    inits = [const("sx", sx), const("zx", dt(zx)), const("s1", s1), const("z1", dt(z1)),
             const("s2", s2), const("z2", dt(z2)), const("wq", wq), const("sw", sw),
             const("zw", np.int8(0)), const("b", b), const("mq", mqt.T.copy()),
             const("sm", sm), const("zm", np.int8(0))]
    save(name, nodes, inits, ["N", 2, 5, 5], "yq", tp, None, x)


def integer_ops(name):
    """QuantizeLinear (uint8) -> ConvInteger (uint8 weights, zero points) -> int32, and MatMulInteger."""
    x = rng.uniform(-1.0, 1.0, (2, 1, 6, 6)).astype(np.float32)
    sx, zx = activation_params(-1.0, 1.0, False)
    w = rng.integers(0, 256, (2, 1, 3, 3)).astype(np.uint8)
    m = rng.integers(-128, 128, (16, 3)).astype(np.int8)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        helper.make_node("ConvInteger", ["xq", "w", "zx", "zw"], ["c"], strides=[1, 1]),
        helper.make_node("Cast", ["c"], ["cf"], to=TensorProto.FLOAT),
        helper.make_node("QuantizeLinear", ["cf", "sc", "zc"], ["cq"]),
        helper.make_node("Reshape", ["cq", "shape"], ["r"]),
        helper.make_node("MatMulInteger", ["r", "m", "zr", "zm"], ["yq"]),
    ]
    inits = [const("sx", sx), const("zx", np.uint8(zx)), const("w", w), const("zw", np.uint8(131)),
             const("sc", np.float32(40.0)), const("zc", np.uint8(100)),
             const("shape", np.array([-1, 2, 16], np.int64)), const("m", m),
             const("zr", np.uint8(100)), const("zm", np.int8(-3))]
    save(name, nodes, inits, ["N", 1, 6, 6], "yq", TensorProto.INT32, None, x)


def digits():
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                          QuantType, quantize_static)
    images = np.load(os.path.join(ROOT, "Workloads", "digits", "test-images.npy"))

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter([{"input": images[i:i + 1]} for i in range(100)])

        def get_next(self):
            return next(self.it, None)

    path = os.path.join(OUT, "digits-qdq.onnx")
    quantize_static(os.path.join(ROOT, "Workloads", "digits", "digits-plain.onnx"), path,
                    Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    y = session.run(None, {"input": images})[0]
    np.save(os.path.join(OUT, "digits-qdq-output.npy"), y)
    print("digits-qdq", images.shape, "->", y.dtype, y.shape)


def bad_models():
    """Small QDQ models with one fault each, for the located errors of
    `edgesim run` (Tests/Fixtures/affine/)."""
    folder = os.path.join(ROOT, "Tests", "Fixtures", "affine")
    os.makedirs(folder, exist_ok=True)
    w = np.ones((2, 1, 1, 1), np.int8)
    cases = {
        "negative-scale": dict(sx=np.float32(-0.5)),
        "infinite-scale": dict(sx=np.float32(np.inf)),
        "float-zero-point": dict(zx=np.float32(0.0)),
        "axis-out-of-range": dict(axis=4),
        "missing-scale": dict(missing=True),
    }
    for name, fault in cases.items():
        sx = fault.get("sx", np.float32(0.05))
        zx = fault.get("zx", np.uint8(10))
        q_inputs = ["x", "" if fault.get("missing") else "sx", "zx"]
        nodes = [
            helper.make_node("QuantizeLinear", q_inputs, ["xq"], name="quantize_x"),
            helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["xd"], name="dequantize_x"),
            helper.make_node("DequantizeLinear", ["w", "sw", "zw"], ["wd"], name="dequantize_w",
                             axis=fault.get("axis", 0)),
            helper.make_node("Conv", ["xd", "wd"], ["y"], name="conv"),
        ]
        graph = helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 3, 3])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2, 3, 3])],
            [const("sx", sx), const("zx", zx), const("w", w),
             const("sw", np.array([0.1, 0.2], np.float32)), const("zw", np.zeros(2, np.int8))])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8
        onnx.save(model, os.path.join(folder, name + ".onnx"))
        print("bad", name)
    np.save(os.path.join(folder, "input.npy"), rng.uniform(-1, 1, (2, 1, 3, 3)).astype(np.float32))


def edgesim_quantized(edgesim):
    """`edgesim quantize --method affine` on the digits model (per-channel
    uint8 and per-tensor int8); onnxruntime runs the QDQ models it writes."""
    import subprocess
    images = np.load(os.path.join(ROOT, "Workloads", "digits", "test-images.npy"))
    for name, flags in [("digits-edgesim-per-channel-u8", ["--per-channel"]),
                        ("digits-edgesim-per-tensor-s8", ["--activation-type", "int8"])]:
        path = os.path.join(OUT, name + ".onnx")
        subprocess.run([edgesim, "quantize", "--model", "Workloads/digits/digits-plain.onnx",
                        "--data", "Workloads/digits/test-images.npy", "--bits", "8",
                        "--method", "affine", "--out", path] + flags, check=True, cwd=ROOT)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        y = session.run(None, {"input": images})[0]
        np.save(os.path.join(OUT, name + "-output.npy"), y)
        print(name, "->", y.dtype, y.shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) > 1:
        # Scripts/affine-references.py PATH/TO/edgesim: also the models
        # `edgesim quantize --method affine` writes.
        edgesim_quantized(os.path.abspath(sys.argv[1]))
    bad_models()
    qdq_conv("qdq-conv-u8-per-channel", False, True, False)
    qdq_conv("qdq-conv-s8-per-tensor", True, False, False)
    qdq_conv("qdq-depthwise-u8-per-channel", False, True, True)
    qdq_conv("qdq-depthwise-s8-per-channel", True, True, True)
    qdq_gemm("qdq-gemm-u8-per-channel", False, True, "Gemm")
    qdq_gemm("qdq-matmul-s8-per-tensor", True, False, "MatMul")
    qdq_add("qdq-add-u8", False)
    qdq_add("qdq-add-s8", True)
    qlinear("qlinear-conv-matmul-u8", False)
    qlinear("qlinear-conv-matmul-s8", True)
    integer_ops("integer-conv-matmul")
    qdq_conv_clip_gap("qdq-conv-clip-gap-u8", False)
    qdq_conv_clip_gap("qdq-conv-clip-gap-s8", True)
    mobile_block("mobile-block-qdq-u8-per-channel", False, True)
    mobile_block("mobile-block-qdq-s8-per-tensor", True, False)
    digits()


if __name__ == "__main__":
    sys.exit(main())
