// swift-tools-version: 6.1
// EdgeSim's performance benchmarks (package-benchmark, ordo-one). A separate
// package so that the root package's `swift test` never builds them.
//
//   cd Benchmarks && swift package benchmark [--filter 'simulate.*']
//
// Builds on Linux with the toolchain's Swift 6.3 and the listed packages
// (ordo-one/benchmark 1.38.1 with only its MallocInterposer trait, so no
// jemalloc and no runtime interposer are needed). It is not part of the root
// package's tests or CI. `simulate-outputs.sh` beside this file diffs every
// output of two edgesim builds.
import PackageDescription

let package = Package(
  name: "EdgeSimBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
      traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "EdgeSimBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "EdgeSimSimulation", package: "main"),
        .product(name: "EdgeSimExecution", package: "main"),
      ],
      path: "Benchmarks/EdgeSimBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
  ]
)
