#!/usr/bin/env bash
# Fuzzes one of EdgeSim's readers with libFuzzer (README.md beside this file).
#
#   Fuzz/run.sh READER SECONDS [libFuzzer flags...]
#   Fuzz/run.sh all SECONDS           every reader, SECONDS each
#   Fuzz/run.sh build                 only build
#
# READER: hardware scalesim-config scalesim-topology workload precision sweep
# compression onnx npy. Builds the Fuzz package (release, -sanitize=fuzzer,
# plus AddressSanitizer unless FUZZ_ASAN=0) in Fuzz/.build-fuzzer, grows a
# corpus in Fuzz/.corpus/READER (seeded from the bundled files and the
# regression files, not the pending ones) and writes findings to Fuzz/.artifacts/READER. Exits 1
# when a crash, or a timeout or out-of-memory that happens again when the
# input is run alone, was found; prints each finding as base64.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
readers=(hardware scalesim-config scalesim-topology workload precision sweep
  compression onnx npy)

target_of() {
  case "$1" in
  hardware) echo FuzzHardware ;;
  scalesim-config) echo FuzzScaleSimConfig ;;
  scalesim-topology) echo FuzzScaleSimTopology ;;
  workload) echo FuzzWorkload ;;
  precision) echo FuzzPrecision ;;
  sweep) echo FuzzSweep ;;
  compression) echo FuzzCompression ;;
  onnx) echo FuzzONNX ;;
  npy) echo FuzzNumPy ;;
  *) echo "unknown reader '$1' (one of: ${readers[*]} all)" >&2; exit 2 ;;
  esac
}

# The seed folders and extensions; keep in step with FuzzedReader.seedFolders.
seeds_of() {
  local f=Tests/SpecFormatsTests/Fixtures
  case "$1" in
  hardware) echo "yaml Hardware Scripts/validation $f $f/invalid" ;;
  scalesim-config)
    echo "cfg Workloads/scalesim-parity/configs $f $f/invalid-cfg" ;;
  scalesim-topology)
    echo "csv Workloads/scalesim Workloads/scalesim-parity/topologies $f/workloads/invalid-csv" ;;
  workload) echo "yaml Workloads $f/workloads $f/workloads/invalid" ;;
  precision) echo "yaml $f/precision $f/precision/invalid" ;;
  sweep) echo "yaml Workloads/sweeps" ;;
  compression)
    echo "yaml Workloads/compression $f/compression $f/compression/invalid" ;;
  onnx) echo "onnx Workloads/digits Workloads/onnx/torchvision" ;;
  npy)
    echo "npy Workloads/digits Tests/Fixtures/onnxruntime/digits-plain Tests/Fixtures/onnxruntime/digits-dwsep" ;;
  esac
}

dictionary_of() {
  case "$1" in
  hardware | workload | precision | sweep | compression)
    echo "$here/Dictionaries/yaml.dict" ;;
  scalesim-config) echo "$here/Dictionaries/cfg.dict" ;;
  scalesim-topology) echo "$here/Dictionaries/csv.dict" ;;
  npy) echo "$here/Dictionaries/npy.dict" ;;
  onnx) echo "" ;;
  esac
}

sanitizers=fuzzer
[ "${FUZZ_ASAN:-1}" = 1 ] && sanitizers=fuzzer,address
scratch="$here/.build-fuzzer"
[ "$sanitizers" = fuzzer ] && scratch="$here/.build-fuzzer-noasan"

build() {
  echo "== building the fuzz targets (-sanitize=$sanitizers)"
  local start=$SECONDS
  # -Xcc: libyaml (Yams' C target) gets coverage and ASan too.
  (cd "$here" && swift build -c release --scratch-path "$scratch" \
    -Xswiftc -sanitize="$sanitizers" \
    -Xcc -fsanitize="${sanitizers/fuzzer/fuzzer-no-link}")
  echo "== built in $((SECONDS - start)) s"
}

# Runs `bin` on one file alone; succeeds when it returns within 10 s.
replay() {
  local bin=$1 file=$2
  SWIFT_BACKTRACE=enable=no "$bin" -timeout=10 -rss_limit_mb=2560 \
    -runs=1 "$file" >/dev/null 2>&1
}

fuzz() {
  local reader=$1 seconds=$2
  shift 2
  local target bin corpus artifacts dict
  target=$(target_of "$reader")
  bin="$scratch/release/$target"
  corpus="$here/.corpus/$reader"
  artifacts="$here/.artifacts/$reader"
  dict=$(dictionary_of "$reader")
  mkdir -p "$corpus" "$artifacts"
  # Seeds: bundled files up to 40 kB, and every regression file.
  read -r extension folders <<<"$(seeds_of "$reader")"
  for folder in $folders; do
    find "$root/$folder" -maxdepth 1 -type f -name "*.$extension" -size -40k \
      -exec cp -n {} "$corpus/" \;
  done
  # (Not Pending/: a known, unfixed finding would stop every run at once.)
  local dir="$root/Tests/FuzzRegressionTests/Regressions/$reader"
  [ -d "$dir" ] && find "$dir" -type f ! -name '.*' -exec cp -n {} "$corpus/" \;
  rm -f "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* \
    "$artifacts"/slow-unit-* "$artifacts"/leak-*
  echo "== fuzzing $reader for $seconds s ($(ls "$corpus" | wc -l) inputs in $corpus)"
  local flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560
    -malloc_limit_mb=2048 -max_len=65536 -print_final_stats=1
    -artifact_prefix="$artifacts/")
  [ -n "$dict" ] && flags+=(-dict="$dict")
  # Swift's backtracer would take the crash signals from libFuzzer, which
  # then writes no crash file.
  local status=0
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    "$bin" "${flags[@]}" "$@" "$corpus" 2>&1 \
    | grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' || status=$?
  local found=0
  for file in "$artifacts"/*; do
    [ -f "$file" ] || continue
    local name
    name=$(basename "$file")
    case "$name" in
    crash-*) ;;
    timeout-* | oom-* | slow-unit-*)
      # A machine busy with other work can make an input slow once: count
      # it only when it is slow again alone.
      if replay "$bin" "$file"; then
        echo "warning: $reader: $name did not happen again when run alone" >&2
        continue
      fi ;;
    *) continue ;;
    esac
    found=1
    echo "FINDING $reader $name ($(wc -c <"$file") bytes): $file"
    echo "base64: $(base64 -w0 "$file")"
    echo "save it: base64 -d > Tests/FuzzRegressionTests/Pending/$reader/<what-it-does> (see Fuzz/README.md)"
  done
  return $found
}

case "${1:-}" in
build) build ;;
all)
  seconds=${2:?usage: run.sh all SECONDS}
  build
  failed=()
  for reader in "${readers[@]}"; do
    fuzz "$reader" "$seconds" || failed+=("$reader")
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
  fi ;;
"" | -h | --help)
  sed -n '2,15p' "$0"
  exit 2 ;;
*)
  reader=$1
  seconds=${2:?usage: run.sh READER SECONDS}
  shift 2
  target_of "$reader" >/dev/null
  build
  fuzz "$reader" "$seconds" "$@" ;;
esac
