import Foundation
import Testing

/// Keeps the layering of Documentation/Architecture.md true: imports only point
/// down, adapters never import each other, and the pure core does no I/O.
///
/// It reads the `import` lines of every source file, which is what the compiler
/// enforces, and checks them against the allowed table.
@Suite struct DependencyDirectionTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// What each target may import (besides the standard library).
  ///
  /// Foundation is allowed in adapters and the application only.
  static let allowed: [String: Set<String>] = [
    // L0: pure core, no dependencies.
    "Diagnostics": [],
    "FixedPointArithmetic": [],
    // L0, in C: the executors' vector kernels (their headers are checked by
    // `cHeaders`).
    "CKernels": [],
    // L1: pure core.
    "HardwareModel": ["Diagnostics", "RealModule"],
    "NetworkGraph": ["Diagnostics", "HeapModule", "RealModule"],
    // L1, above HardwareModel and NetworkGraph: the one precision model
    // (formats and widths, the accumulator rule, plan resolution, a sweep's
    // precision settings). Readers import it, not the executor.
    "PrecisionModel": [
      "Diagnostics", "FixedPointArithmetic", "HardwareModel", "NetworkGraph",
    ],
    // L2: pure core.
    "BitAccurateExecution": [
      "CKernels",
      "Diagnostics", "NetworkGraph", "FixedPointArithmetic", "PrecisionModel",
      "RealModule",
      "Synchronization",
      "Dispatch",
    ],
    "Mapping": ["HardwareModel", "NetworkGraph"],
    // Weight compression (COMPRESSION.md): values in, values out; knows
    // no graph, only the layers' flat weights.
    "WeightCompression": ["Diagnostics", "HeapModule"],
    "Simulation": [
      "Diagnostics", "HardwareModel", "NetworkGraph", "Mapping",
      "PrecisionModel", "Collections",
      "DequeModule", "HeapModule", "OrderedCollections", "RealModule",
      "Synchronization", "Dispatch",
    ],
    "Evaluation": [
      "BitAccurateExecution", "HardwareModel", "NetworkGraph", "Simulation",
      "PrecisionModel", "RealModule",
    ],
    "DesignSpace": [
      "Diagnostics", "HardwareModel", "NetworkGraph", "Simulation",
      "Evaluation",
      "BitAccurateExecution", "PrecisionModel", "WeightCompression",
      "FixedPointArithmetic", "Synchronization",
    ],
    // L3: adapters, one outside format or library each; never each other.
    // SpecFormats reads precision files and sweeps into PrecisionModel's
    // values; it never imports the executor.
    "SpecFormats": [
      "Diagnostics", "HardwareModel", "NetworkGraph", "PrecisionModel",
      "FixedPointArithmetic", "Yams", "CYaml", "DesignSpace",
      "WeightCompression",
    ],
    "ONNXImport": [
      "Diagnostics", "NetworkGraph", "WeightCompression", "SwiftProtobuf",
      "Foundation",
      "FoundationEssentials",
      "HeapModule",
    ],
    "NumPyFormat": ["Diagnostics", "NetworkGraph", "Foundation"],
    "TraceFormats": [
      "Simulation", "HardwareModel", "NetworkGraph", "Foundation",
    ],
    "ResultsStore": ["DesignSpace", "Diagnostics", "GRDB", "Foundation"],
    // Plain values in, HTML and CSV strings out; knows no other target.
    "Reports": ["Foundation"],
    // L4/L5: the application.
    "EdgeSimCommands": [
      "ArgumentParser", "Diagnostics", "FixedPointArithmetic", "HardwareModel",
      "NetworkGraph",
      "SpecFormats", "ONNXImport", "NumPyFormat", "Foundation", "Glibc",
      "Darwin", "WeightCompression",
      "BitAccurateExecution", "Mapping", "Simulation", "TraceFormats",
      "Synchronization", "DesignSpace", "ResultsStore", "Evaluation",
      "PrecisionModel",
      "Reports",
    ],
    "edgesim": ["EdgeSimCommands"],
  ]

  /// The C targets and what their files may `#include`: their own headers,
  /// fixed-width integers, `memcpy` and `memset` (`string.h`), and the
  /// compiler's atomics and vector intrinsics (`immintrin.h`, and SSE2's
  /// `emmintrin.h`, x86-64's baseline); no system interfaces (files,
  /// clocks, environment, printing).
  static let cHeaders: [String: Set<String>] = [
    "CKernels": [
      "CKernels.h", "paths.h", "candidate_sums.h", "stddef.h", "stdint.h",
      "string.h", "stdatomic.h", "immintrin.h", "emmintrin.h",
    ]
  ]

  static let core: Set<String> = [
    "CKernels",
    "Diagnostics", "FixedPointArithmetic", "HardwareModel", "NetworkGraph",
    "PrecisionModel", "BitAccurateExecution",
    "Mapping", "Simulation", "Evaluation", "DesignSpace",
  ]

  static func sources(of target: String) -> [URL] {
    let folder = root.appendingPathComponent("Sources/\(target)")
    guard
      let walker = FileManager.default.enumerator(
        at: folder, includingPropertiesForKeys: nil)
    else { return [] }
    let language: Set<String> =
      cHeaders[target] == nil ? ["swift"] : ["c", "h"]
    return walker.compactMap { $0 as? URL }.filter {
      language.contains($0.pathExtension)
    }
  }

  /// The headers a C file includes (`#include <x.h>` or `"x.h"`).
  static func includes(in file: URL) -> [String] {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
      return []
    }
    return text.split(separator: "\n").compactMap { line in
      line.firstMatch(of: /^\s*#\s*include\s*[<"]([^>"]+)[>"]/).map {
        String($0.1)
      }
    }
  }

  static func imports(in file: URL) -> [String] {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
      return []
    }
    return text.split(separator: "\n").compactMap { line in
      var words = line.split(separator: " ").map(String.init)
      while let first = words.first,
        first.hasPrefix("@")
          || ["public", "package", "internal", "private", "fileprivate"]
            .contains(first)
      {
        words.removeFirst()
      }
      guard words.first == "import", words.count >= 2 else { return nil }
      let module =
        words.count >= 3
          && [
            "struct", "enum", "class", "func", "protocol", "typealias", "var",
            "let",
          ].contains(words[1]) ? words[2] : words[1]
      return String(module.split(separator: ".").first ?? Substring(module))
    }
  }

  @Test func everyTargetFolderIsInTheTable() throws {
    let folders = try FileManager.default.contentsOfDirectory(
      atPath: Self.root.appendingPathComponent("Sources").path)
    for folder in folders where !folder.hasPrefix(".") {
      #expect(
        Self.allowed[folder] != nil,
        "Sources/\(folder) is not in the architecture table")
    }
  }

  @Test(arguments: allowed.keys.sorted())
  func importsPointDown(_ target: String) {
    let permitted = Self.allowed[target] ?? []
    let files = Self.sources(of: target)
    #expect(!files.isEmpty, "no sources for \(target)")
    if let headers = Self.cHeaders[target] {
      for file in files {
        for header in Self.includes(in: file) where !headers.contains(header) {
          Issue.record(
            "\(target)/\(file.lastPathComponent) includes \(header), which \(target) may not"
          )
        }
      }
      return
    }
    for file in files {
      for module in Self.imports(in: file) where !permitted.contains(module) {
        Issue.record(
          "\(target)/\(file.lastPathComponent) imports \(module), which \(target) may not"
        )
      }
    }
  }

  /// The pure core reads no files, clocks, environment or global randomness,
  /// and never prints.
  @Test(arguments: core.sorted())
  func coreIsPure(_ target: String) throws {
    let forbidden = [
      "print(", "FileManager", "ProcessInfo", "Date()",
      "SystemRandomNumberGenerator",
      "fopen(", "exit(", "readLine(", "DispatchTime", "ContinuousClock",
    ]
    // The C library's files, clocks, environment, printing and randomness.
    let forbiddenC =
      /(?:^|[^A-Za-z0-9_])(getenv|printf|fprintf|puts|fopen|open|time|clock|clock_gettime|rand|random|exit|abort)\s*\(/
    if Self.cHeaders[target] != nil {
      for file in Self.sources(of: target) {
        let text = try String(contentsOf: file, encoding: .utf8)
        for (number, line) in text.split(
          separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
          let code =
            line.split(
              separator: "//", maxSplits: 1, omittingEmptySubsequences: false
            ).first ?? ""
          if let match = code.firstMatch(of: forbiddenC) {
            Issue.record(
              "\(target)/\(file.lastPathComponent):\(number + 1) calls \(String(match.1)) in the pure core"
            )
          }
        }
      }
      return
    }
    for file in Self.sources(of: target) {
      let text = try String(contentsOf: file, encoding: .utf8)
      for (number, line) in text.split(
        separator: "\n", omittingEmptySubsequences: false
      ).enumerated() {
        let code =
          line.split(
            separator: "//", maxSplits: 1, omittingEmptySubsequences: false
          ).first ?? ""
        for word in forbidden where code.contains(word) {
          Issue.record(
            "\(target)/\(file.lastPathComponent):\(number + 1) uses \(word) in the pure core"
          )
        }
      }
    }
  }
}
