// swift-tools-version: 6.1
// libFuzzer targets, one per reader of EdgeSim's input files (README.md
// beside this file). A separate package so that the root package's
// `swift build` and `swift test` never build them. Built with
//
//   swift build -c release -Xswiftc -sanitize=fuzzer   (see run.sh)
//
// Without -sanitize=fuzzer the executables replay the files they are given.
// What each target does with its input is Tests/FuzzRegressionTests/
// Exercises (linked here as Sources/ReaderExercises), shared with the root
// package's seeded mutation tests.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, whatever the clone is
// called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().lastPathComponent.lowercased()

let readers = [
  "FuzzHardware", "FuzzScaleSimConfig", "FuzzScaleSimTopology", "FuzzWorkload",
  "FuzzPrecision", "FuzzSweep", "FuzzCompression", "FuzzONNX", "FuzzNumPy",
]

let package = Package(
  name: "EdgeSimFuzz",
  platforms: [.macOS(.v14)],
  dependencies: [.package(path: "..")],
  targets: [
    .target(name: "CFuzzerDriver"),
    .target(
      name: "ReaderExercises",
      dependencies: [
        .product(name: "EdgeSimCore", package: root),
        .product(name: "EdgeSimSimulation", package: root),
        .product(name: "EdgeSimExecution", package: root),
        .product(name: "EdgeSimDesignSpace", package: root),
      ]),
  ]
    + readers.map {
      .executableTarget(
        name: $0, dependencies: ["CFuzzerDriver", "ReaderExercises"])
    }
)
