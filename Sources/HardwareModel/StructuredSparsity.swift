/// N:M structured sparsity: a datapath that, in every group of M
/// consecutive weights along the input-channel axis, stores and multiplies
/// only N (NVIDIA's 2:4 sparse tensor cores, Mishra et al., "Accelerating
/// Sparse Deep Neural Networks", arXiv:2104.08378, 2021).
///
/// A layer conforms when its input-channel length is a multiple of M and
/// no group holds more than N nonzero weights; it then runs N/M of its
/// dense MAC cycles and energy, whatever its actual density. A layer that
/// does not conform runs dense.
public struct StructuredSparsity: Hashable, Sendable {
  /// Nonzero weights a group may hold (N ≥ 1).
  public var kept: Int
  /// Weights per group (M > N).
  public var group: Int

  /// Creates the pattern.
  public init(kept: Int, group: Int) {
    self.kept = kept
    self.group = group
  }

  /// The share N/M of MAC cycles and energy a conforming layer keeps.
  public var share: Double { Double(kept) / Double(max(1, group)) }

  /// `N:M`.
  public var label: String { "\(kept):\(group)" }

  /// Whether weights conform: the input-channel axis of `shape` (`axis`)
  /// has a length that is a multiple of M, and every run of M consecutive
  /// weights along it, at every position of the other axes, holds at most
  /// N nonzeros.
  ///
  /// - Parameters:
  ///   - values: The weights, row-major in `shape`.
  ///   - shape: Their dimensions.
  ///   - axis: The input-channel axis.
  /// - Returns: Whether the layer may run at N/M.
  /// - Complexity: O(n) for n weights.
  public func conforms(_ values: [Float], shape: [Int], axis: Int) -> Bool {
    guard shape.indices.contains(axis), group > 0,
      values.count == shape.reduce(1, *)
    else { return false }
    let length = shape[axis]
    guard length > 0, length % group == 0 else { return false }
    let inner = shape[(axis + 1)...].reduce(1, *)
    let outer = shape[..<axis].reduce(1, *)
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var start = 0
        while start < length {
          var nonzeros = 0
          for c in start..<(start + group)
          where values[base + c * inner] != 0 {
            nonzeros += 1
          }
          if nonzeros > kept { return false }
          start += group
        }
      }
    }
    return true
  }
}
