import DesignSpace
import Diagnostics
import HardwareModel
import PrecisionModel
import Yams

/// Reads a sweep file (Documentation/SweepYAML.md) into a ``SweepPlan``.
///
/// ```yaml
/// name: fl-and-arrays
/// strategy: grid                     # or {random: {count: 100, seed: 7}}
/// studies:
///   - models: ../digits/digits-plain.onnx
///     devices: zc706-qiu2016
///     precision:
///       default_bits: 8
///       axes:
///         - {layers: /conv1/Conv, bits: 8, fl: 2..7}
///   - models: mobilenet_v2
///     devices: systolic-32x32
///     hardware:
///       array_size: 8..64 by 8
/// ```
///
/// A file without `studies` is one study written at the top level. Every
/// problem is reported at its line and column; a plan comes back only when
/// there is none. Checks that need models or devices (layer names, level
/// names, whether a device has an array) happen when points are evaluated.
public enum SweepReader {
  /// The most points a sweep file may describe (over all studies, before
  /// sampling).
  public static let maximumPoints = 100_000_000

  static let studyKeys = [
    "models", "devices", "batch", "precision", "compression", "hardware",
    "accuracy",
  ]

  /// Reads a sweep file's bytes.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - fileName: The name diagnostics report.
  /// - Returns: The plan when there are no errors, and every diagnostic.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    SweepPlan
  > {
    let document: YAMLDocument
    switch YAMLDocument.compose(
      bytes: bytes, fileName: fileName, what: "sweep file")
    {
    case .success(let d): document = d
    case .failure(let error):
      return LoadResult(value: nil, diagnostics: error.diagnostics)
    }
    let plan = readPlan(document)
    let diagnostics = document.diagnostics.sortedByLocation()
    return LoadResult(
      value: diagnostics.containsErrors ? nil : plan, diagnostics: diagnostics)
  }

  static func readPlan(_ document: YAMLDocument) -> SweepPlan? {
    guard
      let top = MappingReader(
        document.root, in: document, what: "a sweep file (the top level)")
    else { return nil }
    let name = top.string("name") ?? "sweep"
    let strategy = readStrategy(top) ?? .grid
    var studies: [Study] = []
    var failed = false
    if let list = top.value("studies") {
      top.allow(studyKeys)
      for key in studyKeys
      where top.mapping.first(where: { $0.key.string == key }) != nil {
        document.error(
          "'\(key)' is at the top level, but the file has 'studies'",
          at: top.mapping.first { $0.key.string == key }?.key,
          hint: "move '\(key)' into each study")
        failed = true
      }
      guard let items = top.sequence(list, key: "studies") else {
        top.finish()
        return nil
      }
      if items.isEmpty {
        document.error(
          "'studies' is empty", at: list, hint: "write at least one study")
        failed = true
      }
      for (offset, item) in items.enumerated() {
        guard
          let reader = MappingReader(
            item, in: document,
            path: FieldPath([.key("studies"), .index(offset)]), what: "a study")
        else {
          failed = true
          continue
        }
        if let study = readStudy(reader) {
          studies.append(study)
        } else {
          failed = true
        }
        reader.finish()
      }
    } else if let study = readStudy(top) {
      studies.append(study)
    } else {
      failed = true
    }
    top.finish()
    guard !failed else { return nil }
    if case .search = strategy {
      for (offset, study) in studies.enumerated() {
        let at =
          top.value("studies").flatMap { node -> Node? in
            if case .sequence(let items) = node, items.indices.contains(offset)
            {
              return items[offset]
            }
            return nil
          } ?? document.root
        if study.accuracy == nil {
          document.error(
            "the search strategy needs 'accuracy' in every study", at: at,
            hint: "add accuracy: {evaluation: {data: x.npy, labels: y.npy}}")
          failed = true
        }
        if study.precisionAxes.isEmpty, study.compressionAxes.isEmpty {
          document.error(
            "the search strategy needs precision or compression axes in every study",
            at: at,
            hint: "add precision: {axes: [{layers: all, bits: 4..8}]}")
          failed = true
        }
      }
      guard !failed else { return nil }
    }
    let plan = SweepPlan(name: name, studies: studies, strategy: strategy)
    if let total = try? plan.totalCount(), total <= maximumPoints {
      if total == 0 {
        document.error(
          "the sweep has no points", at: document.root,
          hint: "give every list at least one value")
      }
      return plan
    }
    document.error(
      "the sweep describes more than \(maximumPoints) points",
      at: document.root,
      hint: "use fewer values, or split it into several sweeps")
    return nil
  }

