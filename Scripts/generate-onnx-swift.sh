#!/usr/bin/env bash
# Regenerates Sources/ONNXImport/Generated/onnx.pb.swift from
# Scripts/onnx/edgesim-onnx.proto.
#
# We do not use swift-protobuf's build plugin (a first build with it took
# about 9.5 minutes on our 2-core machines; see STYLE.md §4). Instead this
# script runs once, by hand, and the generated file is committed:
#
#   1. installs Debian's `protobuf-compiler` (protoc) if `protoc` is missing;
#   2. builds `protoc-gen-swift` from swift-protobuf at the same version the
#      package depends on (1.39.0), in a scratch directory outside the repo;
#   3. runs protoc with public visibility, so other EdgeSim targets can see
#      the message types through ONNXImport if it re-exports them.
#
# Usage:  Scripts/generate-onnx-swift.sh
# Environment:
#   SWIFT_PROTOBUF_URL   where to clone swift-protobuf from
#                        (default: the local mirror
#                        /opt/swift-packages/apple/swift-protobuf.git)
#   SWIFT_PROTOBUF_TAG   tag to build (default: 1.39.0)
#   PROTOC_GEN_SWIFT_DIR scratch directory for the clone and build
#                        (default: ${TMPDIR:-/tmp}/edgesim-protoc-gen-swift-TAG)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proto_dir="$repo_root/Scripts/onnx"
proto_file="edgesim-onnx.proto"
out_dir="$repo_root/Sources/ONNXImport/Generated"

tag="${SWIFT_PROTOBUF_TAG:-1.39.0}"
url="${SWIFT_PROTOBUF_URL:-/opt/swift-packages/apple/swift-protobuf.git}"
work="${PROTOC_GEN_SWIFT_DIR:-${TMPDIR:-/tmp}/edgesim-protoc-gen-swift-$tag}"

# 1. protoc
if ! command -v protoc >/dev/null 2>&1; then
  echo "==> protoc not found; installing Debian's protobuf-compiler" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update
  $sudo apt-get install -y protobuf-compiler
fi
echo "==> $(protoc --version)" >&2

# 2. protoc-gen-swift
if [ ! -d "$work/swift-protobuf/.git" ]; then
  mkdir -p "$work"
  git -c advice.detachedHead=false clone --quiet --branch "$tag" "$url" "$work/swift-protobuf"
fi
actual_tag="$(git -C "$work/swift-protobuf" describe --tags --exact-match)"
if [ "$actual_tag" != "$tag" ]; then
  echo "error: $work/swift-protobuf is at '$actual_tag', expected '$tag';" \
    "remove it and rerun" >&2
  exit 1
fi
echo "==> building protoc-gen-swift $tag in $work (first time: a few minutes)" >&2
swift build -c release --product protoc-gen-swift \
  --package-path "$work/swift-protobuf" \
  --scratch-path "$work/build" >&2
plugin="$(swift build -c release --product protoc-gen-swift \
  --package-path "$work/swift-protobuf" \
  --scratch-path "$work/build" --show-bin-path)/protoc-gen-swift"
echo "==> $("$plugin" --version)" >&2

# 3. generate
mkdir -p "$out_dir"
protoc \
  --plugin="protoc-gen-swift=$plugin" \
  --proto_path="$proto_dir" \
  --swift_opt=Visibility=Public \
  --swift_opt=FileNaming=DropPath \
  --swift_out="$out_dir" \
  "$proto_dir/$proto_file"
# protoc names the output after the .proto file; we keep the shorter name.
mv "$out_dir/edgesim-onnx.pb.swift" "$out_dir/onnx.pb.swift"
echo "==> wrote ${out_dir#$repo_root/}/onnx.pb.swift" >&2
