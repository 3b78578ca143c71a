#!/usr/bin/env bash
# Regenerates Sources/Engine/Export/Proto/onnx_subset.pb.swift from Tools/onnx/onnx_subset.proto.
# Needs Debian's protobuf-compiler (protoc) and swift-protobuf's protoc-gen-swift, built once (about
# ten minutes) from the machine's package copy into the git-ignored .build-protoc; commit the output.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v protoc >/dev/null || { echo "generate.sh: protoc missing: apt-get install protobuf-compiler" >&2; exit 1; }
plugin=.build-protoc/protoc-gen-swift
if [ ! -x "$plugin" ]; then
    mkdir -p .build-protoc
    [ -d .build-protoc/swift-protobuf ] || git clone -q --branch 1.39.0 https://github.com/apple/swift-protobuf .build-protoc/swift-protobuf
    swift build -c release --package-path .build-protoc/swift-protobuf --product protoc-gen-swift
    cp .build-protoc/swift-protobuf/.build/release/protoc-gen-swift "$plugin"
fi
mkdir -p Sources/Engine/Export/Proto
protoc --plugin=protoc-gen-swift="$plugin" --swift_out=Sources/Engine/Export/Proto \
       --proto_path=Tools/onnx Tools/onnx/onnx_subset.proto
echo "wrote Sources/Engine/Export/Proto/onnx_subset.pb.swift"
