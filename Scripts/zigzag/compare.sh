#!/bin/sh
# EdgeSim and ZigZag side by side on ZigZag's own example: the tpu_like accelerator
# (Scripts/zigzag/tpu_like.yaml is the same hardware in EdgeSim's format) and ResNet-18
# (ZigZag's resnet18.onnx, shape-only here). Prints energy per memory level, MAC energy,
# DRAM bytes, cycles and each tool's run time as a markdown table.
#
#   Scripts/zigzag/compare.sh
#
# Needs ZigZag 3.9.1 in the python3 named by PYTHON (default python3):
#   python3 -m pip install zigzag-dse==3.9.1 six
# Environment: EDGESIM names an edgesim binary (default: builds the debug one into
# SCRATCH, default .build); ZIGZAG_JSON names a result of run_zigzag.py to reuse (ZigZag
# takes 2-10 minutes on ResNet-18 on two shared cores). Developer script; EdgeSim itself
# needs no Python. Only the layers ZigZag evaluates (Conv and Gemm) are summed on EdgeSim's
# side: ZigZag's ONNX front end skips Add, pooling and activations.
# EdgeSim runs with --no-residency (ZigZag evaluates one layer at a time: every activation
# goes to DRAM) and ZigZag's default operand widths (8-bit operands, 16-bit partial sums).
set -eu
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
SCRATCH="${SCRATCH:-.build}"
if [ -z "${EDGESIM:-}" ]; then
  swift build --scratch-path "$SCRATCH" --product edgesim >&2
  EDGESIM="$SCRATCH/debug/edgesim"
fi
ZIGZAG=$("$PYTHON" -c 'import zigzag, os; print(os.path.dirname(zigzag.__file__))') || {
  echo "ZigZag is not installed for $PYTHON: $PYTHON -m pip install zigzag-dse==3.9.1 six" >&2
  exit 1
}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
start=$(date +%s.%N)
"$EDGESIM" simulate --hardware Scripts/zigzag/tpu_like.yaml \
  --model "$ZIGZAG/inputs/workload/resnet18.onnx" \
  --precision Scripts/zigzag/int8-psum16.yaml --no-residency --json --no-trace \
  > "$TMP/edgesim.json" 2> "$TMP/edgesim.log"
middle=$(date +%s.%N)
if [ -n "${ZIGZAG_JSON:-}" ]; then
  cp "$ZIGZAG_JSON" "$TMP/zigzag.json"
else
  (cd "$TMP" && TMPDIR="$TMP" "$PYTHON" "$OLDPWD/Scripts/zigzag/run_zigzag.py" "$TMP/zigzag.json") \
    > "$TMP/zigzag.log" 2>&1 || { cat "$TMP/zigzag.log" >&2; exit 1; }
fi
end=$(date +%s.%N)
"$PYTHON" - "$TMP/edgesim.json" "$TMP/zigzag.json" "$start" "$middle" "$end" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
z = json.load(open(sys.argv[2]))
t0, t1, t2 = map(float, sys.argv[3:6])
layers = [l for l in e["layers"] if l["op"] in ("Conv", "Gemm")]
def total(f):
    return sum(f(l) for l in layers)
rows = [("MAC", total(lambda l: l["energy"]["mac"]), z["mac_j"])]
for level in ["rf_128B", "rf_2B", "sram_2MB"]:
    rows.append((level, total(lambda l: (l["energy"].get("onchip") or l["energy"].get("on_chip", {})).get(level, 0)),
                 z["levels_j"].get(level, 0)))
rows.append(("dram", total(lambda l: l["energy"]["dram"]), z["levels_j"].get("dram", 0)))
rows.append(("total", total(lambda l: l["energy_j"]), z["energy_j"]))
print(f"ResNet-18 on tpu_like, the {len(layers)} Conv/Gemm layers ({len(z['layers'])} in ZigZag)")
print()
print("| figure | EdgeSim | ZigZag | EdgeSim / ZigZag |")
print("|---|---|---|---|")
for name, a, b in rows:
    ratio = f"{a / b:.2f}" if b else "-"
    print(f"| {name} energy | {a * 1e6:.1f} µJ | {b * 1e6:.1f} µJ | {ratio} |")
cycles = total(lambda l: l["cycles"])
print(f"| cycles | {cycles:,} | {z['cycles']:,.0f} | {cycles / z['cycles']:.2f} |")
first = layers[0]
zfirst = next(l for l in z["layers"] if l["name"] == first["name"])
print(f"| {first['name']} cycles | {first['cycles']:,} | {zfirst['cycles']:,.0f} | {first['cycles'] / zfirst['cycles']:.2f} |")
rest = cycles - first["cycles"]
zrest = z["cycles"] - zfirst["cycles"]
print(f"| other layers' cycles | {rest:,} | {zrest:,.0f} | {rest / zrest:.2f} |")
print(f"| run time | {t1 - t0:.2f} s | {t2 - t1:.1f} s{' (reused)' if t2 - t1 < 5 else ''} | |")
PY
