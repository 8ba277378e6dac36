import Diagnostics
import FixedPointArithmetic
import PrecisionModel
import Yams

/// Reads a precision file (FIXED_POINT.md §11) into a ``PrecisionPlan``.
///
/// ```yaml
/// input: {bits: 8, fl: 7}
/// default:
///   weight: {bits: 8, fl: 6}
///   activation: {bits: 8, fl: 4}
///   accumulator: {bits: 32, overflow: saturateFinal}
///   bias: accumulator            # or {bits: 16, fl: 8}
///   rounding: halfUp
///   overflow: saturate
/// layers:
///   conv1: {weight: {bits: 8, fl: 7}, activation: {bits: 8, fl: 3}}
/// ```
///
/// The reader checks what a file alone can show — keys, types, names of
/// rounding modes and overflow policies, bits in [1, 32] (accumulator
/// [2, 48]), fl in [−32, 64], `symmetric` with `wrap` (§12.8) — each at its
/// line and column. Checks that need the network (unknown layer names,
/// formats on format-preserving nodes, accumulator bounds) are
/// ``PrecisionPlan/problems(against:)``; the plan's ``PrecisionPlan/locations``
/// place those too (``locate(_:in:fileName:)``).
public enum PrecisionReader {
  static let roleKeys = [
    "weight", "bias", "activation", "accumulator", "rounding", "overflow",
    "residual", "pooling", "nonlinear", "outputs",
  ]
  static let formatKeys = ["bits", "fl", "signed", "symmetric", "overflow"]

  /// Reads a precision file's bytes.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    PrecisionPlan
  > {
    let document: YAMLDocument
    switch YAMLDocument.compose(
      bytes: bytes, fileName: fileName, what: "precision file")
    {
    case .success(let d): document = d
    case .failure(let error):
      return LoadResult(value: nil, diagnostics: error.diagnostics)
    }
    var reader = Reader(document: document)
    let plan = reader.read()
    let diagnostics = document.diagnostics.sortedByLocation()
    return LoadResult(
      value: diagnostics.containsErrors ? nil : plan, diagnostics: diagnostics)
  }

  /// Turns a network check's problems into located diagnostics, placing each
  /// at the deepest path the file wrote (`layers.conv1.weight.fl`, then
  /// `layers.conv1.weight`, then `layers.conv1`, …).
  public static func locate(
    _ problems: [PrecisionProblem], in plan: PrecisionPlan, fileName: String
  ) -> [Diagnostic] {
    problems.map { problem in
      var path = problem.path
      var location = plan.locations[path]
      while location == nil, let dot = path.lastIndex(of: ".") {
        path = String(path[..<dot])
        location = plan.locations[path]
      }
      return .error(
        problem.message, at: location ?? SourceLocation(file: fileName),
        hint: problem.hint)
    }
  }

  struct Reader {
    let document: YAMLDocument
    var locations: [String: SourceLocation] = [:]

    mutating func note(_ path: String, _ node: Node?) {
      if let node { locations[path] = document.location(of: node) }
    }

