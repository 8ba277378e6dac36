import Foundation
import TestSupport
import Testing

/// SCALE-Sim parity through the product: `edgesim simulate --hardware X.cfg
/// --model topology.csv`, what a SCALE-Sim user runs, gives SCALE-Sim
/// 3.0.0's CALC-mode "Total Cycles" for every committed reference layer
/// (`Tests/SimulationTests/Fixtures/scalesim`, written by
/// `Scripts/scalesim/run_parity.py`), not only through `SystolicArrayModel`.
@Suite("ScaleSimParityCommand")
struct ScaleSimParityCommandTests {
  static let fixtures = EdgeSimProcess.root.appendingPathComponent(
    "Tests/SimulationTests/Fixtures/scalesim")
  static let workloads = "Workloads/scalesim-parity"

  /// The committed CALC-mode references (`<cfg>__<topology>.csv`).
  static let calcFiles: [String] = {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path))
      ?? []
    return names.filter { $0.hasSuffix(".csv") && !$0.contains("_user") }
      .sorted()
  }()

  /// SCALE-Sim's "Total Cycles" per layer of a reference file, in file
  /// order; a `DP` layer's per-channel rows (`<name>Channel_<i>`) summed,
  /// as SCALE-Sim simulates its channels one after another.
  static func referenceCycles(_ file: String) throws -> [(String, Int)] {
    let text = try String(
      contentsOf: fixtures.appendingPathComponent(file), encoding: .utf8)
    let rows = text.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(
        String.init)
    }
    guard let header = rows.first,
      let column = header.firstIndex(of: "total_cycles")
    else { return [] }
    var result: [(String, Int)] = []
    for row in rows.dropFirst() where row.count > column {
      let name =
        row[0].components(separatedBy: "Channel_").first ?? row[0]
      let cycles = Int(row[column]) ?? -1
      if let last = result.last, last.0 == name, row[0] != name {
        result[result.count - 1].1 += cycles
      } else {
        result.append((name, cycles))
      }
    }
    return result
  }

  @Test("references cover ≥ 3 topologies × 3 dataflows, ≥ 30 layers")
  func coverage() throws {
    let files = Self.calcFiles
    let topologies = Set(
      files.compactMap { $0.components(separatedBy: "__").last })
    #expect(topologies.count >= 3)
    #expect(Set(files.map { String($0.prefix(2)) }) == ["os", "ws", "is"])
    let layers = try files.reduce(0) {
      $0 + (try Self.referenceCycles($1)).count
    }
    #expect(layers >= 30)
  }

  @Test(
    "simulate on the .cfg and topology .csv gives SCALE-Sim's CALC cycles",
    arguments: calcFiles)
  func simulateMatchesScaleSim(file: String) throws {
    let parts = file.dropLast(4).components(separatedBy: "__")
    try #require(parts.count == 2, "\(file)")
    let (run, topology) = (parts[0], parts[1])
    let result = try EdgeSimProcess.run([
      "simulate", "--hardware", "\(Self.workloads)/configs/\(run).cfg",
      "--model", "\(Self.workloads)/topologies/\(topology).csv", "--json",
      "--no-trace",
    ])
    try #require(result.status == 0, "\(file): \(result.standardError)")
    let object = try JSONSerialization.jsonObject(
      with: Data(result.standardOutput.utf8))
    let layers = try #require(
      (object as? [String: Any])?["layers"] as? [[String: Any]])
    var cycles: [String: Int] = [:]
    var bounds: [String: String] = [:]
    for layer in layers {
      guard let name = layer["name"] as? String else { continue }
      cycles[name] = (layer["cycles"] as? NSNumber)?.intValue
      bounds[name] = layer["bound_detail"] as? String
    }
    let references = try Self.referenceCycles(file)
    #expect(!references.isEmpty, "\(file)")
    for (name, expected) in references {
      // SCALE-Sim's CALC mode is analytic (no stalls): equal, not close.
      #expect(
        cycles[name] == expected,
        "\(file) \(name): edgesim \(cycles[name].map(String.init) ?? "-") cycles (bound \(bounds[name] ?? "-")), SCALE-Sim \(expected)"
      )
      // CALC mode: DRAM is unlimited and the array's fold schedule is the
      // model of the SRAMs' delivery, so nothing else bounds a layer.
      #expect(bounds[name] == "compute", "\(file) \(name)")
    }
  }
}
