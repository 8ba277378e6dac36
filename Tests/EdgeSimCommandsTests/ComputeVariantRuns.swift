import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// AlexNet through `edgesim simulate --json` on the bundled SCALE-Sim
/// array with one key added to its `compute` section, optionally under
/// Deep Compression's DRAM coding: the set-up of the tests of what a
/// datapath does with compressed weights (`zeros`, `decoder`).
enum ComputeVariantRuns {
  static let root = EdgeSimProcess.root.path
  /// Deep Compression's AlexNet coding (densities and stored bits).
  static let coding =
    "\(root)/Workloads/compression/alexnet-deep-compression.yaml"

  /// `Hardware/systolic-32x32.yaml` with `key: value` added under
  /// `compute` (line 17), written to a fresh file in `folder`.
  static func device(
    _ key: String, _ value: String?, in folder: TemporaryFolder
  )
    throws -> String
  {
    var text = try String(
      contentsOfFile: "\(root)/Hardware/systolic-32x32.yaml", encoding: .utf8)
    #expect(text.contains("  dataflow: os\n"))
    if let value {
      text = text.replacingOccurrences(
        of: "  dataflow: os\n", with: "  dataflow: os\n  \(key): \(value)\n")
    }
    let path = folder.path("device-\(UUID().uuidString).yaml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The `--json` summary's layers by name.
  static func simulate<Layer: NamedLayer>(
    _ device: String, coding: String?, as: Layer.Type
  ) async throws -> [String: Layer] {
    var arguments = [
      "simulate", "--hardware", device, "--model", "alexnet", "--no-trace",
      "--json",
    ]
    if let coding { arguments += ["--compression", coding] }
    let run = await EdgeSimMain.capture(arguments)
    #expect(run.status == 0, "\(run.standardError)")
    let summary = try JSONDecoder().decode(
      LayerList<Layer>.self, from: Data(run.standardOutput.utf8))
    return Dictionary(
      uniqueKeysWithValues: summary.layers.map { ($0.name, $0) })
  }
}

/// The `--json` summary's `layers`.
struct LayerList<Layer: Decodable>: Decodable { let layers: [Layer] }

/// A layer of the `--json` summary, decoded with the fields a test reads.
protocol NamedLayer: Decodable {
  var name: String { get }
}
