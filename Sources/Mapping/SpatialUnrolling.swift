import HardwareModel

/// One hardware axis a layer is spread over: array rows or columns, cores,
/// SIMD lanes, shader ALUs, DSP slices or convolvers.
public struct SpatialAxis: Hashable, Sendable {
  /// What the axis is (`rows`, `columns`, `cores`, `lanes`, ...).
  public var name: String
  /// Units along the axis.
  public var size: Int
  /// The loops spread over the axis and how many iterations of each sit
  /// side by side (their product is at most ``size``).
  public var factors: [LoopDimension: Int]

  /// Creates an axis.
  public init(name: String, size: Int, factors: [LoopDimension: Int]) {
    self.name = name
    self.size = max(1, size)
    self.factors = factors
  }
}

/// How a layer's loops are laid across the compute units (the spatial part
/// of a mapping, Timeloop's "spatial fanout").
///
/// ``utilization`` is the average fraction of units doing useful MACs once
/// the array is running: it drops when a layer's dimensions do not fill the
/// array (edge folds) or the vector lanes.
public struct SpatialUnrolling: Hashable, Sendable {
  /// The axes, outermost (coarsest) first.
  public var axes: [SpatialAxis]
  /// Average fraction of units used, in (0, 1].
  public var utilization: Double

  /// Creates an unrolling.
  public init(axes: [SpatialAxis], utilization: Double) {
    self.axes = axes
    self.utilization = min(1, max(0, utilization))
  }

  /// Spatial reuse of an operand: how many units share one fetched value,
  /// the product of the factors of loops irrelevant to it (a broadcast,
  /// systolic forwarding or spatial reduction).
  public func reuse(of operand: Operand) -> Double {
    var result = 1.0
    for axis in axes {
      for (d, f) in axis.factors where !d.isRelevant(to: operand) { result *= Double(f) }
    }
    return max(1, result)
  }

  /// `rows[p×q 12, n 1] columns[m 14]`: for traces and documentation.
  public var summary: String {
    axes.map { axis in
      let parts = axis.factors.keys.sorted().compactMap { d -> String? in
        guard let f = axis.factors[d], f > 1 else { return nil }
        return "\(d.rawValue.uppercased())\(f)"
      }
      return "\(axis.name)(\(axis.size))=\(parts.isEmpty ? "-" : parts.joined(separator: "·"))"
    }.joined(separator: " ")
  }
}
