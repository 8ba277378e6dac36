#!/usr/bin/env bash
# Rewrites the import graph in Documentation/Architecture.md from the import
# lines of Sources/ (ArchitectureTests' ImportGraphTests, recording), then
# prints it. Extra arguments go to `swift test` (e.g. --scratch-path DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
RECORD_GOLDEN=1 swift test --filter ImportGraphTests "$@" >/dev/null
sed -n '/<!-- import-graph:/,/<!-- \/import-graph -->/p' \
  Documentation/Architecture.md
