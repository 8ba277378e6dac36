#!/usr/bin/env bash
# Writes every output of `edgesim quantize` and `edgesim run` that the
# executors and calibration determine, for a before/after byte-for-byte
# comparison when changing them:
#
#   Scripts/executor-outputs.sh EDGESIM OUTDIR
#   diff -r BEFORE AFTER     # must print nothing
#
# Both digits models × bits 8, 4 and mixed (conv 8, fc 4) × qiu, ristretto,
# static: the plan YAML, quantize's JSON, run's JSON (timings removed), the
# dequantized output .npy and the §11 raw dump; also the float run, and one
# fixed run in slices of 7 samples (--batch-size) to exercise joining.
set -euo pipefail
cd "$(dirname "$0")/.."
edgesim="$1"
out="$2"
mkdir -p "$out"
images=Workloads/digits/test-images.npy
labels=Workloads/digits/test-labels.npy
strip() { grep -v '"execute_seconds"\|_seconds"' || true; }
for model in digits-plain digits-dwsep; do
  m="Workloads/digits/$model.onnx"
  "$edgesim" run --model "$m" --input "$images" --labels "$labels" --output "$out/$model-float.npy" --json \
    | strip >"$out/$model-float.json"
  for bits in 8 4 mixed; do
    case "$bits" in
      mixed) bitsArg='*=8'; weightArg='fc=4,*=8' ;;
      *) bitsArg="$bits"; weightArg="$bits" ;;
    esac
    for method in qiu ristretto static; do
      tag="$model-$bits-$method"
      "$edgesim" quantize --model "$m" --data "$images" --labels "$labels" --bits "$bitsArg" \
        --weight-bits "$weightArg" --method "$method" --out "$out/$tag.yaml" --json \
        | strip >"$out/$tag-quantize.json"
      rm -rf "$out/$tag-dump"
      "$edgesim" run --model "$m" --input "$images" --labels "$labels" --precision "$out/$tag.yaml" \
        --output "$out/$tag.npy" --dump "$out/$tag-dump" --json | strip >"$out/$tag-run.json"
    done
  done
  # Other arithmetic on the same formats: every requantization rounding,
  # wrapping storage, narrow accumulators under each policy.
  base="$out/$model-8-qiu.yaml"
  variant() {
    local tag="$model-variant-$1"
    sed "$2" "$base" >"$out/$tag.yaml"
    rm -rf "$out/$tag-dump"
    "$edgesim" run --model "$m" --input "$images" --labels "$labels" --precision "$out/$tag.yaml" \
      --dump "$out/$tag-dump" --json | strip >"$out/$tag-run.json"
  }
  for rounding in floor towardZero halfEven halfAwayFromZero stochastic; do
    variant "$rounding" "s/rounding: halfUp/rounding: $rounding/"
  done
  variant wrap "s/^  overflow: saturate/  overflow: wrap/"
  for policy in saturateFinal wrap saturateEachStep; do
    variant "acc12-$policy" "s/accumulator: {overflow: saturateFinal}/accumulator: {bits: 12, overflow: $policy}/"
  done
  variant narrow-out "s/activation: {bits: 8, fl: \([0-9-]*\)}/activation: {bits: 4, fl: \1}/"
  "$edgesim" run --model "$m" --input "$images" --labels "$labels" \
    --precision "$out/$model-8-qiu.yaml" --batch-size 7 --output "$out/$model-8-qiu-sliced.npy" \
    --json | strip >"$out/$model-8-qiu-sliced-run.json"
done
echo "wrote $(find "$out" -type f | wc -l) files to $out"
