#!/usr/bin/env python3
"""Independent reference of Documentation/Quantization.md "Integer-only
non-linear functions" (I-BERT, Kim et al. ICML 2021), in exact Python
integers. Prints the golden vectors that
Tests/FixedPointArithmeticTests/IntegerApproximationTests.swift checks bit for
bit, and the largest errors against the Double (math) functions over dense
grids, which the tests' stated bounds come from. The integer LSTM and GRU
(I11, I12): `golden_recurrent` prints the vectors of
Tests/FixedPointArithmeticTests/IntegerRecurrentTests.swift, `bounds_recurrent`
their error against the same layers in Double.

Standard library only: `python3 Scripts/integer-approximation-reference.py`.
Never run by `swift test` or CI.
"""
import math
from fractions import Fraction

LN2, EXP_B, EXP_C, EXP_A = 45426, 88670, 4121251742, 11747
ISQ2, ERF_B, ERF_A = 46341, 115933, -4732
ONE30, LIMIT = 1 << 30, 1 << 22


def round_half_even(n, d):
    """round(n/d), ties to even, for integers n and d > 0 (FIXED_POINT §2)."""
    q, r = divmod(n, d)  # Python's divmod floors
    if 2 * r > d or (2 * r == d and q % 2 == 1):
        q += 1
    return q


def shift(n, s):
    """round_halfEven(n / 2^s); s <= 0 is an exact left shift."""
    return n << -s if s <= 0 else round_half_even(n, 1 << s)


EVENTS = [0, 0]  # saturation events (positive, negative), FIXED_POINT.md §9


def saturate(z, bits, fl):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if z > hi:
        EVENTS[0] += 1
    elif z < lo:
        EVENTS[1] += 1
    return min(max(z, lo), hi)


def working(r, fl):
    return min(max(shift(r, fl - 16), -LIMIT), LIMIT)


def exp_pair(x):
    z = (-x) // LN2
    p = x + z * LN2
    return ((p + EXP_B) ** 2 + EXP_C) * EXP_A, 47 + z


def exp30(x):
    m, fl = exp_pair(min(x, 0))
    s = fl - 30
    return 0 if s >= 63 else m >> s


def quotient(n, d, fl):
    return round_half_even(n << max(0, fl), d << max(0, -fl))


def i_exp(r, fl, bits, fly):
    m, f = exp_pair(working(r, fl))
    return saturate(shift(m, f - fly), bits, fly)


def i_sigmoid(r, fl, bits, fly):
    x = working(r, fl)
    e = exp30(-abs(x))
    return saturate(quotient(ONE30 if x >= 0 else e, ONE30 + e, fly), bits, fly)


def sigmoid30(x):
    e = exp30(-abs(x))
    return round_half_even((ONE30 if x >= 0 else e) << 30, ONE30 + e)


def i_tanh(r, fl, bits, fly):
    x = working(r, fl)
    e = exp30(max(-2 * abs(x), -LIMIT))
    m = quotient(max(0, ONE30 - e), ONE30 + e, fly)
    return saturate(-m if x < 0 else m, bits, fly)


def i_silu(r, fl, bits, fly):
    x = working(r, fl)
    return saturate(shift(r * sigmoid30(x), fl + 30 - fly), bits, fly)


def erf30(u):
    if u == 0:
        return 0
    m = min(abs(u), ERF_B)
    l = (((m - ERF_B) ** 2 * ERF_A) >> 16) + ONE30
    return -l if u < 0 else l


def i_gelu(r, fl, bits, fly):
    u = shift(working(r, fl) * ISQ2, 16)
    return saturate(shift(r * (ONE30 + erf30(u)), fl + 31 - fly), bits, fly)


def i_erf(r, fl, bits, fly):
    return saturate(shift(erf30(working(r, fl)), 30 - fly), bits, fly)


