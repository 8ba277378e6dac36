import Diagnostics
import HardwareModel
import Yams

/// Reads a hardware description (YAML) into a validated ``Device``.
///
/// The format is documented in `Documentation/HardwareYAML.md`. Every problem
/// is reported with its file, line and column; the reader goes on after a
/// problem so that all of them are listed at once.
public enum HardwareReader {
  /// The keys allowed at the top level, in documentation order.
  static let topLevelKeys = [
    "name", "kind", "description", "technology", "clock", "compute", "memory",
    "power",
    "fabric", "parameters", "efficiency", "runtime", "host", "source",
  ]

  /// Reads and validates a hardware description.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - fileName: The name to report in diagnostics (never opened here).
  /// - Returns: The device, when there is no error, and every diagnostic
  ///   (warnings may come with a device).
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    Device
  > {
    let document: YAMLDocument
    switch YAMLDocument.compose(
      bytes: bytes, fileName: fileName, what: "hardware description")
    {
    case .success(let d): document = d
    case .failure(let error):
      return LoadResult(value: nil, diagnostics: error.diagnostics)
    }
    let device = readDevice(document)
    let diagnostics = document.diagnostics.sortedByLocation()
    if diagnostics.containsErrors {
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    return LoadResult(value: device, diagnostics: diagnostics)
  }

  static func readDevice(_ document: YAMLDocument) -> Device? {
    guard
      let top = MappingReader(
        document.root, in: document,
        what: "a hardware description (the top level)")
    else { return nil }
    top.allow(topLevelKeys)
    let name = top.string(
      "name", required: true, hint: "name the device, e.g. name: eyeriss-v1")
    let kind = top.choice("kind", as: DeviceKind.self, required: true)
    let summary = top.string("description") ?? ""
    let technology = top.quantity("technology", as: [.length], required: true)
    if let technology, let node = top.value("technology"),
      technology.value < 1e-9 || technology.value > 1e-6
    {
      document.error(
        "'technology' is \(technology), outside 1 nm to 1000 nm", at: node,
        hint: "write the process node, e.g. 28 nm")
    }
    let clock = top.quantity("clock", as: [.frequency], required: true)
    let sources = readSources(top)
    let staticPower = readPower(top)
    let compute = kind.flatMap { ComputeReader.read(top, kind: $0) }
    let memory = MemoryReader.read(top, clock: clock?.value)
    let fabric = readFabric(top, kind: kind)
    let residency = readParameters(top, memory: memory)
    let efficiency = readEfficiency(top)
    let runtime = RuntimeReader.read(top)
    let host = readHost(top)
    top.finish()

    guard let name, let kind, let technology, let clock, let compute,
      let memory,
      let staticPower
    else { return nil }
    let device = Device(
      name: name, kind: kind, summary: summary,
      technologyNanometres: (technology.value * 1e12).rounded() / 1e3,
      clock: clock.value, compute: compute, memory: memory,
      staticPower: staticPower,
      fabric: fabric, efficiency: efficiency, sources: sources,
      parameterResidency: residency, runtime: runtime, host: host)
    if document.diagnostics.containsErrors { return nil }
    for problem in device.validate() { document.record(problem) }
    return device
  }

  static func readSources(_ top: MappingReader) -> [String] {
    let hint =
      "cite where the figures came from, e.g. source: [\"Chen et al., JSSC 2017, Table V\"]"
    guard let node = top.required("source", hint: hint) else { return [] }
    if case .scalar = node {
      return top.scalarText(node, key: "source", expected: "a citation").map {
        [$0]
      } ?? []
    }
    guard let items = top.sequence(node, key: "source") else { return [] }
    if items.isEmpty {
      top.document.error("'source' is an empty list", at: node, hint: hint)
    }
    return items.compactMap {
      top.scalarText($0, key: "source", expected: "a citation string")
    }
  }

  static func readPower(_ top: MappingReader) -> Double? {
    guard
      let power = top.mapping(
        "power", required: true, hint: "write power: {static: 0.3 W}")
    else { return nil }
    let value = power.quantity(
      "static", as: [.power], required: true, allowZero: true)
    power.finish()
    return value?.value
  }

  static func readFabric(_ top: MappingReader, kind: DeviceKind?) -> FPGAFabric?
  {
    guard let node = top.value("fabric") else { return nil }
    if let kind, kind != .fpga {
      top.document.error(
        "'fabric' applies to fpga devices only, not \(kind.rawValue)", at: node,
        hint: "remove it, or set kind: fpga")
      return nil
    }
    guard
      let fabric = MappingReader(
        node, in: top.document, path: ["fabric"], what: "'fabric'")
    else { return nil }
    let part = fabric.string(
      "part", required: true, hint: "the FPGA part, e.g. XC7Z045")
    let dsp = fabric.integer("dsp", required: true, in: 1...1_000_000)
    let bram = fabric.integer("bram_36k", required: true, in: 0...1_000_000)
    let lut = fabric.integer("lut", in: 1...100_000_000)
    let ff = fabric.integer("ff", in: 1...100_000_000)
    var usedLUT: Int?
    var usedFF: Int?
    if let used = fabric.mapping("used") {
      usedLUT = used.integer("lut", in: 0...100_000_000)
      usedFF = used.integer("ff", in: 0...100_000_000)
      used.finish()
    }
    fabric.finish()
    guard let part, let dsp, let bram else { return nil }
    return FPGAFabric(
      part: part, dsp: dsp, bram36k: bram, lut: lut, ff: ff, usedLUT: usedLUT,
      usedFF: usedFF)
  }

  /// Whether the parameters stay on chip across inferences.
  enum ParameterLifetime: String, CaseIterable {
    case acrossInferences = "across_inferences"
    case perInference = "per_inference"
  }

  /// `parameters: {resident: across_inferences, level: sram, capacity: 8 MiB}`.
  ///
  /// `level` defaults to the first on-chip level that holds weights; it
  /// must be on chip and hold weights. `capacity` defaults to the level's
  /// size and may not exceed it. `resident: per_inference` states the
  /// default (parameters fetched every inference) and takes no other key.
  static func readParameters(_ top: MappingReader, memory: [MemoryLevel]?)
    -> ParameterResidency?
  {
    guard let table = top.mapping("parameters") else { return nil }
    let document = table.document
    let lifetime = table.choice(
      "resident", as: ParameterLifetime.self, required: true)
    let levelNode = table.value("level")
    let levelName = table.string(
      "level", hint: "name an on-chip memory level that holds weights")
    let capacityNode = table.value("capacity")
    let capacity = table.quantity("capacity", as: [.dataSize])
    table.finish()
    guard let lifetime else { return nil }
    if lifetime == .perInference {
      for (key, node) in [("level", levelNode), ("capacity", capacityNode)] {
        if let node {
          document.error(
            "'\(key)' applies only to resident: across_inferences", at: node,
            hint: "remove it, or write resident: across_inferences")
        }
      }
      return nil
    }
    guard let memory else { return nil }
    let holding = memory.filter {
      !$0.kind.isOffChip && $0.holds.contains(.weights)
    }
    let level: MemoryLevel
    if let levelName {
      guard let found = memory.first(where: { $0.name == levelName }) else {
        document.error(
          "'level' names '\(levelName.prefix(40))', which is not a memory level",
          at: levelNode ?? table.node,
          hint: Suggestions.hint(
            for: levelName, among: holding.map(\.name)))
        return nil
      }
      guard !found.kind.isOffChip, found.holds.contains(.weights) else {
        document.error(
          "'level' names '\(levelName)', which \(found.kind.isOffChip ? "is off chip" : "does not hold weights")",
          at: levelNode ?? table.node,
          hint: holding.isEmpty
            ? "no on-chip level holds weights; remove 'parameters'"
            : "name one of: \(holding.map(\.name).joined(separator: ", "))")
        return nil
      }
      level = found
    } else {
      guard let first = holding.first else {
        document.error(
          "'parameters' keeps weights on chip, but no on-chip level holds weights",
          at: table.node,
          hint:
            "add weights to an on-chip level's 'holds', or remove 'parameters'"
        )
        return nil
      }
      level = first
    }
    if let capacity, let size = level.totalBytes, capacity.value > size {
      document.error(
        "'capacity' is \(capacity), more than \(level.name)'s \(Quantity(size, .dataSize))",
        at: capacityNode ?? table.node,
        hint: "reserve at most the level's size for parameters")
      return nil
    }
    return ParameterResidency(level: level.name, capacity: capacity?.value)
  }

  /// `host: {device: coral-host-cpu, operators: [Conv], resize_max_scale: 2,
  /// precision: fp32}`.
  ///
  /// The ONNX operator types the accelerator runs and the device that runs
  /// the rest (``HostPartition``); the host is resolved by the loader.
  static func readHost(_ top: MappingReader) -> HostPartition? {
    guard let table = top.mapping("host") else { return nil }
    let name = table.string(
      "device", required: true,
      hint: "name the host device, e.g. device: coral-host-cpu")
    var operators: Set<String> = []
    if let node = table.required(
      "operators",
      hint: "list the ONNX operator types it runs, e.g. [Conv, Add]"),
      let items = table.sequence(node, key: "operators")
    {
      for item in items {
        if let text = table.scalarText(
          item, key: "operators", expected: "an ONNX operator type")
        {
          operators.insert(text)
        }
      }
    }
    let scale = table.number(
      "resize_max_scale", in: 1...1e6,
      hint: "the largest upscale per axis it resizes itself, e.g. 2")
    let precision = table.choice("precision", as: Precision.self)
    table.finish()
    guard let name else { return nil }
    return HostPartition(
      hostName: name, operators: operators, resizeMaxScale: scale,
      precision: precision)
  }

  static func readEfficiency(_ top: MappingReader) -> [OperatorClass:
    CalibrationFactor]
  {
    guard let table = top.mapping("efficiency") else { return [:] }
    var result: [OperatorClass: CalibrationFactor] = [:]
    for operatorClass in OperatorClass.allCases {
      guard let node = table.value(operatorClass.rawValue) else { continue }
      if let factor = readCalibration(
        node, key: operatorClass.rawValue, in: table)
      {
        result[operatorClass] = factor
      }
    }
    table.finish()
    return result
  }

  /// `{value: 0.42, fitted_to: "…"}`.
  static func readCalibration(
    _ node: Node, key: String, in parent: MappingReader
  )
    -> CalibrationFactor?
  {
    guard
      let entry = MappingReader(
        node, in: parent.document, path: parent.path.appending(key),
        what: "'\(key)'")
    else { return nil }
    let value = entry.number(
      "value", required: true, in: 0...1, excludingLower: true,
      hint: "a fraction of the modelled rate in (0, 1]")
    let fitted = entry.string(
      "fitted_to", required: true,
      hint:
        "name the measurement the factor was fitted to (device, network, figure, source)"
    )
    entry.finish()
    guard let value, let fitted else { return nil }
    return CalibrationFactor(value: value, fittedTo: fitted)
  }
}