    mutating func read() -> PrecisionPlan? {
      guard
        let top = MappingReader(
          document.root, in: document, what: "a precision file (the top level)")
      else { return nil }
      top.allow(["input", "default", "layers", "seed"])
      var input = FormatSpec()
      if let node = top.required("input", hint: "write input: {bits: 8, fl: 7}")
      {
        note("input", node)
        input = format(node, path: "input", in: top) ?? FormatSpec()
      }
      var seed: UInt64 = 0
      if let node = top.value("seed") {
        note("seed", node)
        if let text = top.scalarText(
          node, key: "seed", expected: "a whole number"),
          let value = UInt64(text)
        {
          seed = value
        } else {
          document.error(
            "'seed' must be a whole number from 0 to 2^64 − 1", at: node,
            hint: "write e.g. seed: 42")
        }
      }
      var defaults = LayerPrecision()
      if let node = top.required(
        "default",
        hint:
          "write default: {weight: {bits: 8, fl: 6}, activation: {bits: 8, fl: 4}}"
      ) {
        note("default", node)
        defaults = layer(node, path: "default", in: top) ?? LayerPrecision()
      }
      var entries: [LayerEntry] = []
      if let node = top.value("layers") {
        note("layers", node)
        if case .mapping(let mapping) = node {
          for (key, value) in mapping {
            guard let name = key.string, case .scalar = key else {
              document.error(
                "layer names must be plain strings", at: key,
                hint: "write the node name, e.g. conv1:")
              continue
            }
            let path = "layers.\(name)"
            note(path, key)
            if entries.contains(where: { $0.name == name }) {
              document.error(
                "layer '\(name)' is listed twice", at: key,
                hint: "merge the two entries")
              continue
            }
            if let precision = layer(value, path: path, in: top) {
              entries.append(LayerEntry(name: name, precision: precision))
            }
          }
        } else if !(node.string?.isEmpty ?? false) {
          document.error(
            "'layers' must be a mapping from layer names to formats, but is \(node.kindPhrase)",
            at: node, hint: "write layers: {conv1: {weight: {bits: 8, fl: 7}}}")
        }
      }
      top.finish()
      return PrecisionPlan(
        input: input, defaults: defaults, layers: entries, seed: seed,
        locations: locations)
    }

    /// `{weight: …, bias: …, activation: …, accumulator: …, rounding: …, overflow: …}`.
    mutating func layer(_ node: Node, path: String, in parent: MappingReader)
      -> LayerPrecision?
    {
      guard
        let entry = MappingReader(
          node, in: document, path: FieldPath([.key(path)]), what: "'\(path)'")
      else { return nil }
      entry.allow(PrecisionReader.roleKeys)
      var result = LayerPrecision()
      if let n = entry.value("weight") {
        note("\(path).weight", n)
        result.weight = format(n, path: "\(path).weight", in: entry)
      }
      if let n = entry.value("activation") {
        note("\(path).activation", n)
        result.activation = format(n, path: "\(path).activation", in: entry)
      }
      if let n = entry.value("bias") {
        note("\(path).bias", n)
        if n.string == "accumulator" {
          result.bias = .accumulator
        } else if case .mapping = n {
          result.bias = format(n, path: "\(path).bias", in: entry).map {
            .format($0)
          }
        } else {
          document.error(
            "'bias' must be 'accumulator' or a format such as {bits: 16, fl: 8}",
            at: n,
            hint:
              "bias: accumulator puts the bias on the accumulator grid (the default)"
          )
        }
      }
      if let n = entry.value("accumulator") {
        note("\(path).accumulator", n)
        result.accumulator = accumulator(n, path: "\(path).accumulator")
      }
      if let n = entry.value("rounding") {
        note("\(path).rounding", n)
        result.rounding = entry.choice(
          n, key: "rounding", as: RoundingMode.self)
      }
      if let n = entry.value("overflow") {
        note("\(path).overflow", n)
        result.overflow = entry.choice(
          n, key: "overflow", as: OverflowPolicy.self)
      }
      if let n = entry.value("residual") {
        note("\(path).residual", n)
        result.residual = entry.choice(
          n, key: "residual", as: ResidualAlignment.self)
      }
      if let n = entry.value("nonlinear") {
        note("\(path).nonlinear", n)
        result.nonlinear = entry.choice(
          n, key: "nonlinear", as: NonlinearArithmetic.self)
      }
      if let n = entry.value("pooling") {
        note("\(path).pooling", n)
        if n.string == "exact" {
          result.pooling = .exact
        } else if let p = MappingReader(
          n, in: document, path: FieldPath([.key("\(path).pooling")]),
          what: "'pooling'")
        {
          if let k = p.integer(
            "reciprocal", required: true, in: AveragePoolDivision.allowedShifts,
            hint: "write pooling: {reciprocal: 16}")
          {
            result.pooling = .reciprocal(shift: k)
          }
          p.finish()
        }
      }
      if let n = entry.value("outputs") {
        note("\(path).outputs", n)
        result.outputs = outputs(n, path: path)
      }
      entry.finish()
      // §12.8: symmetric goes with saturate only.
      for (role, spec) in [
        ("weight", result.weight), ("activation", result.activation),
      ] {
        // A spec that names wrap itself was already reported by `format`.
        if let spec, spec.symmetric == true, spec.overflow == nil,
          result.overflow == .wrap
        {
          document.error(
            "'\(path).\(role)' is symmetric with wrap overflow",
            at: entry.value(role),
            hint:
              "use 'overflow: saturate' with 'symmetric' (FIXED_POINT.md §12.8)"
          )
        }
      }
      return result
    }

