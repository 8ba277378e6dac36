import Diagnostics
import HardwareModel
import Yams

/// Reads the `memory` list: levels from the backing store inward.
enum MemoryReader {
  static let levelKeys = [
    "name", "kind", "size", "instances", "bandwidth", "read_bandwidth",
    "write_bandwidth",
    "bandwidth_efficiency", "latency", "port_width", "energy", "read_energy",
    "write_energy",
    "leakage", "holds", "double_buffered", "row_bands",
  ]

  static func read(_ top: MappingReader, clock: Double?) -> [MemoryLevel]? {
    let hint =
      "list the levels from the backing store (dram, flash or link) inward"
    guard let node = top.required("memory", hint: hint) else { return nil }
    guard let items = top.sequence(node, key: "memory") else { return nil }
    if items.isEmpty {
      top.document.error("'memory' is an empty list", at: node, hint: hint)
      return nil
    }
    var levels: [MemoryLevel] = []
    var failed = false
    for (index, item) in items.enumerated() {
      if let level = readLevel(
        item, index: index, document: top.document, clock: clock)
      {
        levels.append(level)
      } else {
        failed = true
      }
    }
    return failed ? nil : levels
  }

  static func readLevel(
    _ node: Node, index: Int, document: YAMLDocument, clock: Double?
  ) -> MemoryLevel? {
    guard
      let level = MappingReader(
        node, in: document, path: ["memory", index],
        what: "memory level \(index)")
    else { return nil }
    level.allow(levelKeys)
    let name = level.string(
      "name", required: true, hint: "name the level, e.g. name: glb")
    let kind = level.choice("kind", as: MemoryKind.self, required: true)
    let instances = level.integer("instances", in: 1...1_000_000) ?? 1
    let (capacity, partitionHolds) = readCapacity(level, kind: kind)
    let bandwidths = readBandwidths(level, clock: clock)
    let efficiency = level.value("bandwidth_efficiency").flatMap {
      HardwareReader.readCalibration($0, key: "bandwidth_efficiency", in: level)
    }
    let latency = readLatency(level, clock: clock)
    let portWidth = level.quantity("port_width", as: [.dataSize]).map {
      $0.value * 8
    }
    let energy = readEnergy(level, portWidthBits: portWidth)
    let leakage =
      level.quantity("leakage", as: [.power], allowZero: true)?.value ?? 0
    let holds = readHolds(level, partitionHolds: partitionHolds)
    let doubleBuffered = level.boolean("double_buffered") ?? false
    let rowBands = level.boolean("row_bands") ?? false
    if rowBands, let kind, kind.isOffChip, let at = level.value("row_bands") {
      level.document.error(
        "'row_bands' applies to an on-chip level, not to the \(kind.rawValue) '\(name ?? "")'",
        at: at,
        hint: "put it on the on-chip level that keeps activations, or remove it"
      )
    }
    level.finish()
    guard let name, let kind, let capacity, let bandwidths, let energy,
      let holds
    else {
      return nil
    }
    var memoryLevel = MemoryLevel(
      name: name, kind: kind, capacity: capacity, instances: instances,
      readBandwidth: 0, writeBandwidth: 0,
      sharedPort: bandwidths.shared, latency: 0, portWidthBits: portWidth,
      energy: energy,
      leakage: leakage, holds: holds, doubleBuffered: doubleBuffered,
      bandwidthEfficiency: efficiency)
    // The figures as written; resolved against the clock here and again
    // whenever the clock changes (Device.resolveRates).
    memoryLevel.rowBands = rowBands
    memoryLevel.declaredRead = bandwidths.read
    memoryLevel.declaredWrite = bandwidths.write
    memoryLevel.declaredLatency = latency
    memoryLevel.resolve(clock: clock ?? 0)
    return memoryLevel
  }

  /// `size: 108 KiB`, `size: {weights: 64 KiB, inputs: 64 KiB, outputs: 64 KiB}`,
  /// or nothing for an off-chip level.
  static func readCapacity(
    _ level: MappingReader, kind: MemoryKind?
  ) -> (MemoryCapacity?, Set<Operand>?) {
    guard let node = level.value("size") else {
      if let kind, !kind.isOffChip {
        level.document.error(
          "missing key 'size' in \(level.path): an on-chip level needs a size",
          at: level.node,
          hint:
            "write e.g. size: 108 KiB, or size: {weights: 64 KiB, inputs: 64 KiB, outputs: 64 KiB}"
        )
        return (nil, nil)
      }
      return (.unbounded, nil)
    }
    if case .mapping = node {
      guard
        let parts = MappingReader(
          node, in: level.document, path: level.path.appending("size"),
          what: "'size'")
      else { return (nil, nil) }
      var bytes: [Operand: Double] = [:]
      var failed = false
      for operand in Operand.allCases {
        guard let part = parts.value(operand.rawValue) else { continue }
        if let q = parts.quantity(part, key: operand.rawValue, as: [.dataSize])
        {
          bytes[operand] = q.value
        } else {
          failed = true
        }
      }
      parts.finish()
      if bytes.isEmpty && !failed {
        level.document.error(
          "'size' names no operand", at: node,
          hint:
            "write e.g. size: {weights: 64 KiB, inputs: 64 KiB, outputs: 64 KiB}"
        )
        return (nil, nil)
      }
      return failed ? (nil, nil) : (.partitioned(bytes), Set(bytes.keys))
    }
    guard let q = level.quantity(node, key: "size", as: [.dataSize]) else {
      return (nil, nil)
    }
    return (.shared(bytes: q.value), nil)
  }

