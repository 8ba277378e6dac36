import EdgeSimCommands
import Foundation
import ResultsStore
import TestSupport
import Testing

/// Issue #19 item 3 through `edgesim sweep`: each exact shortcut between
/// accuracy points (the prefix cache, measuring a repeated precision once,
/// stopping a run whose tensors met the calibrated plan's) stores the rows
/// of the sweep that runs every point from its input, alone and together,
/// and the JSON summary says how often each was taken.
@Suite struct SweepReuseCommandTests {
  static let root = EdgeSimProcess.root.path

  /// A per-layer sweep of digits-dwsep (a study per layer; they share an
  /// evaluator) and a grid over digits-plain's layers.
  ///
  /// The study without `fl` is the calibrated plan itself; the weight-only
  /// axes leave the layer's output format alone, so their runs could meet
  /// the calibrated plan's right after the layer (on these samples no
  /// chunk does: `SuffixReferenceTests` covers runs that meet it).
  static let spec =
    "name: per-layer-reuse\nstudies:\n"
    + study("digits-dwsep", ["{layers: /fc/Gemm, bits: 8}"])
    + study("digits-dwsep", ["{layers: /conv1/Conv, bits: 8, weight_fl: 6..7}"])
    + study(
      "digits-dwsep", ["{layers: /depthwise/Conv, bits: 8, weight_fl: 5..6}"])
    + study("digits-dwsep", ["{layers: /pointwise/Conv, bits: 8, fl: 3..4}"])
    + study(
      "digits-plain",
      [
        "{layers: /fc/Gemm, bits: 8, fl: 3..4}",
        "{layers: /conv1/Conv, bits: 8, fl: 4..5}",
      ])

  /// One study of a digits model on zc706-qiu2016 with these precision
  /// axes, evaluated on samples 140–219 and calibrated on 0–139.
  static func study(_ model: String, _ axes: [String]) -> String {
    let digits = "\(root)/Workloads/digits"
    return """
        - models: \(digits)/\(model).onnx
          devices: zc706-qiu2016
          precision:
            default_bits: 8
            axes:
      \(axes.map { "        - \($0)" }.joined(separator: "\n"))
          accuracy:
            evaluation: {data: \(digits)/test-images.npy, labels: \(digits)/test-labels.npy, samples: 140..219}
            calibration: {samples: 0..139}

      """
  }

  /// Runs the sweep into a new file; returns its rows and the `reuse`
  /// object of the JSON summary.
  static func sweep(
    _ folder: TemporaryFolder, _ name: String, _ extra: [String]
  )
    async throws -> (rows: [PointRow], reuse: [String: Any])
  {
    let db = folder.path(name)
    let result = await EdgeSimMain.capture(
      ["sweep", folder.path("sweep.yaml"), "--db", db, "--json", "--jobs", "1"]
        + extra)
    #expect(result.status == 0, "\(result.standardError)")
    let summary =
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
      as? [String: Any]
    let reuse = summary?["reuse"] as? [String: Any] ?? [:]
    return (try ResultsStore(path: db, readOnly: true).allPoints(), reuse)
  }

  /// An integer of the `reuse` object (-1 when absent).
  static func count(_ reuse: [String: Any], _ key: String) -> Int {
    (reuse[key] as? Int) ?? -1
  }

  @Test func everyShortcutStoresTheRowsOfTheSweepFromScratch() async throws {
    let folder = try TemporaryFolder()
    try Self.spec.write(
      toFile: folder.path("sweep.yaml"), atomically: true, encoding: .utf8)
    let none = [
      "--prefix-cache", "0", "--no-reuse-plans", "--no-suffix-convergence",
    ]
    let scratch = try await Self.sweep(folder, "scratch.sqlite", none)
    let expectedRows = 7 + 4  // digits-dwsep's studies, digits-plain's grid
    #expect(scratch.rows.count == expectedRows)
    #expect(Self.count(scratch.reuse, "prefix_hits") == 0)
    #expect(Self.count(scratch.reuse, "repeated_plans") == 0)
    #expect(Self.count(scratch.reuse, "checked_chunks") == 0)
    // The rows hold measured accuracies, and the axes move them.
    let top1 = scratch.rows.compactMap { $0.metrics?.top1 }
    #expect(top1.count == scratch.rows.count)
    #expect(Set(top1).count > 1)

    let all = try await Self.sweep(
      folder, "all.sqlite", ["--suffix-convergence"])
    #expect(all.rows == scratch.rows)
    #expect(Self.count(all.reuse, "prefix_hits") > 0)
    // The study without fl is the calibrated plan.
    #expect(Self.count(all.reuse, "repeated_plans") >= 1)
    for (name, only) in [
      ("prefix", ["--no-reuse-plans", "--no-suffix-convergence"]),
      ("plans", ["--prefix-cache", "0", "--no-suffix-convergence"]),
      (
        "convergence",
        ["--prefix-cache", "0", "--no-reuse-plans", "--suffix-convergence"]
      ),
    ] {
      let one = try await Self.sweep(folder, "\(name).sqlite", only)
      #expect(one.rows == scratch.rows, "\(name)")
      if name == "convergence" {
        // With every other shortcut off, the calibrated plan's own point
        // runs too, and meets the reference run at the first boundary.
        #expect(Self.count(one.reuse, "converged_chunks") > 0)
        #expect(Self.count(one.reuse, "repeated_plans") == 0)
      }
    }
  }
}
