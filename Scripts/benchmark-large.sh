#!/usr/bin/env bash
# Times edgesim's executors on MobileNetV2 and ResNet-18 (seeded random
# weights) against onnxruntime float and onnxruntime int8 (QDQ), in one
# sitting, and prints the table of BENCHMARKS.md (issue #19).
#
#   Scripts/benchmark-large.sh [ROUNDS]     (default 5)
#
# Set-up: Scripts/seeded-weights.py gives the shape-only models under
# Workloads/onnx/torchvision/ seeded weights and writes 8 seeded 224×224
# input images (and 100 for the quantize timing); `edgesim quantize --bits 8
# --method qiu` makes the 8-bit plan; Scripts/quantize-onnxruntime.py the
# int8 QDQ model. Nothing is written to the repository.
#
# Each round runs, per model: edgesim run float and fixed 8-bit (the
# executor alone: "execute_seconds" of `run --json`; with EDGESIM_KERNELS
# also per kernel path), then onnxruntime float and int8 (`session.run`,
# median of 5 after a warm-up, Scripts/time-onnxruntime.py). The table gives
# each figure's minimum over the rounds, so all columns see the same load.
# Both use every core.
#
# Environment: EDGESIM (binary; else a release build in .build-speed),
# PYTHON (with onnx, onnxruntime, numpy; default Scripts/.venv/bin/python,
# else /tmp/venv/bin/python), PATHS (kernel paths to time the fixed-point
# executor on, default: the default path only, e.g. "portable avx2 avx512"),
# QUANTIZE_IMAGES (calibration images of the timed `quantize --method qiu`
# on MobileNetV2, default 100; 0 skips it), BASELINE (another edgesim binary,
# e.g. main's, timed in the same rounds on the same plans: rows
# "baseline-float" and "baseline-fixed").
#
# With `perf` on the PATH, a second table gives CPU time per image in the
# same sitting (load-robust): the CPU time of edgesim's executor (perf
# samples) and onnxruntime's process CPU with one intra-op thread.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
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
paths="${PATHS:-default}"
work="$(mktemp -d "${TMPDIR:-/tmp}/edgesim-large.XXXXXX")"
trap 'rm -rf "$work"' EXIT
models="mobilenet_v2 resnet18"

for m in $models; do
  "$python" Scripts/seeded-weights.py "Workloads/onnx/torchvision/$m.onnx" "$work/$m.onnx" \
    --images 8 --images-out "$work/images.npy"
  "$python" Scripts/quantize-onnxruntime.py "$work/$m.onnx" "$work/images.npy" "$work/$m-int8.onnx" \
    2>/dev/null
  "$edgesim" quantize --model "$work/$m.onnx" --data "$work/images.npy" --bits 8 --method qiu \
    --out "$work/$m-p8.yaml" --json >/dev/null
done
quantize_images="${QUANTIZE_IMAGES:-100}"

execute() { # MODEL [ARGS…]: execute_seconds of one run
  local m="$1"
  shift
  "${binary:-$edgesim}" run --model "$work/$m.onnx" --input "$work/images.npy" "$@" --json \
    | sed -n 's/^  "execute_seconds" : \([-0-9.eE+]*\),\{0,1\}$/\1/p'
}
ort() { # MODEL.onnx: median session.run seconds
  "$python" Scripts/time-onnxruntime.py "$1" "$work/images.npy" --runs 5 \
    | sed 's/.*"median_seconds": \([-0-9.eE+]*\).*/\1/'
}

: >"$work/times"
for round in $(seq "$rounds"); do
  for m in $models; do
    echo "$m float $(execute "$m")" >>"$work/times"
    for path in $paths; do
      if [ "$path" = default ]; then
        echo "$m fixed $(execute "$m" --precision "$work/$m-p8.yaml")" >>"$work/times"
      else
        echo "$m fixed-$path $(EDGESIM_KERNELS=$path execute "$m" --precision "$work/$m-p8.yaml")" \
          >>"$work/times"
      fi
    done
    if [ -n "${BASELINE:-}" ]; then
      echo "$m baseline-float $(binary="$BASELINE" execute "$m")" >>"$work/times"
      echo "$m baseline-fixed $(binary="$BASELINE" execute "$m" --precision "$work/$m-p8.yaml")" \
        >>"$work/times"
    fi
    echo "$m ort-float $(ort "$work/$m.onnx")" >>"$work/times"
    echo "$m ort-int8 $(ort "$work/$m-int8.onnx")" >>"$work/times"
  done
  echo "round $round of $rounds done" >&2
done

