/// What a datapath does with a MAC whose weight or activation operand is
/// zero.
///
/// - `none`: nothing; the MAC runs and costs its energy (a dense array).
/// - `gate`: the MAC still takes its cycle, but its multiplier is gated and
///   costs no energy (Eyeriss: "data gating" of zero activations, JSSC 2017
///   §V-D).
/// - `skip`: the MAC takes neither cycle nor energy; work is compacted to
///   the nonzero operands (EIE reads only nonzero weights and skips zero
///   activations, Han et al. ISCA 2016).
public enum ZeroPolicy: String, Hashable, Sendable, CaseIterable {
  case none
  case gate
  case skip
}

/// How a device's MAC datapath treats zero weights and zero activations.
///
/// Weight zeros come from the run's pruned weights (the density of the
/// DRAM-coding file, measured by `edgesim compress`), activation zeros from
/// the densities the coding file states or the run measures on `--data`.
/// A run without such densities is dense whatever the device declares.
public struct ZeroHandling: Hashable, Sendable {
  /// What is done with zero weights.
  public var weights: ZeroPolicy
  /// What is done with zero activations.
  public var activations: ZeroPolicy
  /// N:M structured sparsity of the weights, or `nil`.
  ///
  /// Written `weights: {structured: 2:4}`: a layer whose weights conform
  /// runs N/M of its MAC cycles and energy, any other layer dense.
  /// Replaces ``weights``.
  public var structuredWeights: StructuredSparsity?

  /// A dense datapath: every MAC runs.
  public static let none = ZeroHandling(weights: .none, activations: .none)

  /// Creates the description.
  public init(
    weights: ZeroPolicy, activations: ZeroPolicy,
    structuredWeights: StructuredSparsity? = nil
  ) {
    self.weights = weights
    self.activations = activations
    self.structuredWeights = structuredWeights
  }

  /// The fractions of a layer's MAC cycles and MAC energy that remain,
  /// given the fraction of nonzero weights and of nonzero activations.
  ///
  /// Zeros are taken as independent (the product of the densities is the
  /// share of MACs with both operands nonzero): a skipped operand removes
  /// its zeros' cycles and energy, a gated one their energy only.
  ///
  /// - Parameters:
  ///   - weightDensity: Nonzero weights over all weights, in [0, 1].
  ///   - activationDensity: Nonzero input activations over all, in [0, 1].
  /// - Returns: `cycles` and `energy`, each in [0, 1].
  public func remaining(weightDensity: Double, activationDensity: Double)
    -> (cycles: Double, energy: Double)
  {
    let w = min(1, max(0, weightDensity.isFinite ? weightDensity : 1))
    let a = min(1, max(0, activationDensity.isFinite ? activationDensity : 1))
    var cycles = 1.0
    var energy = 1.0
    switch weights {
    case .none: break
    case .gate: energy *= w
    case .skip:
      cycles *= w
      energy *= w
    }
    switch activations {
    case .none: break
    case .gate: energy *= a
    case .skip:
      cycles *= a
      energy *= a
    }
    return (cycles, energy)
  }
}
