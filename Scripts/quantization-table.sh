#!/usr/bin/env bash
# Prints Documentation/Quantization.md's accuracy table: test top-1 of both
# digits models in float and under each precision configuration, made with
# the command line only (edgesim quantize, then edgesim run).
#
#   Scripts/quantization-table.sh            # builds release, prints the table
#   EDGESIM_SCRATCH_PATH=.build-x Scripts/quantization-table.sh
#
# Formats are calibrated on the first 100 test images (the training images
# are not committed); every configuration then runs on all 540. The
# precision files are kept in a temporary folder, named in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${EDGESIM_SCRATCH_PATH:-.build}"
swift build -c release --scratch-path "$scratch" --product edgesim >&2
edgesim="$scratch/release/edgesim"

images=Workloads/digits/test-images.npy
labels=Workloads/digits/test-labels.npy
calibration=100
plans="$(mktemp -d "${TMPDIR:-/tmp}/edgesim-quantization-table.XXXXXX")"

# label|quantize arguments (empty: float)
rows=(
  "float32|"
  "16-bit dynamic (qiu)|--bits 16 --method qiu"
  "8-bit static|--bits 8 --method static"
  "8-bit dynamic (qiu)|--bits 8 --method qiu"
  "8-bit dynamic (ristretto)|--bits 8 --method ristretto"
  "6-bit dynamic (qiu)|--bits 6 --method qiu"
  "4-bit dynamic (qiu)|--bits 4 --method qiu"
  "mixed conv 8 / fc 4 (qiu)|--bits 8 --weight-bits fc=4,*=8 --method qiu"
)

# The "top1" value of edgesim's JSON on standard input, as a percentage.
top1() {
  sed -n 's/^  "top1" : \([-0-9.eE+]*\),\{0,1\}$/\1/p' | awk '{ printf "%.2f%%", $1 * 100 }'
}

echo "| configuration | digits-plain | digits-dwsep |"
echo "| --- | ---: | ---: |"
for row in "${rows[@]}"; do
  label="${row%%|*}"
  arguments="${row#*|}"
  cells=()
  for model in digits-plain digits-dwsep; do
    onnx="Workloads/digits/$model.onnx"
    precision=()
    if [ -n "$arguments" ]; then
      plan="$plans/$model-$(echo "$label" | tr -c 'A-Za-z0-9\n' '-').yaml"
      # shellcheck disable=SC2086 # the arguments are words
      "$edgesim" quantize --model "$onnx" --data "$images" --calibration-samples "$calibration" \
        $arguments --out "$plan" --json >/dev/null
      precision=(--precision "$plan")
    fi
    cells+=("$("$edgesim" run --model "$onnx" --input "$images" --labels "$labels" \
      "${precision[@]}" --json | top1)")
  done
  echo "| $label | ${cells[0]} | ${cells[1]} |"
done
echo >&2 "precision files: $plans"
