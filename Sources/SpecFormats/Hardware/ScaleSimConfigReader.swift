import Diagnostics
import HardwareModel

/// Reads a SCALE-Sim 3.0.0 `.cfg` file (INI) as an `npu` device, so SCALE-Sim
/// users can bring their configurations.
///
/// Read: `[general] run_name`; `[architecture_presets]` `ArrayHeight`,
/// `ArrayWidth`, `IfmapSramSzkB`, `FilterSramSzkB`, `OfmapSramSzkB`,
/// `Dataflow`, `Bandwidth`; `[layout]` `IfmapSRAMBankBandwidth`,
/// `FilterSRAMBankBandwidth`; `[run_presets]` `InterfaceBandwidth` (`CALC` or
/// `USER`). Other keys SCALE-Sim knows are accepted, checked for their type
/// (``ScaleSimIgnoredKeys``) and otherwise ignored; keys it does
/// not know are errors. Keys are case-insensitive, as Python's configparser
/// makes them.
///
/// SCALE-Sim counts cycles with one-byte words and no energy, so the device
/// gets `int8` MACs, a 1 GHz clock and 45 nm energies (Horowitz, ISSCC 2014):
/// estimates, named as such in ``Device/sources``. In `CALC` mode the DRAM
/// bandwidth is unlimited (reads never stall); in `USER` mode the DRAM read
/// bandwidth is the sum of the IFMAP and FILTER bank bandwidths and the write
/// bandwidth is `Bandwidth` (the OFMAP drain), in words per cycle.
public enum ScaleSimConfigReader {
  /// Keys SCALE-Sim 3.0.0 reads, by section, as its sample configurations
  /// spell them (matching is case-insensitive).
  static let known: [String: [String]] = [
    "general": ["run_name"],
    "architecture_presets": [
      "ArrayHeight", "ArrayWidth", "IfmapSramSzkB", "FilterSramSzkB",
      "OfmapSramSzkB",
      "IfmapOffset", "FilterOffset", "OfmapOffset", "Dataflow", "Bandwidth",
      "ReadRequestBuffer", "WriteRequestBuffer",
    ],
    "layout": [
      "IfmapCustomLayout", "FilterCustomLayout", "IfmapSRAMBankBandwidth",
      "IfmapSRAMBankNum",
      "IfmapSRAMBankPort", "FilterSRAMBankBandwidth", "FilterSRAMBankNum",
      "FilterSRAMBankPort",
    ],
    "sparsity": [
      "SparsitySupport", "SparseRep", "OptimizedMapping", "BlockSize",
      "RandomNumberGeneratorSeed",
    ],
    "run_presets": ["InterfaceBandwidth", "UseRamulatorTrace"],
  ]

  struct Entry {
    var value: String
    var line: Int
    var column: Int
  }

