import BitAccurateExecution
import Diagnostics
import Foundation
import NetworkGraph
import NumPyFormat

/// `run --input`: `FILE.npy` for a model with one input, or `NAME=FILE.npy`
/// once per graph input, each checked against its input's element type and
/// shape with an error that names the input and the file.
///
/// Float inputs take float32 (float64 is rounded, with a warning); integer
/// and boolean inputs (token ids, attention masks) take an integer or
/// boolean `.npy`, held exactly in Float32 up to ±2^24 (larger values are
/// refused, see the float executor's `ElementTypes`).
enum RunInputs {
  /// The graph inputs the user feeds (those that are not initializers).
  static func feeds(of network: Network) -> [GraphInput] {
    network.inputs.filter { network.initializer(named: $0.name) == nil }
  }

  /// Reads every `--input`, keyed by graph input name.
  ///
  /// - Throws: ``CommandFailure`` for an unknown, repeated or missing input
  ///   name, an unreadable file, a wrong dtype or shape, NaN, or integers
  ///   beyond 2^24.
  static func read(
    _ specifications: [String], for network: Network,
    warnings: inout [Diagnostic]
  ) throws(CommandFailure) -> [String: FloatTensor] {
    let feeds = feeds(of: network)
    let names = feeds.map { "'\($0.name)'" }.joined(separator: ", ")
    var paths: [(input: GraphInput, path: String)] = []
    for specification in specifications {
      if let equals = specification.firstIndex(of: "="),
        let input = feeds.first(where: {
          $0.name == String(specification[..<equals])
        })
      {
        guard !paths.contains(where: { $0.input.name == input.name }) else {
          throw CommandFailure(
            .error(
              "--input names the input '\(input.name)' twice", at: nil,
              hint: "give one --input NAME=FILE.npy per graph input"))
        }
        paths.append(
          (input, String(specification[specification.index(after: equals)...])))
      } else if specifications.count == 1, feeds.count == 1,
        let input = feeds.first
      {
        paths.append((input, specification))
      } else if let equals = specification.firstIndex(of: "="),
        !FileManager.default.fileExists(atPath: specification)
      {
        throw CommandFailure(
          .error(
            "--input \(specification): the model has no input named "
              + "'\(specification[..<equals])'; its inputs are \(names)",
            at: nil, hint: "give --input NAME=FILE.npy with one of those names"
          ))
      } else {
        throw CommandFailure(
          .error(
            "--input \(specification) does not say which input it feeds; the "
              + "model has \(feeds.count) inputs (\(names))",
            at: nil, hint: "give --input NAME=FILE.npy once per input"))
      }
    }
    let missing = feeds.filter { feed in
      !paths.contains { $0.input.name == feed.name }
    }
    if !missing.isEmpty {
      throw CommandFailure(
        .error(
          "no --input for the model's input(s) "
            + missing.map { "'\($0.name)'" }.joined(separator: ", "),
          at: nil,
          hint: "give --input NAME=FILE.npy once per input (\(names))"))
    }
    var tensors: [String: FloatTensor] = [:]
    for (input, path) in paths {
      tensors[input.name] = try tensor(path, for: input, warnings: &warnings)
    }
    return tensors
  }

  /// Reads one input's `.npy`.
  static func tensor(
    _ path: String, for input: GraphInput, warnings: inout [Diagnostic]
  ) throws(CommandFailure) -> FloatTensor {
    let location = SourceLocation(file: path)
    let array = try ExecutionInputs.npy(path)
    let label = "--input for '\(input.name)'"
    func refuse(_ hint: String) -> CommandFailure {
      CommandFailure(
        .error(
          "\(label) holds \(array.kind.rawValue) values; the model's input "
            + "'\(input.name)' takes \(input.elementType)", at: location,
          hint: hint))
    }
    let values: [Float]
    if input.elementType.isFloatingPoint {
      switch array.values {
      case .float32(let v): values = v
      case .float64(let v):
        values = v.map { Float($0) }
        warnings.append(
          .warning(
            "\(label): float64 values are rounded to float32", at: location,
            hint: "save them as float32"))
      default: throw refuse("save the array with x.astype(numpy.float32)")
      }
    } else {
      let integers: [Int64]
      switch array.values {
      case .int64(let v): integers = v
      case .int32(let v): integers = v.map { Int64($0) }
      case .int16(let v): integers = v.map { Int64($0) }
      case .int8(let v): integers = v.map { Int64($0) }
      case .uint8(let v): integers = v.map { Int64($0) }
      case .bool(let v): integers = v.map { $0 ? 1 : 0 }
      case .float32, .float64:
        throw refuse("save the array with x.astype(numpy.int64)")
      }
      let limit = Int64(1) << 24
      if let index = integers.firstIndex(where: { $0 > limit || $0 < -limit }) {
        throw CommandFailure(
          .error(
            "\(label) holds \(integers[index]) at flat index \(index); the "
              + "float executor holds integers in Float32, exact only up to "
              + "2^24 = 16777216", at: location,
            hint: "integer inputs (token ids, masks) must lie within ±2^24"))
      }
      values = integers.map { Float($0) }
    }
    let expected = input.dimensions.enumerated().map {
      $0.offset == 0 ? "N" : "\($0.element)"
    }
    var matches =
      array.shape.count == input.dimensions.count
      && (array.shape.first ?? 0) >= 1
    if matches {
      for (dimension, size) in zip(input.dimensions, array.shape).dropFirst() {
        if case .fixed(let wanted) = dimension, wanted != size {
          matches = false
        }
      }
    }
    guard matches else {
      throw CommandFailure(
        .error(
          "\(label) has shape \(array.shape); the input takes "
            + "[\(expected.joined(separator: ", "))] (N samples, N ≥ 1)",
          at: location,
          hint: "reshape the array, or check that it belongs to this input"))
    }
    if let index = values.firstIndex(where: \.isNaN) {
      throw CommandFailure(
        .error("\(label) holds NaN at flat index \(index)", at: location))
    }
    do {
      return try FloatTensor(shape: array.shape, values: values)
    } catch {
      throw CommandFailure(.error(error.description, at: location))
    }
  }
}
