import BitAccurateExecution
import Diagnostics
import Foundation
import NetworkGraph
import NumPyFormat

/// Reads what `run` and `quantize` execute: a model with all its weights, a
/// batch of samples and optional class labels, each checked against the
/// others with an error that names the file and says what to change.
enum ExecutionInputs {
  /// Loads a model that can be executed: every weight present, one input.
  ///
  /// - Parameters:
  ///   - path: The model file (`.onnx`, `.yaml`).
  ///   - warnings: Receives the loader's warnings when the model loads.
  ///   - severalInputs: Whether a model with several inputs is accepted
  ///     (`run --input NAME=FILE.npy`).
  ///   - dimensions: Values of symbolic dimensions by name (`--dim`).
  ///   - batch: The size a symbolic batch is bound to (1 when `nil`).
  /// - Throws: ``CommandFailure`` when the model cannot be read, or when
  ///   weights are missing (the message names the missing external file).
  /// - Returns: The network and its number of classes (the last dimension
  ///   of its first output), when the output is at least 2-D.
  static func model(
    _ path: String, warnings: inout [Diagnostic], severalInputs: Bool = false,
    dimensions: [String: Int] = [:], batch: Int? = nil
  )
    throws(CommandFailure)
    -> (network: Network, classes: Int?)
  {
    let (loaded, diagnostics, text) = ModelLoader.load(
      path, batch: batch, dimensions: dimensions)
    let sources = text.map { [path: $0] } ?? [:]
    guard let loaded else {
      throw CommandFailure(diagnostics, sources: sources)
    }
    return try executable(
      loaded, diagnostics: diagnostics, path: path, sources: sources,
      warnings: &warnings, severalInputs: severalInputs)
  }

  /// Checks that a loaded model can be executed.
  ///
  /// Every weight must be present and there must be one input (or, with
  /// `severalInputs`, at least one: `run --input NAME=FILE.npy`); see
  /// ``model(_:warnings:severalInputs:)``.
  static func executable(
    _ loaded: LoadedModel, diagnostics: [Diagnostic], path: String,
    sources: [String: String], warnings: inout [Diagnostic],
    severalInputs: Bool = false
  ) throws(CommandFailure) -> (network: Network, classes: Int?) {
    if !loaded.missingWeights.isEmpty {
      // The loader's warning names the external data file; it is fatal here.
      var errors = diagnostics.filter { $0.severity == .warning }.map {
        Diagnostic(.error, $0.message, at: $0.location, hint: $0.hint)
      }
      if errors.isEmpty {
        let names = loaded.missingWeights.prefix(3).map { "'\($0)'" }.joined(
          separator: ", ")
        errors.append(
          .error(
            "\(loaded.missingWeights.count) weight tensors have no data (\(names)…)",
            at: SourceLocation(file: path),
            hint: "run, quantize and simulate --data need the model's weights"))
      }
      throw CommandFailure(errors, sources: sources)
    }
    let feeds = loaded.network.inputs.filter {
      loaded.network.initializer(named: $0.name) == nil
    }
    guard feeds.count == 1 || (severalInputs && feeds.count > 1) else {
      throw CommandFailure(
        .error(
          "the model has \(feeds.count) inputs; run and quantize feed exactly one",
          at: SourceLocation(file: path)))
    }
    warnings += diagnostics
    try checkMemory(loaded, path: path, sources: sources)
    let output =
      loaded.network.outputs.first.flatMap { loaded.shapes.shape(of: $0)?.dims }
      ?? []
    return (loaded.network, output.count >= 2 ? output.last : nil)
  }

  /// Refuses a model with a tensor too large to hold for one sample.
  ///
  /// Too large means more than half of this machine's memory at 8 bytes an
  /// element (the fixed-point executor's raws). A hostile model can declare such a
  /// tensor in a few hundred bytes (a convolution padded by 10^5); running
  /// it would be killed for want of memory instead of refused.
  static func checkMemory(
    _ loaded: LoadedModel, path: String, sources: [String: String]
  ) throws(CommandFailure) {
    let budget = Double(ProcessInfo.processInfo.physicalMemory) / 2
    guard
      let (name, descriptor) = loaded.shapes.tensors.max(by: {
        $0.value.shape.elementCount < $1.value.shape.elementCount
      })
    else { return }
    let batch = max(1, descriptor.shape.dims.first ?? 1)
    let bytes = Double(descriptor.shape.elementCount / batch) * 8
    guard bytes > budget else { return }
    let producer = loaded.network.nodes.first { $0.outputs.contains(name) }
    let place = producer.map { " (node '\($0.name)', \($0.op.opType))" } ?? ""
    let gib = { (x: Double) in String(format: "%.1f GiB", x / 1_073_741_824) }
    throw CommandFailure(
      [
        .error(
          "tensor '\(name)'\(place) has \(descriptor.shape.elementCount / batch) elements per sample: \(gib(bytes)) to execute, more than half of this machine's \(gib(2 * budget)) of memory",
          at: SourceLocation(file: path),
          hint:
            "check the model's shapes; simulate without --data needs no memory for tensors"
        )
      ], sources: sources)
  }

