/// A tensor that a pass removed because it equals another one: the output
/// of an Identity or Dropout node taken out by
/// ``Network/removingIdentities()``.
///
/// The executor never computes `name`; it computes `source`, whose values
/// and format `name` shares. The raw dump (FIXED_POINT.md §11) still holds
/// every node's output, so it writes `name` as a copy of `source`.
public struct TensorAlias: Hashable, Sendable {
  /// The removed tensor (the Identity's output, or its input when the
  /// producer was renamed to write a graph output directly).
  public var name: String
  /// The tensor the network computes instead, with the same values.
  public var source: String

  /// Creates an alias.
  public init(name: String, source: String) {
    self.name = name
    self.source = source
  }
}
