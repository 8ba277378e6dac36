/// The outcome of reading a file: the value when there is no error, and every
/// diagnostic (warnings may accompany a value).
public struct LoadResult<Value: Sendable>: Sendable {
  /// The value, or `nil` when there was an error.
  public var value: Value?
  /// Every problem found, in reading order.
  public var diagnostics: [Diagnostic]

  /// Creates a result.
  public init(value: Value?, diagnostics: [Diagnostic]) {
    self.value = value
    self.diagnostics = diagnostics
  }
}
