import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

/// What can stop an execution, a precision resolution or a calibration.
///
/// A closed set of typed values; English rendering is in ``description``
/// only, for the command-line layer to print.
public enum ExecutionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The network itself is malformed (cycle, missing tensor, bad shapes).
  case network(NetworkError)
  /// A node uses an operator, attribute or operand form the executor does
  /// not implement (for example a 3-D convolution).
  case unsupported(node: NodeReference, message: String)
  /// A tensor's element count does not match its shape, or operand shapes
  /// disagree at run time.
  case shapeMismatch(tensor: String, message: String)
  /// A raw integer lies outside its tensor's format.
  case rawOutOfRange(tensor: String, index: Int, raw: Int64)
  /// A constant (weight, bias, clip bound) has no data (shape-only model).
  case missingData(tensor: String)
  /// A tensor a node reads was never produced.
  case missingTensor(name: String, node: NodeReference?)
  /// A NaN reached quantization (FIXED_POINT.md §4 step 1), in `tensor` at
  /// flat index `index`.
  case notANumber(tensor: String, index: Int)
  /// A fixed-point operation failed (an out-of-domain value under `wrap`,
  /// §4 step 3; an alignment beyond the datapath).
  case arithmetic(tensor: String, error: FixedPointError)
  /// The precision plan has errors (FIXED_POINT.md §11, §12); each problem
  /// is listed.
  case invalidPrecision([PrecisionProblem])
  /// The input batch does not fit the network's input.
  case invalidInput(message: String)
  /// Calibration needs at least one sample.
  case emptyCalibrationSet
  /// A quantized operator's scale, zero point or axis is invalid
  /// (`Documentation/Quantization.md`, "Affine integers").
  case invalidQuantization(node: NodeReference, message: String)

  /// The same failure, from a precision resolution.
  init(_ error: PrecisionResolutionError) {
    switch error {
    case .network(let error): self = .network(error)
    case .invalidPrecision(let problems): self = .invalidPrecision(problems)
    }
  }

  /// One line of English per problem.
  public var description: String {
    switch self {
    case .network(let error): "\(error)"
    case .unsupported(let node, let message): "\(node): \(message)"
    case .shapeMismatch(let tensor, let message):
      tensor.isEmpty ? message : "tensor '\(tensor)': \(message)"
    case .rawOutOfRange(let tensor, let index, let raw):
      "tensor '\(tensor)': raw \(raw) at index \(index) is outside its format"
    case .missingData(let tensor):
      "constant '\(tensor)' has no data (shape-only model)"
    case .missingTensor(let name, let node):
      "tensor '\(name)' is never produced"
        + (node.map { " (read by \($0))" } ?? "")
    case .notANumber(let tensor, let index):
      "tensor '\(tensor)' holds NaN at index \(index); NaN cannot be quantized (FIXED_POINT.md §4)"
    case .arithmetic(let tensor, let error): "tensor '\(tensor)': \(error)"
    case .invalidPrecision(let problems):
      problems.map(\.message).joined(separator: "\n")
    case .invalidInput(let message): message
    case .emptyCalibrationSet: "the calibration set is empty"
    case .invalidQuantization(let node, let message): "\(node): \(message)"
    }
  }
}
