import Foundation
import HardwareModel
import Simulation
import SpecFormats
import Testing

/// SCALE-Sim 3.0.0 references (Scripts/scalesim/run_parity.py) against
/// ``SystolicArrayModel``.
@Suite("SystolicParity")
struct SystolicParityTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixtures = root.appendingPathComponent(
    "Tests/SimulationTests/Fixtures/scalesim")
  static let workloads = root.appendingPathComponent(
    "Workloads/scalesim-parity")

  /// One row of a reference CSV.
  struct Reference {
    var layer: String
    var values: [String: String]
    func int(_ key: String) -> Int { Int(values[key] ?? "") ?? -1 }
    func double(_ key: String) -> Double { Double(values[key] ?? "") ?? .nan }
  }

  static func csvRows(_ url: URL) throws -> [[String]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
    }
  }

  /// SCALE-Sim's topology rows (trailing comma dropped), with `DP` layers
  /// expanded per channel, lowered by the model itself.
  static func lowered(topology: String) throws -> [(
    name: String, gemm: SystolicGEMM
  )] {
    let rows = try csvRows(
      workloads.appendingPathComponent("topologies/\(topology).csv"))
    var result: [(String, SystolicGEMM)] = []
    for row in rows.dropFirst() where row.count >= 8 {
      let v = row[1...7].compactMap { Int($0) }
      let shape = SystolicConvShape(
        ifmapHeight: v[0], ifmapWidth: v[1], filterHeight: v[2],
        filterWidth: v[3],
        channels: v[4], filters: v[5], stride: v[6])
      let depthwise = row[0].contains("DP")
      let gemms = try SystolicArrayModel.lower(shape, depthwise: depthwise)
      for (i, gemm) in gemms.enumerated() {
        result.append((depthwise ? "\(row[0])Channel_\(i)" : row[0], gemm))
      }
    }
    return result
  }

  static func references(_ file: String) throws -> [Reference] {
    let rows = try csvRows(fixtures.appendingPathComponent(file))
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { row in
      Reference(
        layer: row[0],
        values: Dictionary(uniqueKeysWithValues: zip(header, row)))
    }
  }

  static func device(run: String) throws -> Device? {
    let url = workloads.appendingPathComponent("configs/\(run).cfg")
    let bytes = Array(try Data(contentsOf: url))
    return ScaleSimConfigReader.read(bytes: bytes, fileName: "\(run).cfg").value
  }

  static let files: [String] = {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path))
      ?? []
    return names.filter { $0.hasSuffix(".csv") }.sorted()
  }()

  static var calcFiles: [String] { files.filter { !$0.contains("_user") } }
  static var userFiles: [String] { files.filter { $0.contains("_user") } }

  @Test("references are committed for ≥ 3 topologies × 3 dataflows")
  func coverage() {
    let topologies = Set(
      Self.calcFiles.compactMap { $0.split(separator: "__").last })
    let dataflows = Set(Self.calcFiles.map { String($0.prefix(2)) })
    #expect(topologies.count >= 3)
    #expect(dataflows == ["os", "ws", "is"])
  }

  @Test(
    "CALC mode: cycles, utilisations and SRAM/DRAM counts", arguments: calcFiles
  )
  func calcParity(file: String) throws {
    let parts = file.dropLast(4).components(separatedBy: "__")
    let (run, topology) = (parts[0], parts[1])
    let device = try #require(try Self.device(run: run))
    guard case .array(let array) = device.compute.organisation else {
      Issue.record("\(run) is not an array")
      return
    }
    let memory = try #require(SystolicMemory(device: device))
    #expect(memory.bandwidth == .unlimited)
    let layers = try Self.lowered(topology: topology)
    let refs = try Self.references(file)
    try #require(layers.count == refs.count, "\(file): layer count")
    for ((name, gemm), ref) in zip(layers, refs) {
      let label = "\(file) \(name)"
      #expect(name == ref.layer, "\(label)")
      let r = try SystolicArrayModel.report(gemm, array: array, memory: memory)
      #expect(r.computeCycles == ref.int("total_cycles"), "\(label) cycles")
      #expect(r.stallCycles == ref.int("stall_cycles"), "\(label) stalls")
      #expect(
        abs(r.overallUtilization * 100 - ref.double("overall_util_percent"))
          < 1e-6,
        "\(label) overall util")
      #expect(
        abs(
          r.mappingEfficiency * 100 - ref.double("mapping_efficiency_percent"))
          < 1e-6,
        "\(label) mapping efficiency")
      #expect(
        abs(r.computeUtilization * 100 - ref.double("compute_util_percent"))
          < 1e-6,
        "\(label) compute util")
      #expect(
        r.sramReads[.inputs] == ref.int("sram_ifmap_reads"),
        "\(label) SRAM IFMAP")
      #expect(
        r.sramReads[.weights] == ref.int("sram_filter_reads"),
        "\(label) SRAM FILTER")
      #expect(
        r.sramWrites[.outputs] == ref.int("sram_ofmap_writes"),
        "\(label) SRAM OFMAP")
      #expect(
        r.dramReads[.inputs] == ref.int("dram_ifmap_reads"),
        "\(label) DRAM IFMAP")
      #expect(
        r.dramReads[.weights] == ref.int("dram_filter_reads"),
        "\(label) DRAM FILTER")
      // SCALE-Sim counts a partly filled C-word line as full once per drain
      // burst of half the OFMAP SRAM; EdgeSim counts the words.
      let words = r.dramWrites[.outputs] ?? 0
      let bursts = words / max(1, memory.ofmapWords / 2) + 1
      let excess = ref.int("dram_ofmap_writes") - words
      #expect(
        excess >= 0 && excess < bursts * array.columns,
        "\(label) DRAM OFMAP \(excess)")
    }
  }

  @Test(
    "USER mode: same SRAM counts; EdgeSim's prefetch stalls documented, not copied",
    arguments: userFiles)
  func userMode(file: String) throws {
    let parts = file.dropLast(4).components(separatedBy: "__")
    let device = try #require(try Self.device(run: parts[0]))
    guard case .array(let array) = device.compute.organisation else { return }
    let memory = try #require(SystolicMemory(device: device))
    guard case .wordsPerCycle = memory.bandwidth else {
      Issue.record("\(file): USER config should give a finite bandwidth")
      return
    }
    for ((name, gemm), ref) in zip(
      try Self.lowered(topology: parts[1]), try Self.references(file))
    {
      let r = try SystolicArrayModel.report(gemm, array: array, memory: memory)
      let base = r.folds * r.cyclesPerFold - 1
      #expect(r.computeCycles >= base, "\(file) \(name)")
      #expect(ref.int("total_cycles") >= base, "\(file) \(name)")
      #expect(
        r.sramReads[.inputs] == ref.int("sram_ifmap_reads"), "\(file) \(name)")
      #expect(
        r.sramWrites[.outputs] == ref.int("sram_ofmap_writes"),
        "\(file) \(name)")
    }
  }
}
