#!/usr/bin/env bash
# Times a per-layer fl sweep of MobileNetV2 (seeded random weights) with
# accuracy, with and without the prefix cache, and checks that both store
# the same rows (issue #19 item 3; BENCHMARKS.md).
#
#   Scripts/benchmark-sweep.sh [IMAGES] [LAYERS] [STRIDE]
#       (defaults 200, every layer, stride 1)
#
# One study per convolution and fully connected layer (in graph order, which
# is topological; with STRIDE s every s-th of them, starting with the
# first), each a 3-value fl axis (fl 3..5 at 8 bits) on that layer,
# the other layers calibrated by Qiu's method on 8 images; top-1 on IMAGES
# seeded N(0, 1) images with seeded labels (meaningless classes, the real
# network's shapes and arithmetic) labelled with onnxruntime's float classes,
# so top-1 is agreement with the float network. LAYERS takes the first that
# many layers only. Runs `edgesim sweep --jobs 1` (each point on every core)
# three times: from scratch (`--prefix-cache 0 --no-reuse-plans
# --no-suffix-convergence`: every point from its input), with the prefix
# cache alone (the default 1024 MB, the other shortcuts off), and with every
# shortcut (`--suffix-convergence` added to the defaults). Prints each run's CPU time (user + system), wall
# time and peak resident set (`/usr/bin/time -v`), the CPU ratios, the
# shortcuts' counts (`--json`) and whether the rows are identical. On a
# shared machine compare CPU times, not wall times.
#
# Environment: EDGESIM (binary; else a release build in .build-speed),
# PYTHON (with onnx, onnxruntime and numpy: python3 -m venv V &&
# V/bin/pip install onnx onnxruntime numpy; default Scripts/.venv/bin/python, else
# /tmp/venv/bin/python). Nothing is written to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
images="${1:-200}"
layers="${2:-0}"
stride="${3:-1}"
if [ -n "${PYTHON:-}" ]; then
  python="$PYTHON"
elif [ -x Scripts/.venv/bin/python ]; then
  python=Scripts/.venv/bin/python
else
  python=/tmp/venv/bin/python
fi
if [ -n "${EDGESIM:-}" ]; then
  edgesim="$EDGESIM"
else
  swift build -c release --scratch-path .build-speed --product edgesim >&2
  edgesim=.build-speed/release/edgesim
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/edgesim-sweep.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$python" Scripts/seeded-weights.py Workloads/onnx/torchvision/mobilenet_v2.onnx "$work/m.onnx" \
  --images "$images" --images-out "$work/images.npy" >&2
"$python" - "$work" "$images" "$layers" "$stride" <<'PY'
import sys
import numpy as np
import onnx
work, images, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
stride = max(1, int(sys.argv[4]))
import onnxruntime
# Labels: the float network's own classes, so top-1 is agreement with float
# and moves with the formats.
session = onnxruntime.InferenceSession(f"{work}/m.onnx", providers=["CPUExecutionProvider"])
x = np.load(f"{work}/images.npy")
scores = session.run(None, {session.get_inputs()[0].name: x})[0]
np.save(f"{work}/labels.npy", scores.argmax(axis=1).astype(np.int64))
model = onnx.load(f"{work}/m.onnx", load_external_data=False)
names = [n.name for n in model.graph.node if n.op_type in ("Conv", "Gemm")]
if limit > 0:
    names = names[:limit]
names = names[::stride]
with open(f"{work}/sweep.yaml", "w") as f:
    f.write("name: mobilenet-v2-per-layer-fl\nstudies:\n")
    for name in names:
        f.write(f"""  - models: m.onnx
    devices: systolic-32x32
    precision:
      default_bits: 8
      axes:
        - {{layers: "{name}", bits: 8, fl: 3..5}}
    accuracy:
      evaluation: {{data: images.npy, labels: labels.npy}}
      calibration: {{samples: 0..7}}
""")
print(f"{len(names)} layers x 3 fl values = {3 * len(names)} points, {images} images", file=sys.stderr)
PY

run() { # NAME [ARGS…]: one sweep into NAME.sqlite, timed
  local name="$1"
  shift
  /usr/bin/time -v -o "$work/$name.time" \
    "$edgesim" sweep "$work/sweep.yaml" --db "$work/$name.sqlite" --jobs 1 --json "$@" \
    >"$work/$name.json"
}
run scratch --prefix-cache 0 --no-reuse-plans --no-suffix-convergence
run prefix --no-reuse-plans --no-suffix-convergence
run all --suffix-convergence
"$python" - "$work" <<'PY'
import json, re, sqlite3, sys
work = sys.argv[1]
def rows(name):
    db = sqlite3.connect(f"{work}/{name}.sqlite")
    return db.execute("SELECT * FROM points ORDER BY point_id").fetchall()
def timing(name):
    text = open(f"{work}/{name}.time").read()
    field = lambda key: re.search(re.escape(key) + r": (.*)", text).group(1)
    user, system = float(field("User time (seconds)")), float(field("System time (seconds)"))
    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(field("Maximum resident set size (kbytes)")) / 1e6
    return user + system, user, system, seconds, rss
base = rows("scratch")
db = sqlite3.connect(f"{work}/scratch.sqlite")
top1 = sorted({r[0] for r in db.execute("SELECT top1 FROM points") if r[0] is not None})
print(f"{len(base)} rows, {len(top1)} distinct top-1 values")
scratch_cpu = timing("scratch")[0]
for name in ("scratch", "prefix", "all"):
    cpu, user, system, wall, rss = timing(name)
    same = "identical" if rows(name) == base and base else "DIFFERENT"
    reuse = json.load(open(f"{work}/{name}.json")).get("reuse", {})
    counts = {k: v for k, v in reuse.items() if k != "convergence_by_layer"}
    print(f"{name:8s} CPU {cpu:8.1f} s ({user:.1f} + {system:.1f}), wall {wall:8.1f} s, "
          f"peak RSS {rss:5.2f} GB, CPU speed-up {scratch_cpu / cpu:5.2f}x, rows {same}")
    print(f"         {counts}")
layers = json.load(open(f"{work}/all.json")).get("reuse", {}).get("convergence_by_layer", [])
for entry in layers:
    print(f"  departs at {entry['layer']}: {entry['converged']}/{entry['chunks']} chunks met the "
          f"calibrated run, {entry['skipped_nodes']}/{entry['suffix_nodes']} suffix nodes skipped")
PY
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
