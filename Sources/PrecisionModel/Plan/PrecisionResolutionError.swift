import NetworkGraph

/// What can stop ``PrecisionPlan/resolve(for:)``.
///
/// The executor's `ExecutionError` has the same two cases, with the same
/// text; English rendering is in ``description`` only.
public enum PrecisionResolutionError: Error, Hashable, Sendable,
  CustomStringConvertible
{
  /// The network itself is malformed (a cycle).
  case network(NetworkError)
  /// The precision plan has errors (FIXED_POINT.md §11, §12); each problem
  /// is listed.
  case invalidPrecision([PrecisionProblem])

  /// One line of English per problem.
  public var description: String {
    switch self {
    case .network(let error): "\(error)"
    case .invalidPrecision(let problems):
      problems.map(\.message).joined(separator: "\n")
    }
  }
}
