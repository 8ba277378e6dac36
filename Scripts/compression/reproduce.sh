#!/usr/bin/env bash
# Reproduces the shape of Deep Compression's result on the trained digits
# models (Documentation/Compression.md, "Deep Compression on the digits
# models"): for each plan Workloads/compression/digits-dc-*.yaml, the network
# ratio and top-1 before and after (float, 540 test images); the per-layer
# table of the digits-dc-90 plan; and the latency and energy of the model
# before and after on an FPGA (pynq-z1), Eyeriss (eyeriss-v1) and a
# microcontroller (stm32l4r5), with the measured coding in DRAM.
#
#   Scripts/compression/reproduce.sh [EDGESIM]     # prints Markdown tables
set -euo pipefail
cd "$(dirname "$0")/../.."
edgesim=${1:-.build/debug/edgesim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=(--data Workloads/digits/test-images.npy --labels Workloads/digits/test-labels.npy)

echo "| model | plan | stored bits (ratio) | top-1 before → after | top-5 after |"
echo "|---|---|---:|---:|---:|"
for model in plain dwsep; do
  for plan in 90 70 50 30; do
    "$edgesim" compress --model Workloads/digits/digits-$model.onnx \
      --plan Workloads/compression/digits-dc-$plan.yaml --out "$work/$model-$plan" \
      "${data[@]}" --json >"$work/$model-$plan.json"
    python3 - "$work/$model-$plan.json" "$model" "$plan" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); n = r["network"]; a = r["accuracy"]
print(f"| digits-{sys.argv[2]} | digits-dc-{sys.argv[3]} | {n['raw_bits']:,} → {n['stored_bits']:,} ({n['ratio']:.1f}×) "
      f"| {100*a['top1_before']:.1f}% → {100*a['top1_after']:.1f}% | {100*a['top5_after']:.1f}% |")
PY
  done
done

echo
echo "Per layer, digits-plain, digits-dc-90:"
echo
echo "| layer | weights | density | bits (index+value) | stored bits | ratio |"
echo "|---|---:|---:|---:|---:|---:|"
python3 - "$work/plain-90.json" <<'PY'
import json, sys
for l in json.load(open(sys.argv[1]))["layers"]:
    print(f"| {l['name']} | {l['weights']:,} | {l['density']:.3f} | {l['index_bits']}+{l['value_bits']} | {l['stored_bits']:,} | {l['ratio']:.1f}× |")
PY

echo
echo "| model (digits-dc-90) | device | latency before → after | energy before → after | DRAM bytes before → after |"
echo "|---|---|---:|---:|---:|"
for model in plain dwsep; do
  for device in pynq-z1 eyeriss-v1 stm32l4r5; do
    "$edgesim" simulate --hardware $device --model Workloads/digits/digits-$model.onnx \
      --no-trace --json >"$work/before.json"
    "$edgesim" simulate --hardware $device --model "$work/$model-90/compressed.onnx" \
      --compression "$work/$model-90/coding.yaml" --no-trace --json >"$work/after.json"
    python3 - "$work/before.json" "$work/after.json" "$model" "$device" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["totals"]; a = json.load(open(sys.argv[2]))["totals"]
def t(s): return f"{s*1e6:.1f} µs" if s < 1e-3 else f"{s*1e3:.3f} ms"
def e(j): return f"{j*1e6:.2f} µJ"
print(f"| digits-{sys.argv[3]} | {sys.argv[4]} | {t(b['latency_s'])} → {t(a['latency_s'])} "
      f"| {e(b['energy_j'])} → {e(a['energy_j'])} | {b['dram_bytes']:,} → {a['dram_bytes']:,} |")
PY
  done
done
