#!/usr/bin/env python3
"""onnxruntime references for the float executor's modern operators (issue #16).

Builds one tiny ONNX model per case with onnx.helper (the operators of
NetworkGraph's ExtendedOperator in several attribute variants, a
transformer-encoder block, LSTM and GRU models), feeds seeded random inputs,
runs onnxruntime on the CPU (graph optimisations off, one thread) and
writes, per case, `model.onnx`, one `.npy` per graph input and the first
graph output `expected.npy` into Tests/Fixtures/onnxruntime/extended-ops/,
with `manifest.json` listing the cases. Tests/EdgeSimEndToEndTests/
ExtendedOperatorRunTests.swift runs every case through `edgesim run
--input NAME=FILE.npy` and compares within 1e-4 of the largest magnitude.

Recreate the environment and the fixtures with

    python3 -m venv V && V/bin/pip install onnx onnxruntime numpy
    V/bin/python Scripts/references/make-extended-op-references.py

(made with onnx 1.23.2, onnxruntime 1.32.0, numpy 2). Never run by
`swift test` or CI.
"""

import json
import os
import shutil

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "onnxruntime", "extended-ops")
RNG = np.random.default_rng(20261207)

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64
BOOL = TensorProto.BOOL

NP_TO_ONNX = {
    np.dtype(np.float32): FLOAT,
    np.dtype(np.int64): INT64,
    np.dtype(np.bool_): BOOL,
    np.dtype(np.int32): TensorProto.INT32,
}


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def ints(values):
    return np.array(values, dtype=np.int64)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


CASES = []


def case(name, nodes, inputs, initializers=(), opset=19, outputs=None, twin=None):
    """One model: `inputs` maps graph input names to arrays (batch first).

    With `twin` (nodes, inputs, transform), onnxruntime runs the twin model
    instead and `transform` maps its first output to the expected one (for
    recurrent layout 1, which onnxruntime refuses).
    """
    CASES.append((name, nodes, inputs, list(initializers), opset, outputs, twin))


def build(name, nodes, inputs, initializers, opset, outputs):
    graph_inputs = [
        helper.make_tensor_value_info(k, NP_TO_ONNX[v.dtype], list(v.shape))
        for k, v in inputs.items()
    ]
    output_names = outputs or [nodes[-1].output[0]]
    # Output types from ONNX shape inference on an untyped draft.
    draft = helper.make_model(
        helper.make_graph(nodes, name, graph_inputs,
                          [onnx.ValueInfoProto(name=o) for o in output_names], initializers),
        opset_imports=[helper.make_opsetid("", opset)], ir_version=9)
    inferred = onnx.shape_inference.infer_shapes(draft)
    known = {v.name: v for v in inferred.graph.value_info}
    graph_outputs = []
    for o in output_names:
        elem = known[o].type.tensor_type.elem_type if o in known else FLOAT
        shape = None
        if o in known and known[o].type.tensor_type.HasField("shape"):
            shape = [d.dim_value if d.HasField("dim_value") else None
                     for d in known[o].type.tensor_type.shape.dim]
        graph_outputs.append(helper.make_tensor_value_info(o, elem, shape))
    graph = helper.make_graph(nodes, name, graph_inputs, graph_outputs, initializers)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=9
    )
    if all(o.type.tensor_type.HasField("shape") for o in graph_outputs):
        onnx.checker.check_model(model)
    return model


def run(model, inputs):
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    return session.run(None, inputs)


def node(op, inputs, outputs, **attributes):
    return helper.make_node(op, inputs, outputs, name=outputs[0] + "_node", **attributes)


# --- normalisations -------------------------------------------------------
x = rand(2, 5, 8)
case("layernorm-last", [node("LayerNormalization", ["x", "s", "b"], ["y"], epsilon=1e-5)],
     {"x": x}, [const("s", rand(8)), const("b", rand(8))], opset=17)
case("layernorm-axis1", [node("LayerNormalization", ["x", "s"], ["y"], axis=1, epsilon=1e-3)],
     {"x": x}, [const("s", rand(5, 8))], opset=17)
case("groupnorm-21", [node("GroupNormalization", ["x", "s", "b"], ["y"], num_groups=2)],
     {"x": rand(2, 4, 3, 3)}, [const("s", rand(4)), const("b", rand(4))], opset=21)
