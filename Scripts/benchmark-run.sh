#!/usr/bin/env bash
# Times `edgesim run` (float and bit-accurate 8-bit) against onnxruntime's
# float inference on the same model and input, in one sitting, and prints
# the ratios for BENCHMARKS.md.
#
#   Scripts/benchmark-run.sh [MODEL.onnx] [INPUT.npy]
#   (default: Workloads/digits/digits-plain.onnx, the 540 test images)
#
# Two measures:
# - executor time, best of 7: edgesim's "execute_seconds" (the executor
#   alone, from `run --json`; not loading, statistics or the float
#   reference) against onnxruntime's session.run (Scripts/time-onnxruntime.py);
# - whole command, hyperfine: process start, model load, run, report (and,
#   in fixed point, the §9 statistics with their float reference run)
#   against the Python script's whole process.
# Needs hyperfine and Scripts/.venv with onnxruntime (Scripts/README.md).
# EDGESIM=path/to/edgesim times that binary instead of building one.
# On a shared machine the best of 7 still moves by 2x from minute to
# minute; compare binaries in the same minute (interleaved) if it matters.
set -euo pipefail
cd "$(dirname "$0")/.."

model="${1:-Workloads/digits/digits-plain.onnx}"
input="${2:-Workloads/digits/test-images.npy}"
runs=7
scratch="${EDGESIM_SCRATCH_PATH:-.build}"
python="${PYTHON:-Scripts/.venv/bin/python}"
if [ -n "${EDGESIM:-}" ]; then
  edgesim="$EDGESIM"
else
  swift build -c release --scratch-path "$scratch" --product edgesim >&2
  edgesim="$scratch/release/edgesim"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/edgesim-benchmark.XXXXXX")"
trap 'rm -rf "$work"' EXIT
plan="$work/p8.yaml"
"$edgesim" quantize --model "$model" --data "$input" --bits 8 --method qiu --out "$plan" --json >/dev/null

# The best "execute_seconds" of $runs runs of edgesim run with the arguments.
best_execute() {
  for _ in $(seq "$runs"); do
    "$edgesim" run --model "$model" --input "$input" "$@" --json \
      | sed -n 's/^  "execute_seconds" : \([-0-9.eE+]*\),\{0,1\}$/\1/p'
  done | sort -g | head -1
}

float=$(best_execute)
fixed=$(best_execute --precision "$plan")
ort=$("$python" Scripts/time-onnxruntime.py "$model" "$input" --runs "$runs")
ort_best=$(echo "$ort" | sed 's/.*"best_seconds": \([-0-9.eE+]*\).*/\1/')

echo "model $model, input $input ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "onnxruntime: $ort"
awk -v f="$float" -v x="$fixed" -v o="$ort_best" 'BEGIN {
  printf "| measure | time | ratio to onnxruntime float |\n| --- | ---: | ---: |\n"
  printf "| onnxruntime float (session.run) | %.2f ms | 1.00x |\n", o * 1000
  printf "| edgesim run, float executor | %.2f ms | %.2fx |\n", f * 1000, f / o
  printf "| edgesim run, fixed 8-bit executor | %.2f ms | %.2fx |\n", x * 1000, x / o
}'
echo
hyperfine --warmup 2 --runs 10 --style basic --export-markdown "$work/hyperfine.md" \
  -n "onnxruntime float (python script)" "$python Scripts/time-onnxruntime.py $model $input --runs 1" \
  -n "edgesim run float" "$edgesim run --model $model --input $input" \
  -n "edgesim run fixed 8-bit" "$edgesim run --model $model --input $input --precision $plan" >&2
cat "$work/hyperfine.md"