  static func readStrategy(_ top: MappingReader) -> SweepStrategy? {
    guard let node = top.value("strategy") else { return nil }
    let hint =
      "write strategy: grid, strategy: {random: {count: 200, seed: 1}}, or strategy: {search: {objective: energy, max_accuracy_drop: 1.0}}"
    if case .scalar(let scalar) = node {
      if scalar.string == "grid" { return .grid }
      top.document.error(
        "'\(scalar.string.prefix(40))' is not a strategy", at: node,
        hint: Suggestions.hint(
          for: scalar.string, among: ["grid", "random", "search"]) + "; " + hint
      )
      return nil
    }
    guard
      let strategy = MappingReader(
        node, in: top.document, path: ["strategy"], what: "'strategy'")
    else { return nil }
    defer { strategy.finish() }
    if let search = strategy.mapping("search") {
      defer { search.finish() }
      let objective = search.choice("objective", as: SearchObjective.self)
      if search.has("objective"), objective == nil { return nil }
      guard
        let drop = search.number(
          "max_accuracy_drop", required: true, in: 0...100,
          hint:
            "the most top-1 may fall below the float model's, in points: max_accuracy_drop: 1.0"
        )
      else { return nil }
      return .search(
        SearchGoal(objective: objective ?? .energy, maxAccuracyDrop: drop))
    }
    if strategy.has("search") { return nil }
    guard let random = strategy.mapping("random", required: true, hint: hint)
    else { return nil }
    defer { random.finish() }
    let count = random.integer(
      "count", required: true, in: 1...maximumPoints,
      hint: "the number of points to draw")
    let seed = random.integer("seed", in: 0...Int.max) ?? 0
    guard let count else { return nil }
    return .random(count: count, seed: UInt64(seed))
  }

  static func readStudy(_ reader: MappingReader) -> Study? {
    let document = reader.document
    var failed = false
    let models = names(
      reader, "models", what: "a model (a bundled name or a file)")
    let devices = names(
      reader, "devices", what: "a device (a bundled name or a file)")
    var batches = [1]
    if let node = reader.value("batch") {
      if let values = IntegerValues.read(
        node, key: "batch", in: 1...(1 << 16), document: document)
      {
        batches = values
      } else {
        failed = true
      }
    }
    var defaultBits: Int?
    var precisionAxes: [PrecisionAxis] = []
    var precisionGroups: [String: [String]] = [:]
    if let precision = reader.mapping("precision") {
      defaultBits = precision.integer("default_bits", in: 1...32)
      if let (axes, groups) = PrecisionAxesReader.read(precision) {
        precisionAxes = axes
        precisionGroups = groups
      } else {
        failed = true
      }
      precision.finish()
    } else if reader.has("precision") {
      failed = true
    }
    var compression = CompressionAxesReader.Section(axes: [], huffman: false)
    if let section = reader.mapping("compression") {
      if let read = CompressionAxesReader.read(
        section, precisionGroups: precisionGroups)
      {
        compression = read
      } else {
        failed = true
      }
      section.finish()
    } else if reader.has("compression") {
      failed = true
    }
    var hardwareAxes: [HardwareAxis] = []
    if let hardware = reader.mapping("hardware") {
      if let axes = HardwareAxesReader.read(hardware) {
        hardwareAxes = axes
      } else {
        failed = true
      }
      hardware.finish()
    } else if reader.has("hardware") {
      failed = true
    }
    var accuracy: AccuracySpec?
    if let reader = reader.mapping("accuracy") {
      accuracy = AccuracyReader.read(reader)
      if accuracy == nil { failed = true }
      reader.finish()
    } else if reader.has("accuracy") {
      failed = true
    }
    guard let models, let devices, !failed else { return nil }
    var study = Study(
      models: models, devices: devices, batches: batches,
      defaultBits: defaultBits,
      precisionAxes: precisionAxes, hardwareAxes: hardwareAxes,
      accuracy: accuracy)
    study.compressionAxes = compression.axes
    study.huffman = compression.huffman
    return study
  }

  /// A required name or list of names, without duplicates.
  static func names(_ reader: MappingReader, _ key: String, what: String)
    -> [String]?
  {
    guard
      let node = reader.required(
        key, hint: "write \(key): [name, …]; each is \(what)")
    else {
      return nil
    }
    guard let list = reader.nameList(node, key: key) else { return nil }
    if list.isEmpty {
      reader.document.error(
        "'\(key)' is empty", at: node, hint: "write at least one name")
      return nil
    }
    var seen: [String] = []
    for (name, item) in list {
      if name.isEmpty {
        reader.document.error("an empty name in '\(key)'", at: item)
        return nil
      }
      if seen.contains(name) {
        reader.document.error(
          "'\(name)' is listed twice in '\(key)'", at: item,
          hint: "list each once")
        return nil
      }
      seen.append(name)
    }
    return seen
  }
}
