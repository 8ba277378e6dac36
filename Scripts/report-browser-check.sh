#!/usr/bin/env bash
# Opens edgesim's HTML reports in headless Chromium (Debian's package) and
# checks what a reader sees (Scripts/report-browser-check.py): no console
# error, every chart's <svg> has a non-empty box, no chart text outside its
# chart. Keeps a full-page screenshot of each under .build/browser-check/
# (CI's artifact) with results.json (every figure).
#
#   Scripts/report-browser-check.sh [--no-large]
#
# Reports checked:
# - every bundled report: Traces/**/*.html;
# - fresh ones from the current binary: README's main command's trace, the
#   example sweep (Workloads/sweeps/example.yaml) and a sweep of 10,000 points
#   over two models (the responsiveness figures of BENCHMARKS.md; --no-large
#   leaves it out, it takes a few minutes to simulate).
#
# The binary is $EDGESIM if set, else `swift build`'s (built if missing).
# Installs chromium with apt-get when it is missing (as root, or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

large=1
case "${1:-}" in
  "") ;;
  --no-large) large=0 ;;
  *) echo "usage: $0 [--no-large]" >&2; exit 2 ;;
esac

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium
fi

if [ -n "${EDGESIM:-}" ]; then
  edgesim="$EDGESIM"
else
  edgesim="$(swift build --show-bin-path)/edgesim"
  [ -x "$edgesim" ] || swift build --product edgesim
fi

out=.build/browser-check
rm -rf "$out"
mkdir -p "$out/fresh"
fresh="$(cd "$out/fresh" && pwd)"

echo "== fresh reports from $edgesim"
"$edgesim" simulate --trace "$fresh/trace" >/dev/null
"$edgesim" report "$fresh/trace" --html "$fresh/trace-report.html"
"$edgesim" sweep Workloads/sweeps/example.yaml --db "$fresh/example.sqlite" \
  >"$fresh/example-sweep.log" 2>&1 || { cat "$fresh/example-sweep.log" >&2; exit 1; }
"$edgesim" report "$fresh/example.sqlite" --html "$fresh/example-sweep.html"
if [ "$large" -eq 1 ]; then
  # Two one- and two-layer models × 50 array sides × 100 clocks: 10,000
  # points, simulation only (accuracy would need data).
  large_dir="$fresh/large"
  mkdir -p "$large_dir"
  cat >"$large_dir/tiny.yaml" <<'EOF'
name: tiny
input: {name: input, shape: [1, 4, 8, 8]}
layers:
  - {name: conv1, op: conv, filters: 4, kernel: 3, padding: 1}
EOF
  cat >"$large_dir/wide.yaml" <<'EOF'
name: wide
input: {name: input, shape: [1, 8, 16, 16]}
layers:
  - {name: conv1, op: conv, filters: 16, kernel: 3, padding: 1}
  - {name: conv2, op: conv, filters: 16, kernel: 3, padding: 1}
EOF
  clocks=$(seq 10 10 1000 | sed 's/$/ MHz/' | paste -sd, -)
  cat >"$large_dir/large.yaml" <<EOF
name: large
models: [tiny.yaml, wide.yaml]
devices: systolic-32x32
hardware:
  array_size: 1..50
  clock: [$clocks]
EOF
  start=$(date +%s)
  "$edgesim" sweep "$large_dir/large.yaml" --db "$large_dir/large.sqlite" \
    2>&1 | tail -n 1
  echo "(sweep of 10,000 points: $(($(date +%s) - start)) s)"
  "$edgesim" report "$large_dir/large.sqlite" --html "$fresh/large-sweep.html"
fi

echo "== chromium: $(chromium --version 2>/dev/null)"
reports=()
while IFS= read -r -d '' f; do reports+=("$f"); done \
  < <(find Traces -name '*.html' -print0 | sort -z)
while IFS= read -r -d '' f; do reports+=("$f"); done \
  < <(find "$out/fresh" -maxdepth 1 -name '*.html' -print0 | sort -z)
python3 Scripts/report-browser-check.py --out "$out" "${reports[@]}"
