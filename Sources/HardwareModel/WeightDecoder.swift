/// A decoder on the weights' path from the backing store (`compute.decoder`):
/// coded weights (relative indices, Huffman codes, cluster indices; see
/// `edgesim compress`) are expanded to values at a fixed rate as they
/// arrive, before the datapath uses them.
///
/// EIE's weight decoder is the model (Han et al., "EIE: Efficient Inference
/// Engine on Compressed Deep Neural Network", ISCA 2016, §III-B): each
/// processing element reads one (index, 4-bit cluster) entry per cycle and
/// looks its value up in a codebook. Two rates bound the decoder, whichever
/// is slower:
/// - `bitsPerCycle`: coded bits consumed per cycle (the entropy decoder's
///   input rate);
/// - `weightsPerCycle`: stored entries (nonzero weights and fillers) turned
///   into values per cycle (codebook lookups).
///
/// The decoder is pipelined with the transfers and the datapath: a layer
/// takes at least as long as decoding the weights it reads from the backing
/// store. Weights already on chip (steady state, ``ParameterResidency``)
/// are not decoded again.
public struct WeightDecoder: Hashable, Sendable {
  /// Coded bits consumed per cycle, or `nil` for no limit.
  public var bitsPerCycle: Double?
  /// Stored entries decoded per cycle, or `nil` for no limit.
  public var weightsPerCycle: Double?
  /// Energy per decoded entry, joules (0 when not declared).
  public var energyPerWeight: Double

  /// Creates the description.
  public init(
    bitsPerCycle: Double?, weightsPerCycle: Double?, energyPerWeight: Double = 0
  ) {
    self.bitsPerCycle = bitsPerCycle
    self.weightsPerCycle = weightsPerCycle
    self.energyPerWeight = energyPerWeight
  }

  /// Cycles to decode `codedBits` bits holding `entries` stored entries:
  /// the slower of the two rates.
  public func cycles(codedBits: Double, entries: Double) -> Double {
    var cycles = 0.0
    if let bitsPerCycle, bitsPerCycle > 0 {
      cycles = max(cycles, codedBits / bitsPerCycle)
    }
    if let weightsPerCycle, weightsPerCycle > 0 {
      cycles = max(cycles, entries / weightsPerCycle)
    }
    return cycles
  }
}