case("instancenorm", [node("InstanceNormalization", ["x", "s", "b"], ["y"], epsilon=1e-4)],
     {"x": rand(2, 3, 4, 5)}, [const("s", rand(3)), const("b", rand(3))])

# --- reductions -----------------------------------------------------------
x = rand(2, 3, 4)
for op in ["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
           "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp"]:
    case(f"{op.lower()}-axes", [node(op, ["x", "axes"], ["y"], keepdims=1)],
         {"x": x}, [const("axes", ints([-1]))], opset=18)
case("reducemean-nokeep", [node("ReduceMean", ["x", "axes"], ["y"], keepdims=0)],
     {"x": x}, [const("axes", ints([1, 2]))], opset=18)
case("reducesum-all", [node("ReduceSum", ["x"], ["y"], keepdims=0)], {"x": x}, opset=13)
case("reducemax-opset13-attr", [node("ReduceMax", ["x"], ["y"], axes=[1])], {"x": x}, opset=13)

# --- element-wise with broadcasting -------------------------------------
a, b = rand(2, 3, 4), rand(3, 1)
for op in ["Sub", "Div", "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"]:
    chain = [node(op, ["a", "b"], ["t"])]
    if op not in ("Sub", "Div"):
        chain.append(node("Cast", ["t"], ["y"], to=FLOAT))
    case(f"{op.lower()}-broadcast", chain, {"a": a}, [const("b", b)])
case("pow", [node("Abs", ["a"], ["p"]), node("Pow", ["p", "e"], ["y"])],
     {"a": a}, [const("e", np.array([0.5, 2.0, 3.0, -1.0], np.float32))])
case("mod-fmod", [node("Mod", ["a", "b"], ["y"], fmod=1)], {"a": a}, [const("b", b + 2)])
for op in ["Sin", "Cos", "Floor", "Ceil", "Round", "Sign"]:
    case(op.lower(), [node(op, ["a"], ["y"])], {"a": a * 3})
case("where-compare", [node("Greater", ["a", "b"], ["c"]), node("Where", ["c", "a", "z"], ["y"])],
     {"a": a}, [const("b", b), const("z", np.array(-7.0, np.float32))])
case("logic", [node("Greater", ["a", "zero"], ["p"]), node("Less", ["a", "half"], ["q"]),
               node("And", ["p", "q"], ["r"]), node("Not", ["p"], ["np"]),
               node("Or", ["r", "np"], ["s"]), node("Xor", ["s", "q"], ["t"]),
               node("Cast", ["t"], ["y"], to=FLOAT)],
     {"a": a}, [const("zero", np.array(0, np.float32)), const("half", np.array(0.5, np.float32))])
case("min-max-sum-mean", [node("Min", ["a", "b", "c"], ["m"]), node("Max", ["a", "c"], ["n"]),
                          node("Sum", ["m", "n", "b"], ["s"]), node("Mean", ["s", "a", "c"], ["y"])],
     {"a": a}, [const("b", b), const("c", rand(4))])
case("prelu", [node("PRelu", ["a", "slope"], ["y"])],
     {"a": rand(2, 3, 4, 4)}, [const("slope", rand(3, 1, 1))])
case("isnan", [node("Div", ["a", "a"], ["d"]), node("IsNaN", ["d"], ["n"]),
               node("Cast", ["n"], ["y"], to=FLOAT)],
     {"a": np.array([[0, 1, -2, 0]], np.float32)})

# --- Cast ---------------------------------------------------------------
c = (rand(2, 6) * 4).astype(np.float32)
case("cast-int-float", [node("Cast", ["a"], ["i"], to=INT64), node("Cast", ["i"], ["y"], to=FLOAT)], {"a": c})
case("cast-bool", [node("Cast", ["a"], ["i"], to=BOOL), node("Cast", ["i"], ["y"], to=FLOAT)],
     {"a": np.round(c)})
case("cast-half", [node("Cast", ["a"], ["i"], to=TensorProto.FLOAT16), node("Cast", ["i"], ["y"], to=FLOAT)], {"a": c})
case("int-div-mod", [node("Cast", ["a"], ["i"], to=INT64), node("Div", ["i", "d"], ["q"]),
                     node("Mod", ["i", "d"], ["r"]), node("Add", ["q", "r"], ["s"]),
                     node("Cast", ["s"], ["y"], to=FLOAT)],
     {"a": c * 5}, [const("d", ints([3, -4, 3, 5, -2, 7]))])
