import FixedPointArithmetic
import PrecisionModel

/// One tensor of the raw dump (FIXED_POINT.md §11, §12.7): what the command
/// line writes as `<fileName>` plus its `formats.json` entry.
public struct DumpEntry: Hashable, Sendable {
  /// The tensor's name (ONNX output or initializer name).
  public var name: String
  /// `name` with every character outside `[A-Za-z0-9._-]` replaced by `_`,
  /// plus `.npy`.
  public var fileName: String
  /// The dimensions (NCHW for activations).
  public var shape: [Int]
  /// The contents.
  public var contents: Contents

  /// A dumped tensor's values.
  public enum Contents: Hashable, Sendable {
    /// Raw integers (written as little-endian int64) in a format.
    case raw([Int64], QFormat)
    /// A float island's output (written as float32).
    case float([Float])
  }

  /// Creates an entry, deriving the file name.
  public init(name: String, shape: [Int], contents: Contents) {
    self.name = name
    self.fileName = Self.sanitized(name) + ".npy"
    self.shape = shape
    self.contents = contents
  }

  /// The §11 file-name rule: characters outside `[A-Za-z0-9._-]` become `_`.
  public static func sanitized(_ name: String) -> String {
    String(
      String.UnicodeScalarView(
        name.unicodeScalars.map { scalar in
          let allowed =
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_"
            || scalar == "-"
          return allowed ? scalar : "_"
        }))
  }

  /// The `formats.json` value: `{"bits": B, "fl": fl, "signed": true}` or
  /// `{"float": true}`.
  public var formatJSON: String {
    switch contents {
    case .raw(_, let format):
      "{\"bits\": \(format.bits), \"fl\": \(format.fractionalLength), \"signed\": \(format.isSigned)}"
    case .float: "{\"float\": true}"
    }
  }
}

extension FixedPointRun {
  /// The raw dump of this run: the quantized network inputs, then every
  /// output of every node in execution order (a node's outputs in their
  /// ONNX order, each named after its tensor); with `includeConstants`, each node's
  /// quantized weights (named after their initializers) and its bias in
  /// the format it is added in (the accumulator grid, after alignment).
  ///
  /// - Parameters:
  ///   - executor: The executor that made the run (for order and constants).
  ///   - includeConstants: Whether to add weights and biases.
  /// - Returns: The entries in dump order.
  public func dumpEntries(
    executor: FixedPointExecutor, includeConstants: Bool = false
  )
    -> [DumpEntry]
  {
    var entries: [DumpEntry] = []
    var seen: Set<String> = []
    // Tensors removed as identities are dumped right after the tensor they
    // equal (FIXED_POINT.md §11: every node's output is in the dump).
    var aliases: [String: [String]] = [:]
    for alias in executor.network.aliases {
      aliases[alias.source, default: []].append(alias.name)
    }
    func add(_ entry: DumpEntry) {
      guard seen.insert(entry.name).inserted else { return }
      entries.append(entry)
      for name in aliases[entry.name] ?? [] {
        var copy = entry
        copy.name = name
        copy.fileName = DumpEntry.sanitized(name) + ".npy"
        add(copy)
      }
    }
    for input in executor.network.inputs {
      if let raw = inputs[input.name] {
        add(
          DumpEntry(
            name: input.name, shape: raw.shape,
            contents: .raw(raw.raws, raw.format)))
      }
    }
    for prepared in executor.prepared {
      let node = prepared.node
      if includeConstants {
        for index in prepared.constants.keys.sorted() {
          if let constant = prepared.constants[index] {
            add(
              DumpEntry(
                name: node.inputs[index], shape: constant.shape,
                contents: .raw(constant.raws, constant.format)))
          }
        }
        if let bias = prepared.bias,
          let accumulator = prepared.layer.accumulator,
          node.inputs.count > 2
        {
          add(
            DumpEntry(
              name: node.inputs[2], shape: prepared.biasShape,
              contents: .raw(bias, accumulator)))
        }
      }
      // Every output under its own tensor name, in the node's output order.
      for name in node.outputs where !name.isEmpty {
        guard let value = tensors[name] else { continue }
        switch value {
        case .fixed(let raw):
          add(
            DumpEntry(
              name: name, shape: raw.shape, contents: .raw(raw.raws, raw.format)
            ))
        case .float(let tensor):
          add(
            DumpEntry(
              name: name, shape: tensor.shape, contents: .float(tensor.values)))
        }
      }
    }
    return entries
  }
}

extension DumpEntry {
  /// `formats.json` for a dump: one line per tensor, in dump order, names
  /// JSON-escaped.
  public static func formatsJSON(_ entries: [DumpEntry]) -> String {
    var lines: [String] = []
    for entry in entries {
      var key = "\""
      for scalar in entry.name.unicodeScalars {
        switch scalar {
        case "\"": key += "\\\""
        case "\\": key += "\\\\"
        default:
          if scalar.value < 0x20 {
            key += "\\u00" + String(scalar.value, radix: 16).leftPadded(to: 2)
          } else {
            key.unicodeScalars.append(scalar)
          }
        }
      }
      lines.append("  " + key + "\": " + entry.formatJSON)
    }
    return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
  }
}