    /// `outputs: {Y_h: {bits: 8, fl: 5}, Y_c: {bits: 16, fl: 12}}`, in a
    /// layer entry only (the names are one node's output tensors).
    mutating func outputs(_ node: Node, path: String) -> [OutputFormat] {
      guard path != "default" else {
        document.error(
          "'outputs' names one node's output tensors; it belongs under layers:",
          at: node,
          hint: "write layers: {lstm: {outputs: {Y_c: {bits: 16, fl: 12}}}}")
        return []
      }
      guard
        let parent = MappingReader(
          node, in: document, path: FieldPath([.key("\(path).outputs")]),
          what: "'\(path).outputs'"),
        case .mapping(let mapping) = node
      else { return [] }
      var result: [OutputFormat] = []
      for (key, value) in mapping {
        guard let name = key.string, case .scalar = key else {
          document.error(
            "output names must be plain strings", at: key,
            hint: "write the ONNX output name, e.g. Y_c:")
          continue
        }
        let outputPath = "\(path).outputs.\(name)"
        note(outputPath, key)
        guard let spec = format(value, path: outputPath, in: parent) else {
          continue
        }
        result.append(OutputFormat(name: name, format: spec))
      }
      return result
    }

    /// `{bits: 8, fl: 6, signed: true, symmetric: false, overflow: saturate}`.
    mutating func format(_ node: Node, path: String, in parent: MappingReader)
      -> FormatSpec?
    {
      guard
        let f = MappingReader(
          node, in: document, path: FieldPath([.key(path)]), what: "'\(path)'")
      else { return nil }
      f.allow(PrecisionReader.formatKeys)
      var spec = FormatSpec()
      if let n = f.value("bits") {
        note("\(path).bits", n)
        spec.bits = f.integer(n, key: "bits", in: 1...32)
      }
      if let n = f.value("fl") {
        note("\(path).fl", n)
        spec.fractionalLength = f.integer(n, key: "fl", in: -32...64)
      }
      spec.signed = f.boolean("signed")
      spec.symmetric = f.boolean("symmetric")
      if let n = f.value("overflow") {
        note("\(path).overflow", n)
        spec.overflow = f.choice(n, key: "overflow", as: OverflowPolicy.self)
      }
      f.finish()
      if spec.bits == 1, spec.signed != false {
        document.error(
          "'\(path)': 1-bit formats must be unsigned", at: f.value("bits"),
          hint: "add signed: false, or use 2 bits or more")
      }
      if spec.symmetric == true, spec.overflow == .wrap {
        document.error(
          "'\(path)' is symmetric with wrap overflow", at: node,
          hint:
            "use 'overflow: saturate' with 'symmetric' (FIXED_POINT.md §12.8)")
      }
      return spec
    }

    /// `{bits: 32, overflow: saturateFinal}`.
    mutating func accumulator(_ node: Node, path: String) -> AccumulatorSpec? {
      guard
        let a = MappingReader(
          node, in: document, path: FieldPath([.key(path)]), what: "'\(path)'")
      else { return nil }
      a.allow(["bits", "overflow"])
      var spec = AccumulatorSpec()
      if let n = a.value("bits") {
        note("\(path).bits", n)
        spec.bits = a.integer(n, key: "bits", in: 2...48)
      }
      if let n = a.value("overflow") {
        note("\(path).overflow", n)
        spec.policy = a.choice(n, key: "overflow", as: AccumulatorPolicy.self)
      }
      a.finish()
      return spec
    }
  }
}
