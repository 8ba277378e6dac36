import FixedPointArithmetic

extension PrecisionPlan {
  /// The plan as precision-file YAML, in exactly the layout of
  /// FIXED_POINT.md §11's example, so that a reader gives back an equal
  /// plan (apart from ``locations``).
  ///
  /// Formats are flow mappings with keys in the order `bits`, `fl`,
  /// `signed`, `symmetric`, `overflow`; roles in the order `weight`,
  /// `activation`, `accumulator`, `bias`, `rounding`, `overflow`, then the
  /// options `residual`, `pooling`, `nonlinear` and the `outputs` block. Keys that are `nil` are left out.
  /// A top-level `seed:` is written only when the seed is not 0. Layer
  /// names that are not plain YAML words are double-quoted.
  ///
  /// ```yaml
  /// input: {bits: 8, fl: 7}
  /// default:
  ///   weight: {bits: 8, fl: 6}
  ///   activation: {bits: 8, fl: 4}
  ///   accumulator: {bits: 32, overflow: saturateFinal}
  ///   bias: accumulator
  ///   rounding: halfUp
  ///   overflow: saturate
  /// layers:
  ///   conv1:
  ///     weight: {bits: 8, fl: 7}
  /// ```
  ///
  /// - Returns: The YAML text, ending with a newline.
  public func render() -> String {
    var lines = ["input: " + Self.render(input)]
    if seed != 0 { lines.append("seed: \(seed)") }
    lines.append("default:")
    lines += Self.render(defaults, indent: "  ")
    if !layers.isEmpty {
      lines.append("layers:")
      for entry in layers {
        let body = Self.render(entry.precision, indent: "    ")
        lines.append(
          "  " + Self.yamlKey(entry.name) + ":" + (body.isEmpty ? " {}" : ""))
        lines += body
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func render(_ precision: LayerPrecision, indent: String) -> [String] {
    var lines: [String] = []
    if let weight = precision.weight {
      lines.append(indent + "weight: " + render(weight))
    }
    if let activation = precision.activation {
      lines.append(indent + "activation: " + render(activation))
    }
    if let accumulator = precision.accumulator {
      var keys: [String] = []
      if let bits = accumulator.bits { keys.append("bits: \(bits)") }
      if let policy = accumulator.policy {
        keys.append("overflow: \(policy.rawValue)")
      }
      lines.append(
        indent + "accumulator: {" + keys.joined(separator: ", ") + "}")
    }
    switch precision.bias {
    case .accumulator?: lines.append(indent + "bias: accumulator")
    case .format(let spec)?: lines.append(indent + "bias: " + render(spec))
    case nil: break
    }
    if let rounding = precision.rounding {
      lines.append(indent + "rounding: \(rounding.rawValue)")
    }
    if let overflow = precision.overflow {
      lines.append(indent + "overflow: \(overflow.rawValue)")
    }
    if let residual = precision.residual {
      lines.append(indent + "residual: \(residual.rawValue)")
    }
    switch precision.pooling {
    case .exact?: lines.append(indent + "pooling: exact")
    case .reciprocal(let shift)?:
      lines.append(indent + "pooling: {reciprocal: \(shift)}")
    case nil: break
    }
    if let nonlinear = precision.nonlinear {
      lines.append(indent + "nonlinear: \(nonlinear.rawValue)")
    }
    if !precision.outputs.isEmpty {
      lines.append(indent + "outputs:")
      for output in precision.outputs {
        lines.append(
          indent + "  " + yamlKey(output.name) + ": " + render(output.format))
      }
    }
    return lines
  }

  static func render(_ spec: FormatSpec) -> String {
    var keys: [String] = []
    if let bits = spec.bits { keys.append("bits: \(bits)") }
    if let fl = spec.fractionalLength { keys.append("fl: \(fl)") }
    if let signed = spec.signed { keys.append("signed: \(signed)") }
    if let symmetric = spec.symmetric { keys.append("symmetric: \(symmetric)") }
    if let overflow = spec.overflow {
      keys.append("overflow: \(overflow.rawValue)")
    }
    return "{" + keys.joined(separator: ", ") + "}"
  }

  /// A mapping key: plain when it is a safe YAML word, else double-quoted.
  static func yamlKey(_ name: String) -> String {
    let reserved: Set<String> = [
      "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ]
    let safe =
      !name.isEmpty
      && name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0)
          || ("0"..."9").contains($0)
          || $0 == "_" || $0 == "-" || $0 == "." || $0 == "/"
      }
      && !(name.first.map { "-./0123456789".contains($0) } ?? true)
      && !reserved.contains(name.lowercased())
    if safe { return name }
    var quoted = "\""
    for scalar in name.unicodeScalars {
      switch scalar {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\n": quoted += "\\n"
      case "\t": quoted += "\\t"
      default:
        if scalar.value < 0x20 {
          quoted += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
        } else {
          quoted.unicodeScalars.append(scalar)
        }
      }
    }
    return quoted + "\""
  }
}

extension String {
  /// The text with zeros in front up to `width` characters (hexadecimal
  /// escapes); shared with the executor's raw dump within the package.
  package func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