  /// Reads a `.cfg` file's bytes.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    Device
  > {
    var diagnostics: [Diagnostic] = []
    func error(
      _ message: String, line: Int?, column: Int = 1, hint: String? = nil
    ) {
      let location =
        line.map { SourceLocation(file: fileName, line: $0, column: column) }
        ?? SourceLocation(file: fileName)
      diagnostics.append(.error(message, at: location, hint: hint))
    }
    guard bytes.count <= 1 << 20, !bytes.contains(0),
      let text = String(validating: bytes, as: UTF8.self)
    else {
      error(
        "the file is not a SCALE-Sim configuration (binary, not UTF-8, or over 1 MiB)",
        line: nil,
        hint:
          "a .cfg file is INI text with [architecture_presets] and [run_presets]"
      )
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    var sections: [String: [String: Entry]] = [:]
    var sectionLines: [String: Int] = [:]
    var current: String?
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false)
    {
      lineNumber += 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
        continue
      }
      let indent = line.count - trimmed.count
      if trimmed.hasPrefix("[") {
        guard let close = trimmed.firstIndex(of: "]") else {
          error(
            "section header without ']'", line: lineNumber, column: indent + 1,
            hint: "write [section]")
          continue
        }
        let name = String(
          trimmed[trimmed.index(after: trimmed.startIndex)..<close])
        if known[name] == nil {
          error(
            "unknown section [\(name)]", line: lineNumber, column: indent + 1,
            hint: Suggestions.hint(for: name, among: known.keys.sorted()))
        }
        if sectionLines[name] != nil {
          error(
            "duplicate section [\(name)]", line: lineNumber, column: indent + 1,
            hint: "merge the two sections")
        }
        sectionLines[name] = lineNumber
        current = name
        continue
      }
      guard
        let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" })
      else {
        error(
          "expected 'key = value'", line: lineNumber, column: indent + 1,
          hint: "write e.g. ArrayHeight = 32")
        continue
      }
      let key = String(trimmed[..<separator]).trimmingCharacters()
      let valueStart = trimmed.index(after: separator)
      let rawValue = trimmed[valueStart...]
      let value = String(rawValue).trimmingCharacters()
      let valueColumn =
        indent + trimmed.distance(from: trimmed.startIndex, to: valueStart) + 1
        + (rawValue.count - rawValue.drop { $0 == " " || $0 == "\t" }.count)
      guard let section = current else {
        error(
          "'\(key)' comes before any [section]", line: lineNumber,
          column: indent + 1, hint: "put it under [architecture_presets]")
        continue
      }
      let lowered = key.lowercased()
      if let allowed = known[section],
        !allowed.contains(where: { $0.lowercased() == lowered })
      {
        error(
          "unknown key '\(key)' in [\(section)]", line: lineNumber,
          column: indent + 1,
          hint: Suggestions.hint(for: key, among: allowed))
        continue
      }
      if sections[section]?[lowered] != nil {
        error(
          "duplicate key '\(key)' in [\(section)]", line: lineNumber,
          column: indent + 1, hint: "keep one")
      }
      if let problem = ScaleSimIgnoredKeys.problem(
        section: section, key: key, value: value)
      {
        error(
          problem.message, line: lineNumber, column: valueColumn,
          hint: problem.hint)
      }
      sections[section, default: [:]][lowered] = Entry(
        value: value, line: lineNumber, column: valueColumn)
    }

    func entry(_ section: String, _ key: String) -> Entry? {
      guard let entry = sections[section]?[key.lowercased()] else {
        error(
          "missing \(key) in [\(section)]", line: sectionLines[section],
          hint: "SCALE-Sim needs \(key) = <value> under [\(section)]")
        return nil
      }
      return entry
    }
    func integer(_ section: String, _ key: String, in range: ClosedRange<Int>)
      -> Int?
    {
      guard let e = entry(section, key) else { return nil }
      guard let v = Int(e.value), range.contains(v) else {
        error(
          "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), but is '\(e.value.prefix(40))'",
          line: e.line, column: e.column,
          hint:
            "write e.g. \(key) = \(range.lowerBound == 0 ? 1 : range.lowerBound)"
        )
        return nil
      }
      return v
    }
    func words(_ section: String, _ key: String) -> Double? {
      guard let e = entry(section, key) else { return nil }
      // `Bandwidth` may be a comma-separated list; SCALE-Sim uses the first.
      let first =
        e.value.split(separator: ",").first.map(String.init)?
        .trimmingCharacters() ?? ""
      guard let v = Double(first), v.isFinite, v > 0 else {
        error(
          "\(key) must be a positive number of words per cycle, but is '\(e.value.prefix(40))'",
          line: e.line, column: e.column, hint: "write e.g. \(key) = 10")
        return nil
      }
      return v
    }