def i_softmax(row, fl, bits, fly):
    top = max(row)
    e = [exp30(working(v - top, fl)) for v in row]
    s = sum(e)
    return [saturate(quotient(v, s, fly), bits, fly) for v in e]


def isqrt(n):
    if n <= 0:
        return 0
    x = 1 << ((n.bit_length() + 1) // 2)
    while True:
        y = (x + n // x) // 2
        if y >= x:
            return x
        x = y


def i_norm(row, fl, centre, eps, gamma, flg, beta, bits, fly):
    n = len(row)
    d = [n * v - (sum(row) if centre else 0) for v in row]
    k = max(abs(v) for v in d).bit_length() - 15
    d = [shift(v, k) for v in d]
    var = (sum(v * v for v in d) << 32) // n
    e = 2 * (fl - k) + 32
    f = Fraction(eps) * n * n
    eps_q = min(round_half_even(f.numerator << max(0, e),
                                f.denominator << max(0, -e)), 1 << 62) if eps > 0 else 0
    t = min(var + eps_q, 1 << 62)
    sigma = max(1, isqrt(t))
    out = []
    for i, v in enumerate(d):
        nv = round_half_even(v << 31, sigma)
        acc = nv * gamma[i] + (beta[i] if beta else 0)
        out.append(saturate(shift(acc, 15 + flg - fly), bits, fly))
    return out


def w16(acc, fla):
    """I11 step 2: the gate sum on the 16-bit working grid, clamped."""
    return min(max(shift(acc, fla - 16), -LIMIT), LIMIT)


def tanh30(x):
    e = exp30(max(-2 * abs(x), -LIMIT))
    m = round_half_even(max(0, ONE30 - e) << 30, ONE30 + e)
    return -m if x < 0 else m


def gate_sums(xs, flx, h, flh, w, r, wb, rb, rows, hidden, use_x=True, use_h=True):
    m = max(flx, flh)
    out = []
    for row in rows:
        acc = 0
        if use_x:
            acc += (sum(w[row][k] * xs[k] for k in range(len(xs))) << (m - flx)) + wb[row]
        if use_h:
            acc += (sum(r[row][k] * h[k] for k in range(hidden)) << (m - flh)) + rb[row]
        out.append(acc)
    return out


def i_lstm(seq, flx, w, r, flw, wb, rb, hidden, fy, fh, fc, h0=None, c0=None):
    """Quantization.md I11; formats are (bits, fl); h0 raws in fy, c0 at
    (32, fl 24). Returns Y, Y_h, Y_c."""
    flh = fy[1]
    fla = flw + max(flx, flh)
    h = list(h0) if h0 else [0] * hidden
    c = list(c0) if c0 else [0] * hidden
    prod, ys = [v << (60 - flh) for v in h], []
    for xs in seq:
        a = gate_sums(xs, flx, h, flh, w, r, wb, rb, range(4 * hidden), hidden)
        nh = []
        for j in range(hidden):
            i = sigmoid30(w16(a[j], fla))
            o = sigmoid30(w16(a[hidden + j], fla))
            f = sigmoid30(w16(a[2 * hidden + j], fla))
            g = tanh30(w16(a[3 * hidden + j], fla))
            c[j] = saturate(shift(((f * c[j]) << 6) + i * g, 36), 32, 24)
            prod[j] = o * tanh30(working(c[j], 24))
            nh.append(saturate(shift(prod[j], 60 - flh), *fy))
        h = nh
        ys.append(h)
    yh = [saturate(shift(p, 60 - fh[1]), *fh) for p in prod]
    yc = [saturate(shift(v, 24 - fc[1]), *fc) for v in c]
    return ys, yh, yc


def i_gru(seq, flx, w, r, flw, wb, rb, hidden, lbr, fy, fh, h0=None):
    """Quantization.md I12; h0 raws in fy. Returns Y, Y_h."""
    flh = fy[1]
    fla = flw + max(flx, flh)
    g = max(30, flh)
    h = list(h0) if h0 else [0] * hidden
    prod, ys = [v << (30 + g - flh) for v in h], []
    for xs in seq:
        zr = gate_sums(xs, flx, h, flh, w, r, wb, rb, range(2 * hidden), hidden)
        z = [sigmoid30(w16(zr[j], fla)) for j in range(hidden)]
        rs = [sigmoid30(w16(zr[hidden + j], fla)) for j in range(hidden)]
        rows = range(2 * hidden, 3 * hidden)
        ax = gate_sums(xs, flx, h, flh, w, r, wb, rb, rows, hidden, use_h=False)
        if lbr:
            ah = gate_sums(xs, flx, h, flh, w, r, wb, rb, rows, hidden, use_x=False)
            cand = [ax[j] + shift(rs[j] * ah[j], 30) for j in range(hidden)]
        else:
            rh = [shift(rs[j] * h[j], 30) for j in range(hidden)]
            ah = gate_sums(xs, flx, rh, flh, w, r, wb, rb, rows, hidden, use_x=False)
            cand = [ax[j] + ah[j] for j in range(hidden)]
        nh = []
        for j in range(hidden):
            n = tanh30(w16(cand[j], fla))
            prod[j] = (((ONE30 - z[j]) * n) << (g - 30)) + ((z[j] * h[j]) << (g - flh))
            nh.append(saturate(shift(prod[j], 30 + g - flh), *fy))
        h = nh
        ys.append(h)
    return ys, [saturate(shift(p, 30 + g - fh[1]), *fh) for p in prod]


# The golden recurrent case (Tests/FixedPointArithmeticTests/
# IntegerRecurrentTests.swift): H = 2, I = 3, 5 steps, x at fl 4, weights
# (8, fl 6), Y (8, fl 6); LSTM Y_h (16, fl 12), Y_c (8, fl 5).
RNN_X = [[16, -8, 3], [40, 12, -20], [-64, 5, 9], [7, -7, 100], [0, 127, -128]]
RNN_W = [[(7 * a + 3 * k + 11) % 61 - 30 for k in range(3)] for a in range(12)]
RNN_R = [[(5 * a + 13 * k + 2) % 47 - 23 for k in range(2)] for a in range(12)]
RNN_WB = [(37 * a) % 2001 - 1000 for a in range(12)]
RNN_RB = [(53 * a + 7) % 1501 - 750 for a in range(12)]


def golden_recurrent():
    EVENTS[:] = [0, 0]
    ys, yh, yc = i_lstm(RNN_X, 4, RNN_W, RNN_R, 6, RNN_WB, RNN_RB, 2,
                        (8, 6), (16, 12), (8, 5))
    print("lstm Y:", ys, "Y_h:", yh, "Y_c:", yc, "events (+, -):", EVENTS)
    for lbr in (True, False):
        ys, yh = i_gru(RNN_X, 4, RNN_W[:6], RNN_R[:6], 6, RNN_WB[:6], RNN_RB[:6],
                       2, lbr, (8, 6), (16, 12))
        print("gru linear_before_reset=%d Y:" % lbr, ys, "Y_h:", yh)
    EVENTS[:] = [0, 0]
    ys, yh, yc = i_lstm(RNN_X, 4, RNN_W, RNN_R, 6, RNN_WB, RNN_RB, 2,
                        (4, 6), (4, 6), (32, 24))
    print("lstm Y (4,fl6):", ys, "Y_h:", yh, "events (+, -):", EVENTS)
    ys, yh, yc = i_lstm(RNN_X[:2], 4, RNN_W, RNN_R, 6, RNN_WB, RNN_RB, 2,
                        (8, 6), (16, 12), (8, 5), [50, -70], [-30000000, 9000000])
    print("lstm h0 [50,-70] c0 [-30000000,9000000] Y:", ys, "Y_h:", yh, "Y_c:", yc)
    ys, yh = i_gru(RNN_X[:2], 4, RNN_W[:6], RNN_R[:6], 6, RNN_WB[:6], RNN_RB[:6],
                   2, True, (8, 6), (16, 12), [50, -70])
    print("gru h0 [50,-70] Y:", ys, "Y_h:", yh)
    print("lstm 0 steps h0 c0 Y_h, Y_c:",
          i_lstm([], 4, RNN_W, RNN_R, 6, RNN_WB, RNN_RB, 2, (8, 6), (16, 12), (8, 5),
                 [50, -70], [-30000000, 9000000])[1:])


def float_rnn(kind, seq, w, r, wb, rb, hidden, lbr=True):
    """The ONNX LSTM/GRU in Double on the dequantized operands."""
    sig = lambda v: 1 / (1 + math.exp(-v))
    h, c, ys = [0.0] * hidden, [0.0] * hidden, []
    dot = lambda row, v: sum(a * b for a, b in zip(row, v))
    for xs in seq:
        if kind == "lstm":
            a = [dot(w[g], xs) + wb[g] + dot(r[g], h) + rb[g] for g in range(4 * hidden)]
            for j in range(hidden):
                i, o, f = sig(a[j]), sig(a[hidden + j]), sig(a[2 * hidden + j])
                c[j] = f * c[j] + i * math.tanh(a[3 * hidden + j])
            h = [sig(a[hidden + j]) * math.tanh(c[j]) for j in range(hidden)]
        else:
            a = [dot(w[g], xs) + wb[g] + dot(r[g], h) + rb[g] for g in range(2 * hidden)]
            z = [sig(a[j]) for j in range(hidden)]
            rs = [sig(a[hidden + j]) for j in range(hidden)]
            nh = []
            for j in range(hidden):
                g = 2 * hidden + j
                if lbr:
                    cand = dot(w[g], xs) + wb[g] + rs[j] * (dot(r[g], h) + rb[g])
                else:
                    cand = dot(w[g], xs) + wb[g] + dot(r[g], [rs[k] * h[k] for k in range(hidden)]) + rb[g]
                nh.append((1 - z[j]) * math.tanh(cand) + z[j] * h[j])
            h = nh
        ys.append(h)
    return ys


def bounds_recurrent(cases=20):
    """Largest |Y error| of I11/I12 against float_rnn on the same quantized
    operands: H = 8, I = 6, 25 steps, x (16, fl 10) in [-4, 4), W, R (16,
    fl 14) in [-0.6, 0.6), biases on the gate grid, Y (16, fl 14)."""
    import random
    rng = random.Random(16)
    worst = {"lstm": 0.0, "gru lbr=1": 0.0, "gru lbr=0": 0.0}
    hidden, inputs, steps, flx, flw, fly = 8, 6, 25, 10, 14, 14
    fla = flw + max(flx, fly)
    for _ in range(cases):
        for kind, gates in (("lstm", 4), ("gru lbr=1", 3), ("gru lbr=0", 3)):
            seq = [[rng.randrange(-4 << flx, 4 << flx) for _ in range(inputs)] for _ in range(steps)]
            w = [[rng.randrange(-int(0.6 * 2 ** flw), int(0.6 * 2 ** flw)) for _ in range(inputs)] for _ in range(gates * hidden)]
            r = [[rng.randrange(-int(0.6 * 2 ** flw), int(0.6 * 2 ** flw)) for _ in range(hidden)] for _ in range(gates * hidden)]
            wb = [rng.randrange(-1 << fla, 1 << fla) for _ in range(gates * hidden)]
            rb = [rng.randrange(-1 << fla, 1 << fla) for _ in range(gates * hidden)]
            deq = lambda m, fl: [[v / 2 ** fl for v in row] for row in m]
            fseq, fw, fr = deq(seq, flx), deq(w, flw), deq(r, flw)
            fwb, frb = [v / 2 ** fla for v in wb], [v / 2 ** fla for v in rb]
            if kind == "lstm":
                ys, _, _ = i_lstm(seq, flx, w, r, flw, wb, rb, hidden, (16, fly), (16, fly), (16, 12))
                ref = float_rnn("lstm", fseq, fw, fr, fwb, frb, hidden)
            else:
                lbr = kind.endswith("1")
                ys, _ = i_gru(seq, flx, w, r, flw, wb, rb, hidden, lbr, (16, fly), (16, fly))
                ref = float_rnn("gru", fseq, fw, fr, fwb, frb, hidden, lbr)
            err = max(abs(a / 2 ** fly - b) for ya, yb in zip(ys, ref) for a, b in zip(ya, yb))
            worst[kind] = max(worst[kind], err)
    for kind, err in worst.items():
        print("max |Y error| %s (H 8, 25 steps, Y fl 14): %.3g" % (kind, err))


def golden():
    xs = [-40, -17, -9, -4, -1, 0, 1, 3, 8, 21, 77, 127]
    print("exp    (8,fl4)->(16,fl8):", [i_exp(r, 4, 16, 8) for r in xs])
    print("sigmoid(8,fl4)->(8,fl7): ", [i_sigmoid(r, 4, 8, 7) for r in xs])
    print("tanh   (8,fl4)->(8,fl7): ", [i_tanh(r, 4, 8, 7) for r in xs])
    print("silu   (8,fl4)->(8,fl4): ", [i_silu(r, 4, 8, 4) for r in xs])
    print("gelu   (8,fl4)->(8,fl4): ", [i_gelu(r, 4, 8, 4) for r in xs])
    print("erf    (8,fl4)->(8,fl7): ", [i_erf(r, 4, 8, 7) for r in xs])
    print("softmax(8,fl4)->(8,fl7): ", i_softmax([-40, -3, 0, 5, 17, 17], 4, 8, 7))
    print("isqrt:", [isqrt(n) for n in [0, 1, 2, 3, 4, 15, 16, 17, 99, 1 << 40, (1 << 62) - 1]])
    row = [-40, -3, 0, 5, 17, 22]
    gamma = [64, 32, 64, 96, 64, 64]
    beta = [0, 1 << 14, 0, -(1 << 15), 0, 7]
    print("layernorm (8,fl4), g fl6, ->(8,fl5):",
          i_norm(row, 4, True, 1e-5, gamma, 6, beta, 8, 5))
    print("rmsnorm   (8,fl4), g fl6, ->(8,fl5):",
          i_norm(row, 4, False, 1e-5, gamma, 6, [], 8, 5))


def gelu(v):
    return 0.5 * v * (1 + math.erf(v / math.sqrt(2)))


def bounds():
    grid = [i / 4096 for i in range(-12 * 4096, 12 * 4096 + 1)]  # fl 12
    fly = 24
    def err(f, ref, lo=-12, hi=12):
        return max(abs(f(round(v * 4096), 12, 32, fly) / 2 ** fly - ref(v))
                   for v in grid if lo <= v <= hi)
    print("max |exp error| on [-12,0]:",
          max(abs(i_exp(round(v * 4096), 12, 32, fly) / 2 ** fly - math.exp(v)) for v in grid if v <= 0))
    print("max rel exp error on [-12,3]:",
          max(abs(i_exp(round(v * 4096), 12, 32, fly) / 2 ** fly / math.exp(v) - 1) for v in grid if v <= 3))
    print("max |sigmoid error|:", err(i_sigmoid, lambda v: 1 / (1 + math.exp(-v))))
    print("max |tanh error|:", err(i_tanh, math.tanh))
    print("max |silu error|:", err(i_silu, lambda v: v / (1 + math.exp(-v))))
    print("max |gelu error|:", err(i_gelu, gelu))
    print("max |erf error|:", err(i_erf, math.erf))


if __name__ == "__main__":
    golden()
    golden_recurrent()
    bounds_recurrent()
    bounds()
