#!/usr/bin/env bash
# Writes every output of `edgesim simulate` for each bundled device × model
# (and a few option variants) into one folder, so that two builds can be
# compared with `diff -r`. Used to check that speed work on the simulator
# changes no result:
#
#   Benchmarks/simulate-outputs.sh OLD/edgesim /tmp/before
#   Benchmarks/simulate-outputs.sh .build-rel/release/edgesim /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
#
# Per run: summary.json, layers.csv and trace.json of --trace, the --json
# output and the exit status. Run from the repository root.
set -u
bin=${1:?usage: simulate-outputs.sh EDGESIM OUTDIR}
out=${2:?usage: simulate-outputs.sh EDGESIM OUTDIR}
mkdir -p "$out"
devices="coral-edgetpu-usb eyeriss-v1 npu-32x32 pixel3-cpu pixel3-gpu pynq-z1 stm32l4r5 systolic-32x32 zc706-qiu2016"
models="resnet50 mobilenet_v2 vgg16 alexnet"
run() { # name, then simulate's arguments
  local name=$1; shift
  rm -rf "$out/$name"; mkdir -p "$out/$name"
  "$bin" simulate "$@" --trace "$out/$name/trace" --json >"$out/$name/stdout.json" 2>"$out/$name/stderr.txt"
  echo $? >"$out/$name/status"
}
for d in $devices; do
  for m in $models; do run "$d-$m" --hardware "$d" --model "$m"; done
  # Variants that change the cache-relevant state: batch, precision, preloaded weights.
  run "$d-resnet18-batch4" --hardware "$d" --model resnet18 --batch 4
  run "$d-mobilenet_v1-int16" --hardware "$d" --model mobilenet_v1 --precision int16
  run "$d-squeezenet1_1-preloaded" --hardware "$d" --model squeezenet1_1 --weights-preloaded
done
# SCALE-Sim parity configurations (partitioned SRAMs).
for cfg in Workloads/scalesim-parity/configs/*.cfg; do
  c=$(basename "$cfg" .cfg)
  for topo in Workloads/scalesim-parity/topologies/*.csv; do
    run "scalesim-$c-$(basename "$topo" .csv)" --hardware "$cfg" --model "$topo"
  done
done