# fmod=1 on integers: the remainder takes the dividend's sign (C's fmod).
case("int-mod-fmod", [node("Cast", ["a"], ["i"], to=INT64),
                      node("Mod", ["i", "d"], ["r"], fmod=1),
                      node("Cast", ["r"], ["y"], to=FLOAT)],
     {"a": c * 5}, [const("d", ints([3, -4, 3, 5, -2, 7]))])

# --- data movement ------------------------------------------------------
table = rand(11, 6)
case("gather-embedding", [node("Gather", ["table", "ids"], ["y"])],
     {"ids": RNG.integers(0, 11, size=(2, 5)).astype(np.int64)}, [const("table", table)])
case("gather-axis1-negative", [node("Gather", ["a", "idx"], ["y"], axis=1)],
     {"a": rand(2, 5, 3)}, [const("idx", ints([[-1, 0], [2, -3]]))])
case("expand", [node("Expand", ["a", "shape"], ["y"])],
     {"a": rand(2, 1, 3)}, [const("shape", ints([2, 4, 3]))])
case("expand-bidirectional", [node("Expand", ["a", "shape"], ["y"])],
     {"a": rand(1, 3, 1)}, [const("shape", ints([2, 1, 4]))])
case("tile", [node("Tile", ["a", "r"], ["y"])], {"a": rand(2, 3)}, [const("r", ints([2, 3]))])
x = rand(2, 6, 7)
case("slice-basic", [node("Slice", ["x", "st", "en"], ["y"])],
     {"x": x}, [const("st", ints([0, 1, 2])), const("en", ints([2, 5, 9223372036854775807]))])
case("slice-steps-axes", [node("Slice", ["x", "st", "en", "ax", "sp"], ["y"])],
     {"x": x}, [const("st", ints([-1, 1])), const("en", ints([-9223372036854775807, 7])),
                const("ax", ints([2, 1])), const("sp", ints([-2, 2]))])
case("split-sizes", [node("Split", ["x", "s"], ["y0", "y1", "y2"], axis=2)],
     {"x": x}, [const("s", ints([2, 4, 1]))], outputs=["y1", "y0", "y2"])
case("split-equal-13", [node("Split", ["x"], ["y0", "y1"], axis=1)], {"x": x}, opset=13, outputs=["y1", "y0"])
case("split-uneven-18", [node("Split", ["x"], ["y0", "y1", "y2"], axis=2, num_outputs=3)],
     {"x": x}, opset=18, outputs=["y2", "y0", "y1"])
p = rand(1, 2, 4, 5)
for mode in ["constant", "reflect", "edge", "wrap"]:
    case(f"pad-{mode}", [node("Pad", ["x", "pads", "v"], ["y"], mode=mode)],
         {"x": p}, [const("pads", ints([0, 0, 1, 2, 0, 1, 2, 3 if mode != "reflect" else 3])),
                    const("v", np.array(1.5, np.float32))])
case("pad-axes-negative", [node("Pad", ["x", "pads", "", "axes"], ["y"])],
     {"x": p}, [const("pads", ints([1, -1, 2, -2])), const("axes", ints([3, 2]))])
r = rand(1, 2, 4, 5)
for mode, transform, extra in [
    ("nearest", "asymmetric", {"nearest_mode": "floor"}),
    ("nearest", "half_pixel", {"nearest_mode": "round_prefer_floor"}),
    ("nearest", "align_corners", {"nearest_mode": "round_prefer_ceil"}),
    ("nearest", "pytorch_half_pixel", {"nearest_mode": "ceil"}),
    ("linear", "half_pixel", {}),
    ("linear", "align_corners", {}),
    ("linear", "asymmetric", {}),
    ("linear", "pytorch_half_pixel", {}),
    ("linear", "half_pixel_symmetric", {}),
    ("cubic", "half_pixel", {}),
    ("cubic", "align_corners", {"cubic_coeff_a": -0.5}),
    ("cubic", "half_pixel", {"exclude_outside": 1}),
]:
    label = f"resize-{mode}-{transform}" + "".join(f"-{k}" for k in extra)
    case(label, [node("Resize", ["x", "", "sc"], ["y"], mode=mode,
                      coordinate_transformation_mode=transform, **extra)],
         {"x": r}, [const("sc", np.array([1, 1, 2.0, 1.5], np.float32))])
