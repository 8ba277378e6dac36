import Diagnostics
import FixedPointArithmetic

/// One problem with a precision plan, found by ``PrecisionPlan/problems(against:)``
/// (FIXED_POINT.md §11, §12).
///
/// ``path`` is the dotted key path of the offending entry (`input.bits`,
/// `default.weight.fl`, `layers.conv1`), which a reader's
/// ``PrecisionPlan/locations`` maps to a line and column.
public struct PrecisionProblem: Hashable, Sendable {
  /// What is wrong.
  public enum Kind: Hashable, Sendable {
    /// A `layers:` key names no node of the network (§11); `suggestion` is
    /// the closest node name, if any is close.
    case unknownLayer(name: String, suggestion: String?)
    /// A format-preserving node (Relu, Clip, MaxPool, Flatten, Reshape,
    /// Identity, Dropout…) is given a format (§12.6).
    case formatOnFormatPreservingNode(layer: String, opType: String)
    /// Bits or fl out of range, symmetric without signed or with wrap
    /// (§1, §12.8).
    case invalidFormat(FixedPointError)
    /// A role needed by the network lacks `bits` or `fl` in the layer and
    /// in the default.
    case missingKey(String)
    /// B_w + B_x + ceil(log2 K) > 62 or A > 48 (§5 Accumulator), or an
    /// accumulator width outside [2, 48].
    case accumulator(layer: String, FixedPointError)
    /// |fl_a − fl_b| + max(B_a, B_b) > 62 for an Add (§5 Shift bounds).
    case residualAlignment(layer: String, FixedPointError)
    /// The node cannot run in fixed point as written (a non-constant
    /// convolution weight, a missing constant).
    case unsupportedNode(layer: String, message: String)
    /// An `outputs:` key names no output after the node's first (the first
    /// takes `activation`); `outputs` lists the names it may use.
    case unknownOutput(layer: String, name: String, outputs: [String])
  }

  /// What is wrong.
  public var kind: Kind
  /// The dotted key path of the entry at fault.
  public var path: String

  /// Creates a problem.
  public init(_ kind: Kind, at path: String) {
    self.kind = kind
    self.path = path
  }

  /// One sentence, without a trailing period.
  public var message: String {
    switch kind {
    case .unknownLayer(let name, _):
      return "unknown layer '\(name)': the network has no node of that name"
    case .formatOnFormatPreservingNode(let layer, let opType):
      return "layer '\(layer)' is a \(opType), which keeps its input's format; "
        + "it cannot be given a format (FIXED_POINT.md §12.6)"
    case .invalidFormat(let error): return "\(path): " + Self.describe(error)
    case .missingKey(let key): return "\(path): missing key '\(key)'"
    case .accumulator(let layer, let error):
      return "layer '\(layer)': " + Self.describe(error)
    case .residualAlignment(let layer, let error):
      return "layer '\(layer)': " + Self.describe(error)
    case .unsupportedNode(let layer, let message):
      return "layer '\(layer)': \(message)"
    case .unknownOutput(let layer, let name, _):
      return
        "layer '\(layer)' has no output '\(name)' after its first "
        + "(the first output takes 'activation')"
    }
  }

  /// The fix, where one is obvious.
  public var hint: String? {
    switch kind {
    case .unknownLayer(_, let suggestion?): "did you mean '\(suggestion)'?"
    case .formatOnFormatPreservingNode:
      "remove the entry; set the producer's activation instead"
    case .invalidFormat(.symmetricWithWrap):
      "use 'overflow: saturate' with 'symmetric'"
    case .unknownOutput(_, _, let outputs):
      outputs.isEmpty
        ? "the node has one output; set 'activation' instead"
        : "name one of " + outputs.map { "'\($0)'" }.joined(separator: ", ")
    default: nil
    }
  }

  static func describe(_ error: FixedPointError) -> String {
    switch error {
    case .bitsOutOfRange(let bits, let allowed):
      "bits \(bits) is outside [\(allowed.lowerBound), \(allowed.upperBound)]"
    case .fractionalLengthOutOfRange(let fl, let allowed):
      "fl \(fl) is outside [\(allowed.lowerBound), \(allowed.upperBound)]"
    case .symmetricRequiresSigned: "'symmetric' needs a signed format"
    case .symmetricWithWrap:
      "'symmetric' goes with 'saturate' only (FIXED_POINT.md §12.8)"
    case .accumulatorBoundExceeded(let bw, let bx, let k, let required):
      "B_w + B_x + ceil(log2 K) = \(bw) + \(bx) + ceil(log2 \(k)) = \(required) exceeds 62 "
        + "(FIXED_POINT.md §5)"
    case .accumulatorTooWide(let bits, let limit):
      "accumulator width \(bits) exceeds \(limit) bits (FIXED_POINT.md §5)"
    case .residualAlignmentExceeded(let required, let limit):
      "|fl_a − fl_b| + max(B_a, B_b) = \(required) exceeds \(limit) (FIXED_POINT.md §5)"
    default: "\(error)"
    }
  }
}

extension PrecisionPlan {
  /// The problems as diagnostics located through ``locations``: each at the
  /// deepest prefix of its path that has a location, or at the file.
  ///
  /// - Parameters:
  ///   - problems: From ``problems(against:)``.
  ///   - file: The precision file's name as the user wrote it.
  /// - Returns: One error diagnostic per problem, in the order given.
  public func diagnostics(for problems: [PrecisionProblem], file: String)
    -> [Diagnostic]
  {
    problems.map { problem in
      var path = problem.path
      var location = locations[path]
      while location == nil, let dot = path.lastIndex(of: ".") {
        path = String(path[..<dot])
        location = locations[path]
      }
      return Diagnostic.error(
        problem.message, at: location ?? SourceLocation(file: file),
        hint: problem.hint)
    }
  }
}
