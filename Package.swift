// swift-tools-version: 6.1
//
// EdgeSim: how a neural network runs on an edge device: latency, energy,
// bottlenecks and fixed-point accuracy, from declarative descriptions.
//
// The targets form layers, and imports only point down (see
// Documentation/Architecture.md; ArchitectureTests keeps this true):
//
//   L4  edgesim (exe) -> EdgeSimCommands
//   L3  adapters: SpecFormats (Yams), ONNXImport (SwiftProtobuf), NumPyFormat,
//       TraceFormats, ResultsStore (GRDB), Reports (HTML and CSV)
//   L2  BitAccurateExecution, Mapping, Simulation, DesignSpace
//   L1  HardwareModel, NetworkGraph, and above them PrecisionModel (the one
//       precision model: formats, widths, accumulator rule, plan resolution)
//   L0  Diagnostics, FixedPointArithmetic, CKernels (C: the executors'
//       vector kernels)
import PackageDescription

let package = Package(
  name: "EdgeSim",
  products: [
    .executable(name: "edgesim", targets: ["edgesim"]),
    .library(
      name: "EdgeSimCore",
      targets: [
        "Diagnostics", "FixedPointArithmetic", "HardwareModel", "NetworkGraph",
      ]),
    // The simulator and the file readers, for the Benchmarks/ package.
    .library(
      name: "EdgeSimSimulation",
      targets: [
        "HardwareModel", "NetworkGraph", "PrecisionModel", "Mapping",
        "Simulation", "SpecFormats",
      ]),
    // The executors, the ONNX importer and .npy files, for the Benchmarks/
    // package.
    .library(
      name: "EdgeSimExecution",
      targets: [
        "BitAccurateExecution", "NetworkGraph", "NumPyFormat", "ONNXImport",
        "PrecisionModel",
      ]),
    // Sweep plans and their points, for the Fuzz/ package.
    .library(name: "EdgeSimDesignSpace", targets: ["DesignSpace"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(
      url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // MARK: Core (pure: no files, clocks, printing or global randomness)
    .target(name: "Diagnostics"),
    .target(name: "FixedPointArithmetic"),
    .target(
      name: "HardwareModel",
      dependencies: [
        "Diagnostics", .product(name: "RealModule", package: "swift-numerics"),
      ]),
    .target(
      name: "NetworkGraph",
      dependencies: [
        "Diagnostics",
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "RealModule", package: "swift-numerics"),
      ]),
    // The one precision model: formats and widths of every tensor role, the
    // accumulator rule, plan resolution and a sweep's precision settings.
    .target(
      name: "PrecisionModel",
      dependencies: [
        "Diagnostics", "FixedPointArithmetic", "HardwareModel", "NetworkGraph",
      ]),
    // The executors' hot integer and float kernels in C: a portable path
    // and, on x86-64, AVX2 and AVX-512 paths (function target attributes,
    // chosen once at run time from the CPU).
    .target(name: "CKernels"),
    .target(
      name: "BitAccurateExecution",
      dependencies: [
        "CKernels", "NetworkGraph", "FixedPointArithmetic", "PrecisionModel",
        .product(name: "RealModule", package: "swift-numerics"),
      ]),
    .target(name: "Mapping", dependencies: ["HardwareModel", "NetworkGraph"]),
    // Weight compression (COMPRESSION.md): pruning, weight sharing, sparse
    // storage and Huffman sizes, truncated SVD, ternary weights.
    .target(
      name: "WeightCompression",
      dependencies: [
        "Diagnostics",
        .product(name: "HeapModule", package: "swift-collections"),
      ]),
    .target(
      name: "Simulation",
      dependencies: [
        "HardwareModel", "NetworkGraph", "Mapping", "PrecisionModel",
      ]),
    .target(
      name: "Evaluation",
      dependencies: [
        "BitAccurateExecution", "HardwareModel", "NetworkGraph", "Simulation",
        "PrecisionModel",
        .product(name: "RealModule", package: "swift-numerics"),
      ]),
    .target(
      name: "DesignSpace",
      dependencies: [
        "Diagnostics", "HardwareModel", "NetworkGraph", "Simulation",
        "Evaluation",
        "BitAccurateExecution", "PrecisionModel", "WeightCompression",
      ]),

    // MARK: Adapters (one outside format or library each)
    .target(
      name: "SpecFormats",
      dependencies: [
        "Diagnostics", "HardwareModel", "NetworkGraph", "PrecisionModel",
        "WeightCompression",
        "FixedPointArithmetic", "DesignSpace",
        .product(name: "Yams", package: "Yams"),
      ]),
    .target(
      name: "ONNXImport",
      dependencies: [
        "Diagnostics", "NetworkGraph", "WeightCompression",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "HeapModule", package: "swift-collections"),
      ]),

    .target(
      name: "NumPyFormat", dependencies: ["NetworkGraph"]),
    .target(
      name: "TraceFormats", dependencies: ["HardwareModel", "Simulation"]),
    .target(
      name: "ResultsStore",
      dependencies: [
        "DesignSpace", "Diagnostics",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .target(name: "Reports"),

    // MARK: Application
    .target(
      name: "EdgeSimCommands",
      dependencies: [
        "Diagnostics", "HardwareModel", "NetworkGraph", "SpecFormats",
        "ONNXImport", "NumPyFormat", "FixedPointArithmetic",
        "PrecisionModel", "BitAccurateExecution",
        "Simulation", "Evaluation", "TraceFormats", "DesignSpace",
        "ResultsStore",
        "Reports", "WeightCompression",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "edgesim", dependencies: ["EdgeSimCommands"]),

    // MARK: Tests
    // What the test targets share: one seeded generator, golden files and
    // the runner of the built edgesim binary. A plain target under Tests/,
    // so no product can ship it.
    .target(
      name: "TestSupport", dependencies: ["NetworkGraph"],
      path: "Tests/TestSupport"),
    .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
    .testTarget(
      name: "FixedPointArithmeticTests",
      dependencies: ["FixedPointArithmetic", "TestSupport"]),
    .testTarget(
      name: "HardwareModelTests",
      dependencies: ["HardwareModel", "Diagnostics"]),
    .testTarget(
      name: "NetworkGraphTests",
      dependencies: ["NetworkGraph", "Diagnostics", "TestSupport"]),
    .testTarget(
      name: "SpecFormatsTests",
      dependencies: [
        "SpecFormats", "HardwareModel", "Diagnostics", "NetworkGraph",
        "PrecisionModel", "FixedPointArithmetic", "TestSupport",
        "WeightCompression",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "ONNXImportTests",
      dependencies: [
        "ONNXImport", "NetworkGraph", "Diagnostics", "TestSupport",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]),
    .testTarget(
      name: "NumPyFormatTests", dependencies: ["NumPyFormat", "TestSupport"]),
    .testTarget(
      name: "TraceFormatsTests",
      dependencies: [
        "TraceFormats", "Simulation", "SpecFormats", "HardwareModel",
        "NetworkGraph",
      ]),
    .testTarget(
      name: "BitAccurateExecutionTests",
      dependencies: [
        "BitAccurateExecution", "CKernels", "NetworkGraph",
        "FixedPointArithmetic", "PrecisionModel", "ONNXImport", "NumPyFormat",
        "Diagnostics",
        "TestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "SimulationTests",
      dependencies: [
        "Simulation", "Mapping", "HardwareModel", "NetworkGraph", "SpecFormats",
        "TraceFormats", "PrecisionModel", "TestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "DesignSpaceTests",
      dependencies: [
        "DesignSpace", "Simulation", "HardwareModel", "NetworkGraph",
        "SpecFormats", "Evaluation", "Diagnostics", "PrecisionModel",
      ]),
    .testTarget(
      name: "ResultsStoreTests",
      dependencies: [
        "ResultsStore", "DesignSpace", "PrecisionModel",
        // To make SQLite files that are not results files.
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(
      name: "SweepEndToEndTests",
      dependencies: [
        .target(name: "edgesim"), "ResultsStore", "DesignSpace", "TestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(name: "ArchitectureTests"),
    .testTarget(
      name: "ReportsTests", dependencies: ["Reports", "TestSupport"],
      exclude: ["Golden"]),
    .testTarget(
      name: "EdgeSimEndToEndTests",
      dependencies: [
        .target(name: "edgesim"), "BitAccurateExecution", "NumPyFormat",
        "ONNXImport", "SpecFormats", "TestSupport", "NetworkGraph",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]),
    // Fuzzing's found inputs and seeded mutants of every reader (Fuzz/README.md).
    .testTarget(
      name: "FuzzRegressionTests",
      dependencies: [
        "SpecFormats", "ONNXImport", "NumPyFormat", "Simulation", "DesignSpace",
        "PrecisionModel", "HardwareModel", "NetworkGraph", "Diagnostics",
        "TestSupport",
      ],
      exclude: ["Regressions", "Pending"]),
    // Command lines run in-process (EdgeSimMain.capture).
    .testTarget(
      name: "EdgeSimCommandsTests",
      dependencies: [
        "EdgeSimCommands", .target(name: "edgesim"), "ResultsStore",
        "TestSupport", "NumPyFormat",
        .product(name: "GRDB", package: "GRDB.swift"),
        // To read every command's help examples (DocumentedExamplesTests).
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(
      name: "WeightCompressionTests",
      dependencies: ["WeightCompression", "Diagnostics"]),
    .testTarget(
      name: "MappingTests",
      dependencies: ["Mapping", "NetworkGraph", "HardwareModel", "TestSupport"]),
  ]
)