case("resize-sizes-down", [node("Resize", ["x", "", "", "sz"], ["y"], mode="linear")],
     {"x": r}, [const("sz", ints([1, 2, 3, 3]))])
case("resize-nearest-down", [node("Resize", ["x", "", "sc"], ["y"], mode="nearest")],
     {"x": rand(1, 1, 6, 6)}, [const("sc", np.array([1, 1, 0.5, 0.5], np.float32))])
case("upsample-9", [node("Upsample", ["x", "sc"], ["y"], mode="nearest")],
     {"x": r}, [const("sc", np.array([1, 1, 2, 2], np.float32))], opset=9)
case("pad-2-value", [node("Pad", ["x"], ["y"], pads=[0, 0, 1, 0, 0, 1, 0, 2], value=-2.0)],
     {"x": p}, opset=10)
case("resize-10-nearest", [node("Resize", ["x", "sc"], ["y"], mode="nearest")],
     {"x": r}, [const("sc", np.array([1, 1, 1.5, 2.5], np.float32))], opset=10)
case("resize-10-linear", [node("Resize", ["x", "sc"], ["y"], mode="linear")],
     {"x": r}, [const("sc", np.array([1, 1, 2, 1.5], np.float32))], opset=10)
d = rand(1, 8, 2, 3)
case("depthtospace-dcr", [node("DepthToSpace", ["x"], ["y"], blocksize=2)], {"x": d}, opset=13)
case("depthtospace-crd", [node("DepthToSpace", ["x"], ["y"], blocksize=2, mode="CRD")], {"x": d}, opset=13)
case("spacetodepth", [node("SpaceToDepth", ["x"], ["y"], blocksize=2)], {"x": rand(1, 2, 4, 6)}, opset=13)

# --- generators, scans, selection ----------------------------------------
case("constantofshape-add",
     [node("Shape", ["x"], ["s"]), node("ConstantOfShape", ["s"], ["c"],
                                        value=helper.make_tensor("v", FLOAT, [1], [2.5])),
      node("Add", ["x", "c"], ["y"])], {"x": rand(2, 3)})
case("range-float", [node("Range", ["st", "lim", "dl"], ["r"]), node("Add", ["x", "r"], ["y"])],
     {"x": rand(2, 7)}, [const("st", np.array(0.5, np.float32)), const("lim", np.array(4.0, np.float32)),
                         const("dl", np.array(0.5, np.float32))])
case("shape-slice", [node("Shape", ["x"], ["s"], start=1), node("Cast", ["s"], ["y"], to=FLOAT)],
     {"x": rand(2, 3, 5)})
for exclusive in (0, 1):
    for reverse in (0, 1):
        case(f"cumsum-e{exclusive}-r{reverse}", [node("CumSum", ["x", "ax"], ["y"], exclusive=exclusive, reverse=reverse)],
             {"x": rand(2, 3, 4)}, [const("ax", np.array(1, np.int64))])
case("trilu-upper", [node("Trilu", ["x", "k"], ["y"])], {"x": rand(2, 4, 5)}, [const("k", np.array(1, np.int64))])
case("trilu-lower", [node("Trilu", ["x"], ["y"], upper=0)], {"x": rand(2, 4, 5)})
t = rand(2, 3, 6)
case("topk-values", [node("TopK", ["x", "k"], ["v", "i"], axis=-1)], {"x": t}, [const("k", ints([3]))])
case("topk-indices-smallest", [node("TopK", ["x", "k"], ["v", "i"], axis=1, largest=0)],
     {"x": t}, [const("k", ints([2]))], outputs=["i", "v"])
case("argmax", [node("ArgMax", ["x"], ["i"], axis=2), node("Cast", ["i"], ["y"], to=FLOAT)], {"x": t})
case("argmin-last", [node("ArgMin", ["x"], ["i"], axis=1, keepdims=0, select_last_index=1),
                     node("Cast", ["i"], ["y"], to=FLOAT)],
     {"x": np.round(t)})

