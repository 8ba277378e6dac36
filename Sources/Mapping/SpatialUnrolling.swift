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
      for (d, f) in axis.factors where !d.isRelevant(to: operand) {
        result *= Double(f)
      }
    }
    return max(1, result)
  }

  /// How many units one value fetched from the parent level serves when the
  /// parent feeds the units over a multicast network and collects their
  /// partial sums with a spatial reduction (Timeloop's multicast and
  /// spatial-reduction model; the Eyeriss NoC, Chen et al., JSSC 2017 §V-B).
  ///
  /// Weights and outputs: the product of the factors of loops irrelevant to
  /// them (``reuse(of:)``). Inputs: those factors times the sliding-window
  /// sharing of an output loop unrolled together with its kernel loop —
  /// `f_P` output rows and `f_R` filter rows need `(f_P − 1)·stride +
  /// (f_R − 1)·dilation + 1` distinct input rows, not `f_P·f_R` (the
  /// diagonal input reuse of row stationary), likewise for Q and S.
  ///
  /// - Parameters:
  ///   - operand: The operand fetched.
  ///   - nest: The layer, for its strides and dilations.
  /// - Returns: The number of units served per value fetched (≥ 1).
  public func multicast(of operand: Operand, nest: LoopNest) -> Double {
    guard operand == .inputs else { return reuse(of: operand) }
    var factors: [LoopDimension: Int] = [:]
    for axis in axes {
      for (d, f) in axis.factors where f > 1 { factors[d, default: 1] *= f }
    }
    var result = reuse(of: .inputs)
    let pairs = [
      (LoopDimension.p, LoopDimension.r, nest.strideRows, nest.dilationRows),
      (
        LoopDimension.q, LoopDimension.s, nest.strideColumns,
        nest.dilationColumns
      ),
    ]
    for (output, kernel, stride, dilation) in pairs {
      let fo = factors[output] ?? 1
      let fk = factors[kernel] ?? 1
      guard fo > 1, fk > 1 else { continue }
      let units = Double(fo) * Double(fk)
      let distinct =
        Double(fo - 1) * Double(max(1, stride)) + Double(fk - 1)
        * Double(max(1, dilation)) + 1
      result *= max(1, units / min(units, distinct))
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
      return
        "\(axis.name)(\(axis.size))=\(parts.isEmpty ? "-" : parts.joined(separator: "·"))"
    }.joined(separator: " ")
  }
}
