import ArgumentParser
import Foundation

/// `--dim NAME=N`: values for an ONNX model's symbolic dimensions other than
/// the batch (`inspect`, `simulate`, `run`).
struct DimensionOptions: ParsableArguments {
  /// The largest value a dimension may be bound to.
  static let maximum = 1 << 24

  @Option(
    name: .customLong("dim"),
    help: ArgumentHelp(
      "Bind a symbolic dimension of the ONNX model's inputs, e.g. --dim sequence_length=128 (repeatable).",
      discussion:
        "A leading dimension binds to the batch size. A dimension named by an expression of others (past_sequence_length + 1) takes its value from them.",
      valueName: "name=N"))
  var dim: [String] = []

  /// The bindings by name; valid after `validate()`.
  var values: [String: Int] {
    var result: [String: Int] = [:]
    for entry in dim {
      if let (name, value) = Self.parse(entry) { result[name] = value }
    }
    return result
  }

  /// `NAME=N` split at its last `=`, or `nil` when malformed.
  static func parse(_ entry: String) -> (String, Int)? {
    guard let equals = entry.lastIndex(of: "=") else { return nil }
    let name = entry[..<equals].trimmingCharacters(in: .whitespaces)
    let number = entry[entry.index(after: equals)...]
      .trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, let value = Int(number) else { return nil }
    return (name, value)
  }

  func validate() throws {
    var seen: Set<String> = []
    for entry in dim {
      guard let (name, value) = Self.parse(entry) else {
        throw ValidationError(
          "--dim '\(entry)' is not NAME=N (a symbolic dimension and a whole number), e.g. --dim sequence_length=128."
        )
      }
      guard (0...Self.maximum).contains(value) else {
        throw ValidationError(
          "--dim \(name)=\(value): the value must be from 0 (an empty tensor, such as a KV cache before prefill) to \(Self.maximum)."
        )
      }
      guard seen.insert(name).inserted else {
        throw ValidationError("--dim \(name) is given twice.")
      }
    }
  }
}
