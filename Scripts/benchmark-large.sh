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
# same sitting (load-robust): edgesim's marginal task-clock per image and
# onnxruntime's process CPU with one intra-op thread.
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

# CPU time, the measure a loaded machine disturbs least: edgesim's marginal
# CPU per image, (task-clock of `run` on the 8 images − on the first image
# alone) / 7, so that start-up and import cancel (`perf stat`); onnxruntime's
# process CPU per image (time.process_time around session.run, median of 5)
# with one intra-op thread. Each round runs every measure once, the two
# edgesim binaries one after the other; the table gives each minimum.
if command -v perf >/dev/null; then
  "$python" -c 'import sys, numpy as np; np.save(sys.argv[2], np.load(sys.argv[1])[:1])' \
    "$work/images.npy" "$work/one.npy"
  task_clock() { # BINARY MODEL INPUT [ARGS…]: task-clock ms of one `run`
    local b="$1" m="$2" input="$3"
    shift 3
    perf stat -x, -e task-clock "$b" run --model "$work/$m.onnx" --input "$input" "$@" --json \
      2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }'
  }
  marginal() { # BINARY MODEL [ARGS…]: CPU ms per image
    local eight one
    eight=$(task_clock "$1" "$2" "$work/images.npy" "${@:3}")
    one=$(task_clock "$1" "$2" "$work/one.npy" "${@:3}")
    awk -v a="$eight" -v b="$one" 'BEGIN { print (a - b) / 7 }'
  }
  ort_cpu() { # MODEL.onnx: CPU ms per image, one thread
    "$python" Scripts/time-onnxruntime.py "$1" "$work/images.npy" --runs 5 --threads 1 \
      | sed 's/.*"cpu_median_seconds": \([-0-9.eE+]*\).*/\1/' | awk '{ print $1 * 1000 / 8 }'
  }
  : >"$work/cpu"
  for round in $(seq "$rounds"); do
    for m in $models; do
      echo "$m float $(marginal "$edgesim" "$m")" >>"$work/cpu"
      echo "$m fixed $(marginal "$edgesim" "$m" --precision "$work/$m-p8.yaml")" >>"$work/cpu"
      if [ -n "${BASELINE:-}" ]; then
        echo "$m baseline-float $(marginal "$BASELINE" "$m")" >>"$work/cpu"
        echo "$m baseline-fixed $(marginal "$BASELINE" "$m" --precision "$work/$m-p8.yaml")" \
          >>"$work/cpu"
      fi
      echo "$m ort-float $(ort_cpu "$work/$m.onnx")" >>"$work/cpu"
      echo "$m ort-int8 $(ort_cpu "$work/$m-int8.onnx")" >>"$work/cpu"
    done
    echo "CPU round $round of $rounds done" >&2
  done
  echo
  echo "CPU time per image (edgesim: marginal task-clock of run, both cores; onnxruntime: one"
  echo "thread), minimum of $rounds rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
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
