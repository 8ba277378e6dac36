#!/usr/bin/env bash
# Compares two edgesim binaries' outputs byte for byte: `simulate --json`
# and the printed `simulate` table of every Workloads/*.yaml and the
# torchvision ResNet-50 and MobileNetV2 models on four devices, and
# `inspect --json` of each model. For changes meant to keep every output
# (speed work, issue #16); prints each difference and exits 1 if any.
#
#   Scripts/compare-outputs.sh BASE_EDGESIM NEW_EDGESIM
#   DEVICES="pixel3-cpu npu-32x32" Scripts/compare-outputs.sh A B
#
# BASE is typically main's release build
# (`git clone /path/to/main /tmp/base && cd /tmp/base && swift build -c release`).
# Run from the repository root; nothing is written outside a temp folder.
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BASE_EDGESIM NEW_EDGESIM" >&2; exit 2; }
base=$1
new=$2
devices=${DEVICES:-pixel3-cpu npu-32x32 coral-edgetpu-usb stm32l4r5}
models=$(ls Workloads/*.yaml)
models="$models Workloads/onnx/torchvision/resnet50.onnx Workloads/onnx/torchvision/mobilenet_v2.onnx"
out=$(mktemp -d "${TMPDIR:-/tmp}/edgesim-compare.XXXXXX")
trap 'rm -rf "$out"' EXIT
runs=0
differ=0
# Runs one command with both binaries; compares standard output, standard
# error and exit status.
compare() {
  runs=$((runs + 1))
  "$base" "$@" >"$out/a.out" 2>"$out/a.err"
  echo "exit $?" >>"$out/a.err"
  "$new" "$@" >"$out/b.out" 2>"$out/b.err"
  echo "exit $?" >>"$out/b.err"
  if ! cmp -s "$out/a.out" "$out/b.out" || ! cmp -s "$out/a.err" "$out/b.err"; then
    differ=$((differ + 1))
    echo "DIFFERS: edgesim $*"
    diff "$out/a.out" "$out/b.out" | head -5
    diff "$out/a.err" "$out/b.err" | head -5
  fi
}
for model in $models; do
  compare inspect --json "$model"
  for device in $devices; do
    compare simulate --model "$model" --hardware "$device" --no-trace --json
    compare simulate --model "$model" --hardware "$device" --no-trace
  done
done
echo "$runs commands, $differ differ"
[ "$differ" -eq 0 ]
