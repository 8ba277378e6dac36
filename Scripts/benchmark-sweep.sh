#!/usr/bin/env bash
# Times a per-layer fl sweep of MobileNetV2 (seeded random weights) with
# accuracy, with and without the prefix cache, and checks that both store
# the same rows (issue #19 item 3; BENCHMARKS.md).
#
#   Scripts/benchmark-sweep.sh [IMAGES] [LAYERS]   (defaults 200 and every layer)
#
# One study per convolution and fully connected layer (in graph order, which
# is topological), each a 3-value fl axis (fl 3..5 at 8 bits) on that layer,
# the other layers calibrated by Qiu's method on 8 images; top-1 on IMAGES
# seeded N(0, 1) images with seeded labels (meaningless classes, the real
# network's shapes and arithmetic) labelled with onnxruntime's float classes,
# so top-1 is agreement with the float network. LAYERS takes the first that many layers
# only. Runs `edgesim sweep --jobs 1` (each point on every core) with the
# default cache and with `--prefix-cache 0` (every point from its input), and
# prints both wall times, their ratio and whether the rows are identical.
#
# Environment: EDGESIM (binary; else a release build in .build-speed),
# PYTHON (with onnx, onnxruntime and numpy; default Scripts/.venv/bin/python, else
# /tmp/venv/bin/python). Nothing is written to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
images="${1:-200}"
layers="${2:-0}"
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
"$python" - "$work" "$images" "$layers" <<'PY'
import sys
import numpy as np
import onnx
work, images, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
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

run() { # DB [ARGS…]: wall seconds of one sweep
  local db="$1"
  shift
  local start end
  start=$(date +%s.%N)
  "$edgesim" sweep "$work/sweep.yaml" --db "$work/$db" --jobs 1 --quiet "$@"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}
cached=$(run cached.sqlite)
uncached=$(run uncached.sqlite --prefix-cache 0)
same=$("$python" - "$work" <<'PY'
import sqlite3, sys
def rows(name):
    db = sqlite3.connect(f"{sys.argv[1]}/{name}")
    return db.execute("SELECT * FROM points ORDER BY point_id").fetchall()
a, b = rows("cached.sqlite"), rows("uncached.sqlite")
top1 = sorted({row[-1] for row in a if row[-1] is not None})
same = a == b and len(a) > 0
print(("identical" if same else f"DIFFERENT ({len(a)} and {len(b)} rows)")
      + f", {len(a)} rows, {len(top1)} distinct top-1 values")
PY
)
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "with the prefix cache: $cached s; every point from its input (--prefix-cache 0): $uncached s"
awk -v a="$cached" -v b="$uncached" 'BEGIN { printf "speed-up: %.2fx\n", b / a }'
echo "rows: $same"