    let rows = integer("architecture_presets", "ArrayHeight", in: 1...65536)
    let columns = integer("architecture_presets", "ArrayWidth", in: 1...65536)
    let ifmapKiB = integer(
      "architecture_presets", "IfmapSramSzkB", in: 1...1 << 30)
    let filterKiB = integer(
      "architecture_presets", "FilterSramSzkB", in: 1...1 << 30)
    let ofmapKiB = integer(
      "architecture_presets", "OfmapSramSzkB", in: 1...1 << 30)
    var dataflow: Dataflow?
    if let e = entry("architecture_presets", "Dataflow") {
      dataflow = Dataflow(rawValue: e.value.lowercased())
      if dataflow == nil || dataflow == .rs {
        dataflow = nil
        error(
          "Dataflow must be os, ws or is, but is '\(e.value.prefix(40))'",
          line: e.line, column: e.column,
          hint: "write Dataflow = os")
      }
    }
    var mode: String?
    if let e = entry("run_presets", "InterfaceBandwidth") {
      mode = e.value.uppercased()
      if mode != "CALC" && mode != "USER" {
        error(
          "InterfaceBandwidth must be CALC or USER, but is '\(e.value.prefix(40))'",
          line: e.line,
          column: e.column,
          hint: "CALC: unlimited DRAM bandwidth; USER: the bandwidths given")
        mode = nil
      }
    }
    var readWords: Double?
    var writeWords: Double?
    if mode == "USER" {
      let ifmapBW = words("layout", "IfmapSRAMBankBandwidth")
      let filterBW = words("layout", "FilterSRAMBankBandwidth")
      writeWords = words("architecture_presets", "Bandwidth")
      if let ifmapBW, let filterBW { readWords = ifmapBW + filterBW }
    }
    if diagnostics.containsErrors {
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    guard let rows, let columns, let ifmapKiB, let filterKiB, let ofmapKiB,
      let dataflow, let mode
    else { return LoadResult(value: nil, diagnostics: diagnostics) }

    let clock = 1e9
    let runName = sections["general"]?["run_name"]?.value
    let stem =
      fileName.split(separator: "/").last.map { String($0) } ?? fileName
    let name =
      runName ?? String(stem.split(separator: ".").first ?? Substring(stem))
    let unlimited = mode == "CALC"
    var dram = MemoryLevel(
      name: "dram", kind: .dram, capacity: .unbounded,
      readBandwidth: unlimited ? .infinity : (readWords ?? 1) * clock,
      writeBandwidth: unlimited ? .infinity : (writeWords ?? 1) * clock,
      sharedPort: false,
      energy: AccessEnergy(readPerBit: 20e-12, writePerBit: 20e-12))
    let largest = Double(max(ifmapKiB, filterKiB, ofmapKiB)) * 1024
    // Horowitz: 10 pJ per 64-bit read of an 8 KB array, growing with sqrt(size).
    let sramPerBit = 10e-12 / 64 * (largest / 8192).squareRoot()
    var sram = MemoryLevel(
      name: "sram", kind: .sram,
      capacity: .partitioned([
        .inputs: Double(ifmapKiB) * 1024, .weights: Double(filterKiB) * 1024,
        .outputs: Double(ofmapKiB) * 1024,
      ]),
      readBandwidth: Double(rows + columns) * clock,
      writeBandwidth: Double(columns) * clock,
      sharedPort: false,
      energy: AccessEnergy(readPerBit: sramPerBit, writePerBit: sramPerBit),
      doubleBuffered: true)
    // SCALE-Sim's rates are words (bytes) per cycle: kept as such, so they
    // follow a swept clock.
    dram.declaredRead = unlimited ? .unlimited : .perCycle(readWords ?? 1)
    dram.declaredWrite = unlimited ? .unlimited : .perCycle(writeWords ?? 1)
    sram.declaredRead = .perCycle(Double(rows + columns))
    sram.declaredWrite = .perCycle(Double(columns))
    let device = Device(
      name: name, kind: .npu,
      summary:
        "SCALE-Sim configuration \(stem): \(rows)×\(columns) \(dataflow.rawValue) array, \(mode) bandwidth",
      technologyNanometres: 45, clock: clock,
      compute: Compute(
        organisation: .array(
          SystolicArray(rows: rows, columns: columns, dataflow: dataflow)),
        macsPerCycle: [.int8: 1], macEnergy: [.int8: 0.23e-12]),
      memory: [dram, sram], staticPower: 0,
      sources: [
        "SCALE-Sim configuration \(fileName)",
        "estimate: 1 GHz clock, one-byte words, 45 nm energies (int8 MAC 0.23 pJ, SRAM by the sqrt-of-size rule from 10 pJ per 64-bit read of 8 KB, DRAM 20 pJ/bit) after Horowitz, ISSCC 2014; SCALE-Sim itself reports cycles only",
      ])
    return LoadResult(value: device, diagnostics: diagnostics)
  }
}

extension String {
  func trimmingCharacters() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" {
      s.removeFirst()
    }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
    return String(s)
  }
}

extension Substring {
  func trimmingCharacters() -> String {
    String(self).trimmingCharacters()
  }
}
