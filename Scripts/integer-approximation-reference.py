#!/usr/bin/env python3
"""Independent reference of Documentation/Quantization.md "Integer-only
non-linear functions" (I-BERT, Kim et al. ICML 2021), in exact Python
integers. Prints the golden vectors that
Tests/FixedPointArithmeticTests/IntegerApproximationTests.swift checks bit for
bit, and the largest errors against the Double (math) functions over dense
grids, which the tests' stated bounds come from.

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


def saturate(z, bits, fl):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
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
    bounds()