# --- ConvTranspose, Einsum ---------------------------------------------
ct = rand(1, 4, 3, 3)
case("convtranspose-stride2", [node("ConvTranspose", ["x", "w", "b"], ["y"], strides=[2, 2])],
     {"x": ct}, [const("w", rand(4, 3, 2, 2)), const("b", rand(3))])
case("convtranspose-pads-group", [node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2], pads=[1, 1, 1, 1],
                                       output_padding=[1, 1], group=2, dilations=[1, 2])],
     {"x": ct}, [const("w", rand(4, 2, 3, 3))])
case("convtranspose-output-shape", [node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2], output_shape=[7, 8])],
     {"x": ct}, [const("w", rand(4, 2, 3, 3))])
case("convtranspose-same-upper", [node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2], auto_pad="SAME_UPPER")],
     {"x": ct}, [const("w", rand(4, 2, 3, 3))])
case("convtranspose-1d", [node("ConvTranspose", ["x", "w"], ["y"], strides=[3])],
     {"x": rand(2, 3, 5)}, [const("w", rand(3, 2, 4))])
case("einsum-matmul", [node("Einsum", ["a", "b"], ["y"], equation="bij,bjk->bik")],
     {"a": rand(2, 3, 4)}, [const("b", rand(2, 4, 5))], opset=12)
case("einsum-attention", [node("Einsum", ["q", "k"], ["y"], equation="bhqd,bhkd->bhqk")],
     {"q": rand(1, 2, 3, 4)}, [const("k", rand(1, 2, 5, 4))], opset=12)
case("einsum-ellipsis-implicit", [node("Einsum", ["a", "b"], ["y"], equation="...ij,jk")],
     {"a": rand(2, 3, 4)}, [const("b", rand(4, 2))], opset=12)
case("einsum-trace-transpose", [node("Einsum", ["a"], ["y"], equation="nii->n")],
     {"a": rand(2, 4, 4)}, opset=12)

# --- recurrent ----------------------------------------------------------
T, B, I, H = 4, 2, 3, 5
for direction in ["forward", "reverse", "bidirectional"]:
    dirs = 2 if direction == "bidirectional" else 1
    inits = [const("W", rand(dirs, 4 * H, I) * 0.5), const("R", rand(dirs, 4 * H, H) * 0.5),
             const("B", rand(dirs, 8 * H) * 0.5), const("h0", rand(dirs, B, H)),
             const("c0", rand(dirs, B, H)), const("P", rand(dirs, 3 * H) * 0.5)]
    case(f"lstm-{direction}", [node("LSTM", ["x", "W", "R", "B", "", "h0", "c0", "P"], ["Y", "Yh", "Yc"],
                                    hidden_size=H, direction=direction)],
         {"x": rand(T, B, I)}, inits, opset=14)
# onnxruntime refuses layout 1 ("Batchwise recurrent operations are not
# supported"), so the references use layout 0.
case("lstm-yc-lens", [node("LSTM", ["x", "W", "R", "", "lens"], ["Y", "Yh", "Yc"], hidden_size=H)],
     {"x": rand(T, B, I)}, [const("W", rand(1, 4 * H, I)), const("R", rand(1, 4 * H, H)),
                            const("lens", np.array([4, 2], np.int32))], opset=14, outputs=["Yc", "Y", "Yh"])
for lbr in (0, 1):
    for direction in ["forward", "bidirectional"]:
        dirs = 2 if direction == "bidirectional" else 1
        case(f"gru-{direction}-lbr{lbr}", [node("GRU", ["x", "W", "R", "B", "", "h0"], ["Y", "Yh"],
                                                 hidden_size=H, direction=direction, linear_before_reset=lbr)],
             {"x": rand(T, B, I)}, [const("W", rand(dirs, 3 * H, I)), const("R", rand(dirs, 3 * H, H)),
                                    const("B", rand(dirs, 6 * H)), const("h0", rand(dirs, B, H))], opset=14)
# Layout 1 ([batch, seq, …]): expected from the layout-0 twin, transposed.
xb = rand(B, T, I)
lstm_w = [const("W", rand(1, 4 * H, I)), const("R", rand(1, 4 * H, H)), const("B", rand(1, 8 * H))]
case("lstm-layout1", [node("LSTM", ["x", "W", "R", "B"], ["Y", "Yh"], hidden_size=H, layout=1)],
     {"x": xb}, lstm_w, opset=14,
     twin=([node("LSTM", ["x", "W", "R", "B"], ["Y", "Yh"], hidden_size=H)],
           {"x": xb.transpose(1, 0, 2).copy()}, lambda y: y.transpose(2, 0, 1, 3)))
