#!/bin/sh
# Renders an edgesim HTML report in headless Chromium (Debian's package) and
# saves a screenshot, to check what the charts look like without a desktop.
#
#   Scripts/screenshot-report.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]
#
# OUT.png defaults to REPORT.png beside the report; the window defaults to
# 1400x3000 (tall enough for the whole trace report). Installs chromium with
# apt-get if it is missing. The page loads nothing from the network.
set -eu

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 REPORT.html [OUT.png] [WIDTHxHEIGHT]" >&2
  exit 2
fi
report=$1
out=${2:-${report%.html}.png}
size=${3:-1400x3000}
if [ ! -f "$report" ]; then
  echo "$report: no such file" >&2
  exit 1
fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y chromium; else sudo apt-get install -y chromium; fi
fi

abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
case "$out" in /*) abs_out=$out ;; *) abs_out=$(pwd)/$out ;; esac
width=${size%x*}
height=${size#*x}

# --no-sandbox: Chromium's sandbox needs user namespaces, absent in most
# containers. The temporary profile keeps runs independent.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars \
  --user-data-dir="$profile" --screenshot="$abs_out" --window-size="$width,$height" \
  "file://$abs" 2>/dev/null
echo "wrote $abs_out"
