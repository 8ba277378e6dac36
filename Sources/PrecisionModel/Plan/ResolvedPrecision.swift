import FixedPointArithmetic
import NetworkGraph

/// A precision plan applied to one network: a validated format for every
/// tensor and the arithmetic choices of every node (FIXED_POINT.md §5, §11).
///
/// Made by ``PrecisionPlan/resolve(for:)``; the bit-accurate executor reads
/// nothing else.
public struct ResolvedPrecision: Hashable, Sendable {
  /// The network input's format.
  public var input: QFormat
  /// Each node's resolved choices, by node name.
  public var layers: [String: ResolvedLayer]
  /// The format of every fixed-point tensor (graph inputs and node
  /// outputs); float tensors are absent.
  public var tensorFormats: [String: QFormat]
  /// The stochastic-rounding run seed (§7).
  public var seed: UInt64
}

/// Where a resolved layer's bias lives (§5 Bias).
public enum ResolvedBias: Hashable, Sendable {
  /// On the accumulator grid, quantized with `halfEven`, `saturate`.
  case accumulatorGrid
  /// In its own format (quantized with `halfEven` and the storage policy,
  /// §12.1), aligned into the accumulator with the requantization mode.
  case own(QFormat, OverflowPolicy)
}

/// One node's formats and arithmetic choices.
public struct ResolvedLayer: Hashable, Sendable {
  /// The node name.
  public var name: String
  /// How the node treats formats.
  public var kind: NodeKind
  /// The format of the node's constant operands (weights), if it has any.
  public var weight: QFormat?
  /// The weights' storage overflow policy (§12.1).
  public var weightOverflow: OverflowPolicy
  /// The bias rule.
  public var bias: ResolvedBias
  /// The output format (computing nodes; float islands whose output is
  /// fixed point); `nil` for a float output or a format-preserving node.
  public var output: QFormat?
  /// The output's storage overflow policy.
  public var outputOverflow: OverflowPolicy
  /// The accumulator format (A, fl_w + fl_x) of Conv, Gemm and MatMul.
  public var accumulator: QFormat?
  /// The accumulator policy.
  public var accumulatorPolicy: AccumulatorPolicy
  /// The number of terms K of each dot product (Conv, Gemm, MatMul).
  public var terms: Int?
  /// The requantization rounding.
  public var rounding: RoundingMode
  /// Add's alignment.
  public var residual: ResidualAlignment
  /// Average pooling's division.
  public var pooling: AveragePoolDivision
  /// How a non-linear function computes (`integer`: only for the operators
  /// ``NodeKind/hasIntegerKernel(_:)`` accepts; the node then always has an
  /// output format).
  public var nonlinear: NonlinearArithmetic = .float
}

extension PrecisionPlan {
  /// Every problem with this plan for `network`, reported at once.
  ///
  /// Checks, in order: each written format (bits, fl, signed/symmetric,
  /// symmetric with wrap; §1, §12.8), unknown layer names (§11), formats on
  /// format-preserving nodes (§12.6), missing keys, then for every node in
  /// topological order the accumulator bound B_w + B_x + ceil(log2 K) ≤ 62
  /// and A ≤ 48 and the residual alignment bound (§5).
  ///
  /// - Returns: The problems; empty when the plan can run.
  public func problems(against network: Network) -> [PrecisionProblem] {
    switch resolving(network) {
    case .success: []
    case .failure(.invalidPrecision(let problems)): problems
    case .failure(let error):
      [
        PrecisionProblem(
          .unsupportedNode(layer: "", message: error.description), at: "layers")
      ]
    }
  }

  /// Applies the plan to a network.
  ///
  /// - Throws: ``PrecisionResolutionError/invalidPrecision(_:)`` with every
  ///   problem of ``problems(against:)``, or
  ///   ``PrecisionResolutionError/network(_:)``.
  public func resolve(for network: Network) throws(PrecisionResolutionError)
    -> ResolvedPrecision
  {
    try resolving(network).get()
  }

  func resolving(_ network: Network) -> Result<
    ResolvedPrecision, PrecisionResolutionError
  > {
    var resolver = PrecisionResolver(plan: self, network: network)
    return resolver.run()
  }
}