gru_w = [const("W", rand(2, 3 * H, I)), const("R", rand(2, 3 * H, H))]
case("gru-layout1-yh", [node("GRU", ["x", "W", "R"], ["Y", "Yh"], hidden_size=H, layout=1,
                             direction="bidirectional")],
     {"x": xb}, gru_w, opset=14, outputs=["Yh", "Y"],
     twin=([node("GRU", ["x", "W", "R"], ["Y", "Yh"], hidden_size=H, direction="bidirectional")],
           {"x": xb.transpose(1, 0, 2).copy()}, lambda y: y.transpose(1, 0, 2)))
case("gru-yh-reverse-lens", [node("GRU", ["x", "W", "R", "", "lens"], ["Y", "Yh"], hidden_size=H, direction="reverse")],
     {"x": rand(T, B, I)}, [const("W", rand(1, 3 * H, I)), const("R", rand(1, 3 * H, H)),
                            const("lens", np.array([3, 4], np.int32))], opset=14, outputs=["Yh", "Y"])


# --- a transformer-encoder block ---------------------------------------
def encoder():
    S, D, V, heads = 6, 8, 20, 2
    dh = D // heads
    n = []
    inits = [const("emb", rand(V, D)), const("pos", rand(S, D) * 0.1),
             const("ln1s", 1 + 0.1 * rand(D)), const("ln1b", 0.1 * rand(D)),
             const("wq", rand(D, D) * 0.3), const("wk", rand(D, D) * 0.3), const("wv", rand(D, D) * 0.3),
             const("wo", rand(D, D) * 0.3), const("w1", rand(D, 16) * 0.3), const("b1", rand(16) * 0.1),
             const("w2", rand(16, D) * 0.3), const("ln2s", 1 + 0.1 * rand(D)), const("ln2b", 0.1 * rand(D)),
             const("split_heads", ints([0, S, heads, dh])), const("merge", ints([0, S, D])),
             const("one", np.array(1.0, np.float32)), const("neg", np.array(-1e4, np.float32)),
             const("scale", np.array(1 / np.sqrt(dh), np.float32)), const("ax12", ints([1, 2])),
             const("half", np.array(0.5, np.float32)), const("sqrt2", np.array(np.sqrt(2), np.float32))]
    n.append(node("Gather", ["emb", "input_ids"], ["tok"]))
    n.append(node("Add", ["tok", "pos"], ["h0"]))
    n.append(node("LayerNormalization", ["h0", "ln1s", "ln1b"], ["h1"], axis=-1, epsilon=1e-5))
    for name in "qkv":
        n.append(node("MatMul", ["h1", "w" + name], [name + "p"]))
        n.append(node("Reshape", [name + "p", "split_heads"], [name + "r"]))
        perm = [0, 2, 3, 1] if name == "k" else [0, 2, 1, 3]
        n.append(node("Transpose", [name + "r"], [name + "t"], perm=perm))
    n.append(node("MatMul", ["qt", "kt"], ["scores"]))
    n.append(node("Mul", ["scores", "scale"], ["scaled"]))
    # Mask: (1 - mask) * -1e4, broadcast over heads and queries.
    n.append(node("Cast", ["attention_mask"], ["maskf"], to=FLOAT))
    n.append(node("Unsqueeze", ["maskf", "ax12"], ["mask4"]))
    n.append(node("Sub", ["one", "mask4"], ["inv"]))
    n.append(node("Mul", ["inv", "neg"], ["bias"]))
    n.append(node("Add", ["scaled", "bias"], ["masked"]))
    n.append(node("Softmax", ["masked"], ["probs"], axis=-1))
    n.append(node("MatMul", ["probs", "vt"], ["ctx"]))
    n.append(node("Transpose", ["ctx"], ["ctxt"], perm=[0, 2, 1, 3]))
    n.append(node("Reshape", ["ctxt", "merge"], ["ctxm"]))
    n.append(node("MatMul", ["ctxm", "wo"], ["att"]))
    n.append(node("Add", ["h0", "att"], ["r1"]))
    n.append(node("LayerNormalization", ["r1", "ln2s", "ln2b"], ["h2"], axis=-1, epsilon=1e-5))
    n.append(node("MatMul", ["h2", "w1"], ["f1"]))
    n.append(node("Add", ["f1", "b1"], ["f1b"]))
    # GELU (erf form), decomposed as exporters write it.
    n.append(node("Div", ["f1b", "sqrt2"], ["g1"]))
    n.append(node("Erf", ["g1"], ["g2"]))
    n.append(node("Add", ["g2", "one"], ["g3"]))
    n.append(node("Mul", ["f1b", "g3"], ["g4"]))
    n.append(node("Mul", ["g4", "half"], ["gelu"]))
    n.append(node("MatMul", ["gelu", "w2"], ["f2"]))
    n.append(node("Add", ["r1", "f2"], ["y"]))
    ids = RNG.integers(0, V, size=(3, S)).astype(np.int64)
    mask = np.ones((3, S), np.int64)
    mask[1, 4:] = 0
    mask[2, 2:] = 0
    case("encoder-block", n, {"input_ids": ids, "attention_mask": mask}, inits, opset=17)