echo "8 images of 224×224, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), minimum of $rounds rounds"
echo
echo "| model | measure | per image | ÷ onnxruntime float | ÷ onnxruntime int8 |"
echo "| --- | --- | ---: | ---: | ---: |"
for m in $models; do
  awk -v m="$m" '$1 == m {
      if (!($2 in best) || $3 < best[$2]) best[$2] = $3
      if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 }
    }
    END {
      f = best["ort-float"]; q = best["ort-int8"]
      for (i = 1; i <= n; i++) {
        k = order[i]
        printf "| %s | %s | %.2f ms | %.2fx | %.2fx |\n", m, k, best[k] * 1000 / 8, best[k] / f, best[k] / q
      }
    }' "$work/times"
done

# CPU time, the measure a loaded machine disturbs least: edgesim's is the
# CPU time of the outputs-only executor alone (`perf record -F 999` of `run`,
# the samples whose call chain holds the chunked fixed-point run or the
# float executor's `outputs`, ≈ 1 ms of CPU each; `run` also computes its
# statistics and the float reference, which this leaves out); onnxruntime's
# is the process CPU (time.process_time around session.run, median of 5)
# with one intra-op thread. Both per image. Each round runs every measure
# once, the two edgesim binaries one after the other; the table gives each
# minimum.
if command -v perf >/dev/null; then
  executor_cpu() { # BINARY MODEL [ARGS…]: executor CPU ms per image
    perf record -q -F 999 -g -o "$work/perf.data" "$1" run --model "$work/$2.onnx" \
      --input "$work/images.npy" "${@:3}" --json >/dev/null 2>&1
    perf script -i "$work/perf.data" -F ip,sym 2>/dev/null \
      | awk 'BEGIN { RS = "" } /runInChunks|FloatExecutorV7outputs5input/ { c++ }
          END { printf "%.2f\n", c / 999 * 1000 / 8 }'
  }
  ort_cpu() { # MODEL.onnx: CPU ms per image, one thread
    "$python" Scripts/time-onnxruntime.py "$1" "$work/images.npy" --runs 5 --threads 1 \
      | sed 's/.*"cpu_median_seconds": \([-0-9.eE+]*\).*/\1/' | awk '{ print $1 * 1000 / 8 }'
  }
  : >"$work/cpu"
  for round in $(seq "$rounds"); do
    for m in $models; do
      echo "$m float $(executor_cpu "$edgesim" "$m")" >>"$work/cpu"
      echo "$m fixed $(executor_cpu "$edgesim" "$m" --precision "$work/$m-p8.yaml")" >>"$work/cpu"
      if [ -n "${BASELINE:-}" ]; then
        echo "$m baseline-float $(executor_cpu "$BASELINE" "$m")" >>"$work/cpu"
        echo "$m baseline-fixed $(executor_cpu "$BASELINE" "$m" --precision "$work/$m-p8.yaml")" \
          >>"$work/cpu"
      fi
      echo "$m ort-float $(ort_cpu "$work/$m.onnx")" >>"$work/cpu"
      echo "$m ort-int8 $(ort_cpu "$work/$m-int8.onnx")" >>"$work/cpu"
    done
    echo "CPU round $round of $rounds done" >&2
  done
  echo
  echo "CPU time per image (edgesim: the outputs-only executor's perf samples, both cores;"
  echo "onnxruntime: one thread), minimum of $rounds rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| model | measure | CPU per image | ÷ onnxruntime float | ÷ onnxruntime int8 |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for m in $models; do
    awk -v m="$m" '$1 == m {
        if (!($2 in best) || $3 < best[$2]) best[$2] = $3
        if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 }
      }
      END {
        f = best["ort-float"]; q = best["ort-int8"]
        for (i = 1; i <= n; i++) {
          k = order[i]
          printf "| %s | %s | %.2f ms | %.2fx | %.2fx |\n", m, k, best[k], best[k] / f, best[k] / q
        }
      }' "$work/cpu"
  done
fi

if [ "$quantize_images" -gt 0 ]; then
  "$python" Scripts/seeded-weights.py Workloads/onnx/torchvision/mobilenet_v2.onnx "$work/unused.onnx" \
    --images "$quantize_images" --images-out "$work/calibration.npy"
  echo
  echo "quantize --method qiu, MobileNetV2, $quantize_images calibration images (wall, one run):"
  start=$(date +%s.%N)
  "$edgesim" quantize --model "$work/mobilenet_v2.onnx" --data "$work/calibration.npy" --bits 8 \
    --method qiu --out "$work/p8-calibration.yaml" --json >/dev/null
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f s\n", e - s }'
fi
