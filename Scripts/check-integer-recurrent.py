#!/usr/bin/env python3
"""Checks `edgesim run --dump` of an integer-only LSTM or GRU (Quantization.md
I11, I12) against the independent reference of
Scripts/integer-approximation-reference.py, bit for bit, on a real model:
quantizes W, R and B from the ONNX file as the spec says, feeds the dumped
input raws, and compares Y, Y_h (and Y_c) with the dumped raws. Batch 1,
forward, zero initial state (as the bundled spotters).

    python3 -m venv V && V/bin/pip install onnx numpy
    edgesim quantize --model M.onnx --data X.npy --bits 12 --nonlinear integer --out p.yaml
    edgesim run --model M.onnx --input X.npy --precision p.yaml --dump D
    V/bin/python Scripts/check-integer-recurrent.py M.onnx D LSTM|GRU WEIGHT_BITS WEIGHT_FL

Developer tooling; never run by `swift test` or CI. Measured 2026-12-07 on
kws-lstm and kws-gru (12 bits, weight (12, fl 14)): every raw equal.
"""
import sys, json, importlib.util
import numpy as np, onnx
from onnx import numpy_helper
from fractions import Fraction
spec = importlib.util.spec_from_file_location("ref", "Scripts/integer-approximation-reference.py")
ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)
model, dump, kind = sys.argv[1], sys.argv[2], sys.argv[3]
plan_w = (int(sys.argv[4]), int(sys.argv[5]))
m = onnx.load(model)
init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
node = [n for n in m.graph.node if n.op_type == kind][0]
fmts = json.load(open(dump + "/formats.json"))
def fname(t):  # the dump's file name rule (FIXED_POINT.md §11)
    return dump + "/" + "".join(c if c.isalnum() or c in "-." else "_" for c in t) + ".npy"
x = np.load(fname(node.input[0])); flx = fmts[node.input[0]]["fl"]
fy = (fmts[node.output[0]]["bits"], fmts[node.output[0]]["fl"])
fh = (fmts[node.output[1]]["bits"], fmts[node.output[1]]["fl"])
def q(v, bits, fl):  # halfEven saturate from exact binary value
    f = Fraction(float(v)) * (2 ** fl) if fl >= 0 else Fraction(float(v)) / (2 ** -fl)
    return ref.saturate(ref.round_half_even(f.numerator, f.denominator), bits, fl)
W, R, Bb = (init[node.input[i]][0] for i in (1, 2, 3))
H = R.shape[1]
w = [[q(v, *plan_w) for v in row] for row in W]
r = [[q(v, *plan_w) for v in row] for row in R]
fla = plan_w[1] + max(flx, fy[1])
G = W.shape[0]
wb = [q(v, 48, fla) for v in Bb[:G]]; rb = [q(v, 48, fla) for v in Bb[G:]]
seq = [[int(v) for v in x[t, 0]] for t in range(x.shape[0])]
if kind == "LSTM":
    fc = (fmts[node.output[2]]["bits"], fmts[node.output[2]]["fl"])
    ys, yh, yc = ref.i_lstm(seq, flx, w, r, plan_w[1], wb, rb, H, fy, fh, fc)
else:
    lbr = any(a.name == "linear_before_reset" and a.i for a in node.attribute)
    ys, yh = ref.i_gru(seq, flx, w, r, plan_w[1], wb, rb, H, lbr, fy, fh)
Y = np.load(fname(node.output[0])).reshape(len(seq), H)
YH = np.load(fname(node.output[1])).reshape(H)
print(kind, "Y equal:", (np.array(ys) == Y).all(), "Y_h equal:", (np.array(yh) == YH).all(),
      "steps", len(seq), "H", H, "x fl", flx, "Y", fy, "Y_h", fh)
if kind == "LSTM":
    print("Y_c equal:", (np.array(yc) == np.load(fname(node.output[2])).reshape(H)).all())
    ok_c = (np.array(yc) == np.load(fname(node.output[2])).reshape(H)).all()
else:
    ok_c = True
sys.exit(0 if (np.array(ys) == Y).all() and (np.array(yh) == YH).all() and ok_c else 1)