  struct Bandwidths {
    var read: Rate
    var write: Rate
    var shared: Bool
  }

  /// `bandwidth` (one shared port) or `read_bandwidth` and `write_bandwidth`;
  /// per second or per cycle (kept as written; resolved with the clock);
  /// `unlimited` models
  /// SCALE-Sim's CALC mode.
  static func readBandwidths(_ level: MappingReader, clock: Double?)
    -> Bandwidths?
  {
    func one(_ key: String) -> Rate?? {
      guard let node = level.value(key) else { return .some(nil) }
      if node.string == "unlimited" { return .some(.unlimited) }
      guard
        let q = level.quantity(
          node, key: key, as: [.bandwidth, .bandwidthPerCycle])
      else { return nil }
      if q.dimension == .bandwidthPerCycle {
        guard clock != nil else { return nil }
        return .some(.perCycle(q.value))
      }
      return .some(.perSecond(q.value))
    }
    let shared = one("bandwidth")
    let read = one("read_bandwidth")
    let write = one("write_bandwidth")
    guard let shared, let read, let write else { return nil }
    let hint =
      "write bandwidth: 4.26 GB/s (one port), or read_bandwidth and write_bandwidth; per cycle (64 bit/cycle) or unlimited also work"
    switch (shared, read, write) {
    case (let s?, nil, nil):
      return Bandwidths(read: s, write: s, shared: true)
    case (nil, let r?, let w?):
      return Bandwidths(read: r, write: w, shared: false)
    case (nil, nil, nil):
      level.document.error(
        "missing key 'bandwidth' in \(level.path)", at: level.node, hint: hint)
    case (.some, _, _):
      level.document.error(
        "give either 'bandwidth' or 'read_bandwidth' and 'write_bandwidth', not both",
        at: level.value("read_bandwidth") ?? level.value("write_bandwidth"),
        hint: hint)
    default:
      level.document.error(
        "'read_bandwidth' and 'write_bandwidth' go together: one is missing",
        at: level.node,
        hint: hint)
    }
    return nil
  }

  static func readLatency(_ level: MappingReader, clock: Double?) -> Delay {
    guard let node = level.value("latency"),
      let q = level.quantity(
        node, key: "latency", as: [.time, .cycles], allowZero: true)
    else { return .seconds(0) }
    if q.dimension == .cycles {
      return clock == nil ? .seconds(0) : .cycles(q.value)
    }
    return .seconds(q.value)
  }

  /// `energy` for both directions, or `read_energy` and `write_energy`; per bit
  /// (`20 pJ/bit`) or per access (`10 pJ`, with `port_width`).
  static func readEnergy(_ level: MappingReader, portWidthBits: Double?)
    -> AccessEnergy?
  {
    func one(_ key: String) -> Double?? {
      guard let node = level.value(key) else { return .some(nil) }
      guard
        let q = level.quantity(
          node, key: key, as: [.energyPerBit, .energy], allowZero: true)
      else { return nil }
      if q.dimension == .energy {
        guard let portWidthBits else {
          level.document.error(
            "'\(key)' is an energy per access, which needs 'port_width' to turn into energy per bit",
            at: node,
            hint:
              "add port_width: 64 bit, or write the energy per bit (e.g. 0.16 pJ/bit)"
          )
          return nil
        }
        return .some(q.value / portWidthBits)
      }
      return .some(q.value)
    }
    let both = one("energy")
    let read = one("read_energy")
    let write = one("write_energy")
    guard let both, let read, let write else { return nil }
    let hint =
      "write energy: 20 pJ/bit, or read_energy and write_energy (per bit, or per access with port_width)"
    switch (both, read, write) {
    case (let e?, nil, nil): return AccessEnergy(readPerBit: e, writePerBit: e)
    case (nil, let r?, let w?):
      return AccessEnergy(readPerBit: r, writePerBit: w)
    case (nil, nil, nil):
      level.document.error(
        "missing key 'energy' in \(level.path)", at: level.node, hint: hint)
    case (.some, _, _):
      level.document.error(
        "give either 'energy' or 'read_energy' and 'write_energy', not both",
        at: level.value("read_energy") ?? level.value("write_energy"),
        hint: hint)
    default:
      level.document.error(
        "'read_energy' and 'write_energy' go together: one is missing",
        at: level.node, hint: hint)
    }
    return nil
  }

  static func readHolds(_ level: MappingReader, partitionHolds: Set<Operand>?)
    -> Set<Operand>?
  {
    guard let node = level.value("holds") else {
      return partitionHolds ?? Set(Operand.allCases)
    }
    guard let items = level.sequence(node, key: "holds") else { return nil }
    var holds: Set<Operand> = []
    var failed = false
    for item in items {
      if let operand = level.choice(item, key: "holds", as: Operand.self) {
        if holds.contains(operand) {
          level.document.error(
            "'\(operand.rawValue)' is listed twice in holds", at: item,
            hint: "list each operand once")
        }
        holds.insert(operand)
      } else {
        failed = true
      }
    }
    if holds.isEmpty && !failed {
      level.document.error(
        "'holds' is empty: the level holds no operand", at: node,
        hint: "list some of: weights, inputs, outputs (or remove the level)")
      return nil
    }
    return failed ? nil : holds
  }
}