encoder()

# Layout 1 with initial states, bidirectional, batch 2: initial_h and
# initial_c are [batch, dirs, H] in layout 1 (ONNX LSTM-14), fed as graph
# inputs so that the layout-0 twin takes them transposed.
xb1, h0b, c0b = rand(B, T, I), rand(B, 2, H), rand(B, 2, H)
case("lstm-layout1-initial-state",
     [node("LSTM", ["x", "W", "R", "B", "", "h0", "c0"], ["Y", "Yh"], hidden_size=H, layout=1,
           direction="bidirectional")],
     {"x": xb1, "h0": h0b, "c0": c0b},
     [const("W", rand(2, 4 * H, I)), const("R", rand(2, 4 * H, H)), const("B", rand(2, 8 * H))],
     opset=14,
     twin=([node("LSTM", ["x", "W", "R", "B", "", "h0", "c0"], ["Y", "Yh"], hidden_size=H,
                 direction="bidirectional")],
           {"x": xb1.transpose(1, 0, 2).copy(), "h0": h0b.transpose(1, 0, 2).copy(),
            "c0": c0b.transpose(1, 0, 2).copy()},
           lambda y: y.transpose(2, 0, 1, 3)))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    manifest = []
    for name, nodes, inputs, initializers, opset, outputs, twin in CASES:
        model = build(name, nodes, inputs, initializers, opset, outputs)
        if twin is None:
            result = run(model, inputs)
        else:
            twin_nodes, twin_inputs, transform = twin
            twin_model = build(name, twin_nodes, twin_inputs, initializers, opset, outputs)
            result = [transform(run(twin_model, twin_inputs)[0])]
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        onnx.save(model, os.path.join(folder, "model.onnx"))
        files = {}
        for key, value in inputs.items():
            files[key] = key + ".npy"
            np.save(os.path.join(folder, files[key]), value)
        expected = np.asarray(result[0])
        np.save(os.path.join(folder, "expected.npy"), expected.astype(np.float32))
        ops = sorted({n.op_type for n in nodes})
        manifest.append({"name": name, "ops": ops, "opset": opset, "inputs": files,
                         "expected": "expected.npy", "shape": list(expected.shape)})
    # Not a reference: integers past 2^24 that Float32 would round, which
    # the float executor must refuse (RunInputErrorTests).
    errors = os.path.join(OUT, "errors")
    os.makedirs(errors)
    overflow = build("int-overflow", [node("Cast", ["x"], ["i"], to=INT64),
                                      node("Mul", ["i", "big"], ["y"])],
                     {"x": np.full((1, 2), 5000, np.float32)}, [const("big", ints([5000, 3]))], 19, None)
    onnx.save(overflow, os.path.join(errors, "int-overflow.onnx"))
    np.save(os.path.join(errors, "x.npy"), np.full((1, 2), 5000, np.float32))
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"onnx": onnx.__version__, "onnxruntime": ort.__version__,
                   "cases": manifest}, f, indent=1)
        f.write("\n")
    print(f"{len(manifest)} cases in {OUT}")


if __name__ == "__main__":
    main()