  /// Reads a batch of samples `[N, …]` for the network's input.
  ///
  /// float32 is taken as is; float64 is rounded to Float32 (nearest) with a
  /// warning. The shape must match the input's except for the batch N ≥ 1.
  /// NaN is refused (FIXED_POINT.md §4: NaN cannot be quantized, and a float
  /// run would only spread it); ±∞ is allowed (saturated and counted as
  /// overflow in fixed point, §4).
  ///
  /// - Parameters:
  ///   - path: The `.npy` file.
  ///   - network: The network whose input it feeds.
  ///   - option: The option that named the file (`--input`, `--data`).
  ///   - warnings: Receives a warning for float64 input.
  /// - Returns: The samples as Float32, shaped `[N, …]`.
  /// - Throws: ``CommandFailure`` naming the file for an unreadable file, a
  ///   wrong dtype or shape, or NaN.
  static func samples(
    _ path: String, for network: Network, option: String,
    warnings: inout [Diagnostic]
  ) throws(CommandFailure) -> FloatTensor {
    let location = SourceLocation(file: path)
    let array = try npy(path)
    let values: [Float]
    switch array.values {
    case .float32(let v): values = v
    case .float64(let v):
      values = v.map { Float($0) }
      warnings.append(
        .warning(
          "float64 samples are rounded to float32", at: location,
          hint: "save them as float32"))
    default:
      throw CommandFailure(
        .error(
          "\(option) holds \(array.kind.rawValue) values; the model takes float32",
          at: location,
          hint: "save the array with x.astype(numpy.float32)"))
    }
    guard
      let input = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else {
      throw CommandFailure(.error("the model has no input", at: nil))
    }
    let expected = input.dimensions.enumerated().map {
      $0.offset == 0 ? "N" : "\($0.element)"
    }
    let expectedText = "[" + expected.joined(separator: ", ") + "]"
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
          "\(option) has shape \(array.shape); the model's input '\(input.name)' takes \(expectedText) (N samples, N ≥ 1)",
          at: location,
          hint: "reshape the array, or check that it belongs to this model"))
    }
    if let index = values.firstIndex(where: \.isNaN) {
      let perSample = values.count / max(1, array.shape[0])
      throw CommandFailure(
        .error(
          "\(option) holds NaN (sample \(index / max(1, perSample)), element \(index % max(1, perSample)) of the sample)",
          at: location,
          hint:
            "NaN has no fixed-point value (FIXED_POINT.md §4); clean the data"))
    }
    do {
      return try FloatTensor(shape: array.shape, values: values)
    } catch {
      throw CommandFailure(.error(error.description, at: location))
    }
  }

  /// Reads class labels: integers, one per sample (`[N]` or `[N, 1]`), each
  /// in 0..<classes.
  static func labels(_ path: String, samples: Int, classes: Int?)
    throws(CommandFailure) -> [Int]
  {
    let location = SourceLocation(file: path)
    let array = try npy(path)
    let labels: [Int]
    switch array.values {
    case .int64(let v): labels = v.map { Int($0) }
    case .int32(let v): labels = v.map { Int($0) }
    case .int16(let v): labels = v.map { Int($0) }
    case .int8(let v): labels = v.map { Int($0) }
    case .uint8(let v): labels = v.map { Int($0) }
    default:
      throw CommandFailure(
        .error(
          "--labels holds \(array.kind.rawValue) values; labels are integer class indices",
          at: location, hint: "save them with y.astype(numpy.int64)"))
    }
    let shapeOK =
      array.shape.count == 1 || (array.shape.count == 2 && array.shape[1] == 1)
    guard shapeOK, labels.count == samples else {
      throw CommandFailure(
        .error(
          "--labels has shape \(array.shape); expected [\(samples)], one label per sample",
          at: location))
    }
    if let index = labels.firstIndex(where: {
      $0 < 0 || $0 >= (classes ?? Int.max)
    }) {
      let known = classes.map { " (the model has \($0) classes)" } ?? ""
      throw CommandFailure(
        .error(
          "label \(labels[index]) of sample \(index) is not a class index\(known)",
          at: location))
    }
    return labels
  }

  static func npy(_ path: String) throws(CommandFailure) -> NumPyArray {
    let bytes: [UInt8]
    switch FileIO.read(path) {
    case .success(let b): bytes = b
    case .failure(let d): throw CommandFailure(d)
    }
    do {
      return try NumPyArray(npy: bytes)
    } catch {
      throw CommandFailure(
        .error(
          "not a readable .npy file: \(error.description)",
          at: SourceLocation(file: path)))
    }
  }
}
